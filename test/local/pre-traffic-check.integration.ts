// The pre-traffic check's own event (functionUrlEvent), invoked through the Runtime
// Interface Emulator into the real adapter and collector, and judged by the
// component's own judgeInvocation: the event is what the adapter reads as a Function
// URL request (not PassThrough), a good config passes, and each broken kind fails with
// its cause. The mocked invocation results in test/components/lambda/pre-traffic-check.test.ts
// are the shapes these real answers have.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultCollectorConfig } from "../../components/shared/config-sources/default-config";
import { checkRequestFor } from "../../components/shared/otlp/otlp-check";
import { functionUrlEvent, judgeInvocation } from "../../components/lambda/pre-traffic-check";
import { editDefaultConfig } from "../harness/component";
import { PLAIN_TOKEN, withTestFunction } from "../harness/local-function";

const PRODUCERS = [{ name: "default", token: PLAIN_TOKEN }];

/** Invokes the function with the check's event, as aws.lambda.Invocation does, and judges the result. */
async function check(fn: { invoke(event: string): Promise<{ payload: Buffer }> }, config: string, token: string | undefined, expect: "accepted" | "unauthorized") {
    const timeMs = Date.now();
    const request = checkRequestFor(config, `seed-${timeMs}`, timeMs)!;
    const event = functionUrlEvent(request, { token, timeMs, requestId: `pre-traffic-check-local-${expect}` });
    const result = (await fn.invoke(JSON.stringify(event))).payload.toString("utf8");
    return { result, verdict: judgeInvocation(result, expect, request, token !== undefined) };
}

describe("the pre-traffic check's event through the emulator, judged by judgeInvocation", () => {
    it("passes for the default config: accepted with the token, 401 without", async () => {
        const config = defaultCollectorConfig();
        await withTestFunction({ config, producers: PRODUCERS }, async (fn) => {
            const accepted = await check(fn, config, PLAIN_TOKEN, "accepted");
            assert.ok(accepted.verdict.ok, `${accepted.verdict.outcome}: ${accepted.result}`);
            const refused = await check(fn, config, undefined, "unauthorized");
            assert.ok(refused.verdict.ok, `${refused.verdict.outcome}: ${refused.result}`);
        });
    });

    it("fails for a config the collector refuses: the collector exited at start", async () => {
        const config = editDefaultConfig("verbosity: basic", "verbosity: loud");
        await withTestFunction({ config, producers: PRODUCERS, warmUp: false }, async (fn) => {
            const { verdict, result } = await check(fn, config, PLAIN_TOKEN, "accepted");
            assert.equal(verdict.ok, false);
            assert.match(verdict.outcome, /function error Runtime\.ExitError/, result);
            assert.match(verdict.causes, /collector exited at start/);
        });
    });

    it("fails for an adapter port the collector does not listen on: init timeout", async () => {
        const config = defaultCollectorConfig();
        await withTestFunction({ config, producers: PRODUCERS, warmUp: false, environment: { AWS_LWA_PORT: "4319" }, function: { timeoutSeconds: 3 } }, async (fn) => {
            const { verdict, result } = await check(fn, config, PLAIN_TOKEN, "accepted");
            assert.equal(verdict.ok, false);
            assert.match(verdict.outcome, /timed out/i, result);
            assert.match(verdict.causes, /AWS_LWA_PORT/);
        });
    });

    it("fails when the function does not have the producer's token: 401, from the collector's authenticator", async () => {
        const config = defaultCollectorConfig();
        await withTestFunction({ config, producers: [{ name: "other", token: "another-token-0123456789abcdefghijklmnopq" }] }, async (fn) => {
            const { verdict, result } = await check(fn, config, PLAIN_TOKEN, "accepted");
            assert.equal(verdict.ok, false);
            assert.match(verdict.outcome, /^401/, result);
            assert.match(verdict.causes, /the token sent is not one the collector accepts/);
        });
    });

    it("fails when the receiver has no authenticator: the request without a token was accepted", async () => {
        const config = editDefaultConfig(/\n {8}auth:\n {10}authenticator: bearertokenauth\/ingest/, "");
        await withTestFunction({ config, producers: PRODUCERS }, async (fn) => {
            const { verdict, result } = await check(fn, config, undefined, "unauthorized");
            assert.equal(verdict.ok, false, result);
            assert.match(verdict.outcome, /^200/);
        });
    });
});
