// The backend presets as a library: the same endpoint and secret checks as the stack
// keys, naming the argument.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { installMocks } from "../harness/mocks";
import { endpointProblem, honeycombBackend, otlpHttpBackend, secretValueProblem } from "../../components/backends";

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
        assert.equal(errorOf(() => honeycombBackend({ apiKey: "" })), "honeycombApiKey: is empty; set the secret value (pulumi config set --secret ...)");
        assert.equal(errorOf(() => otlpHttpBackend({ endpoint: "https://o.example.com", headers: { "x-key": "a\r\n" } })),
            "otlpHeaders.x-key: the 3-character secret has a control character (U+000D) at position 2, which an HTTP header cannot carry; remove it (a pasted newline?)");
    });

    it("refuse plain http with secret headers unless allowed, and allow it without headers", () => {
        assert.match(errorOf(() => otlpHttpBackend({ endpoint: "http://o.example.com", headers: { "x-key": "k" } })), /^otlpEndpoint: .* uses plain http while the exporter sends secret headers/);
        assert.doesNotThrow(() => otlpHttpBackend({ endpoint: "http://o.example.com", headers: { "x-key": "k" }, allowInsecure: true }));
        assert.doesNotThrow(() => otlpHttpBackend({ endpoint: "http://o.example.com" }));
    });

    it("refuse a /v1/<signal> suffix in any case, with or without a trailing slash", () => {
        for (const suffix of ["/v1/traces", "/v1/metrics/", "/V1/Logs"]) {
            assert.match(endpointProblem("otlpEndpoint", `https://o.example.com${suffix}`, { secretHeaders: false }) ?? "", /drop it and give the base URL/);
        }
        assert.equal(endpointProblem("otlpEndpoint", "https://o.example.com/otlp", { secretHeaders: false }), undefined);
    });

    it("refuse a secret with $, which the collector's expansion would alter", () => {
        assert.equal(secretValueProblem("k", "ab$$cd"), "k: the 6-character secret has \"$\" at position 3, which the collector's config expansion would read as ${...} or $$; such a secret cannot be passed through the config");
    });
});
