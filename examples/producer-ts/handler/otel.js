// @ts-check
// OpenTelemetry for a Node.js Lambda handler: one SERVER span per invocation with the
// semantic-convention FaaS attributes, exported over OTLP/HTTP (protobuf) and flushed
// before the handler returns, because Lambda freezes the process after the response and
// spans still queued in a batch processor would wait for a thaw that may never come.
//
// Configuration comes only from the standard variables, which the collector stack's
// `producerEnvironment` output provides:
//   OTEL_EXPORTER_OTLP_ENDPOINT   base URL; the exporter appends /v1/traces
//   OTEL_EXPORTER_OTLP_HEADERS    authorization=Bearer%20<token> (percent-decoded by the SDK)
//   OTEL_EXPORTER_OTLP_TIMEOUT    per-export budget in MILLISECONDS (JS), retries included;
//                                 default 10000. Set it above the collector's cold start.
//   OTEL_SERVICE_NAME             service.name (falls back to the function name)
//   OTEL_RESOURCE_ATTRIBUTES      extra resource attributes
//   OTEL_LOG_LEVEL                SDK diagnostics (default ERROR)
"use strict";

const { context: otelContext, diag, DiagLogLevel, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } = require("@opentelemetry/api");
const { OTLPTraceExporter } = require("@opentelemetry/exporter-trace-otlp-proto");
const { defaultResource, detectResources, envDetector, resourceFromAttributes } = require("@opentelemetry/resources");
const { BatchSpanProcessor, NodeTracerProvider } = require("@opentelemetry/sdk-trace-node");
const {
    ATTR_AWS_LAMBDA_INVOKED_ARN,
    ATTR_CLOUD_ACCOUNT_ID,
    ATTR_CLOUD_PLATFORM,
    ATTR_CLOUD_PROVIDER,
    ATTR_CLOUD_REGION,
    ATTR_FAAS_COLDSTART,
    ATTR_FAAS_INSTANCE,
    ATTR_FAAS_MAX_MEMORY,
    ATTR_FAAS_NAME,
    ATTR_FAAS_TRIGGER,
    ATTR_FAAS_VERSION,
    ATTR_SERVICE_NAME,
    CLOUD_PLATFORM_VALUE_AWS_LAMBDA,
    CLOUD_PROVIDER_VALUE_AWS,
} = require("@opentelemetry/semantic-conventions/incubating");

// Not ATTR_FAAS_INVOCATION_ID: semantic-conventions 1.45.0 spells it "faas.invocation.id",
// while the specification's registry (open-telemetry/semantic-conventions
// model/faas/registry.yaml, and docs/faas/aws-lambda.md) names it faas.invocation_id.
const ATTR_FAAS_INVOCATION_ID = "faas.invocation_id";

/** Time kept back from the function's remaining time, so the handler returns before Lambda's own timeout turns the invocation into an error. */
const FLUSH_MARGIN_MS = 1000;

/**
 * @typedef {{ functionName: string; awsRequestId: string; invokedFunctionArn: string; getRemainingTimeInMillis(): number }} LambdaContext
 * @typedef {(line: string) => void} Log
 * @typedef {{ log?: Log; tracerName?: string }} InstrumentOptions
 */

/**
 * The faas.trigger value for a Lambda event (semantic conventions, faas.trigger):
 * http for Function URL / API Gateway events, pubsub for SQS/SNS/Kinesis/EventBridge
 * records, datasource for S3/DynamoDB records, timer for scheduled events, else other.
 * @param {unknown} event
 * @returns {"http" | "pubsub" | "datasource" | "timer" | "other"}
 */
function triggerOf(event) {
    if (typeof event !== "object" || event === null) return "other";
    const e = /** @type {Record<string, any>} */ (event);
    if (e.requestContext !== undefined || e.httpMethod !== undefined) return "http";
    if (e.source === "aws.events" || e.source === "aws.scheduler" || e["detail-type"] === "Scheduled Event") return "timer";
    const source = Array.isArray(e.Records) && e.Records.length > 0 ? String(e.Records[0].eventSource ?? e.Records[0].EventSource ?? "") : "";
    if (/^aws:(sqs|sns|kinesis)$/.test(source)) return "pubsub";
    if (/^aws:(s3|dynamodb)$/.test(source)) return "datasource";
    return "other";
}

