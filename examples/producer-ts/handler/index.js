// @ts-check
// The example producer's Lambda entry point (handler "index.handler"). Replace `work`
// with your own code; keep the instrument() wrapper, which opens the invocation's span
// and flushes it before Lambda freezes the process.
"use strict";

const { trace } = require("@opentelemetry/api");
const { instrument } = require("./otel");

// Module scope: runs once per cold start, so the SDK is set up once, not per invocation.
const tracer = trace.getTracer("collector-producer-example");

/**
 * @param {unknown} _event
 * @param {import("./otel").LambdaContext} context
 */
async function work(_event, context) {
    // A child span, to show that spans made inside the handler join the invocation's trace.
    return tracer.startActiveSpan("say-hello", async (span) => {
        try {
            return { statusCode: 200, body: JSON.stringify({ hello: "from the producer", requestId: context.awsRequestId }) };
        } finally {
            span.end();
        }
    });
}

exports.handler = instrument(work);
