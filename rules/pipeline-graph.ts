// pipeline-graph: pipelines the collector cannot wire together, so it refuses to
// start ("failed to build pipelines"). Checked by the collector's graph.Build, which
// `validate` and start-up both run (opentelemetry-collector v0.159.0, the newest tag
// the project could read; the pin is 0.161.0):
// - service/internal/graph/graph.go l.144-187: a connector used as an exporter in a
//   pipeline of signal S needs a receiver pipeline of a signal R it supports
//   (S-to-R), and the reverse: "connector %q used as exporter in %v pipeline but not
//   used in any supported receiver pipeline";
// - graph.go l.300, l.751 (cycleErr): the pipelines, joined through connectors, must
//   not form a cycle: "cycle detected: connector ...";
// - service/pipelines/config.go l.34-43: a profiles pipeline needs the alpha feature
//   gate service.profilesSupport, which this project's image does not set
//   (collector/Dockerfile CMD has no --feature-gates).
import { componentType, findingAt, type CollectorConfig, type Finding } from "./config-model";

/**
 * The signal pairs (exporter-side to receiver-side) each connector type supports, as
 * the lean build's `otelcol-lambda components` lists them (stability other than
 * Undefined): forward joins a signal to itself only. A type not listed here is judged
 * only where no pairing can help: used on one side with no pipeline at all on the other.
 */
const CONNECTOR_PAIRS: Readonly<Record<string, (from: string, to: string) => boolean>> = {
    forward: (from, to) => from === to,
};

/**
 * Components of the lean build that do not support every signal, with the signals
 * they do (`otelcol-lambda components` at 0.161.0: stability other than Undefined;
 * test/collector/lean-components.integration.ts compares). Used in a pipeline of
 * another signal, the collector cannot create them: "failed to create \"span\"
 * processor, in pipeline \"logs\": telemetry type is not supported"
 * (service/internal/graph). A type not listed is not judged here.
 */
export const PARTIAL_SIGNALS: Readonly<Record<"receivers" | "processors" | "exporters", Readonly<Record<string, readonly string[]>>>> = {
    receivers: {},
    processors: { span: ["traces"], probabilistic_sampler: ["traces", "logs"] },
    exporters: {},
};

/** The profiles pipeline's feature gate (service/pipelines/config.go). */
export const PROFILES_GATE = "service.profilesSupport";

const SIGNALS: readonly string[] = ["traces", "metrics", "logs"];

