// The table of config kinds that kinds.test.ts runs through the lint, the component and
// the pack, and test/collector/validate-differential.integration.ts through the real
// collector's validate.
/** A given ingest token long enough for the component (at least 32 characters). */
export const TOKEN = "kinds-test-token-0123456789abcdefghijklmn";

export type Verdict = "fail" | "advisory" | "pass" | "not-checkable";

export interface Kind {
    readonly name: string;
    readonly text: string;
    /** Function environment values; UNKNOWN marks a value unknown at preview (an Output). */
    readonly env?: Record<string, string>;
    readonly rule?: string;
    readonly path?: string;
    /** A text on the line the finding must point at. */
    readonly at?: string;
    readonly verdict: Verdict;
    /** A phrase the message must contain. */
    readonly says?: string;
}

export const UNKNOWN = "\u0000unknown";

interface Parts {
    receivers?: string;
    processors?: string;
    exporters?: string;
    connectors?: string;
    http?: string;
    pipelineReceivers?: string;
    pipelineProcessors?: string;
    pipelineExporters?: string;
    extraPipelines?: string;
}

/** A Lambda-safe config with parts replaced or added. */
export function config(p: Parts = {}): string {
    const http = p.http ?? "      http:\n        endpoint: 127.0.0.1:4318\n        auth:\n          authenticator: bearertokenauth/ingest\n";
    return [
        "extensions:",
        "  bearertokenauth/ingest:",
        "    token: ${env:COLLECTOR_INGEST_TOKEN}",
        "receivers:",
        "  otlp:",
        "    protocols:",
        http + (p.receivers ?? "").replace(/\n$/, ""),
        p.processors ? `processors:\n${p.processors}` : "",
        "exporters:",
        p.exporters ?? "  debug:\n    sending_queue: {enabled: false}",
        p.connectors ? `connectors:\n${p.connectors}` : "",
        "service:",
        "  extensions: [bearertokenauth/ingest]",
        "  pipelines:",
        "    traces:",
        `      receivers: [${p.pipelineReceivers ?? "otlp"}]`,
        p.pipelineProcessors ? `      processors: [${p.pipelineProcessors}]` : "",
        `      exporters: [${p.pipelineExporters ?? "debug"}]`,
        p.extraPipelines ?? "",
    ].filter((l) => l !== "").join("\n") + "\n";
}

const DBG_QUEUED = "{verbosity: basic, sending_queue: {enabled: true}}";

