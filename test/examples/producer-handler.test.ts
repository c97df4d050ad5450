// The producer example's Lambda handler (examples/producer-ts/handler), run in-process
// against a loopback OTLP/HTTP receiver that enforces the bearer token like the
// deployed collector. It proves what only the handler controls: the invocation's span
// has left the process when the handler's promise resolves (Lambda may freeze it right
// after), telemetry failures never reach the caller, and the flush is bounded.
//
// Time is scaled down ~5x so the file runs in a few seconds: a receiver that answers
// after 1.5 s stands for the collector's ~4 s cold start (double-digit seconds at
// 128 MB); OTEL_EXPORTER_OTLP_TIMEOUT=1000 stands for a timeout below it and 3000 for
// the example's 15000 (the JS SDK's own default is 10000 ms, too slow for a test).
import assert from "node:assert/strict";
import * as path from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { context, propagation, trace } from "@opentelemetry/api";
import { producerEnvironmentFor } from "../../components/shared/tokens/producer-environment";
import { startReceiver, type Receiver } from "../harness/otlp-receiver";
import { projectRoot } from "../harness/paths";

interface LambdaContext {
    functionName: string;
    awsRequestId: string;
    invokedFunctionArn: string;
    getRemainingTimeInMillis(): number;
}
type Handler = ((event: unknown, context: LambdaContext) => Promise<unknown>) & { provider: { shutdown(): Promise<void> } };
interface OtelModule {
    instrument(work: (event: unknown, context: LambdaContext) => Promise<unknown>, options?: { log?: (line: string) => void }): Handler;
    triggerOf(event: unknown): string;
    FLUSH_MARGIN_MS: number;
}

const handlerDir = path.join(projectRoot, "examples", "producer-ts", "handler");
const TOKEN = "Tok-en_0123456789.abcdefghijklmnopqrstuvwxyz~ABCDEFGHIJ";
const SERVICE = "producer-under-test";
const LAMBDA_ENV = {
    AWS_REGION: "eu-central-1",
    AWS_LAMBDA_FUNCTION_NAME: "producer-1a2b3c4",
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "256",
    AWS_LAMBDA_LOG_STREAM_NAME: "2026/11/30/[$LATEST]0123456789abcdef",
};
const OTEL_KEYS = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_SERVICE_NAME", "OTEL_BSP_SCHEDULE_DELAY"];
const HTTP_EVENT = { requestContext: { http: { method: "GET" } }, headers: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" } };

function lambdaContext(requestId: string, remainingMs = 30_000): LambdaContext {
    const end = Date.now() + remainingMs;
    return {
        functionName: LAMBDA_ENV.AWS_LAMBDA_FUNCTION_NAME,
        awsRequestId: requestId,
        invokedFunctionArn: `arn:aws:lambda:eu-central-1:123456789012:function:${LAMBDA_ENV.AWS_LAMBDA_FUNCTION_NAME}`,
        getRemainingTimeInMillis: () => end - Date.now(),
    };
}

const saved: Record<string, string | undefined> = {};
const handlers: Handler[] = [];
let receiver: Receiver | undefined;

/** Sets the function's environment as the stack does: producerEnvironment + OTEL_SERVICE_NAME (+ timeout). */
function setEnvironment(url: string, token: string, timeoutMs?: number): void {
    Object.assign(process.env, LAMBDA_ENV, producerEnvironmentFor(url, token), { OTEL_SERVICE_NAME: SERVICE });
    if (timeoutMs !== undefined) process.env.OTEL_EXPORTER_OTLP_TIMEOUT = String(timeoutMs);
}

function load(): OtelModule {
    return require(path.join(handlerDir, "otel.js")) as OtelModule;
}

/** A fresh handler (and tracer provider) for the current environment. */
function instrumented(work: (event: unknown, context: LambdaContext) => Promise<unknown>, log: string[]): Handler {
    resetGlobals();
    const handler = load().instrument(work, { log: (line) => log.push(line) });
    handlers.push(handler);
    return handler;
}

/** Each handler registers its provider as the global one, as in a fresh Lambda process. */
function resetGlobals(): void {
    trace.disable();
    context.disable();
    propagation.disable();
}

beforeEach(() => {
    for (const key of [...OTEL_KEYS, ...Object.keys(LAMBDA_ENV)]) saved[key] = process.env[key];
    resetGlobals();
});

afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
    for (const handler of handlers.splice(0)) await handler.provider.shutdown().catch(() => undefined);
    for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
    }
    delete require.cache[path.join(handlerDir, "index.js")];
});

