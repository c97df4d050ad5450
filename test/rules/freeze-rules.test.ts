// The Lambda-safety rules as pure functions over parsed configs.
import assert from "node:assert/strict";
import { componentsOf, type StatefulEntry } from "../../rules/catalogue";
import { describe, it } from "node:test";
import { checkCollectorConfigText } from "../../rules/check";
import { findingText, parseCollectorConfig, type CollectorConfig, type Finding } from "../../rules/config-model";
import { defaultCollectorConfig } from "../../components/shared/config-sources/default-config";
import { ruleOf } from "../../rules/registry";
import {
    checkBatchProcessors,
    checkBufferingProcessors,
    checkQueuedExporters,
    checkRetryBudget,
    durationSeconds,
} from "../../rules/freeze-rules";

function parse(text: string): CollectorConfig {
    const result = parseCollectorConfig(text);
    assert.ok(result.ok, result.ok ? "" : result.finding.message);
    return result.config;
}

/** A config with the given sections and one traces pipeline using all listed components. */
function config(sections: { processors?: string; exporters: string; connectors?: string; pipelines?: string }): CollectorConfig {
    return parse([
        "receivers:\n  otlp:\n    protocols:\n      http:",
        sections.processors ? `processors:\n${sections.processors}` : "",
        `exporters:\n${sections.exporters}`,
        sections.connectors ? `connectors:\n${sections.connectors}` : "",
        `service:\n  pipelines:\n${sections.pipelines ?? "    traces:\n      receivers: [otlp]\n      exporters: [debug]"}`,
    ].filter(Boolean).join("\n"));
}

const brief = (findings: Finding[]): string[] => findings.map((f) => `${f.path}@${f.line ?? "-"}`);
const SAFE_DEBUG = "  debug:\n    sending_queue:\n      enabled: false";

describe("no-batch-processor", () => {
    it("names every batch processor, plain or named, used or not", () => {
        const c = config({
            processors: "  batch:\n  batch/traces:\n    timeout: 1s\n  transform/redact:\n  batch/unused: {}",
            exporters: SAFE_DEBUG,
            pipelines: "    traces:\n      receivers: [otlp]\n      processors: [batch/traces, transform/redact]\n      exporters: [debug]\n"
                + "    logs:\n      receivers: [otlp]\n      processors: [batch]\n      exporters: [debug]",
        });
        const findings = checkBatchProcessors(c);
        assert.deepEqual(brief(findings), ["processors.batch@6", "processors.batch/traces@7", "processors.batch/unused@10"]);
        assert.ok(findings.every((f) => f.rule === "no-batch-processor" && ruleOf(f.rule).severity === "mandatory"));
        assert.match(findingText(findings[2]), /defined, even if no pipeline uses it/);
        assert.match(findingText(findings[0]), /drop it from every pipeline/);
    });

    it("passes a config without one, and ignores the collector's own log batching", () => {
        const c = parse(`${"receivers:\n  otlp:\n    protocols:\n      http:\nexporters:\n" + SAFE_DEBUG}
service:
  telemetry:
    logs:
      processors:
        - batch:
            exporter: {otlp: {protocol: http/protobuf, endpoint: http://localhost:4318}}
  pipelines:
    traces: {receivers: [otlp], exporters: [debug]}
`);
        assert.deepEqual(checkBatchProcessors(c), []);
    });
});

