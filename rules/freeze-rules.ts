// Rules for processing that Lambda's freeze makes unsafe. Lambda stops the process as
// soon as a response is written; anything held in memory for later is stranded and
// usually lost, while the producer has already been told SUCCESS.
import { componentType, findingAt, isRecord, usedIds, type CollectorConfig, type Finding } from "./config-model";
import type { DeploymentContext } from "./deployment-context";
import { statefulEntry } from "./catalogue";
import { canonicalType, ownWriterOf, QUEUE_FACTS_VERSION, queueFactOf, timeoutFactOf } from "./exporter-queues";

/** Exporterhelper's default retry budget when `retry_on_failure.max_elapsed_time` is not set. */
const DEFAULT_RETRY_MAX_ELAPSED_SECONDS = 300;

/** no-batch-processor: every `batch` processor, used or not, plain or named. */
export function checkBatchProcessors(config: CollectorConfig): Finding[] {
    const used = usedIds(config, "processors");
    return Object.keys(config.components.processors)
        .filter((id) => componentType(id) === "batch")
        .map((id) => findingAt(config, "no-batch-processor", ["processors", id],
            "the batch processor holds telemetry until its timeout, and Lambda freezes the collector after each response, so batched data is lost while producers see success",
            `remove it${used.has(id) ? " and drop it from every pipeline" : " (it is defined, even if no pipeline uses it)"}`));
}

/** no-queued-exporter: an exporter is queued unless its queue is explicitly off. */
export function checkQueuedExporters(config: CollectorConfig): Finding[] {
    const findings: Finding[] = [];
    for (const [id, settings] of Object.entries(config.components.exporters)) {
        const type = canonicalType(componentType(id));
        const at = (path: string[], message: string, hint: string): void => {
            findings.push(findingAt(config, "no-queued-exporter", path, message, hint));
        };
        const base = ["exporters", id];
        const body = isRecord(settings) ? settings : {};
        const fact = queueFactOf(type);
        const writer = ownWriterOf(type);
        if (writer !== undefined) {
            // Queue off or not, the data waits in the exporter's own writer.
            at(base, `${type} ${writer.what}, so data is still held after the response even with sending_queue off, and Lambda's freeze strands it`,
                `export to the backend's OTLP intake with otlp_http (sending_queue: {enabled: false}) instead, or run ${type} in a persistent collector`);
        }
        if (fact.kind === "none") {
            continue;
        }
        if (fact.key !== "sending_queue") {
            const queue = body[fact.key];
            if (queueIsOn(queue, fact.onByDefault)) {
                at(queue === undefined ? base : [...base, fact.key], queue === undefined
                    ? `${fact.key} is enabled by default for ${type}`
                    : `${fact.key} is enabled (a ${fact.key} mapping without enabled: false turns it on)`, `set ${fact.key}.enabled: false`);
            }
            continue;
        }
        const queue = body.sending_queue;
        if (queueIsOn(queue, fact.onByDefault)) {
            at(queue === undefined ? base : [...base, "sending_queue"], queuedMessage(type, queue, fact.known), "set sending_queue.enabled: false");
            if (isRecord(queue) && queue.batch !== undefined && queue.batch !== false) {
                at([...base, "sending_queue", "batch"], "batches inside the exporter queue, holding data until flush_timeout", "set sending_queue.enabled: false, which also turns the batching off");
            }
        }
        if (isRecord(body.batcher) && body.batcher.enabled !== false) {
            at([...base, "batcher"], "batcher (collector v0.120-v0.128) holds data until its flush timeout", "remove it");
        }
        if (type === "loadbalancing") {
            // Each backend gets its own otlp exporter, built from protocol.otlp on top
            // of the otlp defaults, whose queue is on: so also when protocol is omitted.
            const protocol = isRecord(body.protocol) ? body.protocol : undefined;
            const otlp = protocol && isRecord(protocol.otlp) ? protocol.otlp : undefined;
            if (queueIsOn(otlp?.sending_queue, true)) {
                const path = otlp ? [...base, "protocol", "otlp"] : protocol ? [...base, "protocol"] : base;
                at(path, "the otlp exporter it creates for each backend queues by default", "set protocol.otlp.sending_queue.enabled: false");
            }
        }
    }
    return findings;
}

/**
 * no-buffering-processor (advisory): processors and connectors that the catalogue
 * says hold data for later, or keep state that a cold start discards (batch has its
 * own mandatory rule). Types the catalogue lacks are the unknown-type rule's.
 */
export function checkBufferingProcessors(config: CollectorConfig): Finding[] {
    const findings: Finding[] = [];
    for (const kind of ["processor", "connector"] as const) {
        const section = kind === "processor" ? "processors" : "connectors";
        for (const id of Object.keys(config.components[section])) {
            const type = componentType(id);
            const entry = statefulEntry(kind, type);
            if (!entry || entry.type === "batch" || (!entry.holdsData && !entry.keepsState)) {
                continue;
            }
            const wait = settingOf(entry.waitKey);
            const message = entry.holdsData
                ? `${type} holds data${wait ? ` for as long as its ${wait} setting says` : " in memory"} before passing it on, and Lambda freezes the collector after each response, so held data is lost or delayed to the next invocation`
                : `${type} keeps state across requests${wait ? ` (for as long as its ${wait} setting says)` : ""}, which Lambda discards at each cold start and keeps separately in each concurrent instance, so its output is wrong`;
            findings.push(findingAt(config, "no-buffering-processor", [section, id], message, "run it in a persistent collector instead"));
        }
    }
    return findings;
}