export const KINDS: readonly Kind[] = [
    { name: "the shipped-style safe config", text: config(), verdict: "pass" },
    { name: "renamed types (otlp_http) are accepted", text: config({ exporters: "  otlp_http:\n    endpoint: https://x\n    sending_queue: {enabled: false}\n    retry_on_failure: {max_elapsed_time: 10s, max_interval: 5s}", pipelineExporters: "otlp_http" }), verdict: "pass" },
    { name: "a processor of another distribution (decouple)", text: config({ processors: "  decouple:", pipelineProcessors: "decouple" }), rule: "unknown-component-type", path: "processors.decouple", at: "  decouple:", verdict: "fail", says: "opentelemetry-lambda collector layer" },
    { name: "a removed exporter (logging)", text: config({ exporters: "  debug:\n    sending_queue: {enabled: false}\n  logging:\n    loglevel: debug", pipelineExporters: "debug, logging" }), rule: "unknown-component-type", path: "exporters.logging", at: "  logging:", verdict: "fail", says: "use debug instead" },
    { name: "a typo of otlphttp", text: config({ exporters: "  otlphtp:\n    endpoint: https://otlp.example.com\n    sending_queue: {enabled: false}", pipelineExporters: "otlphtp" }), rule: "unknown-component-type", path: "exporters.otlphtp", at: "  otlphtp:", verdict: "fail", says: "did you mean \"otlphttp\"" },
    { name: "structure from ${env:...} that turns a queue on", text: config({ exporters: "  debug: ${env:DBG}" }), env: { DBG: DBG_QUEUED }, rule: "no-queued-exporter", path: "exporters.debug.sending_queue", at: "  debug: ${env:DBG}", verdict: "fail" },
    { name: "structure from ${env:...} that is safe", text: config({ exporters: "  debug: ${env:DBG}" }), env: { DBG: "{verbosity: basic, sending_queue: {enabled: false}}" }, verdict: "pass" },
    { name: "structure from a value unknown here", text: config({ exporters: "  debug: ${env:DBG}" }), env: { DBG: UNKNOWN }, rule: "config-value-unknown", path: "exporters.debug", at: "  debug: ${env:DBG}", verdict: "not-checkable", says: "${env:DBG}" },
    { name: "a setting a rule reads, from a value unknown here", text: config({ exporters: "  debug:\n    sending_queue: ${env:QUEUE}" }), env: { QUEUE: UNKNOWN }, rule: "config-value-unknown", path: "exporters.debug.sending_queue", at: "sending_queue: ${env:QUEUE}", verdict: "not-checkable" },
    { name: "a whole section from the environment, queued", text: config({ exporters: "  debug: {}" }).replace("exporters:\n  debug: {}", "exporters: ${env:EXPORTERS}"), env: { EXPORTERS: "{debug: {sending_queue: {queue_size: 5}}}" }, rule: "no-queued-exporter", path: "exporters.debug.sending_queue", at: "exporters: ${env:EXPORTERS}", verdict: "fail" },
    { name: "an escaped reference as a component's settings", text: config({ exporters: "  debug: $${env:DBG}" }), env: { DBG: "{}" }, rule: "config-shape", path: "exporters.debug", at: "  debug: $$", verdict: "fail", says: "escaped" },
    { name: "structure from http", text: config({ exporters: "  debug: ${https://example.com/debug.yaml}" }), rule: "config-not-checkable", path: "exporters.debug", at: "  debug: ${https", verdict: "fail", says: "${https://example.com/debug.yaml}" },
    { name: "structure from s3", text: config({ exporters: "  debug:\n    sending_queue: ${s3://bucket.s3.eu-west-1.amazonaws.com/q.yaml}" }), rule: "config-not-checkable", path: "exporters.debug.sending_queue", at: "sending_queue: ${s3", verdict: "fail" },
    { name: "a bare $VAR in a header", text: config({ exporters: "  otlphttp:\n    endpoint: https://x\n    headers: {x-team: \"$BACKEND_KEY\"}\n    sending_queue: {enabled: false}\n    retry_on_failure: {max_elapsed_time: 10s, max_interval: 5s}", pipelineExporters: "otlphttp" }), env: { BACKEND_KEY: "k" }, rule: "bare-env-reference", path: "exporters.otlphttp.headers.x-team", at: "headers:", verdict: "fail", says: "${env:BACKEND_KEY}" },
    { name: "a secretsmanager id from an unset variable", text: config({ exporters: "  otlphttp:\n    endpoint: https://x\n    headers: {api-key: \"${secretsmanager:${env:SECRET_ARN}}\"}\n    sending_queue: {enabled: false}\n    retry_on_failure: {max_elapsed_time: 10s, max_interval: 5s}", pipelineExporters: "otlphttp" }), env: {}, rule: "config-reference", path: "exporters.otlphttp.headers.api-key", at: "headers:", verdict: "fail", says: "names no secret" },
    { name: "a secretsmanager credential with its id set", text: config({ exporters: "  otlphttp:\n    endpoint: https://x\n    headers: {api-key: \"${secretsmanager:${env:SECRET_ARN}}\"}\n    sending_queue: {enabled: false}\n    retry_on_failure: {max_elapsed_time: 10s, max_interval: 5s}", pipelineExporters: "otlphttp" }), env: { SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:k" }, verdict: "pass" },
    { name: "an upper-case scheme", text: config({ exporters: "  otlphttp:\n    endpoint: ${ENV:X}\n    sending_queue: {enabled: false}\n    retry_on_failure: {max_elapsed_time: 10s, max_interval: 5s}", pipelineExporters: "otlphttp" }), env: { X: "https://x" }, rule: "config-reference", path: "exporters.otlphttp.endpoint", at: "endpoint: ${ENV:X}", verdict: "fail", says: "scheme \"ENV\" is not supported" },
    { name: "an empty variable name", text: config({ exporters: "  otlphttp:\n    endpoint: https://x${env:}\n    sending_queue: {enabled: false}\n    retry_on_failure: {max_elapsed_time: 10s, max_interval: 5s}", pipelineExporters: "otlphttp" }), env: {}, rule: "config-reference", path: "exporters.otlphttp.endpoint", at: "${env:}", verdict: "fail", says: "invalid name" },
    { name: "a bare-integer duration", text: config({ exporters: "  otlphttp:\n    endpoint: https://x\n    sending_queue: {enabled: false}\n    timeout: 900\n    retry_on_failure: {max_elapsed_time: 10s, max_interval: 5s}", pipelineExporters: "otlphttp" }), rule: "duration-unit", path: "exporters.otlphttp.timeout", at: "timeout: 900", verdict: "advisory", says: "nanoseconds" },
    { name: "a retry budget shorter than the default max_interval", text: config({ exporters: "  otlphttp:\n    endpoint: https://x\n    sending_queue: {enabled: false}\n    retry_on_failure:\n      max_elapsed_time: 15s", pipelineExporters: "otlphttp" }), rule: "config-value-type", path: "exporters.otlphttp.retry_on_failure.max_elapsed_time", at: "max_elapsed_time: 15s", verdict: "fail", says: "max_interval" },
    { name: "a boolean the collector does not take", text: config({ exporters: "  debug:\n    sending_queue: {enabled: no}" }), rule: "config-value-type", path: "exporters.debug.sending_queue.enabled", at: "enabled: no", verdict: "fail" },
    ...["0.0.0.0", "4318", "http://0.0.0.0:4318", "0.0.0.0:4318/", "\"[::1]:4318\"", "10.1.2.3:4318", "0.0.0.0:4319"].map((endpoint): Kind => ({
        name: `receiver endpoint ${endpoint}`,
        text: config({ http: `      http:\n        endpoint: ${endpoint}\n        auth:\n          authenticator: bearertokenauth/ingest\n` }),
        rule: "adapter-port", path: "receivers.otlp.protocols.http.endpoint", at: `endpoint: ${endpoint}`, verdict: "fail",
    })),
    ...["localhost:4318", "0.0.0.0:4318", ":4318", "\"[::]:4318\""].map((endpoint): Kind => ({
        name: `receiver endpoint ${endpoint}`,
        text: config({ http: `      http:\n        endpoint: ${endpoint}\n        auth:\n          authenticator: bearertokenauth/ingest\n` }),
        verdict: "pass",
    })),
    { name: "an endpoint port from the image's AWS_LWA_PORT", text: config({ http: "      http:\n        endpoint: 127.0.0.1:${env:AWS_LWA_PORT}\n        auth:\n          authenticator: bearertokenauth/ingest\n" }), verdict: "pass" },
    { name: "an endpoint port from a variable set to another port", text: config({ http: "      http:\n        endpoint: 127.0.0.1:${env:PORT}\n        auth:\n          authenticator: bearertokenauth/ingest\n" }), env: { PORT: "4319" }, rule: "adapter-port", path: "receivers.otlp.protocols.http.endpoint", at: "${env:PORT}", verdict: "fail" },
    { name: "an omitted endpoint (localhost:4318)", text: config({ http: "      http:\n        auth:\n          authenticator: bearertokenauth/ingest\n" }), verdict: "pass" },
    { name: "a gRPC-only receiver", text: config({ http: "      grpc:\n" }), rule: "adapter-port", path: "receivers", at: "receivers:", verdict: "fail" },
    { name: "an unauthenticated receiver", text: config({ http: "      http:\n        endpoint: 127.0.0.1:4318\n" }), rule: "unauthenticated-receiver", path: "receivers.otlp.protocols.http", at: "      http:", verdict: "fail" },
    { name: "a stateful processor (cumulativetodelta)", text: config({ processors: "  cumulativetodelta:", pipelineProcessors: "cumulativetodelta" }), rule: "no-buffering-processor", path: "processors.cumulativetodelta", at: "  cumulativetodelta:", verdict: "advisory", says: "cold start" },
    { name: "a connector that flushes on an interval (servicegraph)", text: config({ connectors: "  servicegraph:", pipelineExporters: "debug, servicegraph", extraPipelines: "    metrics:\n      receivers: [servicegraph]\n      exporters: [debug]" }), rule: "no-buffering-processor", path: "connectors.servicegraph", at: "  servicegraph:", verdict: "advisory" },
    { name: "a scraping receiver (hostmetrics)", text: config({ receivers: "  hostmetrics:\n    scrapers: {cpu: {}}\n", pipelineReceivers: "otlp, hostmetrics" }), rule: "non-push-receiver", path: "receivers.hostmetrics", at: "  hostmetrics:", verdict: "advisory" },
    // Kinds the collector refuses that the model now catches without --collector.
    { name: "the removed service.telemetry.metrics.address", text: config({ extraPipelines: "  telemetry:\n    metrics:\n      address: 0.0.0.0:8888" }), rule: "unknown-config-key", path: "service.telemetry.metrics.address", at: "address:", verdict: "fail", says: "readers" },
    { name: "an unknown key under service", text: config({ extraPipelines: "  telemtry:\n    logs: {level: debug}" }), rule: "unknown-config-key", path: "service.telemtry", at: "telemtry:", verdict: "fail", says: "did you mean \"telemetry\"" },
    { name: "an unknown key in a pipeline", text: config({ pipelineProcessors: "", extraPipelines: "      exporter: [debug]" }), rule: "unknown-config-key", path: "service.pipelines.traces.exporter", at: "exporter: [debug]", verdict: "fail" },
    { name: "an OTLP receiver's protocols set to null", text: config({ http: "" }), rule: "config-shape", path: "receivers.otlp.protocols", at: "protocols:", verdict: "fail", says: "at least one protocol" },
    { name: "an unknown OTLP protocol", text: config({ http: "      http:\n        endpoint: 127.0.0.1:4318\n        auth:\n          authenticator: bearertokenauth/ingest\n      udp:\n" }), rule: "unknown-config-key", path: "receivers.otlp.protocols.udp", at: "udp:", verdict: "fail" },
    { name: "a connector used as exporter only", text: config({ connectors: "  forward:", pipelineExporters: "debug, forward" }), rule: "pipeline-graph", path: "service.pipelines.traces.exporters", at: "exporters: [debug, forward]", verdict: "fail", says: "not as receiver" },
    { name: "a connector used as receiver only", text: config({ connectors: "  forward:", pipelineReceivers: "otlp, forward" }), rule: "pipeline-graph", path: "service.pipelines.traces.receivers", at: "receivers: [otlp, forward]", verdict: "fail", says: "not as exporter" },
    { name: "a forward connector between different signals", text: config({ connectors: "  forward:", pipelineExporters: "debug, forward", extraPipelines: "    metrics:\n      receivers: [forward]\n      exporters: [debug]" }), rule: "pipeline-graph", path: "service.pipelines.traces.exporters", at: "exporters: [debug, forward]", verdict: "fail", says: "same signal" },
    { name: "a cycle through a connector", text: config({ connectors: "  forward:", pipelineExporters: "debug, forward", extraPipelines: "    traces/2:\n      receivers: [forward]\n      exporters: [forward]" }), rule: "pipeline-graph", path: "service.pipelines.traces/2", at: "    traces/2:", verdict: "fail", says: "back to itself" },
    { name: "a connector joining two pipelines", text: config({ connectors: "  forward:", pipelineExporters: "forward", extraPipelines: "    traces/out:\n      receivers: [forward]\n      exporters: [debug]" }), verdict: "pass" },
    { name: "a profiles pipeline", text: config({ extraPipelines: "    profiles:\n      receivers: [otlp]\n      exporters: [debug]" }), rule: "pipeline-graph", path: "service.pipelines.profiles", at: "    profiles:", verdict: "fail", says: "feature gate" },
    { name: "a processor type under exporters (batch)", text: config({ exporters: "  debug:\n    sending_queue: {enabled: false}\n  batch:", pipelineExporters: "debug, batch" }), rule: "unknown-component-type", path: "exporters.batch", at: "  batch:", verdict: "fail", says: "\"batch\" is a processor in otelcol-contrib" },
    { name: "an exporter type under processors (debug)", text: config({ processors: "  debug:", pipelineProcessors: "debug" }), rule: "unknown-component-type", path: "processors.debug", at: "  debug:", verdict: "fail", says: "\"debug\" is an exporter in otelcol-contrib" },
    { name: "a bare $VAR inside a longer value", text: config({ exporters: "  otlphttp:\n    endpoint: https://x\n    headers: {authorization: \"Bearer $API_KEY\"}\n    sending_queue: {enabled: false}\n    retry_on_failure: {max_elapsed_time: 10s}", pipelineExporters: "otlphttp" }), env: { API_KEY: "k" }, rule: "bare-env-reference", path: "exporters.otlphttp.headers.authorization", at: "headers:", verdict: "fail", says: "${env:API_KEY}" },
    { name: "a bearer token written into the config", text: config().replace("token: ${env:COLLECTOR_INGEST_TOKEN}", "token: s3cr3t-written-into-the-config-0123456789"), rule: "literal-credential", path: "extensions.bearertokenauth/ingest.token", at: "    token: s3cr3t", verdict: "advisory", says: "in clear" },
    { name: "a value from a file the function image does not hold", text: config({ exporters: "  debug:\n    sending_queue: {enabled: false}\n    verbosity: ${file:/etc/otel/verbosity}" }), rule: "provider-access", path: "exporters.debug.verbosity", at: "verbosity: ${file", verdict: "advisory", says: "file system" },
    { name: "a value fetched over http at every cold start", text: config({ exporters: "  debug:\n    sending_queue: {enabled: false}\n    verbosity: ${http://config.example.com/verbosity}" }), rule: "provider-access", path: "exporters.debug.verbosity", at: "verbosity: ${http", verdict: "advisory", says: "in clear" },
    { name: "a retry budget equal to the 30 s timeout", text: config({ exporters: "  otlphttp:\n    endpoint: https://x\n    sending_queue: {enabled: false}\n    retry_on_failure:\n      max_elapsed_time: 30s", pipelineExporters: "otlphttp" }), rule: "retry-exceeds-timeout", path: "exporters.otlphttp.retry_on_failure", at: "    retry_on_failure:", verdict: "advisory", says: "up to 30s" },
    { name: "an http receiver on the adapter's port that no pipeline uses", text: config({ http: "      grpc:\n", receivers: "  otlp/unused:\n    protocols:\n      http:\n        endpoint: 127.0.0.1:4318\n        auth:\n          authenticator: bearertokenauth/ingest\n" }), rule: "adapter-port", path: "receivers", at: "receivers:", verdict: "fail" },
    { name: "an http protocol on the adapter's port with enabled: false", text: config({ http: "      grpc:\n      http:\n        enabled: false\n        endpoint: 127.0.0.1:4318\n        auth:\n          authenticator: bearertokenauth/ingest\n" }), rule: "adapter-port", path: "receivers", at: "receivers:", verdict: "fail" },
];

