// Rules for a collector that runs as a long-running ECS task behind a load balancer
// (runtime "fargate"). The process is not frozen between requests, so batching and
// queuing are what keep telemetry through a slow or briefly unavailable backend; but
// the load balancer reaches the task from outside, so whatever listens on localhost
// only is unreachable.
import { componentType, findingAt, isRecord, usedIds, type CollectorConfig, type Finding } from "./config-model";
import type { DeploymentContext } from "./deployment-context";
import { canonicalType, queueFactOf } from "./exporter-queues";
import { HEALTH_CHECK } from "./fargate-facts";
import { usedOtlpHttpReceivers } from "./startup-rules";

/** Hosts reachable from outside the task: every interface. */
const ALL_INTERFACES: ReadonlySet<string> = new Set(["0.0.0.0", "", "::"]);

/** The host and port of a `host:port` endpoint as Go's net.SplitHostPort reads it; undefined when it is not one. */
function hostPort(endpoint: unknown): { host: string; port: string } | undefined {
    if (typeof endpoint !== "string") return undefined;
    const match = /^\[([^\]]*)\]:(.*)$/.exec(endpoint) ?? /^([^:]*):([^:]*)$/.exec(endpoint);
    return match ? { host: match[1], port: match[2] } : undefined;
}

/**
 * Why a listener on `endpoint` is not reachable by the load balancer at `port`, or
 * undefined when it is. An omitted endpoint is the collector's default, localhost.
 */
function unreachable(endpoint: unknown, port: number, what: string): { message: string; hint: string } | undefined {
    const fix = `set endpoint: 0.0.0.0:${port}`;
    if (endpoint === undefined || endpoint === null) {
        return { message: `has no endpoint, so it listens on the default localhost, which the load balancer cannot reach from outside the task`, hint: fix };
    }
    const parsed = hostPort(endpoint);
    if (!parsed) {
        return { message: `${JSON.stringify(endpoint)} is not host:port, so the collector cannot listen`, hint: fix };
    }
    if (parsed.port !== String(port)) {
        return { message: `listens on port ${parsed.port}, but ${what} ${port}`, hint: fix };
    }
    if (!ALL_INTERFACES.has(parsed.host)) {
        return { message: `listens on ${parsed.host} only, which the load balancer cannot reach from outside the task`, hint: fix };
    }
    return undefined;
}

/** container-listener: a pipeline's OTLP/HTTP receiver listens where the target group sends requests. */
export function checkContainerListener(config: CollectorConfig, context: DeploymentContext): Finding[] {
    const port = context.containerPort;
    if (port === undefined) return [];
    const http = usedOtlpHttpReceivers(config);
    if (http.length === 0) {
        return [findingAt(config, "container-listener", ["receivers"],
            "no pipeline uses an OTLP receiver with an http protocol, so the load balancer has nothing to send producers' requests to",
            `add receivers.otlp.protocols.http.endpoint: 0.0.0.0:${port} and use it in a pipeline`)];
    }
    const problems = http.map((r) => ({ receiver: r, problem: unreachable(r.endpoint, port, "the load balancer's target group sends requests to the container port") }));
    if (problems.some((p) => p.problem === undefined)) return [];
    return problems.map(({ receiver, problem }) => findingAt(config, "container-listener",
        receiver.endpoint === undefined || receiver.endpoint === null ? receiver.path : [...receiver.path, "endpoint"],
        problem!.message, problem!.hint));
}

/**
 * health-check-extension: a health_check extension, enabled in service.extensions,
 * answering the load balancer's health check on 0.0.0.0:13133 at `/`. Without it
 * every target is unhealthy, so no task ever gets traffic and every deployment
 * trips the circuit breaker.
 */
