// The one table that owns the exact wording of the findings other tests meet
// (test/harness/messages.ts): each row is a config, the rule's finding as rendered
// for people, and the constant it must equal.
import assert from "node:assert/strict";
import { it } from "node:test";
import { checkCollectorConfigText } from "../../rules/check";
import { findingText } from "../../rules/config-model";
import { BATCH_IN_PIPELINE, BATCH_UNUSED, QUEUE_ON_BY_DEFAULT, RETRY_DEFAULT_30S } from "../harness/messages";

const base = (processors: string, exporter: string, pipelineProcessors: string): string => `receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:4318
processors:
${processors}
exporters:
${exporter}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [${pipelineProcessors}]
      exporters: [otlphttp]
`;
const SAFE_EXPORTER = "  otlphttp:\n    endpoint: https://otlp.example.com\n    sending_queue: {enabled: false}\n    retry_on_failure: {enabled: false}";

const rows: [string, string, string, string, string][] = [
    ["a batch processor a pipeline uses", base("  batch:", SAFE_EXPORTER, "batch"), "no-batch-processor", "processors.batch", BATCH_IN_PIPELINE],
    ["a batch processor no pipeline uses", base("  batch:\n  attributes: {actions: [{key: a, action: delete}]}", SAFE_EXPORTER, "attributes"), "no-batch-processor", "processors.batch", BATCH_UNUSED],
    ["an exporter whose queue is on by default", base("  attributes: {actions: [{key: a, action: delete}]}", "  otlphttp:\n    endpoint: https://otlp.example.com\n    retry_on_failure: {enabled: false}", "attributes"), "no-queued-exporter", "exporters.otlphttp", QUEUE_ON_BY_DEFAULT],
    ["the default retry budget in a 30 s function", base("  attributes: {actions: [{key: a, action: delete}]}", "  otlphttp:\n    endpoint: https://otlp.example.com\n    sending_queue: {enabled: false}", "attributes"), "retry-exceeds-timeout", "exporters.otlphttp", RETRY_DEFAULT_30S],
];

for (const [name, config, rule, path, text] of rows) {
    it(`${rule}: ${name}`, () => {
        const found = checkCollectorConfigText(config, { functionTimeoutSeconds: 30 }).filter((f) => f.rule === rule);
        assert.deepEqual(found.map((f) => [f.path, findingText(f)]), [[path, text]]);
    });
}
