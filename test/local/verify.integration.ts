// `npm run verify` against the Function URL stand-in in front of the real collector:
// it passes for the function as deployed, and fails with its documented cause
// (docs/verify.md) for a wrong token, a wrong path and a backend that is down.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { otlpHttpBackend } from "../../components/shared/config-sources/backends";
import { producerEnvironmentFor } from "../../components/shared/tokens/producer-environment";
import { runVerify } from "../../cli/verify";
import { startReceiver, type Receiver } from "../harness/otlp-receiver";
import { projectRoot } from "../harness/paths";
import { ENCODED_TOKEN, startTestFunction, type TestFunction } from "../harness/local-function";

async function verify(producer: Record<string, string>): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const code = await runVerify([], {
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
        stackOutput: () => assert.fail("verify must read the endpoint from the environment"),
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: producer.OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS: producer.OTEL_EXPORTER_OTLP_HEADERS },
    });
    return { code, out: lines.join("\n") };
}

describe("verify against the local function", () => {
    let receiver: Receiver;
    let fn: TestFunction;
    before(async () => {
        receiver = await startReceiver({ token: "", expectHeader: { name: "content-type", value: "application/x-protobuf" } });
        // A 3 s function: the exporter gives up on a dead backend within the invocation.
        fn = await startTestFunction({
            config: otlpHttpBackend({ endpoint: receiver.url, functionTimeoutSeconds: 3 }).collectorConfig,
            producers: [{ name: "default", token: ENCODED_TOKEN }],
            function: { timeoutSeconds: 3 },
        });
    });
    after(async () => {
        await fn?.stop();
        await receiver?.close();
    });

    it("passes as the npm script, reading producerEnvironment from the shell", async () => {
        const { stdout } = await promisify(execFile)("npm", ["run", "-s", "verify"], {
            cwd: projectRoot,
            env: { PATH: process.env.PATH, HOME: process.env.HOME, ...fn.producerEnvironment },
        });
        assert.doesNotMatch(stdout, /FAIL/);
        assert.match(stdout, /ok +a span is accepted/);
        assert.match(stdout, /ok +the token is enforced/);
        assert.match(stdout, /ok +the OpenTelemetry SDK exporter/);
        assert.ok(receiver.spans.length >= 3, "verify's spans reached the backend");
    });

    it("fails on a wrong token: 401, token wiring", async () => {
        const { code, out } = await verify(producerEnvironmentFor(fn.url, "Wrong+token/0123456789abcdefghijklmnop=="));
        assert.equal(code, 1);
        assert.match(out, /FAIL +a span is accepted: .*\b401\b.*token/);
    });

    it("fails on a wrong path: 404, no receiver serves it", async () => {
        const { code, out } = await verify(producerEnvironmentFor(`${fn.url}wrong/path`, ENCODED_TOKEN));
        assert.equal(code, 1);
        assert.match(out, /FAIL +a span is accepted: .*\b404\b.*(receiver|path)/);
    });

    it("fails when the backend is down: a 5xx from the exporter, read the log group", async () => {
        await receiver.close();
        const { code, out } = await verify(fn.producerEnvironment);
        assert.equal(code, 1);
        assert.match(out, /FAIL +a span is accepted: .*\b5\d\d\b/);
    });
});