export function checkHealthCheckExtension(config: CollectorConfig): Finding[] {
    const service = isRecord(config.root.service) ? config.root.service : {};
    const enabled = new Set(Array.isArray(service.extensions) ? service.extensions.filter((e): e is string => typeof e === "string") : []);
    const ids = Object.keys(config.components.extensions).filter((id) => componentType(id) === "health_check");
    const fix = `add extensions.health_check: {endpoint: 0.0.0.0:${HEALTH_CHECK.port}} and list it in service.extensions`;
    const active = ids.filter((id) => enabled.has(id));
    if (active.length === 0) {
        return [findingAt(config, "health-check-extension", ids.length > 0 ? ["extensions", ids[0]] : ["extensions"],
            ids.length > 0
                ? `${ids[0]} is not listed in service.extensions, so it does not run and the load balancer marks every task unhealthy`
                : "there is no health_check extension, so the load balancer's health check gets no answer and marks every task unhealthy",
            fix)];
    }
    const findings: Finding[] = [];
    for (const id of active) {
        const settings = isRecord(config.components.extensions[id]) ? config.components.extensions[id] as Record<string, unknown> : {};
        const problem = unreachable(settings.endpoint, HEALTH_CHECK.port, "the load balancer's health check calls port");
        if (problem === undefined && (settings.path === undefined || settings.path === null || settings.path === HEALTH_CHECK.path)) {
            return [];
        }
        findings.push(problem
            ? findingAt(config, "health-check-extension", settings.endpoint === undefined ? ["extensions", id] : ["extensions", id, "endpoint"], problem.message, problem.hint)
            : findingAt(config, "health-check-extension", ["extensions", id, "path"], `answers on ${JSON.stringify(settings.path)}, but the load balancer's health check calls ${HEALTH_CHECK.path}`, `remove path (it defaults to ${HEALTH_CHECK.path})`));
    }
    return findings;
}

/**
 * batch-and-queue (advisory): in a long-running collector, a batch processor in
 * every pipeline (or batching in the exporter's queue) and a sending queue on every
 * exporter are what ride out a slow or briefly unavailable backend; without them
 * each request is one synchronous export, and a backend outage is the producer's
 * problem, as on Lambda.
 */
export function checkBatchAndQueue(config: CollectorConfig): Finding[] {
    const findings: Finding[] = [];
    const batchers = new Set(Object.keys(config.components.processors).filter((id) => componentType(id) === "batch"));
    for (const [id, pipeline] of Object.entries(config.pipelines)) {
        const exporterBatches = pipeline.exporters.length > 0 && pipeline.exporters.every((e) => {
            const body = config.components.exporters[e];
            return isRecord(body) && isRecord(body.sending_queue) && body.sending_queue.enabled !== false && body.sending_queue.batch !== undefined && body.sending_queue.batch !== false;
        });
        if (!pipeline.processors.some((p) => batchers.has(p)) && !exporterBatches) {
            findings.push(findingAt(config, "batch-and-queue", ["service", "pipelines", id, "processors"],
                "has no batch processor, so every request is exported on its own",
                "add a batch processor (processors.batch: {}) at the end of the pipeline's processors"));
        }
    }
    const used = usedIds(config, "exporters");
    for (const [id, settings] of Object.entries(config.components.exporters)) {
        if (!used.has(id)) continue;
        const fact = queueFactOf(canonicalType(componentType(id)));
        if (fact.kind === "none" || fact.key !== "sending_queue") continue;
        const body = isRecord(settings) ? settings : {};
        const queue = body.sending_queue;
        const off = queue === undefined || queue === null ? !fact.onByDefault : isRecord(queue) && queue.enabled === false;
        if (off) {
            findings.push(findingAt(config, "batch-and-queue", queue === undefined ? ["exporters", id] : ["exporters", id, "sending_queue"],
                "has no sending queue, so a slow or unavailable backend blocks the pipeline and the producer's request fails",
                "set sending_queue.enabled: true (optionally storage: file_storage/<name> for a queue on the task's disk)"));
        }
    }
    return findings;
}