describe("producer handler", () => {
    it("has exported the invocation's span, with the FaaS attributes, when its promise resolves", async () => {
        receiver = await startReceiver({ token: TOKEN });
        setEnvironment(receiver.url, TOKEN);
        // The real entry point, as Lambda loads it.
        const { handler } = require(path.join(handlerDir, "index.js")) as { handler: Handler };
        handlers.push(handler);

        const first = await handler(HTTP_EVENT, lambdaContext("req-1")) as { statusCode: number };
        assert.equal(first.statusCode, 200);
        assert.equal(receiver.requests.length, 1, "one request for the invocation's two spans");
        assert.equal(receiver.requests[0].authorization, `Bearer ${TOKEN}`);
        const server = receiver.spans.find((s) => s.name === LAMBDA_ENV.AWS_LAMBDA_FUNCTION_NAME);
        assert.ok(server, `the invocation span arrived; got ${receiver.spans.map((s) => s.name).join(", ")}`);
        assert.equal(server.kind, 2, "SPAN_KIND_SERVER");
        assert.deepEqual(server.attributes, {
            "faas.trigger": "http",
            "faas.invocation_id": "req-1",
            "faas.coldstart": true,
            "aws.lambda.invoked_arn": `arn:aws:lambda:eu-central-1:123456789012:function:${LAMBDA_ENV.AWS_LAMBDA_FUNCTION_NAME}`,
            "cloud.account.id": "123456789012",
        });
        assert.equal(server.traceId, "0af7651916cd43dd8448eb211c80319c", "continues the caller's W3C trace");
        assert.equal(server.resource["service.name"], SERVICE, "OTEL_SERVICE_NAME wins over the function name");
        assert.equal(server.resource["cloud.provider"], "aws");
        assert.equal(server.resource["cloud.platform"], "aws_lambda");
        assert.equal(server.resource["cloud.region"], "eu-central-1");
        assert.equal(server.resource["faas.name"], LAMBDA_ENV.AWS_LAMBDA_FUNCTION_NAME);
        assert.equal(server.resource["faas.version"], "$LATEST");
        assert.equal(server.resource["faas.max_memory"], 256 * 1048576);
        const child = receiver.spans.find((s) => s.name === "say-hello");
        assert.equal(child?.traceId, server.traceId, "a span made inside the handler joins the invocation's trace");

        await handler({}, lambdaContext("req-2"));
        const second = receiver.spans.find((s) => s.attributes["faas.invocation_id"] === "req-2");
        assert.equal(second?.attributes["faas.coldstart"], false, "only the first invocation is a cold start");
        assert.equal(second?.attributes["faas.trigger"], "other");
    });

    it("has also exported a span whose export the batch timer started before the handler returned", async () => {
        // The first request (the timer's) answers late, the flush's own request at once:
        // provider.forceFlush() waits only for the latter, so the handler must also wait
        // for exports already in flight, or Lambda freezes the process with this one open.
        receiver = await startReceiver({ token: TOKEN, delaysMs: [600, 0] });
        setEnvironment(receiver.url, TOKEN);
        // The batch timer fires 50 ms after a span ends (sdk-trace-base 2.12.1 reads
        // OTEL_BSP_SCHEDULE_DELAY, BatchSpanProcessor-shim.ts; the default is 5000).
        process.env.OTEL_BSP_SCHEDULE_DELAY = "50";
        const handler = instrumented(async () => {
            trace.getTracer("work").startSpan("early-step").end();
            // Longer than the schedule delay: the timer's export of early-step is under way.
            await new Promise((resolve) => setTimeout(resolve, 200));
            return "done";
        }, []);
        assert.equal(await handler({}, lambdaContext("req-in-flight")), "done");
        assert.deepEqual(receiver.requests.map((r) => r.outcome), [200, 200], "two exports, both answered before the handler returned");
        assert.deepEqual(receiver.spans.map((s) => s.name).sort(), ["early-step", LAMBDA_ENV.AWS_LAMBDA_FUNCTION_NAME].sort());
    });

    it("returns the caller's result in bounded time and logs the failure when the token is wrong", async () => {
        receiver = await startReceiver({ token: TOKEN });
        setEnvironment(receiver.url, "wrong-token");
        const log: string[] = [];
        const handler = instrumented(async () => ({ statusCode: 200 }), log);
        const started = Date.now();
        assert.deepEqual(await handler(HTTP_EVENT, lambdaContext("req-401")), { statusCode: 200 });
        const elapsed = Date.now() - started;
        assert.ok(elapsed < 1000, `401 is not retried; returned after ${elapsed} ms`);
        assert.deepEqual(receiver.requests.map((r) => r.outcome), [401]);
        assert.equal(receiver.spans.length, 0);
        assert.equal(log.length, 1, log.join("\n"));
        assert.match(log[0], /^otel: span export failed: 401 .*rejected the bearer token/);
    });

    it("gives up after one attempt within its budget and logs the cause when the collector throttles (429) or is down (503)", async () => {
        for (const status of [429, 503]) {
            receiver = await startReceiver({ token: TOKEN, status });
            // A budget shorter than the first backoff (about 1 s): one attempt, then give up.
            setEnvironment(receiver.url, TOKEN, 500);
            const log: string[] = [];
            const handler = instrumented(async () => "done", log);
            assert.equal(await handler({}, lambdaContext(`req-${status}`)), "done");
            // One attempt and no retry: the budget ran out before the first backoff.
            assert.deepEqual(receiver.requests.map((r) => r.outcome), [status]);
            assert.match(log.join("\n"), /^otel: span export failed: Export failed with retryable status: the collector kept answering 429 \(at its concurrency ceiling\) or 502\/503\/504/);
            await receiver.close();
            receiver = undefined;
        }
    });

    it("keeps the caller's own error, and still exports the failed invocation's span", async () => {
        receiver = await startReceiver({ token: TOKEN });
        setEnvironment(receiver.url, TOKEN);
        const handler = instrumented(async () => {
            throw new Error("business failure");
        }, []);
        await assert.rejects(handler({}, lambdaContext("req-err")), /business failure/);
        assert.equal(receiver.spans.length, 1);
        assert.equal(receiver.spans[0].attributes["faas.invocation_id"], "req-err");
    });

    it("loses the span to a collector slower than the export timeout, and gets it with a timeout above it", async () => {
        receiver = await startReceiver({ token: TOKEN, delayMs: 1500 });
        const short: string[] = [];
        setEnvironment(receiver.url, TOKEN, 1000);
        const tooShort = instrumented(async () => "done", short);
        assert.equal(await tooShort({}, lambdaContext("req-short")), "done");
        assert.equal(receiver.spans.length, 0, "the exporter gave up before the slow answer");
        assert.match(short.join("\n"), /^otel: span export failed: .*OTEL_EXPORTER_OTLP_TIMEOUT; set it above the collector's cold start/);

        const long: string[] = [];
        setEnvironment(receiver.url, TOKEN, 3000);
        const enough = instrumented(async () => "done", long);
        assert.equal(await enough({}, lambdaContext("req-long")), "done");
        // The span arrived after the 1.5 s delay, so the handler waited for it before returning.
        assert.deepEqual(receiver.spans.map((s) => s.attributes["faas.invocation_id"]), ["req-long"]);
        assert.deepEqual(long, []);
    });

    it("stops waiting before the function's own timeout when the collector never answers", async () => {
        receiver = await startReceiver({ token: TOKEN, hang: true });
        // An export budget longer than the time the function has left (here 2000 vs
        // 1500 ms; in the example 15000 ms vs a 30 s function timeout is the safe order).
        setEnvironment(receiver.url, TOKEN, 2000);
        const log: string[] = [];
        const handler = instrumented(async () => "done", log);
        const { FLUSH_MARGIN_MS } = load();
        const remaining = FLUSH_MARGIN_MS + 500;
        const started = Date.now();
        assert.equal(await handler({}, lambdaContext("req-hang", remaining)), "done");
        const elapsed = Date.now() - started;
        assert.ok(elapsed >= 450 && elapsed < remaining, `returned after ${elapsed} ms, before the ${remaining} ms the function had left`);
        const budget = Number(/^otel: span export did not finish within (\d+) ms/.exec(log.join("\n"))?.[1]);
        assert.ok(budget > 400 && budget <= 500, `the budget is the remaining time less the margin: ${log.join("\n")}`);
    });

    it("names the trigger of common Lambda events", () => {
        const { triggerOf } = load();
        assert.equal(triggerOf({ requestContext: {} }), "http");
        assert.equal(triggerOf({ httpMethod: "POST" }), "http");
        assert.equal(triggerOf({ Records: [{ eventSource: "aws:sqs" }] }), "pubsub");
        assert.equal(triggerOf({ Records: [{ EventSource: "aws:sns" }] }), "pubsub");
        assert.equal(triggerOf({ Records: [{ eventSource: "aws:s3" }] }), "datasource");
        assert.equal(triggerOf({ source: "aws.scheduler" }), "timer");
        assert.equal(triggerOf("x"), "other");
    });
});
