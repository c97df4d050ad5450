// Who answered an OTLP/HTTP request to the collector, why, and what to do next: one
// pure function shared by the deploy's pre-traffic check and `verify`, so they can
// never disagree. It reads the status, the headers and the body (never more than the
// caller already bounded), and never returns a secret it was told about.
//
// Upstream facts it relies on (each read at the tag named):
// - The otlphttp exporter turns a backend's 4xx/5xx into the error text
//   "error exporting items, request to <URL> responded with HTTP Status Code <N>[, Message=…, Details=…]",
//   carrying a gRPC status mapped from <N> (400→InvalidArgument, 401→Unauthenticated,
//   403→PermissionDenied, 404→Unimplemented, 429→ResourceExhausted, 502/503/504→Unavailable,
//   others Unknown): open-telemetry/opentelemetry-collector exporter/otlphttpexporter/otlp.go
//   (`export`) and consumer/consumererror/internal/statusconversion/conversion.go
//   (`NewStatusFromMsgAndHTTPCode`), identical at v0.151.0, v0.159.0 and main @934999f.
// - The otlp receiver answers with the HTTP status of that gRPC status (the same
//   table back: Unauthenticated→401, PermissionDenied→403, Unimplemented→404,
//   ResourceExhausted→429, InvalidArgument→400, Unavailable→503, other→500), and the
//   error's whole text as the google.rpc.Status message in the body: receiver/otlpreceiver/otlphttp.go
//   (`writeError`) and receiver/otlpreceiver/internal/errors/errors.go, same tags. An
//   error without a gRPC status is 500 when permanent, else 503 (`GetStatusFromError`).
//   So a backend's 401 reaches the producer as a 401 *from the collector*.
// - bearertokenauth refuses with "missing or empty authorization header: <header>" or
//   "scheme or token does not match: <the value sent>", echoing the token:
//   open-telemetry/opentelemetry-collector-contrib extension/bearertokenauthextension/bearertokenauth.go
//   (indexed version @012bf87, assumed unchanged at v0.161.0); confighttp answers it with 401
//   (config/confighttp/server.go, collector main @934999f).
// - A body larger than the receiver's max_request_body_size is a 400 "http: request body too large"
//   (otlphttp.go `readAndCloseBody`, net/http MaxBytesReader).
// - Lambda's throttling reasons (TooManyRequestsException.Reason): botocore's Lambda
//   service model, as documented for TooManyRequestsException. That a Function URL
//   answers a throttle with 429 and names the reason in its body or x-amzn-ErrorType
//   header is an assumption (not observed here); any of the names is matched.
import type { Route, Signal } from "./otlp-check";

/** Who produced an answer, as far as the answer shows. */
export type Answerer = "function-url" | "lambda-service" | "adapter" | "collector" | "backend-via-collector" | "aws-api-via-collector" | "proxy" | "unknown";

/** An HTTP answer: status, headers (any case), and a body the caller already bounded. */
export interface AnswerFacts {
    readonly status: number;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body: Uint8Array;
}

export interface DiagnosisContext {
    readonly signal: Signal;
    /** Whether an Authorization header was sent. */
    readonly tokenSent: boolean;
    /** How the request reached the collector: through the URL, or a direct invoke (the pre-traffic check). */
    readonly route: Route;
    /** Values that must never be shown (the token sent); each is redacted wherever it appears. */
    readonly secrets?: readonly string[];
}

export interface Diagnosis {
    readonly who: Answerer;
    /** "the backend behind exporter … (https://api.example.com/v1/traces answered 401)". */
    readonly whoText: string;
    readonly cause: string;
    readonly next: string;
    /** The body as text, shortened around the part that names who answered; secrets redacted. */
    readonly excerpt: string;
}

/** Lambda's throttle reasons (botocore TooManyRequestsException.Reason) and its error type. */
const LAMBDA_THROTTLE = /ReservedFunctionConcurrentInvocationLimitExceeded|ReservedFunctionInvocationRateLimitExceeded|ConcurrentInvocationLimitExceeded|FunctionInvocationRateLimitExceeded|CallerRateLimitExceeded|TooManyRequestsException/;
/** The otlphttp exporter's error text for a backend's answer. */
const OTLPHTTP_BACKEND = /request to (\S+?),? responded with HTTP Status Code (\d{3})/;
/** The otlp (gRPC) exporter's error text for a backend's answer. */
const GRPC_BACKEND = /rpc error: code = (\w+) desc = /;
/** AWS SDK for Go v2 operation errors ("operation error X-Ray: PutTraceSegments, https response error StatusCode: 400, …"). */
const AWS_OPERATION = /operation error ([A-Za-z0-9 -]+): (\w+)/;
/** IAM's denial text names the action: "… is not authorized to perform: xray:PutTraceSegments …". */
const AWS_DENIED_ACTION = /not authorized to perform:? ([a-z0-9-]+:[A-Za-z0-9*]+)/;
const AWS_DENIED = /AccessDenied(?:Exception)?|UnauthorizedOperation|not authorized to perform/;
/** IAM action prefixes of the SDK service names an AWS exporter calls. */
const IAM_PREFIX: Readonly<Record<string, string>> = {
    "X-Ray": "xray", "XRay": "xray", "CloudWatch Logs": "logs", "CloudWatch": "cloudwatch", "S3": "s3", "Kinesis": "kinesis",
    "Firehose": "firehose", "STS": "sts", "Secrets Manager": "secretsmanager", "SSM": "ssm", "KMS": "kms",
};