describe("no-queued-exporter", () => {
    const queued = (exporters: string): string[] => checkQueuedExporters(config({ exporters })).map((f) => `${f.path}: ${findingText(f)}`);

    it("flags a missing sending_queue on otlp and otlphttp, and their new names", () => {
        assert.deepEqual(queued("  otlphttp/honeycomb:\n    endpoint: https://api.honeycomb.io\n  otlp_grpc/b:\n    endpoint: x:4317\n  otlp_http:\n    endpoint: https://x"), [
            "exporters.otlphttp/honeycomb: sending_queue is enabled by default; set sending_queue.enabled: false",
            "exporters.otlp_grpc/b: sending_queue is enabled by default; set sending_queue.enabled: false",
            "exporters.otlp_http: sending_queue is enabled by default; set sending_queue.enabled: false",
        ]);
    });

    it("flags an exporter that holds data in its own writer even with sending_queue off (datadog's trace agent), with the fix", () => {
        assert.deepEqual(queued("  datadog:\n    api:\n      key: ${env:DD_API_KEY}\n    sending_queue:\n      enabled: false"), [
            "exporters.datadog: datadog hands traces to its embedded Datadog trace agent, whose TraceWriter buffers them and flushes on its own 5 s ticker (runAsync) unless the agent runs in synchronous-flushing mode, so data is still held after the response even with sending_queue off, and Lambda's freeze strands it; export to the backend's OTLP intake with otlp_http (sending_queue: {enabled: false}) instead, or run datadog in a persistent collector",
        ]);
        assert.equal(queued("  datadog/named:\n    api:\n      key: k").length, 2, "the writer and the default queue, each its own finding");
    });

    it("passes enabled: false, and only that", () => {
        assert.deepEqual(queued("  otlphttp:\n    endpoint: https://x\n    sending_queue:\n      enabled: false"), []);
        assert.equal(queued("  otlphttp:\n    endpoint: https://x\n    sending_queue:\n      enabled: true").length, 1);
        assert.equal(queued("  otlphttp:\n    endpoint: https://x\n    sending_queue: {}").length, 1);
        assert.equal(queued("  otlphttp:\n    endpoint: https://x\n    sending_queue:\n      num_consumers: 2").length, 1);
        assert.equal(queued("  otlphttp:\n    endpoint: https://x\n    sending_queue:").length, 1, "null means defaults");
    });

    it("explains a persistent queue and batching inside the queue", () => {
        const messages = queued("  otlp:\n    endpoint: x:4317\n    sending_queue:\n      storage: file_storage\n      batch:\n        flush_timeout: 1s");
        assert.equal(messages.length, 2);
        assert.match(messages[0], /^exporters\.otlp\.sending_queue: .*persistent queue in file_storage/);
        assert.match(messages[1], /^exporters\.otlp\.sending_queue\.batch: batches inside the exporter queue/);
    });

    it("treats an unknown exporter type as queued and says why", () => {
        assert.deepEqual(queued("  acme/prod:\n    endpoint: https://acme"), [
            "exporters.acme/prod: sending_queue is enabled by default on exporters built on exporterhelper, and \"acme\" is not known (as of collector v0.161.0) to lack one; set sending_queue.enabled: false",
        ]);
    });

    it("knows exporters without a queue, and those whose queue is off by default", () => {
        assert.deepEqual(queued("  debug:\n  nop:\n  file:\n    path: /tmp/x\n  awsxray:\n  awsemf:\n  logging:\n  prometheus:\n    endpoint: 0.0.0.0:9090"), []);
        assert.deepEqual(queued("  debug:\n    sending_queue:\n      queue_size: 1"), [
            "exporters.debug.sending_queue: sending_queue is enabled (a sending_queue without enabled: false turns it on), so exports run after the response and are stranded by Lambda's freeze; set sending_queue.enabled: false",
        ]);
    });

    it("checks the queues of loadbalancing's per-backend exporters and prometheusremotewrite", () => {
        assert.deepEqual(queued("  loadbalancing:\n    protocol:\n      otlp:\n        timeout: 1s\n    resolver:\n      static: {hostnames: [a]}"), [
            "exporters.loadbalancing.protocol.otlp: the otlp exporter it creates for each backend queues by default; set protocol.otlp.sending_queue.enabled: false",
        ]);
        assert.deepEqual(queued("  prometheusremotewrite:\n    endpoint: https://prw"), [
            "exporters.prometheusremotewrite: remote_write_queue is enabled by default for prometheusremotewrite; set remote_write_queue.enabled: false",
        ]);
        assert.deepEqual(queued("  prometheusremotewrite:\n    endpoint: https://prw\n    remote_write_queue:\n      enabled: false"), []);
    });

    it("applies YAML merge keys, as the collector does", () => {
        assert.deepEqual(queued("  otlphttp/a: &safe\n    endpoint: https://a\n    sending_queue:\n      enabled: false\n  otlphttp/b:\n    <<: *safe\n    endpoint: https://b"), []);
        assert.deepEqual(queued("  debug/a: &q\n    sending_queue: {enabled: false}\n  debug/b:\n    <<: *q\n    sending_queue: {queue_size: 5}"), [
            "exporters.debug/b.sending_queue: sending_queue is enabled (a sending_queue without enabled: false turns it on), so exports run after the response and are stranded by Lambda's freeze; set sending_queue.enabled: false",
        ]);
    });

    it("checks loadbalancing's per-backend queue even when protocol is left out", () => {
        assert.deepEqual(queued("  loadbalancing:\n    resolver:\n      static: {hostnames: [a]}"), [
            "exporters.loadbalancing: the otlp exporter it creates for each backend queues by default; set protocol.otlp.sending_queue.enabled: false",
        ]);
        assert.deepEqual(queued("  loadbalancing:\n    protocol:\n      otlp:\n        sending_queue:\n          enabled: false"), []);
    });

    it("does not mistake connectors for exporters", () => {
        const c = config({
            exporters: SAFE_DEBUG,
            connectors: "  spanmetrics:\n  forward:",
            pipelines: "    traces:\n      receivers: [otlp]\n      exporters: [spanmetrics, debug]\n    metrics:\n      receivers: [spanmetrics]\n      exporters: [debug]",
        });
        assert.deepEqual(checkCollectorConfigText(
            "receivers:\n  otlp:\n    protocols:\n      http:\nexporters:\n" + SAFE_DEBUG + "\nconnectors:\n  forward:\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [forward, debug]\n    traces/2:\n      receivers: [forward]\n      exporters: [debug]\n"), []);
        // spanmetrics aggregates and flushes on an interval: the catalogue says it holds data.
        assert.deepEqual(brief(checkBufferingProcessors(c)), ["connectors.spanmetrics@10"]);
        assert.deepEqual(checkQueuedExporters(c), []);
    });
});