export function checkPipelineGraph(config: CollectorConfig): Finding[] {
    const findings: Finding[] = [];
    const connectors = new Set(Object.keys(config.components.connectors));
    const asExporter = new Map<string, string[]>();
    const asReceiver = new Map<string, string[]>();
    for (const [id, pipeline] of Object.entries(config.pipelines)) {
        if (componentType(id) === "profiles") {
            findings.push(findingAt(config, "pipeline-graph", ["service", "pipelines", id],
                `a profiles pipeline needs the alpha feature gate ${PROFILES_GATE}, which the Lambda image does not enable, so the collector refuses to start ("profiling signal support is at alpha level")`,
                "remove the profiles pipeline; send profiles to a collector outside Lambda"));
        }
        for (const kind of ["receivers", "processors", "exporters"] as const) {
            for (const used of new Set(pipeline[kind])) {
                const signals = connectors.has(used) ? undefined : PARTIAL_SIGNALS[kind][componentType(used)];
                if (signals && SIGNALS.includes(componentType(id)) && !signals.includes(componentType(id))) {
                    findings.push(findingAt(config, "pipeline-graph", ["service", "pipelines", id, kind],
                        `${kind.slice(0, -1)} "${used}" does not support ${componentType(id)} (only ${signals.join(", ")}), so the collector cannot create it and refuses to start ("telemetry type is not supported")`,
                        `remove "${used}" from this pipeline, or use it in a ${signals.join(" or ")} pipeline`));
                }
            }
        }
        for (const e of new Set(pipeline.exporters)) if (connectors.has(e)) push(asExporter, e, id);
        for (const r of new Set(pipeline.receivers)) if (connectors.has(r)) push(asReceiver, r, id);
    }
    const signal = (pipelineId: string): string => componentType(pipelineId);
    /** Whether connector `id` joins a pipeline of `from`'s signal to one of `to`'s; undefined when not known. */
    const supports = (id: string, from: string, to: string): boolean | undefined => CONNECTOR_PAIRS[componentType(id)]?.(signal(from), signal(to));
    for (const id of connectors) {
        const exporting = asExporter.get(id) ?? [];
        const receiving = asReceiver.get(id) ?? [];
        if (exporting.length === 0 && receiving.length === 0) continue; // unused: allowed, never built
        for (const [side, mine, other, otherSide] of [
            ["exporter", exporting, receiving, "receiver"],
            ["receiver", receiving, exporting, "exporter"],
        ] as const) {
            const bySignal = new Map<string, string[]>();
            for (const p of mine) push(bySignal, signal(p), p);
            for (const [sig, pipelines] of bySignal) {
                const paired = other.some((o) => side === "exporter" ? supports(id, pipelines[0], o) ?? true : supports(id, o, pipelines[0]) ?? true);
                if (other.length > 0 && paired) continue;
                const listed = pipelines.map((p) => `[${p}]`).join(", ");
                findings.push(findingAt(config, "pipeline-graph", ["service", "pipelines", pipelines[0], `${side}s`],
                    `connector "${id}" is used as ${side} in ${listed} but not as ${otherSide} in any pipeline it can join${other.length > 0 ? ` (${componentType(id)} joins a signal only to the same signal)` : ""}, so the collector refuses to start ("used as ${side} in ${sig} pipeline but not used in any supported ${otherSide} pipeline")`,
                    `add "${id}" to the ${otherSide}s of a ${sig} pipeline, or remove it from this one`));
            }
        }
    }
    const cycle = firstCycle(config, connectors, (id, from, to) => supports(id, from, to) ?? signal(from) === signal(to));
    if (cycle) {
        findings.push(findingAt(config, "pipeline-graph", ["service", "pipelines", cycle.pipelines[0]],
            `connector "${cycle.connector}" leads pipeline ${cycle.pipelines.join(" -> ")} back to itself, so the collector refuses to start ("cycle detected")`,
            "a pipeline must not receive, through connectors, what it exports; remove one connector from the loop"));
    }
    return findings;
}

/** The first cycle of pipelines joined by connectors (exporter side to receiver side), if any. */
function firstCycle(config: CollectorConfig, connectors: ReadonlySet<string>, joins: (connector: string, from: string, to: string) => boolean): { connector: string; pipelines: string[] } | undefined {
    const edges = new Map<string, { to: string; via: string }[]>();
    for (const [from, p] of Object.entries(config.pipelines)) {
        for (const via of new Set(p.exporters)) {
            if (!connectors.has(via)) continue;
            for (const [to, q] of Object.entries(config.pipelines)) {
                if (q.receivers.includes(via) && joins(via, from, to)) push(edges, from, { to, via });
            }
        }
    }
    const state = new Map<string, "open" | "done">();
    const stack: { pipeline: string; via?: string }[] = [];
    const visit = (pipeline: string, via?: string): { connector: string; pipelines: string[] } | undefined => {
        state.set(pipeline, "open");
        stack.push({ pipeline, via });
        for (const edge of edges.get(pipeline) ?? []) {
            if (state.get(edge.to) === "open") {
                const start = stack.findIndex((s) => s.pipeline === edge.to);
                return { connector: edge.via, pipelines: [...stack.slice(start).map((s) => s.pipeline), edge.to] };
            }
            if (state.get(edge.to) === undefined) {
                const found = visit(edge.to, edge.via);
                if (found) return found;
            }
        }
        stack.pop();
        state.set(pipeline, "done");
        return undefined;
    };
    for (const pipeline of Object.keys(config.pipelines)) {
        if (state.get(pipeline) === undefined) {
            const found = visit(pipeline);
            if (found) return found;
        }
    }
    return undefined;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
}
