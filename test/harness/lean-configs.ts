// Collector configs generated over the lean build's types only (collector/lambda-distribution.yaml),
// with faults of every kind the collector refuses: unknown and removed keys, invalid
// values, missing protocols, undefined references, one-sided connectors and cycles,
// empty pipelines. The catalogue generators of test/rules/properties.test.ts draw from
// all of contrib, which the lean binary cannot judge, so these draw from the manifest.
import fc from "fast-check";

/** Settings that pass the component's own Validate() at 0.161.0 (checked by validate-differential). */
const PROCESSORS: Readonly<Record<string, unknown>> = {
    transform: {},
    filter: {},
    redaction: {},
    probabilistic_sampler: {},
    memory_limiter: { check_interval: "1s", limit_mib: 100 },
    attributes: { actions: [{ key: "a", action: "delete" }] },
    resource: { attributes: [{ key: "a", action: "delete" }] },
    span: { name: { from_attributes: ["a"] } },
};

const OFF = { sending_queue: { enabled: false } };

const receiver = fc.oneof(
    { weight: 6, arbitrary: fc.constant({ protocols: { http: { endpoint: "127.0.0.1:4318" } } }) },
    { weight: 2, arbitrary: fc.constant({ protocols: { http: null } }) },
    { weight: 1, arbitrary: fc.constant({ protocols: { grpc: null } }) },
    fc.constant({ protocols: null }),
    fc.constant(null),
    fc.constant({ protocols: { http: { enabled: false } } }),
    fc.constant({ protocols: { udp: null, http: null } }),
    fc.constant({ protocols: { http: null }, endpoint: "127.0.0.1:4318" }),
    fc.constant({ protocols: { http: { endpoint: 4318 } } }),
    fc.constant({ protocols: { http: { endpoint: "127.0.0.1:4318", enabled: "yes" } } }),
);

const exporter = fc.oneof(
    { weight: 4, arbitrary: fc.constant(["debug", { verbosity: "basic", ...OFF }]) },
    { weight: 3, arbitrary: fc.constant(["otlp_http/b", { endpoint: "https://otlp.example.com", ...OFF }]) },
    { weight: 1, arbitrary: fc.constant(["otlphttp/b", { endpoint: "https://otlp.example.com", ...OFF, retry_on_failure: { max_elapsed_time: "10s" } }]) },
    { weight: 1, arbitrary: fc.constant(["otlp/b", { endpoint: "otlp.example.com:4317", ...OFF }]) },
    { weight: 1, arbitrary: fc.constant(["otlp_grpc/b", { endpoint: "otlp.example.com:4317", ...OFF }]) },
    fc.constant(["debug", { verbosty: "basic", ...OFF }]),
    fc.constant(["debug", { verbosity: "basic", sending_queue: { enabled: "false" } }]),
    fc.constant(["otlp_http/b", { endpoint: "https://otlp.example.com", ...OFF, timeout: "5 seconds" }]),
    fc.constant(["logging", {}]),
);

const telemetry = fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    fc.constant({ metrics: { level: "none" } }),
    fc.constant({ logs: { level: "debug" } }),
    fc.constant({ traces: { level: "basic" } }),
    fc.constant({ metrics: { address: "0.0.0.0:8888" } }),
    fc.constant({ metrics: { level: "none", adress: "x" } }),
    fc.constant({ logz: { level: "debug" } }),
);

const SIGNALS = ["traces", "metrics", "logs"] as const;

/** One generated config as a plain object (stringify it to YAML). */
export const leanConfig: fc.Arbitrary<Record<string, unknown>> = fc.record({
    receiver,
    processors: fc.subarray(Object.keys(PROCESSORS), { maxLength: 3 }),
    processorJunk: fc.boolean(),
    exporters: fc.uniqueArray(exporter, { minLength: 1, maxLength: 3, selector: ([id]) => id }),
    forward: fc.boolean(),
    pipelines: fc.array(fc.record({
        signal: fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...SIGNALS) }, fc.constant("profiles")),
        name: fc.constantFrom("", "/a", "/b"),
        connectorIn: fc.boolean(),
        connectorOut: fc.boolean(),
        noExporters: fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, fc.constant(true)),
        undefinedRef: fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, fc.constant(true)),
        processors: fc.boolean(),
        junk: fc.oneof({ weight: 15, arbitrary: fc.constant(false) }, fc.constant(true)),
    }), { minLength: 1, maxLength: 3 }),
    telemetry,
    auth: fc.oneof({ weight: 4, arbitrary: fc.constant("token") }, fc.constant("none"), fc.constant("disabled")),
    extraSection: fc.oneof({ weight: 20, arbitrary: fc.constant(false) }, fc.constant(true)),
}).map((spec) => {
    const extensions: Record<string, unknown> = {};
    const receivers: Record<string, unknown> = { otlp: spec.receiver };
    if (spec.auth !== "none" && spec.receiver !== null && typeof spec.receiver === "object") {
        extensions["bearertokenauth/ingest"] = { token: "${env:COLLECTOR_INGEST_TOKEN}" };
        const protocols = (spec.receiver as { protocols?: Record<string, unknown> | null }).protocols;
        const http = protocols && typeof protocols === "object" ? protocols.http : undefined;
        if (http !== undefined) {
            receivers.otlp = { ...spec.receiver, protocols: { ...protocols, http: { ...(http as object ?? {}), auth: { authenticator: "bearertokenauth/ingest" } } } };
        }
    }
    const processors: Record<string, unknown> = {};
    for (const type of spec.processors) processors[type] = PROCESSORS[type];
    if (spec.processorJunk && spec.processors.length > 0) processors[spec.processors[0]] = { ...(PROCESSORS[spec.processors[0]] as object), not_a_setting: 1 };
    const exporters = Object.fromEntries(spec.exporters);
    const exporterIds = Object.keys(exporters);
    const pipelines: Record<string, unknown> = {};
    for (const p of spec.pipelines) {
        const id = `${p.signal}${p.name}`;
        const pipeline: Record<string, unknown> = {
            receivers: [p.connectorIn && spec.forward ? "forward" : "otlp", ...(p.undefinedRef ? ["otlp/missing"] : [])],
            exporters: p.noExporters ? [] : [...exporterIds.slice(0, 1 + (id.length % exporterIds.length)), ...(p.connectorOut && spec.forward ? ["forward"] : [])],
        };
        if (p.processors && spec.processors.length > 0) pipeline.processors = spec.processors;
        if (p.junk) pipeline.exporter = exporterIds;
        pipelines[id] = pipeline;
    }
    const service: Record<string, unknown> = { pipelines };
    if (spec.auth === "token") service.extensions = ["bearertokenauth/ingest"];
    if (spec.telemetry !== undefined) service.telemetry = spec.telemetry;
    return {
        ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
        receivers,
        ...(spec.processors.length > 0 ? { processors } : {}),
        exporters,
        ...(spec.forward ? { connectors: { forward: null } } : {}),
        service,
        ...(spec.extraSection ? { "x-defaults": { a: 1 } } : {}),
    };
});