/**
 * One line saying what a failed export means for this collector, from the exporter's
 * error (OTLPExporterError carries the HTTP status as `code`). The JS exporter retries
 * 429/502/503/504 and timeouts within OTEL_EXPORTER_OTLP_TIMEOUT, never 401/403
 * (otlp-exporter-base 0.223.1, is-export-retryable.js).
 * @param {unknown} failure
 */
function describe(failure) {
    const errors = Array.isArray(failure) ? failure : [failure];
    return errors.map((error) => {
        const e = /** @type {{ message?: string; code?: number }} */ (error ?? {});
        const message = e.message ?? String(error);
        switch (true) {
            case e.code === 401:
                return `401 ${message}: the collector rejected the bearer token; redeploy with the current producerEnvironment (the token rotated?)`;
            case e.code === 403:
                return `403 ${message}: the Function URL refused the request before the collector ran`;
            case e.code === 429:
                return `429 ${message}: the collector is at its concurrency ceiling; retried until OTEL_EXPORTER_OTLP_TIMEOUT ran out`;
            case typeof e.code === "number" && e.code >= 500:
                return `${e.code} ${message}: the collector is not running or failed (see its logs); retried until OTEL_EXPORTER_OTLP_TIMEOUT ran out`;
            case message === "Export failed with retryable status":
                // The exporter drops the status of retryable answers; OTEL_LOG_LEVEL=warn shows each one.
                return `${message}: the collector kept answering 429 (at its concurrency ceiling) or 502/503/504 (not running) until OTEL_EXPORTER_OTLP_TIMEOUT ran out; OTEL_LOG_LEVEL=warn logs each status`;
            case /timed? ?out/i.test(message):
                return `${message}: no answer within OTEL_EXPORTER_OTLP_TIMEOUT; set it above the collector's cold start`;
            default:
                return message;
        }
    }).join("; ");
}

/** @param {Log} log */
function diagnostics(log) {
    const name = (process.env.OTEL_LOG_LEVEL ?? "ERROR").toUpperCase();
    const level = /** @type {Record<string, DiagLogLevel>} */ (/** @type {unknown} */ (DiagLogLevel))[name] ?? DiagLogLevel.ERROR;
    /** @param {string} kind */
    const write = (kind) => (/** @type {string} */ message, /** @type {unknown[]} */ ...args) => log(`otel ${kind}: ${[message, ...args.map(String)].join(" ")}`);
    diag.setLogger({ error: write("error"), warn: write("warn"), info: write("info"), debug: write("debug"), verbose: write("verbose") }, { logLevel: level, suppressOverrideMessage: true });
}

/**
 * Wraps `work(event, context)` in a span per invocation and flushes before returning.
 * Builds the tracer provider now (call it at module scope, so a cold start pays for it
 * once) from the OTEL_* variables. The returned handler never fails because telemetry
 * failed: export errors are logged through `options.log` (default console.error).
 *
 * @template E, R
 * @param {(event: E, context: LambdaContext) => Promise<R>} work
 * @param {InstrumentOptions} [options]
 * @returns {((event: E, context: LambdaContext) => Promise<R>) & { provider: NodeTracerProvider }}
 */
