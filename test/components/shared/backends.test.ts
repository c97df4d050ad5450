// The backend presets as a library: the same endpoint and secret checks as the stack
// keys, naming the argument.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { installMocks } from "../../harness/mocks";
import { endpointProblem, honeycombBackend, lambdaSafeExporter, otlpHttpBackend, secretValueProblem } from "../../../components/shared/config-sources/backends";
import { parseCollectorConfig } from "../../../rules/config-model";
import { checkRetryBudget } from "../../../rules/freeze-rules";

before(async () => {
    await installMocks();
});

function errorOf(build: () => unknown): string {
    try {
        build();
    } catch (err) {
        assert.ok(pulumi.RunError.isInstance(err), String(err));
        return (err as Error).message;
    }
    assert.fail("expected an error");
}

describe("backend presets", () => {
    it("accept an upper-case scheme as https", () => {
        assert.doesNotThrow(() => honeycombBackend({ apiKey: "k", endpoint: "HTTPS://api.honeycomb.io" }));
        assert.equal(endpointProblem("e", "HTTPS://api.honeycomb.io", { secretHeaders: true, httpsOnly: "x" }), undefined);
    });

    it("refuse an empty API key and a header value with a newline, naming the argument", () => {
        assert.equal(errorOf(() => honeycombBackend({ apiKey: "" })), "honeycombBackend.apiKey: is empty; set the secret value (pulumi config set --secret ...)");
        assert.equal(errorOf(() => otlpHttpBackend({ endpoint: "https://o.example.com", headers: { "x-key": "a\r\n" } })),
            "otlpHttpBackend.headers.x-key: the 3-character secret has a control character (U+000D) at position 2, which an HTTP header cannot carry; remove it (a pasted newline?)");
    });

    it("refuse plain http with secret headers unless allowed, and allow it without headers", () => {
        assert.match(errorOf(() => otlpHttpBackend({ endpoint: "http://o.example.com", headers: { "x-key": "k" } })), /^otlpHttpBackend\.endpoint: .* uses plain http while the exporter sends secret headers/);
        assert.doesNotThrow(() => otlpHttpBackend({ endpoint: "http://o.example.com", headers: { "x-key": "k" }, allowInsecure: true }));
        assert.doesNotThrow(() => otlpHttpBackend({ endpoint: "http://o.example.com" }));
    });

    it("refuse a /v1/<signal> suffix in any case, with or without a trailing slash", () => {
        for (const suffix of ["/v1/traces", "/v1/metrics/", "/V1/Logs"]) {
            assert.match(endpointProblem("otlpEndpoint", `https://o.example.com${suffix}`, { secretHeaders: false }) ?? "", /drop it and give the base URL/);
        }
        assert.equal(endpointProblem("otlpEndpoint", "https://o.example.com/otlp", { secretHeaders: false }), undefined);
    });

    it("accept a secret with $: the component escapes it, so the collector reads it as typed (config-text.test.ts)", () => {
        assert.equal(secretValueProblem("k", "ab$$cd${env:X}"), undefined);
    });

    it("fail with one line naming the argument when called from JavaScript without or with wrong arguments", () => {
        const call = (f: (a: never) => unknown, a: unknown) => errorOf(() => f(a as never));
        assert.equal(call(honeycombBackend, {}), "honeycombBackend.apiKey: is required, e.g. apiKey: pulumi.secret(\"<your ingest key>\")");
        assert.equal(call(honeycombBackend, undefined), "honeycombBackend: was called without arguments; give it an object of arguments, with at least apiKey");
        assert.equal(call(otlpHttpBackend, { endpoint: 42 }), "otlpHttpBackend.endpoint: 42 is a number; it must be a plain string known at preview, not an Output, e.g. endpoint: \"https://otlp.example.com\"");
        assert.equal(call(otlpHttpBackend, { endpoint: "https://o.example.com", header: {} }), "otlpHttpBackend.header: is not an argument of otlpHttpBackend (given {}); did you mean headers?");
        assert.equal(call(honeycombBackend, { apiKey: "k", functionTimeoutSeconds: "30" }), "honeycombBackend.functionTimeoutSeconds: \"30\" is a string; it must be a plain number known at preview, not an Output, so write honeycombBackend.functionTimeoutSeconds: 30 (without quotes)");
        for (const bad of [null, "x", [], { apiKey: null }, { apiKey: 1 }, { apiKey: "k", endpoint: null }, { apiKey: "k", metricsDataset: {} }]) {
            assert.doesNotMatch(call(honeycombBackend, bad), /\n/, JSON.stringify(bad));
        }
    });

    it("refuse port 0, an empty port and a port above 65535, naming it", () => {
        assert.match(endpointProblem("e", "https://o.example.com:0", { secretHeaders: false }) ?? "", /has port 0, on which no backend listens/);
        assert.match(endpointProblem("e", "https://o.example.com:/x", { secretHeaders: false }) ?? "", /has an empty port/);
        assert.match(endpointProblem("e", "https://o.example.com:70000", { secretHeaders: false }) ?? "", /has port 70000, above the highest port 65535/);
        assert.equal(endpointProblem("e", "https://o.example.com:4318", { secretHeaders: false }), undefined);
    });

    it("size the exporter timeout and retries to the function timeout, so no retry outlives it", () => {
        for (const t of [1, 2, 3, 10, 30, 900]) {
            for (const backend of [
                honeycombBackend({ apiKey: "k", functionTimeoutSeconds: t }),
                otlpHttpBackend({ endpoint: "https://o.example.com", functionTimeoutSeconds: t }),
            ]) {
                const parsed = parseCollectorConfig(backend.collectorConfig);
                assert.ok(parsed.ok, `timeout ${t} parses`);
                assert.deepEqual(checkRetryBudget(parsed.config, { functionTimeoutSeconds: t }), [], `timeout ${t}: no retry-exceeds-timeout finding`);
            }
        }
        assert.deepEqual(lambdaSafeExporter(1), { timeout: "500ms", sending_queue: { enabled: false }, retry_on_failure: { enabled: false } });
        assert.deepEqual(lambdaSafeExporter(3), { timeout: "1s", sending_queue: { enabled: false }, retry_on_failure: { enabled: true, initial_interval: "1s", max_interval: "1s", max_elapsed_time: "1s" } });
        assert.deepEqual(lambdaSafeExporter(10), { timeout: "3s", sending_queue: { enabled: false }, retry_on_failure: { enabled: true, initial_interval: "5s", max_interval: "5s", max_elapsed_time: "5s" } });
        assert.deepEqual(lambdaSafeExporter(), { timeout: "5s", sending_queue: { enabled: false }, retry_on_failure: { enabled: true, initial_interval: "5s", max_interval: "15s", max_elapsed_time: "15s" } });
        assert.deepEqual(lambdaSafeExporter(900), { timeout: "5s", sending_queue: { enabled: false }, retry_on_failure: { enabled: true, initial_interval: "5s", max_interval: "30s", max_elapsed_time: "450s" } });
        assert.equal(errorOf(() => lambdaSafeExporter(0)), "functionTimeoutSeconds: 0 is not a whole number of seconds of at least 1; pass the function's timeout");
    });

    it("refuse a trailing slash, a /v1 path and a bad percent-encoding, and never alter the endpoint", () => {
        assert.match(endpointProblem("otlpEndpoint", "https://o.example.com/v1/", { secretHeaders: false }) ?? "", /ends in \/v1\/; drop it/);
        assert.match(endpointProblem("otlpEndpoint", "https://o.example.com/otlp/", { secretHeaders: false }) ?? "", /ends in "\/"; drop the trailing slash \(write "https:\/\/o.example.com\/otlp"\)/);
        assert.match(endpointProblem("otlpEndpoint", "https://o.example.com/a%2", { secretHeaders: false }) ?? "", /not a valid percent-encoding/);
        assert.equal(endpointProblem("otlpEndpoint", "https://o.example.com/a%2Fb", { secretHeaders: false }), undefined);
        assert.match(otlpHttpBackend({ endpoint: "https://o.example.com/otlp" }).collectorConfig, /endpoint: https:\/\/o\.example\.com\/otlp\n/);
    });

    it("refuse a secret with space around it, without echoing it", () => {
        assert.equal(errorOf(() => honeycombBackend({ apiKey: " hcaik_x " })), "honeycombBackend.apiKey: the 9-character secret has space around it; remove it (the value is used exactly as written, never trimmed)");
    });
});
