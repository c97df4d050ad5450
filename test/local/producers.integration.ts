// Real producers in four languages against the real collector behind the Function URL
// stand-in: the OpenTelemetry SDKs for Node.js, Python, Java and Go, each configured
// only from a producerEnvironment as a user would set it, each with tokens whose header
// form needs percent-encoding (`+`, `/`, `=`), so each SDK's own decoding of
// OTEL_EXPORTER_OTLP_HEADERS is what is tested (these replace the reimplementations of
// the Java, Python and Go decoders that test/components/shared/tokens.test.ts had). And
// examples/producer-python's handler, run as Lambda's Python runtime runs it.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { otlpHttpBackend } from "../../components/shared/config-sources/backends";
import { B64TOKEN_ALPHABET } from "../harness/tokens";
import { startReceiver, type Receiver } from "../harness/otlp-receiver";
import { projectRoot } from "../harness/paths";
import { ENCODED_TOKEN, startTestFunction, type TestFunction } from "../harness/local-function";
import { pythonVenv, runProducer, SDKS } from "../harness/sdk-producers";

/**
 * Tokens that together use every character a token may have (components/shared/tokens/tokens.ts
 * TOKEN_PATTERN), each needing escapes in the header: `+` (Java's URLDecoder would read
 * a space), `/`, `=` padding, `~`, `.`, `-`, `_`.
 */
const TOKENS: Record<string, string> = {
    encoded: ENCODED_TOKEN,
    alphabet: `${B64TOKEN_ALPHABET}==`,
    plus: "++++////----____....~~~~0123456789abcdefABCDEF+/=",
};

describe("real producers in four SDKs, configured from producerEnvironment", () => {
    let receiver: Receiver;
    let fn: TestFunction;
    before(async () => {
        receiver = await startReceiver({ token: "", expectHeader: { name: "content-type", value: "application/x-protobuf" } });
        fn = await startTestFunction({
            config: otlpHttpBackend({ endpoint: receiver.url }).collectorConfig,
            producers: Object.entries(TOKENS).map(([name, token]) => ({ name, token })),
        });
    });
    after(async () => {
        await fn?.stop();
        await receiver?.close();
    });

    for (const sdk of SDKS) {
        it(`${sdk}: every producer's span is accepted and reaches the backend`, async () => {
            for (const [name, environment] of Object.entries(fn.producerEnvironments)) {
                assert.match(environment.OTEL_EXPORTER_OTLP_HEADERS, /%2B|%2F|%3D/, "the header needs percent-decoding");
                const run = await runProducer(sdk, environment, `${sdk} ${name}`);
                assert.ok(run.ok, `${sdk} producer "${name}": ${run.output}`);
                assert.ok(receiver.spans.some((s) => s.traceId === run.traceId && s.name === `${sdk} ${name}`), `${sdk} "${name}" span ${run.traceId} at the backend`);
            }
        });
    }

    it("a producer with a token the collector does not have fails its export (401), in every SDK", async () => {
        const revoked = { ...fn.producerEnvironment, OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer%20Revoked%2Btoken%2F0123456789abcdefghijklmn%3D" };
        for (const sdk of SDKS) {
            const run = await runProducer(sdk, revoked, `${sdk} revoked`);
            assert.equal(run.ok, false, `${sdk} reported success for a refused export: ${run.output}`);
            assert.ok(!receiver.spans.some((s) => s.name === `${sdk} revoked`));
        }
    });

    it("the header form before percent-encoding (a literal + in the token) is refused for Java, whose URLDecoder reads + as a space", async () => {
        const raw = { ...fn.producerEnvironments.plus, OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${TOKENS.plus}` };
        const run = await runProducer("java", raw, "java raw plus");
        assert.equal(run.ok, false, run.output);
        assert.ok(!receiver.spans.some((s) => s.name === "java raw plus"));
    });

    it("examples/producer-python's handler, run as Lambda's Python runtime would, exports its spans", async () => {
        const python = pythonVenv();
        const { stdout } = await promisify(execFile)(python, [path.join(projectRoot, "test", "producers", "python", "run_example_handler.py")], {
            env: {
                PATH: process.env.PATH,
                PYTHONDONTWRITEBYTECODE: "1",
                ...fn.producerEnvironments.encoded,
                // What the example's stack adds (examples/producer-python/index.ts) and Lambda defines.
                OTEL_SERVICE_NAME: "producer-python-example",
                OTEL_EXPORTER_OTLP_TIMEOUT: "5",
                AWS_LAMBDA_FUNCTION_NAME: "producer-python-local",
                AWS_REGION: "us-east-1",
            },
            timeout: 60_000,
        });
        assert.equal(JSON.parse(stdout.trim().split("\n").pop()!).statusCode, 200);
        const server = receiver.spans.find((s) => s.name === "producer-python-local");
        assert.ok(server, `the handler's SERVER span reached the backend (got ${receiver.spans.map((s) => s.name).join(", ")})`);
        assert.equal(server.attributes["faas.trigger"], "http");
        assert.equal(server.attributes["faas.coldstart"], true);
        assert.equal(server.resource["service.name"], "producer-python-example");
        assert.ok(receiver.spans.some((s) => s.name === "say-hello" && s.traceId === server.traceId), "the child span of work() in the same trace");
    });
});
