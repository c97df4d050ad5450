// The Function URL stand-in in front of the real adapter and collector: the adapter
// reads its events as Function URL requests (a PassThrough event would be POSTed to
// /events and answered 404), a JSON OTLP body travels as text and a protobuf one as
// base64, and a request above the 6 MB invoke limit is answered 413 without invoking.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { defaultCollectorConfig } from "../../components/shared/config-sources/default-config";
import { INVOKE_PAYLOAD_LIMIT_BYTES } from "../../local/function-url-event";
import { PLAIN_TOKEN, postSpan, startTestFunction, type TestFunction } from "../harness/local-function";

describe("the Function URL stand-in", () => {
    let fn: TestFunction;
    before(async () => {
        fn = await startTestFunction({ config: defaultCollectorConfig(), producers: [{ name: "default", token: PLAIN_TOKEN }] });
    });
    after(() => fn?.stop());

    const invocations = () => fn.logs.filter((l) => l.source === "rie" && l.line.startsWith("START RequestId")).length;

    it("delivers a protobuf export (base64 in the event) and answers with the collector's protobuf response", async () => {
        const sent = await postSpan(fn.url, PLAIN_TOKEN);
        assert.equal(sent.status, 200);
    });

    it("delivers a JSON export as text, with a query string, and answers the collector's JSON", async () => {
        const response = await fetch(`${fn.url}v1/traces?source=local`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${PLAIN_TOKEN}` },
            body: JSON.stringify({ resourceSpans: [] }),
        });
        assert.equal(response.status, 200);
        assert.match(response.headers.get("content-type") ?? "", /application\/json/);
        assert.deepEqual(await response.json(), { partialSuccess: {} });
    });

    it("answers 404 for a path no receiver serves, as the collector does behind a real URL", async () => {
        const response = await fetch(`${fn.url}v1/nothing`, { method: "POST", headers: { authorization: `Bearer ${PLAIN_TOKEN}` }, body: "x" });
        assert.equal(response.status, 404);
    });

    it("answers 413 above the 6 MB limit without invoking the function", async () => {
        const before = invocations();
        const response = await fetch(`${fn.url}v1/traces`, {
            method: "POST",
            headers: { "content-type": "application/x-protobuf", authorization: `Bearer ${PLAIN_TOKEN}` },
            // Under the limit as bytes, above it once base64-encoded in the event.
            body: Buffer.alloc(Math.floor(INVOKE_PAYLOAD_LIMIT_BYTES * 0.8)),
        });
        assert.equal(response.status, 413);
        assert.equal(invocations(), before, "no invocation");
        assert.equal((await postSpan(fn.url, PLAIN_TOKEN)).status, 200, "the function still answers");
    });

    it("runs concurrent requests one at a time (the emulator crashes on two at once)", async () => {
        const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => postSpan(fn.url, PLAIN_TOKEN, `concurrent ${i}`)));
        assert.deepEqual(answers.map((a) => a.status), Array(8).fill(200));
    });
});
