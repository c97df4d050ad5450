// Several --config files as the collector merges them (koanf maps.Merge via confmap
// v0.151.0): maps deep-merged, later files win, lists and scalars replaced.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCollectorConfig } from "../../rules";
import { mergeConfigs, mergeMaps } from "../../rules/merge";

describe("merging config files", () => {
    it("merges maps deeply and replaces everything else", () => {
        assert.deepEqual(
            mergeMaps({ a: { b: 1, c: [1, 2] }, d: "x", e: { f: 1 } }, { a: { c: [3] }, d: { g: 1 }, e: null }),
            { a: { b: 1, c: [3] }, d: { g: 1 }, e: null },
        );
    });

    it("reports each finding at the file and line that set the value last", () => {
        const base = parseCollectorConfig("exporters:\n  otlphttp:\n    endpoint: https://a\n    sending_queue: {enabled: false}\n");
        const overlay = parseCollectorConfig("# overlay\nexporters:\n  otlphttp:\n    sending_queue: {enabled: true}\n");
        assert.ok(base.ok && overlay.ok);
        const merged = mergeConfigs([{ file: "base.yaml", config: base.config }, { file: "prod.yml", config: overlay.config }]);
        assert.deepEqual(merged.root, { exporters: { otlphttp: { endpoint: "https://a", sending_queue: { enabled: true } } } });
        assert.equal(merged.fileOf?.(["exporters", "otlphttp", "sending_queue"]), "prod.yml");
        assert.equal(merged.lineOf(["exporters", "otlphttp", "sending_queue"]), 4);
        assert.equal(merged.fileOf?.(["exporters", "otlphttp", "endpoint"]), "base.yaml");
        assert.equal(merged.lineOf(["exporters", "otlphttp", "endpoint"]), 3);
    });
});