describe("advisory rules", () => {
    it("builds every buffering message from catalogue facts as a sentence, for every processor and connector the catalogue says holds data or state", () => {
        const entries = (["processor", "connector"] as const).flatMap((kind) => componentsOf(kind).map((e) => ({ kind, entry: e as StatefulEntry }))
            .filter(({ entry }) => entry.type !== "batch" && (entry.holdsData || entry.keepsState)));
        assert.ok(entries.length > 5);
        for (const { kind, entry } of entries) {
            const section = kind === "processor" ? "processors" : "connectors";
            const c = config({ exporters: SAFE_DEBUG, [section]: `  ${entry.type}:` });
            const [finding] = checkBufferingProcessors(c);
            assert.ok(finding, entry.type);
            assert.doesNotMatch(finding.message, /\b(for|its) (unknown|none|assumption)\b|\(unknown|\bnull\b|undefined/, `${entry.type}: ${finding.message}`);
            assert.match(finding.message, /^[a-z_]+ (holds data (for as long as its [a-z_.]+ setting says|in memory) before passing it on|keeps state across requests)/, entry.type);
        }
        const datadog = checkBufferingProcessors(config({ exporters: SAFE_DEBUG, connectors: "  datadog:" }))[0];
        assert.match(datadog.message, /^datadog holds data in memory before passing it on/);
    });

    it("flags processors that hold data across time", () => {
        const c = config({ processors: "  tail_sampling:\n    decision_wait: 10s\n  groupbytrace/a:\n  attributes:", exporters: SAFE_DEBUG });
        const findings = checkBufferingProcessors(c);
        assert.deepEqual(brief(findings), ["processors.tail_sampling@6", "processors.groupbytrace/a@8"]);
        assert.ok(findings.every((f) => ruleOf(f.rule).severity === "advisory"));
    });

    it("counts the request timeout and the retry budget together against the function timeout, with the defaults read in source", () => {
        const c = config({
            exporters: [
                "  otlphttp/default:\n    endpoint: https://a",
                "  otlphttp/short:\n    endpoint: https://b\n    retry_on_failure:\n      max_elapsed_time: 15s",
                "  otlphttp/fits:\n    endpoint: https://b\n    timeout: 5s\n    retry_on_failure:\n      max_elapsed_time: 15s",
                "  otlphttp/long:\n    endpoint: https://c\n    timeout: 5s\n    retry_on_failure:\n      max_elapsed_time: 1m",
                "  otlphttp/forever:\n    endpoint: https://d\n    timeout: 5s\n    retry_on_failure:\n      max_elapsed_time: 0",
                "  otlphttp/off:\n    endpoint: https://e\n    retry_on_failure:\n      enabled: false",
                "  otlp/grpc:\n    endpoint: f:4317\n    retry_on_failure:\n      max_elapsed_time: 25s",
                "  otlp/grpcfits:\n    endpoint: f:4317\n    retry_on_failure:\n      max_elapsed_time: 20s",
                "  splunk_hec/hang:\n    endpoint: https://g\n    timeout: 0\n    retry_on_failure:\n      enabled: false",
            ].join("\n"),
        });
        assert.deepEqual(checkRetryBudget(c, { functionTimeoutSeconds: 30 }).map((f) => `${f.path}: ${findingText(f)}`), [
            "exporters.otlphttp/default: a backend that never answers holds the invocation for up to 330s: each attempt waits up to 30s (timeout, the otlp_http default), and retries go on for up to 300s (retry_on_failure.max_elapsed_time, the default); but the function times out after 30s and the export dies with it; set timeout and retry_on_failure.max_elapsed_time so that together they end below 30s",
            "exporters.otlphttp/short.retry_on_failure: a backend that never answers holds the invocation for up to 45s: each attempt waits up to 30s (timeout, the otlp_http default), and retries go on for up to 15s (retry_on_failure.max_elapsed_time); but the function times out after 30s and the export dies with it; set timeout and retry_on_failure.max_elapsed_time so that together they end below 30s",
            "exporters.otlphttp/long.retry_on_failure: a backend that never answers holds the invocation for up to 65s: each attempt waits up to 5s (timeout), and retries go on for up to 60s (retry_on_failure.max_elapsed_time); but the function times out after 30s and the export dies with it; set timeout and retry_on_failure.max_elapsed_time so that together they end below 30s",
            "exporters.otlphttp/forever.retry_on_failure: a backend that never answers holds the invocation without limit: each attempt waits up to 5s (timeout), and retries go on without limit (max_elapsed_time: 0); but the function times out after 30s and the export dies with it; set timeout and retry_on_failure.max_elapsed_time so that together they end below 30s",
            "exporters.otlphttp/off: a backend that never answers holds the invocation for up to 30s: each attempt waits up to 30s (timeout, the otlp_http default); but the function times out after 30s and the export dies with it; set timeout below 30s",
            "exporters.otlp/grpc.retry_on_failure: a backend that never answers holds the invocation for up to 30s: each attempt waits up to 5s (timeout, the otlp_grpc default), and retries go on for up to 25s (retry_on_failure.max_elapsed_time); but the function times out after 30s and the export dies with it; set timeout and retry_on_failure.max_elapsed_time so that together they end below 30s",
            "exporters.splunk_hec/hang.timeout: a backend that never answers holds the invocation without limit: each attempt waits without limit (timeout: 0); but the function times out after 30s and the export dies with it; set timeout below 30s",
        ]);
        assert.deepEqual(checkRetryBudget(c, {}), [], "no timeout known, nothing to compare");
    });

    it("reads Go durations", () => {
        assert.equal(durationSeconds("1m30s"), 90);
        assert.equal(durationSeconds("500ms"), 0.5);
        assert.equal(durationSeconds("2h"), 7200);
        assert.equal(durationSeconds("0"), 0);
        assert.equal(durationSeconds("soon"), undefined);
    });
});

describe("environment references", () => {
    it("finds references without a default, including inside defaults, and skips escapes", async () => {
        const { envReferences } = await import("../../rules/startup-rules");
        assert.deepEqual(envReferences("${env:A} ${B} ${env:C:-x} ${env:D:-} $${env:E} $$${env:F}"), ["A", "B", "F"]);
        assert.deepEqual(envReferences("${env:A:-${env:B}}"), ["B"]);
        assert.deepEqual(envReferences("${env:A:-${env:B:-z}}"), []);
        assert.deepEqual(envReferences("Bearer ${env:TOKEN}"), ["TOKEN"]);
        // A secretsmanager reference is a credential, not an env variable; its nested ${env:...} is one.
        assert.deepEqual(envReferences("${secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf#key}"), []);
        assert.deepEqual(envReferences("${secretsmanager:${env:COLLECTOR_SECRET_ARN}#COLLECTOR_INGEST_TOKENS}"), ["COLLECTOR_SECRET_ARN"]);
    });
});

describe("the default config and presets", () => {
    it("ship with no finding at all", async () => {
        const backends = await import("../../components/shared/config-sources/backends");
        const context = { environmentKeys: new Set(["COLLECTOR_INGEST_TOKENS", "HONEYCOMB_API_KEY", "OTLP_HEADER_X_API_KEY"]), adapterPort: 4318, requireReceiverAuth: true, functionTimeoutSeconds: 30 };
        for (const text of [
            defaultCollectorConfig(),
            backends.honeycombBackend({ apiKey: "k" }).collectorConfig,
            backends.otlpHttpBackend({ endpoint: "https://otlp.example.com", headers: { "x-api-key": "k" } }).collectorConfig,
        ]) {
            assert.deepEqual(checkCollectorConfigText(text, context), [], text);
        }
    });
});