/**
 * retry-exceeds-timeout (advisory): an export that cannot end before the function times
 * out. A backend that accepts the connection and never answers holds each attempt for
 * the exporter's request `timeout`, and exporterhelper starts retries until
 * retry_on_failure.max_elapsed_time, letting the last attempt run its full timeout: the
 * worst case is max_elapsed_time + timeout (retry off: timeout). Timeout defaults come
 * from rules/catalogue/exporter-runtime.json, for the types read in source; an explicit
 * `timeout` counts for every type.
 */
export function checkRetryBudget(config: CollectorConfig, context: DeploymentContext): Finding[] {
    const limit = context.functionTimeoutSeconds;
    if (limit === undefined) {
        return [];
    }
    const findings: Finding[] = [];
    for (const [id, settings] of Object.entries(config.components.exporters)) {
        const type = canonicalType(componentType(id));
        if (queueFactOf(type).kind === "none" || type === "debug" || type === "prometheus") {
            continue;
        }
        const body = isRecord(settings) ? settings : {};
        const retry = body.retry_on_failure;
        const retryOn = !(isRecord(retry) && retry.enabled === false);
        const configuredRetry = isRecord(retry) ? retry.max_elapsed_time : undefined;
        const retrySeconds = !retryOn ? 0 : configuredRetry === undefined ? DEFAULT_RETRY_MAX_ELAPSED_SECONDS : durationSeconds(configuredRetry);
        const fact = timeoutFactOf(type);
        const configuredTimeout = body.timeout;
        const timeoutSeconds = configuredTimeout !== undefined ? durationSeconds(configuredTimeout) : fact?.defaultSeconds;
        if (retrySeconds === undefined || (configuredTimeout !== undefined && timeoutSeconds === undefined)) {
            continue; // unreadable durations are the type rules' to report
        }
        const unlimited = (retryOn && retrySeconds === 0) || timeoutSeconds === 0;
        const total = retrySeconds + (timeoutSeconds ?? 0);
        if (!unlimited && total < limit) {
            continue;
        }
        const parts: string[] = [];
        if (timeoutSeconds !== undefined) {
            parts.push(timeoutSeconds === 0 ? "each attempt waits without limit (timeout: 0)"
                : `each attempt waits up to ${timeoutSeconds}s (timeout${configuredTimeout === undefined ? `, the ${type} default` : ""})`);
        }
        if (retryOn) {
            parts.push(retrySeconds === 0 ? "retries go on without limit (max_elapsed_time: 0)"
                : `retries go on for up to ${retrySeconds}s (retry_on_failure.max_elapsed_time${configuredRetry === undefined ? ", the default" : ""})`);
        }
        const worst = unlimited ? "without limit" : `for up to ${total}s`;
        const path = isRecord(retry) && retryOn ? ["exporters", id, "retry_on_failure"] : configuredTimeout !== undefined ? ["exporters", id, "timeout"] : ["exporters", id];
        const keys = [timeoutSeconds !== undefined ? "timeout" : undefined, retryOn ? "retry_on_failure.max_elapsed_time" : undefined].filter((k) => k !== undefined);
        findings.push(findingAt(config, "retry-exceeds-timeout", path,
            `a backend that never answers holds the invocation ${worst}: ${parts.join(", and ")}; but the function times out after ${limit}s and the export dies with it`,
            keys.length === 2 ? `set ${keys.join(" and ")} so that together they end below ${limit}s` : `set ${keys[0]} below ${limit}s`));
    }
    return findings;
}

/** The config key a catalogue `waitKey` starts with ("wait_duration (default 1s); …" → "wait_duration"); undefined for a fact that names none ("unknown (…)"). */
function settingOf(waitKey: string | null): string | undefined {
    const first = waitKey === null ? undefined : /^[a-z][a-z0-9_.]*/.exec(waitKey)?.[0];
    return first === undefined || ["unknown", "none", "assumption", "not"].includes(first) ? undefined : first;
}

function queueIsOn(queue: unknown, onByDefault: boolean): boolean {
    if (queue === undefined) {
        return onByDefault;
    }
    // Present as a mapping (or null, which the collector's optional decoding treats as
    // "use the defaults"): on unless explicitly disabled.
    return !(isRecord(queue) && queue.enabled === false);
}

function queuedMessage(type: string, queue: unknown, known: boolean): string {
    if (queue !== undefined) {
        const persistent = isRecord(queue) && typeof queue.storage === "string"
            ? `; it is a persistent queue in ${queue.storage}, on the function's ephemeral disk, which Lambda discards with the environment` : "";
        return `sending_queue is enabled (a sending_queue without enabled: false turns it on), so exports run after the response and are stranded by Lambda's freeze${persistent}`;
    }
    return known
        ? "sending_queue is enabled by default"
        : `sending_queue is enabled by default on exporters built on exporterhelper, and "${type}" is not known (as of collector ${QUEUE_FACTS_VERSION}) to lack one`;
}

/** Seconds in a Go duration such as `15s`, `1m30s` or `500ms` (a bare number is nanoseconds); undefined when unreadable. */
export function durationSeconds(value: unknown): number | undefined {
    if (typeof value === "number") {
        return value / 1e9;
    }
    if (typeof value !== "string") {
        return undefined;
    }
    const sign = value.startsWith("-") ? -1 : 1;
    const body = value.replace(/^[-+]/, "");
    if (body === "0") {
        return 0;
    }
    const units: Record<string, number> = { ns: 1e-9, us: 1e-6, "µs": 1e-6, "μs": 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
    let total = 0;
    let rest = body;
    if (rest.length === 0) {
        return undefined;
    }
    while (rest.length > 0) {
        const match = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
        if (!match) {
            return undefined;
        }
        total += Number(match[1]) * units[match[2]];
        rest = rest.slice(match[0].length);
    }
    return sign * total;
}