/** A header value, by case-insensitive name. */
export function headerOf(headers: Readonly<Record<string, string>> | undefined, name: string): string | undefined {
    if (headers === undefined) return undefined;
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : headers[key];
}

/** `Bearer abcd…(48 chars)`: enough to tell tokens apart, not enough to use one. */
export function redactSecret(value: string): string {
    const space = value.indexOf(" ");
    const [scheme, token] = space > 0 ? [value.slice(0, space), value.slice(space + 1)] : ["", value];
    return `${scheme ? `${scheme} ` : ""}${token.slice(0, 4)}…(${token.length} chars)`;
}

/**
 * `text` with every secret (raw, percent-encoded, or after "Bearer ") redacted, and
 * the value bearertokenauth echoes after "does not match:" redacted whatever it is.
 */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
    let out = text;
    const forms = secrets.filter((s) => s.length >= 4).flatMap((s) => [s, encodeURIComponent(s), s.replace(/ /g, "%20")]);
    for (const form of [...new Set(forms)].sort((a, b) => b.length - a.length)) {
        out = out.split(form).join(redactSecret(form.replace(/%20/g, " ")));
    }
    // bearertokenauth: "scheme or token does not match: <value>"; the value runs to the end of the message.
    return out.replace(/(does not match: )(\S+(?: \S+)?)/g, (_m, lead: string, value: string) => value.includes("…(") ? `${lead}${value}` : `${lead}${redactSecret(value.replace(/%20/, " "))}${/%20/.test(value) ? " (sent with a literal %20)" : ""}`);
}

/** The body as printable text: protobuf google.rpc.Status bodies keep their message. */
function bodyText(body: Uint8Array): string {
    return Buffer.from(body).toString("utf8").replace(/[^\x20-\x7E]+/g, " ").replace(/\s+/g, " ").trim();
}

/**
 * At most `limit` printable characters of a body, secrets redacted. When the text names
 * a backend's answer (the exporter's "request to … responded with …") or an AWS
 * denial, the excerpt starts there, so shortening never drops who answered.
 */
export function safeExcerpt(body: Uint8Array, secrets: readonly string[] = [], limit = 200): string {
    if (body.length === 0) return "(empty body)";
    const text = scrubSecrets(bodyText(body), secrets);
    if (text === "") return `(${body.length} bytes of binary)`;
    if (text.length <= limit) return text;
    const anchors = [OTLPHTTP_BACKEND, AWS_OPERATION, AWS_DENIED_ACTION, GRPC_BACKEND, LAMBDA_THROTTLE].map((re) => re.exec(text)?.index).filter((i): i is number => i !== undefined);
    const start = anchors.length === 0 ? 0 : Math.max(0, Math.min(...anchors) - 24);
    const slice = text.slice(start, start + limit);
    return `${start > 0 ? "…" : ""}${slice}${start + limit < text.length ? "…" : ""}`;
}

/** What a backend's status means when the collector passed it through. */
function backendCause(status: number, where: string): { cause: string; next: string } {
    switch (status) {
        case 400: return { cause: `the backend (${where}) refused the data the exporter sent as invalid`, next: "read the backend's message above and the function's log; the producers are not at fault" };
        case 401: return { cause: `the backend (${where}) refused the exporter's credentials: its API key or auth header is wrong or unset`, next: "fix the exporter's headers (e.g. the backend API key secret) in the collector config; the producers' token is fine" };
        case 403: return { cause: `the backend (${where}) refused the exporter's key: it lacks permission to send this signal (or belongs to another team, region or environment)`, next: "give the backend key send/ingest permission, or use a key that has it" };
        case 404: return { cause: `the backend (${where}) has no such path: the exporter's endpoint is wrong (otlphttp appends /v1/<signal> to endpoint; a full URL belongs in traces_endpoint etc.)`, next: "fix the exporter's endpoint in the collector config" };
        case 413: return { cause: `the backend (${where}) refused the request as too large`, next: "send smaller batches from producers, or raise the backend's limit" };
        case 429: return { cause: `the backend (${where}) is throttling the exporter`, next: "retry later, or raise the backend's rate limit; the producer retries a 429" };
        default: return status >= 500
            ? { cause: `the backend (${where}) failed (${status})`, next: "check the backend's status; the producer retries 502, 503 and 504" }
            : { cause: `the backend (${where}) answered ${status}`, next: "read the backend's message above" };
    }
}

