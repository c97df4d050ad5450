// The check's verdict on what the adapter returns, for each answer a collector can
// give: real code only (the response bytes come from OpenTelemetry's own codec).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkRequestFor, checkTargetOf, judgeAnswer } from "../../../components/shared/otlp/otlp-check";
import { defaultCollectorConfig } from "../../../components/shared/config-sources/default-config";
import { functionUrlEvent, judgeInvocation, parseInvocationResult, parseLastModified } from "../../../components/lambda/pre-traffic-check";
import { adapterResponse } from "../../harness/mocks";
import { decodeTraceRequest, encodeTraceResponse } from "../../harness/otlp-decoder";

const request = checkRequestFor(defaultCollectorConfig(), "seed", 1_796_000_000_000)!;

describe("pre-traffic verdicts for adapter-shaped results", () => {
    const accepted = (result: string) => judgeInvocation(result, "accepted", request, true);

    it("passes a 200 with an empty response, and a 200 whose partial success rejected nothing", () => {
        assert.deepEqual(accepted(adapterResponse(200)), { ok: true, outcome: "200, 0 rejected", causes: "" });
        assert.equal(accepted(adapterResponse(200, encodeTraceResponse({ partialSuccess: { rejectedSpans: 0 } }))).ok, true);
        assert.equal(accepted(adapterResponse(200, '{"partialSuccess":{}}', "application/json")).ok, true);
    });

    it("fails a 200 whose partial success rejected the span", () => {
        const verdict = accepted(adapterResponse(200, encodeTraceResponse({ partialSuccess: { rejectedSpans: 1, errorMessage: "span too old" } })));
        assert.equal(verdict.ok, false);
        assert.equal(verdict.outcome, "200 with a partial success that rejected 1 spans: span too old");
        const json = accepted(adapterResponse(200, '{"partialSuccess":{"rejectedSpans":"1"}}', "application/json"));
        assert.equal(json.ok, false);
    });

    it("names the cause that fits 400, 401, 403 and 500", () => {
        const cases: [number, RegExp][] = [
            [400, /^the receiver could not decode the body as an OTLP export.*answered by the collector's receiver/],
            [401, /^the token sent is not one the collector accepts.*answered by the collector's authenticator.*COLLECTOR_INGEST_TOKENS/],
            [403, /^an authenticator refused the request/],
            [500, /^an exporter failed .*answered by the collector\)/],
            [502, /not listening on AWS_LWA_PORT/],
        ];
        for (const [status, cause] of cases) {
            const verdict = accepted(adapterResponse(status, "rpc error: code = Unavailable", "text/plain"));
            assert.equal(verdict.ok, false);
            assert.equal(verdict.outcome, `${status}: rpc error: code = Unavailable`);
            assert.match(verdict.causes, cause);
        }
    });

    it("reads a protobuf error body as text, and says when a body is empty", () => {
        // A google.rpc.Status (message field 2), as the receiver encodes errors for protobuf clients.
        const status = Buffer.concat([Buffer.from([0x08, 0x10, 0x12, 0x0d]), Buffer.from("invalid token")]);
        assert.match(accepted(adapterResponse(401, status)).outcome, /^401: .*invalid token$/);
        assert.equal(accepted(adapterResponse(500)).outcome, "500: (empty body)");
    });

    it("explains a function error such as an init timeout", () => {
        const timeout = accepted(JSON.stringify({ errorType: "Sandbox.Timedout", errorMessage: "Task timed out after 10.00 seconds" }));
        assert.equal(timeout.ok, false);
        assert.equal(timeout.outcome, "function error Sandbox.Timedout: Task timed out after 10.00 seconds");
        assert.match(timeout.causes, /^init or invoke timeout: the adapter never saw the collector ready \(image CMD/);
        const exit = accepted(JSON.stringify({ errorType: "Runtime.ExitError", errorMessage: "RequestId: x Error: Runtime exited with error: exit status 1" }));
        assert.match(exit.causes, /^the collector exited at start/);
    });

    it("refuses a payload that is not a Function URL response", () => {
        for (const payload of ["not json", "null", '{"hello":"world"}', '"a string"']) {
            const verdict = accepted(payload);
            assert.equal(verdict.ok, false, payload);
            assert.match(verdict.outcome, /^not a Function URL response: /);
            assert.match(verdict.causes, /Lambda Web Adapter/);
        }
        assert.equal(parseInvocationResult("{}").kind, "malformed");
    });

    it("wants 401 for the request without a token, and explains a 200 there", () => {
        assert.equal(judgeInvocation(adapterResponse(401, "Unauthorized", "text/plain"), "unauthorized", request, false).ok, true);
        const open = judgeInvocation(adapterResponse(200), "unauthorized", request, false);
        assert.equal(open.ok, false);
        assert.match(open.causes, /the receiver has no authenticator/);
        const down = judgeInvocation(adapterResponse(500, "boom", "text/plain"), "unauthorized", request, false);
        assert.equal(down.outcome, "500: boom");
    });

    it("says no header was sent when none was, instead of blaming the token", () => {
        const verdict = judgeAnswer({ status: 401, body: new Uint8Array() }, "accepted", { signal: "traces", tokenSent: false, route: "function-url" });
        assert.match(verdict.causes, /^no Authorization header was sent/);
        const forbidden = judgeAnswer({ status: 403, body: new Uint8Array() }, "accepted", { signal: "traces", tokenSent: true, route: "function-url" });
        assert.match(forbidden.causes, /^the URL refused the request: the alias needs both lambda:InvokeFunctionUrl and lambda:InvokeFunction.*answered by the Function URL \(the function did not run, so there are no logs\)/);
    });
});

describe("the check's request and event", () => {
    it("is a valid OTLP trace export with exactly one span, decodable by OpenTelemetry's codec", () => {
        const decoded = decodeTraceRequest(request.body);
        assert.equal(decoded.resourceSpans.length, 1);
        assert.equal(decoded.resourceSpans[0].scopeSpans[0].spans.length, 1);
        assert.equal(Buffer.from(decoded.resourceSpans[0].scopeSpans[0].spans[0].traceId).toString("hex"), request.traceId);
    });

    it("round-trips through the event as base64", () => {
        const event = functionUrlEvent(request, { token: "t0k", timeMs: 1_796_000_000_000, requestId: "r" });
        assert.deepEqual(Buffer.from(event.body, "base64"), Buffer.from(request.body));
        assert.equal(event.requestContext.time, "30/Nov/2026:00:53:20 +0000");
        assert.equal(event.headers.authorization, "Bearer t0k");
        assert.equal(functionUrlEvent(request, { timeMs: 0, requestId: "r" }).headers.authorization, undefined);
    });

    it("finds the traces path a config serves, custom paths included", () => {
        assert.deepEqual(checkTargetOf(defaultCollectorConfig()), { signal: "traces", path: "/v1/traces" });
        const custom = defaultCollectorConfig().replace("endpoint: 127.0.0.1:4318", "endpoint: 127.0.0.1:4318\n        traces_url_path: /otlp/traces");
        assert.deepEqual(checkTargetOf(custom), { signal: "traces", path: "/otlp/traces" });
        assert.equal(checkTargetOf("receivers: {}\n"), undefined);
    });

    it("reads Lambda's LastModified format", () => {
        assert.equal(parseLastModified("2026-11-30T04:00:00.000+0000"), Date.UTC(2026, 10, 30, 4));
    });
});
