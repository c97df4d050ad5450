// Every value a user types that the component writes where the collector expands it
// reaches the collector exactly as typed (issue 21 item 1). Proved with the project's
// own port of confmap's expansion (rules/resolve.ts, expand.go/resolver.go) over
// generated hostile values: `${env:...}`, `${file:...}`, `$$`, odd runs of `$`, braces.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parse } from "yaml";
import { configText } from "../../../components/shared/config-sources/config-text";
import { datasetProblem, honeycombBackend, otlpHttpBackend } from "../../../components/shared/config-sources/backends";
import { resolveArgs } from "../../../components/lambda/validate";
import { resolveConfig } from "../../../rules/resolve";

/** Strings rich in what the collector reads: `$`, `${`, `}`, `:`, `-`, env and file references. */
const hostile = fc.array(fc.oneof(
    fc.constantFrom("$", "$$", "$$$", "${", "}", "{", ":", ":-", "env:", "file:", "HONEYCOMB_API_KEY", "X", "${env:HONEYCOMB_API_KEY}", "${file:/etc/passwd}", "$${env:X}", "${X}", "a", "/"),
    fc.string({ maxLength: 3 }),
), { maxLength: 12 }).map((parts) => parts.join(""));

/** What the collector's string setting at `path` becomes in `environment`. */
function resolvedAt(config: string, environment: Record<string, string>, path: string[]): unknown {
    const { root, problems } = resolveConfig(parse(config) as Record<string, unknown>, environment);
    assert.deepEqual(problems.filter((p) => p.rule === "config-reference"), [], "no reference error");
    return path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], root);
}

describe("values the collector expands reach it as typed", () => {
    it("configText: every generated value, embedded or whole, resolves to itself", () => {
        fc.assert(fc.property(hostile, (value) => {
            assert.equal(resolvedAt(`a: ${JSON.stringify(configText(value))}\n`, { HONEYCOMB_API_KEY: "SECRET", X: "x" }, ["a"]), value);
            // Carried in a variable the config reads (embedded, so the text is spliced as the collector does).
            assert.equal(resolvedAt("a: \"<${env:V}>\"\n", { V: configText(value), HONEYCOMB_API_KEY: "SECRET" }, ["a"]), `<${value}>`);
        }), { numRuns: 500 });
    });

    it("honeycombBackend: the dataset, the endpoint and the API key as typed", () => {
        const apiKey = "hc$${env:HONEYCOMB_API_KEY}$x";
        fc.assert(fc.property(hostile, (dataset) => {
            fc.pre(datasetProblem("d", dataset) === undefined);
            const backend = honeycombBackend({ apiKey, metricsDataset: dataset, endpoint: "https://h.example.com/a$$b" });
            // The component escapes the variables the config reads (validate.ts escapedEnvironment).
            const { settings } = resolveArgs("c", { collectorConfig: backend.collectorConfig, environment: backend.environment });
            const environment = settings.environment as Record<string, string>;
            const headers = ["exporters", "otlphttp/honeycomb-metrics", "headers"];
            assert.equal(resolvedAt(settings.collectorConfig, environment, [...headers, "x-honeycomb-dataset"]), dataset);
            assert.equal(resolvedAt(settings.collectorConfig, environment, [...headers, "x-honeycomb-team"]), apiKey);
            assert.equal(resolvedAt(settings.collectorConfig, environment, ["exporters", "otlphttp/honeycomb", "endpoint"]), "https://h.example.com/a$$b");
        }), { numRuns: 300 });
    });

    it("the issue's examples: the dataset is not the API key, and a$$b stays a$$b", () => {
        const backend = honeycombBackend({ apiKey: "SECRET-KEY", metricsDataset: "${env:HONEYCOMB_API_KEY}" });
        const { settings } = resolveArgs("c", { collectorConfig: backend.collectorConfig, environment: backend.environment });
        assert.equal(resolvedAt(settings.collectorConfig, settings.environment as Record<string, string>, ["exporters", "otlphttp/honeycomb-metrics", "headers", "x-honeycomb-dataset"]), "${env:HONEYCOMB_API_KEY}");
        const otlp = otlpHttpBackend({ endpoint: "https://h/a$$b", headers: { "x-key": "k$$${env:X}" } });
        const resolved = resolveArgs("c", { collectorConfig: otlp.collectorConfig, environment: otlp.environment }).settings;
        const env = resolved.environment as Record<string, string>;
        assert.equal(resolvedAt(resolved.collectorConfig, env, ["exporters", "otlphttp/backend", "endpoint"]), "https://h/a$$b");
        assert.equal(resolvedAt(resolved.collectorConfig, env, ["exporters", "otlphttp/backend", "headers", "x-key"]), "k$$${env:X}");
    });

    it("a user's own environment value the config reads is escaped; one it does not read is passed as typed", () => {
        const config = "receivers:\n  otlp:\n    protocols:\n      http:\n        endpoint: 0.0.0.0:4318\n        auth: {authenticator: bearertokenauth/ingest}\nextensions:\n  bearertokenauth/ingest:\n    tokens: ${env:COLLECTOR_INGEST_TOKENS}\nexporters:\n  otlphttp:\n    endpoint: https://o.example.com\n    headers: {k: \"${env:KEY}\"}\n    sending_queue: {enabled: false}\n    retry_on_failure: {max_elapsed_time: 10s, max_interval: 5s}\nservice:\n  extensions: [bearertokenauth/ingest]\n  pipelines:\n    traces: {receivers: [otlp], exporters: [otlphttp]}\n";
        const { settings } = resolveArgs("c", { collectorConfig: config, environment: { KEY: "p$$w${env:X}", OTHER: "a$$b" } });
        assert.equal(settings.environment.KEY, "p$$$$w$${env:X}");
        assert.equal(settings.environment.OTHER, "a$$b");
        assert.equal(resolvedAt(config, settings.environment as Record<string, string>, ["exporters", "otlphttp", "headers", "k"]), "p$$w${env:X}");
    });
});
