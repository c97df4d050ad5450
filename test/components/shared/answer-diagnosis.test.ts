// The shared diagnosis, called directly with a table of answer shapes: who answered,
// the cause and the next step, for the collector's own answers, a backend's answer the
// collector passed through (collector v0.99+: otlphttp's error text, mapped back to an
// HTTP status by the receiver), AWS denials, Lambda and the Function URL. The bodies are
// google.rpc.Status messages as the receiver writes them (encoded here by hand-free
// Buffer concatenation of the two fields the receiver sets), or AWS's JSON.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diagnose, missingPermissionOf, safeExcerpt, scrubSecrets, type AnswerFacts, type Answerer, type DiagnosisContext } from "../../../components/shared/otlp/answer-diagnosis";
import { judgeAnswer } from "../../../components/shared/otlp/otlp-check";
import { judgeInvocation } from "../../../components/lambda/pre-traffic-check";
import { checkRequestFor } from "../../../components/shared/otlp/otlp-check";
import { defaultCollectorConfig } from "../../../components/shared/config-sources/default-config";
import { adapterResponse } from "../../harness/mocks";
import { encodeTraceResponse } from "../../harness/otlp-decoder";

/** A google.rpc.Status body: code (field 1) and message (field 2), as protobuf. */
function rpcStatus(code: number, message: string): Uint8Array {
    const text = Buffer.from(message);
    const length: number[] = [];
    let n = text.length;
    do {
        length.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
        n >>>= 7;
    } while (n > 0);
    return new Uint8Array(Buffer.concat([Buffer.from([0x08, code, 0x12, ...length]), text]));
}

const PROTO = { "content-type": "application/x-protobuf" };
const viaUrl: DiagnosisContext = { signal: "traces", tokenSent: true, route: "function-url" };
const backendError = (status: number) =>
    `not retryable error: Permanent error: error exporting items, request to https://api.honeycomb.io:443/v1/traces responded with HTTP Status Code ${status}, Message=unknown API key - check your credentials, region, or API URL, Details=[]`;

