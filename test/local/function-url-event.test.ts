// The Function URL stand-in's two conversions, without processes: an HTTP request
// becomes the payload-2.0 event a URL sends (shaped as the AWS docs' example and the
// lambda_http fixture, so the adapter reads it as ApiGatewayV2, never PassThrough), and
// the function's response event becomes the HTTP answer. The real adapter reading
// these events is test/local/function-url.integration.ts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { functionUrlRequestEvent, httpResponseOf, INVOKE_PAYLOAD_LIMIT_BYTES, isTextContentType } from "../../local/function-url-event";
import { lambdaResult } from "../../local/rie-invoke";

const base = { method: "POST", target: "/v1/traces", sourceIp: "127.0.0.1", timeMs: Date.UTC(2026, 0, 2, 3, 4, 5), domainName: "127.0.0.1:9999" };

describe("the request event", () => {
    it("is payload format 2.0 with a binary body base64-encoded and the method only under requestContext.http", () => {
        const body = Buffer.from([0x0a, 0x00, 0xff, 0x10]);
        const event = functionUrlRequestEvent({ ...base, headers: [["Content-Type", "application/x-protobuf"], ["Authorization", "Bearer t"]], body });
        assert.equal(event.version, "2.0");
        assert.equal(event.routeKey, "$default");
        assert.equal(event.rawPath, "/v1/traces");
        assert.equal(event.rawQueryString, "");
        assert.equal(event.isBase64Encoded, true);
        assert.deepEqual(Buffer.from(String(event.body), "base64"), body);
        assert.equal("httpMethod" in event, false, "a top-level httpMethod makes lambda_http read a REST (v1) event");
        const context = event.requestContext as Record<string, unknown>;
        assert.deepEqual(context.http, { method: "POST", path: "/v1/traces", protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "" });
        assert.equal(context.accountId, "anonymous");
        assert.equal(context.stage, "$default");
        assert.equal(context.time, "02/Jan/2026:03:04:05 +0000");
        assert.equal(context.timeEpoch, base.timeMs);
        assert.equal(typeof context.requestId, "string");
    });

    it("lower-cases header names, joins repeated ones with commas and moves cookies out", () => {
        const event = functionUrlRequestEvent({ ...base, method: "GET", target: "/a/b?x=1&x=2&y=", headers: [["X-Multi", "a"], ["x-multi", "b"], ["Cookie", "c1=v1; c2=v2"], ["User-Agent", "ua"]], body: Buffer.alloc(0) });
        const headers = event.headers as Record<string, string>;
        assert.equal(headers["x-multi"], "a,b");
        assert.equal(headers.cookie, undefined);
        assert.equal(headers["user-agent"], "ua");
        assert.deepEqual(event.cookies, ["c1=v1", "c2=v2"]);
        assert.equal(event.rawQueryString, "x=1&x=2&y=");
        assert.deepEqual(event.queryStringParameters, { x: "1,2", y: "" });
        assert.equal("body" in event, false, "no body for an empty request");
        assert.equal(event.isBase64Encoded, false);
    });

    it("passes text bodies as text and everything else as base64", () => {
        for (const type of ["application/json", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "application/vnd.api+json"]) assert.ok(isTextContentType(type), type);
        for (const type of ["application/x-protobuf", "application/octet-stream", undefined]) assert.equal(isTextContentType(type), false, String(type));
        const event = functionUrlRequestEvent({ ...base, headers: [["content-type", "application/json"]], body: Buffer.from('{"resourceSpans":[]}') });
        assert.equal(event.body, '{"resourceSpans":[]}');
        assert.equal(event.isBase64Encoded, false);
    });

    it("keeps Lambda's 6 MB invoke payload limit", () => {
        assert.equal(INVOKE_PAYLOAD_LIMIT_BYTES, 6_291_456);
    });
});

describe("the response", () => {
    it("unpacks the adapter's response event: status, headers, cookies, base64 body; drops hop-by-hop headers", () => {
        const answer = httpResponseOf(Buffer.from(JSON.stringify({
            statusCode: 401,
            headers: { "content-type": "application/x-protobuf", "transfer-encoding": "chunked", "content-length": "3" },
            multiValueHeaders: { vary: ["a", "b"] },
            cookies: ["s=1"],
            body: Buffer.from([1, 2, 3]).toString("base64"),
            isBase64Encoded: true,
        })));
        assert.equal(answer.status, 401);
        assert.deepEqual(answer.body, Buffer.from([1, 2, 3]));
        assert.equal(answer.headers["content-type"], "application/x-protobuf");
        assert.deepEqual(answer.headers.vary, ["a", "b"]);
        assert.equal(answer.headers["set-cookie"], "s=1");
        assert.equal(answer.headers["transfer-encoding"], undefined);
        assert.equal(answer.headers["content-length"], undefined);
    });

    it("answers 502 for a function error or anything that is not a response event", () => {
        for (const payload of ['{"errorType":"Runtime.ExitError","errorMessage":"exit status 1"}', "Task timed out after 3.00 seconds", "[]"]) {
            assert.equal(httpResponseOf(Buffer.from(payload)).status, 502, payload);
        }
    });

    it("rewrites the emulator's timeout text as Lambda's error payload", () => {
        const result = lambdaResult(200, Buffer.from("Task timed out after 3.00 seconds"), "req-1");
        assert.equal(result.functionError, true);
        assert.deepEqual(JSON.parse(result.payload.toString()), { errorType: "Sandbox.Timedout", errorMessage: "RequestId: req-1 Error: Task timed out after 3.00 seconds" });
        assert.equal(lambdaResult(200, Buffer.from('{"statusCode":200}'), "r").functionError, false);
    });
});