/** The missing IAM permission an AWS exporter's error names, or undefined. */
export function missingPermissionOf(text: string): string | undefined {
    const named = AWS_DENIED_ACTION.exec(text)?.[1];
    if (named !== undefined) return named;
    if (!AWS_DENIED.test(text)) return undefined;
    const op = AWS_OPERATION.exec(text);
    if (op === null) return undefined;
    const prefix = IAM_PREFIX[op[1].trim()];
    return prefix === undefined ? undefined : `${prefix}:${op[2]}`;
}

/**
 * Diagnoses a non-success answer: who answered, the cause that fits, the next step.
 * A 2xx is the caller's to judge (it needs the OTLP body); given one, this says so.
 */
export function diagnose(answer: AnswerFacts, context: DiagnosisContext): Diagnosis {
    const secrets = context.secrets ?? [];
    const text = scrubSecrets(bodyText(answer.body), secrets);
    const excerpt = safeExcerpt(answer.body, secrets);
    const errorType = headerOf(answer.headers, "x-amzn-errortype") ?? "";
    const contentType = (headerOf(answer.headers, "content-type") ?? "").toLowerCase();
    const make = (who: Answerer, whoText: string, cause: string, next: string): Diagnosis => ({ who, whoText, cause, next, excerpt });
    const status = answer.status;

    // The collector passed on what an exporter's backend (or AWS API) answered.
    const backend = OTLPHTTP_BACKEND.exec(text);
    if (backend !== null) {
        const backendStatus = Number(backend[2]);
        const { cause, next } = backendCause(backendStatus, `${backend[1]} answered ${backendStatus}`);
        return make("backend-via-collector", `the exporter's backend, passed through by the collector as ${status}`, cause, next);
    }
    const permission = missingPermissionOf(text);
    if (permission !== undefined || (AWS_OPERATION.test(text) && status >= 400)) {
        const op = AWS_OPERATION.exec(text);
        return make("aws-api-via-collector", `an AWS API called by an exporter${op ? ` (${op[1].trim()} ${op[2]})` : ""}, passed through by the collector as ${status}`,
            permission !== undefined ? `the function's role may not call ${permission}` : "the AWS call failed",
            permission !== undefined ? `grant ${permission} to the function's execution role (the exporter's resource, e.g. its log group, bucket or X-Ray)` : "read the AWS error above and the function's log");
    }
    const grpc = GRPC_BACKEND.exec(text);
    if (grpc !== null && /Permanent error|not retryable|no more retries|export/i.test(text)) {
        return make("backend-via-collector", `the exporter's gRPC backend (code ${grpc[1]}), passed through by the collector as ${status}`,
            `the backend behind an otlp (gRPC) exporter answered ${grpc[1]}`, "fix the exporter's endpoint or credentials in the collector config; read the backend's message above");
    }

    // Lambda and the Function URL, before the function ran.
    if (LAMBDA_THROTTLE.test(`${errorType} ${text}`) || (status === 429 && errorType !== "")) {
        const reserved = /ReservedFunction/.test(text + errorType);
        return make("lambda-service", "the Lambda service (the function did not run)",
            reserved ? "Lambda throttled the request: the function is at its reserved concurrency (the reservedConcurrency setting)" : "Lambda throttled the request: the account's or the function's concurrency or invocation rate is exhausted",
            reserved ? "raise reservedConcurrency (or unset it), and let producers retry the 429" : "let producers retry the 429; raise the account's concurrency quota or set reservedConcurrency");
    }
    if (status >= 300 && status < 400) {
        const location = headerOf(answer.headers, "location");
        return make("proxy", "something in front of the collector (a Function URL never redirects)",
            `the endpoint redirects${location ? ` to ${scrubSecrets(location, secrets)}` : ""}; OTLP exporters do not follow redirects with the body`,
            "use the final URL (the stack output producerEnvironment) as the endpoint");
    }
    if (status === 413) {
        return make(context.route === "function-url" ? "function-url" : "lambda-service", context.route === "function-url" ? "the Function URL (the function did not run)" : "the Lambda service",
            "the request is over Lambda's 6 MB payload limit; a binary body travels base64-encoded, so about 4.5 MB of protobuf is the real ceiling",
            "send gzip (OTEL_EXPORTER_OTLP_COMPRESSION=gzip) and smaller batches; the JS exporter does not retry 413, so that batch is lost (docs/producers.md)");
    }
    if (status === 403 && (context.route === "function-url") && (/AccessDenied/.test(errorType) || /^\{"Message":"Forbidden"\}$/.test(text) || !isCollectorShaped(contentType))) {
        return make("function-url", "the Function URL (the function did not run, so there are no logs)",
            "the URL refused the request: the alias needs both lambda:InvokeFunctionUrl and lambda:InvokeFunction (InvokedViaFunctionUrl) permissions",
            "redeploy so the URL's permissions are restored (docs/deploys.md)");
    }
    if ((status === 502 || status === 500) && /Internal Server Error|ServiceException|Runtime\.|Sandbox\./.test(text + errorType) && !isCollectorShaped(contentType)) {
        return make("lambda-service", "the Lambda service (the function failed or returned no valid response)",
            "the function failed, timed out, or returned a malformed response before the collector could answer",
            "read the function's log group for the runtime's message");
    }

    // The collector's own answers (bearertokenauth, the receiver, the pipeline).
    switch (status) {
        case 401: {
            if (!context.tokenSent) {
                return make("collector", "the collector's authenticator", "no Authorization header was sent, and the collector requires one",
                    "set OTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer%20<token> (the stack output producerEnvironment has it)");
            }
            if (/literal %20/.test(text)) {
                return make("collector", "the collector's authenticator", "the producer sent its header percent-encoded (Bearer%20…) instead of decoding it: its SDK is too old to decode OTEL_EXPORTER_OTLP_HEADERS",
                    "upgrade the producer's OpenTelemetry SDK to a version that decodes the header (docs/producers.md lists them)");
            }
            return make("collector", "the collector's authenticator", "the token sent is not one the collector accepts (the header name is case-insensitive, the token is not)",
                "use the token from the stack output producerEnvironment; the collector reads its accepted tokens from COLLECTOR_INGEST_TOKENS, set by the stack");
        }
        case 403:
            return make("collector", "the collector (an authenticator in its config)", "an authenticator refused the request (the Function URL is not involved in a direct invoke)",
                "check the receiver's auth settings in the collector config");
        case 404:
            return make("collector", "the collector (no receiver on this path)", "no OTLP/HTTP receiver serves this path: the pipeline's receiver is not otlp with an http protocol, or it sets a custom *_url_path",
                "point the producer at the receiver's path (the stack output producerEnvironment follows it)");
        case 400:
            return /request body too large/.test(text)
                ? make("collector", "the collector's receiver", "the body is larger than the receiver's max_request_body_size", "send smaller batches, or raise max_request_body_size")
                : make("collector", "the collector's receiver", "the receiver could not decode the body as an OTLP export: something between the caller and the collector changed it, or the path is served by another receiver",
                    "send OTLP/HTTP protobuf (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf) to the endpoint the stack hands out");
        case 405:
        case 415:
            return make("collector", "the collector's receiver", status === 405 ? "the receiver takes only POST" : "the receiver takes only application/x-protobuf or application/json",
                "send OTLP/HTTP with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf");
        case 429:
        case 503:
            return make("collector", "the collector", /high memory usage|memory limit/i.test(text)
                ? "the memory_limiter refused the data (the function's memory is too small for this load)"
                : "an exporter failed with a retryable error and its retries ran out, or a component refused for backpressure",
                "retry (producers retry 429 and 503); if it persists, read the function's log group and raise memorySize");
        case 502:
            return make("adapter", "the Lambda Web Adapter or the Function URL", "the adapter could not reach the collector: it is not listening on AWS_LWA_PORT (4318), or it exited after start",
                "read the function's log group");
        case 504:
            return make("lambda-service", "the Lambda service", "the request timed out inside the function: an exporter waited on an unreachable backend (network, VPC, wrong endpoint) until the function timeout",
                "read the function's log group; set the exporter's timeout and retry budget below the function timeout");
        default:
            return status >= 500
                ? make("collector", "the collector", "an exporter failed (the backend rejected the data or its API key, an unset ${env:...}), or the collector is not running",
                    "read the function's log group")
                : make("unknown", "an unknown server", `unexpected status ${status}`, "check that the endpoint is the collector's Function URL");
    }
}

/**
 * The receiver answers a protobuf request with a protobuf google.rpc.Status
 * (otlphttp.go `writeStatusResponse`); the Function URL and Lambda answer JSON.
 */
function isCollectorShaped(contentType: string): boolean {
    return contentType.startsWith("application/x-protobuf");
}

/** One clause for a message: "<cause> (answered by <who>); next: <step>". */
export function diagnosisText(d: Diagnosis): string {
    return `${d.cause} (answered by ${d.whoText}); next: ${d.next}`;
}
