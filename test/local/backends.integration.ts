// The default config and each backend preset, run as the function runs them (the real
// collector under the emulator, the adapter as an extension, the Function URL
// stand-in, frozen between requests): a span with the producer's token is accepted and
// has reached the backend when the response returns; no token, or another one, is 401.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { debugBackend, honeycombBackend, otlpHttpBackend, type BackendConfig } from "../../components/shared/config-sources/backends";
import { startReceiver, type Receiver } from "../harness/otlp-receiver";
import { ENCODED_TOKEN, loopbackCertificate, PLAIN_TOKEN, postSpan, startTestFunction, type TestFunction } from "../harness/local-function";

async function plainEnvironment(backend: BackendConfig): Promise<Record<string, string>> {
    const environment: Record<string, string> = {};
    for (const [key, value] of Object.entries(backend.environment)) {
        environment[key] = await new Promise<string>((resolve) => pulumi.output(value).apply(resolve));
    }
    return environment;
}

/** Waits (bounded) until `predicate` holds, for output that crosses a pipe after the fact. */
async function eventually(predicate: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 100 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(predicate(), what);
}

const PRODUCERS = [{ name: "default", token: PLAIN_TOKEN }, { name: "encoded", token: ENCODED_TOKEN }];

describe("the default config (debug exporter)", () => {
    let fn: TestFunction;
    before(async () => {
        fn = await startTestFunction({ config: debugBackend().collectorConfig, producers: PRODUCERS });
    });
    after(() => fn?.stop());

    it("prints an accepted span before the response returns; 401 without a token", async () => {
        const sent = await postSpan(fn.url, PLAIN_TOKEN, "debug backend span");
        assert.equal(sent.status, 200, sent.body);
        // The collector is frozen now: a line that still arrives was written before the response.
        await eventually(() => fn.logs.some((l) => l.source === "collector" && /"spans": 1\b/.test(l.line)), "the debug exporter logged the span");
        assert.equal((await postSpan(fn.url, undefined)).status, 401);
        assert.equal((await postSpan(fn.url, "not-the-token-0123456789abcdefghijklmnop")).status, 401);
    });
});

describe("backend presets against a loopback OTLP backend", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "local-backends-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const cases: { name: string; make: (receiver: Receiver) => BackendConfig; receiver: () => Promise<Receiver>; extraEnv?: () => Record<string, string> }[] = [];
    const apiKey = "hc-api-key-0123456789abcdef";
    const backendToken = "backend-bearer-0123456789abcdef";
    let certFile = "";
    cases.push({
        name: "otlphttp without headers",
        // No credential to check: any OTLP protobuf export is accepted.
        receiver: () => startReceiver({ token: "", expectHeader: { name: "content-type", value: "application/x-protobuf" } }),
        make: (r) => otlpHttpBackend({ endpoint: r.url }),
    });
    cases.push({
        name: "otlphttp with a secret header (allowInsecure on loopback)",
        receiver: () => startReceiver({ token: backendToken }),
        make: (r) => otlpHttpBackend({ endpoint: r.url, headers: { Authorization: `Bearer ${backendToken}` }, allowInsecure: true }),
    });
    cases.push({
        name: "honeycomb (https only, x-honeycomb-team)",
        receiver: async () => {
            const tls = loopbackCertificate(dir);
            certFile = tls.certFile;
            return startReceiver({ token: "", expectHeader: { name: "x-honeycomb-team", value: apiKey }, tls });
        },
        make: (r) => honeycombBackend({ apiKey, endpoint: r.url }),
        // Go's crypto/x509 reads extra roots from SSL_CERT_FILE on Linux.
        extraEnv: () => ({ SSL_CERT_FILE: certFile }),
    });

    for (const c of cases) {
        it(`${c.name}: the span reached the backend when the response returned; 401 without a token`, async () => {
            const receiver = await c.receiver();
            const backend = c.make(receiver);
            const fn = await startTestFunction({
                config: backend.collectorConfig,
                producers: PRODUCERS,
                environment: { ...(await plainEnvironment(backend)), ...c.extraEnv?.() },
            });
            try {
                for (const token of [PLAIN_TOKEN, ENCODED_TOKEN]) {
                    const sent = await postSpan(fn.url, token, `${c.name} span`);
                    assert.equal(sent.status, 200, sent.body);
                    // No waiting: the export finished inside the invocation.
                    assert.ok(receiver.spans.some((s) => s.traceId === sent.traceId), `span ${sent.traceId} at the backend when the response returned`);
                }
                const before = receiver.spans.length;
                assert.equal((await postSpan(fn.url, undefined)).status, 401);
                assert.equal((await postSpan(fn.url, "revoked-token-0123456789abcdefghijklmnop")).status, 401);
                assert.equal(receiver.spans.length, before, "a refused span never reaches the backend");
            } finally {
                await fn.stop();
                await receiver.close();
            }
        });
    }
});