function instrument(work, options = {}) {
    const log = options.log ?? ((line) => console.error(line));
    diagnostics(log);
    const protocol = process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? process.env.OTEL_EXPORTER_OTLP_PROTOCOL;
    if (protocol !== undefined && protocol !== "http/protobuf") {
        log(`otel: OTEL_EXPORTER_OTLP_PROTOCOL is "${protocol}" but this handler exports http/protobuf, which the collector's Function URL accepts`);
    }
    const env = process.env;
    // Resource attributes from the Lambda runtime's reserved variables; OTEL_SERVICE_NAME
    // and OTEL_RESOURCE_ATTRIBUTES (envDetector) are merged last, so they win.
    const lambda = resourceFromAttributes({
        [ATTR_SERVICE_NAME]: env.AWS_LAMBDA_FUNCTION_NAME,
        [ATTR_CLOUD_PROVIDER]: CLOUD_PROVIDER_VALUE_AWS,
        [ATTR_CLOUD_PLATFORM]: CLOUD_PLATFORM_VALUE_AWS_LAMBDA,
        [ATTR_CLOUD_REGION]: env.AWS_REGION,
        [ATTR_FAAS_NAME]: env.AWS_LAMBDA_FUNCTION_NAME,
        [ATTR_FAAS_VERSION]: env.AWS_LAMBDA_FUNCTION_VERSION,
        [ATTR_FAAS_INSTANCE]: env.AWS_LAMBDA_LOG_STREAM_NAME,
        // In bytes: the semconv says the MiB value "must be multiplied by 1,048,576".
        [ATTR_FAAS_MAX_MEMORY]: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ? Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE) * 1048576 : undefined,
    });
    const resource = defaultResource().merge(lambda).merge(detectResources({ detectors: [envDetector] }));
    // Endpoint, headers and timeout from OTEL_EXPORTER_OTLP_*; nothing is set in code.
    const exporter = new OTLPTraceExporter();
    // A batch processor sends all spans of an invocation in one request at the flush
    // below; the flush, not the batch timer, is what gets them out before the freeze.
    const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter)] });
    // Global provider (for trace.getTracer in your code), AsyncLocalStorage context and W3C
    // propagators. The invocation span uses this provider directly, whatever is global.
    provider.register();
    const tracer = provider.getTracer(options.tracerName ?? "collector-producer-example");
    let coldStart = true;

    /**
     * Waits for every span of this invocation to be exported, for at most `budgetMs`.
     * provider.forceFlush() exports what is queued and waits for that export, but not
     * for one the batch timer already started; exporter.forceFlush() waits for that.
     * @param {number} budgetMs
     */
    async function flush(budgetMs) {
        /** @type {NodeJS.Timeout | undefined} */
        let timer;
        const exported = (async () => {
            await provider.forceFlush();
            await exporter.forceFlush();
            return /** @type {{ error?: unknown; timedOut?: boolean }} */ ({});
        })().catch((error) => ({ error }));
        const deadline = new Promise((resolve) => { timer = setTimeout(() => resolve({ timedOut: true }), budgetMs); });
        const outcome = /** @type {{ error?: unknown; timedOut?: boolean }} */ (await Promise.race([exported, deadline]));
        clearTimeout(timer);
        if (outcome.timedOut) {
            log(`otel: span export did not finish within ${budgetMs} ms (the function's remaining time less ${FLUSH_MARGIN_MS} ms); raise the function timeout above OTEL_EXPORTER_OTLP_TIMEOUT`);
        } else if (outcome.error !== undefined) {
            log(`otel: span export failed: ${describe(outcome.error)}`);
        }
    }

    /** @type {(event: E, context: LambdaContext) => Promise<R>} */
    const handler = async (event, context) => {
        const trigger = triggerOf(event);
        const headers = trigger === "http" ? /** @type {{ headers?: Record<string, string> }} */ (event).headers : undefined;
        const parent = headers ? propagation.extract(ROOT_CONTEXT, headers) : ROOT_CONTEXT;
        const arn = context.invokedFunctionArn ?? "";
        const span = tracer.startSpan(context.functionName, {
            kind: SpanKind.SERVER,
            attributes: {
                [ATTR_FAAS_TRIGGER]: trigger,
                [ATTR_FAAS_INVOCATION_ID]: context.awsRequestId,
                [ATTR_FAAS_COLDSTART]: coldStart,
                [ATTR_AWS_LAMBDA_INVOKED_ARN]: arn,
                [ATTR_CLOUD_ACCOUNT_ID]: arn.split(":")[4],
            },
        }, parent);
        coldStart = false;
        try {
            return await otelContext.with(trace.setSpan(parent, span), () => work(event, context));
        } catch (error) {
            span.recordException(/** @type {Error} */ (error));
            span.setStatus({ code: SpanStatusCode.ERROR, message: String(/** @type {Error} */ (error)?.message ?? error) });
            throw error;
        } finally {
            span.end();
            await flush(Math.max(0, context.getRemainingTimeInMillis() - FLUSH_MARGIN_MS));
        }
    };
    return Object.assign(handler, { provider });
}

module.exports = { instrument, triggerOf, FLUSH_MARGIN_MS };