describe("the shared diagnosis of an answer", () => {
    const table: { name: string; answer: AnswerFacts; context?: DiagnosisContext; who: Answerer; cause: RegExp; next?: RegExp }[] = [
        // The exporter's backend, passed through by the collector with the same status.
        { name: "backend 401 (wrong backend API key)", answer: { status: 401, headers: PROTO, body: rpcStatus(16, backendError(401)) }, who: "backend-via-collector", cause: /^the backend \(https:\/\/api\.honeycomb\.io:443\/v1\/traces answered 401\) refused the exporter's credentials/, next: /exporter's headers.*producers' token is fine/ },
        { name: "backend 403 (key without send permission)", answer: { status: 403, headers: PROTO, body: rpcStatus(7, backendError(403)) }, who: "backend-via-collector", cause: /answered 403\) refused the exporter's key: it lacks permission/ },
        { name: "backend 404 (wrong backend path)", answer: { status: 404, headers: PROTO, body: rpcStatus(12, backendError(404)) }, who: "backend-via-collector", cause: /has no such path: the exporter's endpoint is wrong/ },
        { name: "backend 400 (refused payload)", answer: { status: 400, headers: PROTO, body: rpcStatus(3, backendError(400)) }, who: "backend-via-collector", cause: /refused the data the exporter sent as invalid/ },
        { name: "backend 429 (throttling)", answer: { status: 429, headers: PROTO, body: rpcStatus(8, backendError(429)) }, who: "backend-via-collector", cause: /is throttling the exporter/ },
        { name: "backend 401 without a Status body", answer: { status: 401, headers: PROTO, body: rpcStatus(16, "Permanent error: error exporting items, request to https://otlp.example.com/v1/traces responded with HTTP Status Code 401") }, who: "backend-via-collector", cause: /^the backend \(https:\/\/otlp\.example\.com\/v1\/traces answered 401\)/ },
        { name: "gRPC backend via the otlp exporter", answer: { status: 401, headers: PROTO, body: rpcStatus(16, "Permanent error: rpc error: code = Unauthenticated desc = invalid API key") }, who: "backend-via-collector", cause: /otlp \(gRPC\) exporter answered Unauthenticated/ },
        // AWS APIs called by exporters (awsxray, awsemf, awss3).
        { name: "X-Ray denied, action named", answer: { status: 500, headers: PROTO, body: rpcStatus(13, "Permanent error: operation error X-Ray: PutTraceSegments, https response error StatusCode: 400, RequestID: 1, api error AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/collector/fn is not authorized to perform: xray:PutTraceSegments because no identity-based policy allows the xray:PutTraceSegments action") }, who: "aws-api-via-collector", cause: /may not call xray:PutTraceSegments/, next: /grant xray:PutTraceSegments/ },
        { name: "S3 AccessDenied without the action", answer: { status: 503, headers: PROTO, body: rpcStatus(14, "no more retries left: operation error S3: PutObject, https response error StatusCode: 403, RequestID: X, HostID: Y, api error AccessDenied: Access Denied") }, who: "aws-api-via-collector", cause: /may not call s3:PutObject/ },
        { name: "CloudWatch Logs denied", answer: { status: 500, headers: PROTO, body: rpcStatus(13, "Permanent error: operation error CloudWatch Logs: PutLogEvents, https response error StatusCode: 400, api error AccessDeniedException: User: arn:aws:sts::1:assumed-role/r/f is not authorized to perform: logs:PutLogEvents on resource: arn:aws:logs:us-east-1:1:log-group:/metrics/x") }, who: "aws-api-via-collector", cause: /may not call logs:PutLogEvents/ },
        // The collector's own answers.
        { name: "bearertokenauth, wrong token", answer: { status: 401, headers: PROTO, body: rpcStatus(16, "scheme or token does not match: Bearer wrong-token-value") }, who: "collector", cause: /^the token sent is not one the collector accepts/, next: /COLLECTOR_INGEST_TOKENS/ },
        { name: "bearertokenauth, literal %20 from an old SDK", answer: { status: 401, headers: PROTO, body: rpcStatus(16, "scheme or token does not match: Bearer%20abcdefgh12345678") }, who: "collector", cause: /percent-encoded.*too old to decode/, next: /upgrade the producer's OpenTelemetry SDK/ },
        { name: "no header sent", answer: { status: 401, headers: PROTO, body: rpcStatus(16, "missing or empty authorization header: Authorization") }, context: { ...viaUrl, tokenSent: false }, who: "collector", cause: /^no Authorization header was sent/ },
        { name: "receiver path", answer: { status: 404, headers: { "content-type": "text/plain; charset=utf-8" }, body: Buffer.from("404 page not found\n") }, who: "collector", cause: /no OTLP\/HTTP receiver serves this path/ },
        { name: "receiver body limit", answer: { status: 400, headers: PROTO, body: rpcStatus(3, "http: request body too large") }, who: "collector", cause: /max_request_body_size/ },
        { name: "memory limiter", answer: { status: 503, headers: PROTO, body: rpcStatus(14, "data refused due to high memory usage") }, who: "collector", cause: /memory_limiter/ },
        { name: "authenticator on a direct invoke", answer: { status: 403, headers: PROTO, body: rpcStatus(7, "denied") }, context: { ...viaUrl, route: "direct-invoke" }, who: "collector", cause: /an authenticator refused/ },
        // Lambda and the Function URL.
        { name: "Lambda throttle at reservedConcurrency", answer: { status: 429, headers: { "content-type": "application/json", "x-amzn-errortype": "TooManyRequestsException" }, body: Buffer.from('{"Message":"Rate Exceeded.","Reason":"ReservedFunctionConcurrentInvocationLimitExceeded"}') }, who: "lambda-service", cause: /reserved concurrency \(the reservedConcurrency setting\)/, next: /raise reservedConcurrency/ },
        { name: "Lambda throttle, account concurrency", answer: { status: 429, headers: { "x-amzn-errortype": "TooManyRequestsException" }, body: Buffer.from('{"Reason":"ConcurrentInvocationLimitExceeded"}') }, who: "lambda-service", cause: /account's or the function's concurrency/ },
        { name: "Function URL permissions", answer: { status: 403, headers: { "content-type": "application/json", "x-amzn-errortype": "AccessDeniedException" }, body: Buffer.from('{"Message":"Forbidden"}') }, who: "function-url", cause: /lambda:InvokeFunctionUrl and lambda:InvokeFunction/ },
        { name: "Function URL 413", answer: { status: 413, headers: { "content-type": "application/json" }, body: Buffer.from('{"Message":"Request must be smaller than 6291456 bytes for the InvokeFunction operation"}') }, who: "function-url", cause: /6 MB payload limit.*4\.5 MB/, next: /OTEL_EXPORTER_OTLP_COMPRESSION=gzip.*does not retry 413/ },
        { name: "redirect", answer: { status: 308, headers: { location: "https://elsewhere.example/v1/traces" }, body: new Uint8Array() }, who: "proxy", cause: /redirects to https:\/\/elsewhere\.example\/v1\/traces/ },
        { name: "adapter cannot reach the collector", answer: { status: 502, headers: { "content-type": "text/plain" }, body: Buffer.from("Bad Gateway") }, who: "adapter", cause: /not listening on AWS_LWA_PORT/ },
        { name: "Lambda function error through the URL", answer: { status: 502, headers: { "content-type": "application/json", "x-amzn-errortype": "Sandbox.Timedout" }, body: Buffer.from('{"Message":"Internal Server Error"}') }, who: "lambda-service", cause: /failed, timed out, or returned a malformed response/ },
    ];
    for (const row of table) {
        it(`${row.name}: ${row.who}`, () => {
            const d = diagnose(row.answer, row.context ?? viaUrl);
            assert.equal(d.who, row.who, JSON.stringify(d));
            assert.match(d.cause, row.cause);
            if (row.next) assert.match(d.next, row.next);
        });
    }

    it("keeps the part of a long body that names the backend when shortening it", () => {
        const long = `${"x".repeat(400)} ${backendError(401)}`;
        const text = safeExcerpt(rpcStatus(2, long));
        assert.ok(text.length <= 202, `${text.length}`);
        assert.match(text, /request to https:\/\/api\.honeycomb\.io:443\/v1\/traces responded with HTTP Status Code 401/);
    });

    it("never returns a secret: the token sent, its percent-encoded form, and bearertokenauth's echo", () => {
        const token = "s3cr3t-Token_0123456789abcdef";
        const echoed = rpcStatus(16, `scheme or token does not match: Bearer ${token}`);
        const d = diagnose({ status: 401, headers: PROTO, body: echoed }, { ...viaUrl, secrets: [`Bearer ${token}`, token] });
        assert.ok(!d.excerpt.includes(token), d.excerpt);
        assert.match(d.excerpt, /does not match: Bearer s3cr…\(29 chars\)/);
        // Even when the caller did not name it as a secret, the echo is redacted.
        assert.ok(!diagnose({ status: 401, headers: PROTO, body: echoed }, viaUrl).excerpt.includes(token));
        assert.ok(!scrubSecrets(`x ${encodeURIComponent("a b/c+d=eeee")} y`, ["a b/c+d=eeee"]).includes("eeee"));
    });

    it("names the missing permission only when the error text names or implies it", () => {
        assert.equal(missingPermissionOf("is not authorized to perform: xray:PutTraceSegments on resource"), "xray:PutTraceSegments");
        assert.equal(missingPermissionOf("operation error S3: PutObject, https response error StatusCode: 403, api error AccessDenied: Access Denied"), "s3:PutObject");
        assert.equal(missingPermissionOf("operation error S3: PutObject, https response error StatusCode: 500, api error InternalError"), undefined);
        assert.equal(missingPermissionOf("connection refused"), undefined);
    });
});

describe("what counts as accepted", () => {
    const sent = { signal: "traces" as const, tokenSent: true, route: "function-url" as const };
    it("refuses a 200 that is not an OTLP response: JSON without OTLP fields, an HTML page, undecodable protobuf, unknown protobuf fields", () => {
        const cases: [string, string, Uint8Array][] = [
            ["JSON", "application/json", Buffer.from('{"status":"ok"}')],
            ["an empty HTML page", "text/html", Buffer.from("<html></html>")],
            ["an empty page with no content type", "", new Uint8Array()],
            ["undecodable protobuf", "application/x-protobuf", new Uint8Array([0x0a, 0xff, 0xff, 0xff])],
            ["protobuf with another message's fields", "application/x-protobuf", new Uint8Array([0x10, 0x01, 0x1a, 0x01, 0x41])],
        ];
        for (const [name, contentType, body] of cases) {
            const verdict = judgeAnswer({ status: 200, contentType: contentType || undefined, body }, "accepted", sent);
            assert.equal(verdict.ok, false, name);
            assert.match(verdict.outcome, /^200, but the body is not an OTLP ExportTracesServiceResponse/, name);
        }
    });

    it("passes a partial success that rejected nothing and carries a message, as a warning", () => {
        const verdict = judgeAnswer({ status: 200, contentType: "application/x-protobuf", body: encodeTraceResponse({ partialSuccess: { rejectedSpans: 0, errorMessage: "attribute truncated" } }) }, "accepted", sent);
        assert.equal(verdict.ok, true);
        assert.match(verdict.warning ?? "", /accepted everything with a warning: attribute truncated/);
        const json = judgeAnswer({ status: 200, contentType: "application/json", body: Buffer.from('{"partialSuccess":{"errorMessage":"slow down"}}') }, "accepted", sent);
        assert.equal(json.ok, true);
    });

    it("gives the pre-traffic check the same diagnosis from the adapter's response event", () => {
        const request = checkRequestFor(defaultCollectorConfig(), "seed", 1_796_000_000_000)!;
        const verdict = judgeInvocation(adapterResponse(401, rpcStatus(16, backendError(401))), "accepted", request, true);
        assert.equal(verdict.who, "backend-via-collector");
        assert.match(verdict.causes, /refused the exporter's credentials/);
        const denied = judgeInvocation(JSON.stringify({ errorType: "Runtime.ExitError", errorMessage: "is not authorized to perform: logs:PutLogEvents" }), "accepted", request, true);
        assert.match(denied.causes, /may not call logs:PutLogEvents/);
    });
});
