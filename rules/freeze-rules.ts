// Rules for processing that Lambda's freeze makes unsafe. Lambda stops the process as
// soon as a response is written; anything held in memory for later is stranded and
// usually lost, while the producer has already been told SUCCESS.
import { componentType, findingAt, isRecord, usedIds, type CollectorConfig, type Finding } from "./config-model";
import type { DeploymentContext } from "./deployment-context";
import { statefulEntry } from "./catalogue";
import { canonicalType, QUEUE_FACTS_VERSION, queueFactOf } from "./exporter-queues";

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
            const wait = entry.waitKey ? /^[a-z_.]+/.exec(entry.waitKey)?.[0] : undefined;
            const message = entry.holdsData
                ? `${type} holds data${wait ? ` for ${wait}` : ""} before passing it on, and Lambda freezes the collector after each response, so held data is lost or delayed to the next invocation`
                : `${type} keeps state across requests${wait ? ` (${wait})` : ""}, which Lambda discards at each cold start and keeps separately in each concurrent instance, so its output is wrong`;
            findings.push(findingAt(config, "no-buffering-processor", [section, id], message, "run it in a persistent collector instead"));
        }
    }
    return findings;
}

/** retry-exceeds-timeout (advisory): retries that cannot finish before the function times out. */
export function checkRetryBudget(config: CollectorConfig, context: DeploymentContext): Finding[] {
    const timeout = context.functionTimeoutSeconds;
    if (timeout === undefined) {
        return [];
    }
    const findings: Finding[] = [];
    for (const [id, settings] of Object.entries(config.components.exporters)) {
        const type = canonicalType(componentType(id));
        if (queueFactOf(type).kind === "none" || type === "debug" || type === "prometheus") {
            continue;
        }
        const retry = isRecord(settings) ? settings.retry_on_failure : undefined;
        if (isRecord(retry) && retry.enabled === false) {
            continue;
        }
        const configured = isRecord(retry) ? retry.max_elapsed_time : undefined;
        const seconds = configured === undefined ? DEFAULT_RETRY_MAX_ELAPSED_SECONDS : durationSeconds(configured);
        if (seconds === undefined || (seconds !== 0 && seconds < timeout)) {
            continue;
        }
        const path = isRecord(retry) ? ["exporters", id, "retry_on_failure"] : ["exporters", id];
        const budget = seconds === 0 ? "without limit (max_elapsed_time: 0)" : configured === undefined
            ? `for up to ${seconds}s (the default)` : `for up to ${seconds}s`;
        findings.push(findingAt(config, "retry-exceeds-timeout", path,
            `retries ${budget}, but the function times out after ${timeout}s and the retry dies with it`,
            `set retry_on_failure.max_elapsed_time below ${timeout}s`));
    }
    return findings;
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
