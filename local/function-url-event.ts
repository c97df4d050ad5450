// What a Lambda Function URL does to an HTTP request and to the function's answer:
// the request becomes a payload-format-2.0 event, and the function's response event
// becomes the HTTP response. Pure functions; the stand-in server (function-url.ts)
// does the I/O.
//
// The event's shape follows "Invoking Lambda function URLs", section "Request and
// response payloads" (docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html) and
// the fixture awslabs/aws-lambda-rust-runtime lambda-http/tests/data/lambda_function_url_request.json,
// which lambda_http (the adapter's event library) reads as ApiGatewayV2. A missing or
// mistyped v2 field does not fail there: lambda_http falls through to PassThrough,
// which the adapter POSTs to AWS_LWA_PASS_THROUGH_PATH (/events), and the collector
// answers 404 (aws-lambda-web-adapter src/lib.rs). So every field is built as a real
// URL builds it, and a unit test reads the event back with the same expectations.
import { randomBytes, randomUUID } from "node:crypto";

/**
 * Lambda's limit on a synchronous invocation's request payload: 6 MB (6,291,456 bytes,
 * "Lambda quotas", Function configuration, deployment, and execution). A Function URL
 * refuses a larger request with 413 before invoking.
 */
export const INVOKE_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

/** An HTTP request as the stand-in received it. */
export interface IncomingRequest {
    readonly method: string;
    /** The request target as sent: path and query, e.g. `/v1/traces?x=1`. */
    readonly target: string;
    /** Raw header lines as [name, value] pairs, in order (Node's `rawHeaders`, paired). */
    readonly headers: readonly (readonly [string, string])[];
    readonly body: Buffer;
    readonly sourceIp: string;
    readonly timeMs: number;
    /** The URL's host (`127.0.0.1:PORT`), which a real URL's domainName stands for. */
    readonly domainName: string;
}

/** The URL id the stand-in claims; a real one is 32 lower-case letters and digits. */
export const LOCAL_URL_ID = "local";

/**
 * Content types a Function URL passes as text (`isBase64Encoded: false`); every other
 * body is base64-encoded. ASSUMPTION: the docs say only that binary bodies arrive
 * base64-encoded; this list is the usual text set (text/*, JSON, XML, JavaScript,
 * form data). An OTLP protobuf body is binary under any reading.
 */
export function isTextContentType(contentType: string | undefined): boolean {
    if (contentType === undefined) return false;
    const type = contentType.split(";")[0].trim().toLowerCase();
    return type.startsWith("text/")
        || /^application\/(json|xml|javascript|x-www-form-urlencoded|[a-z0-9.+-]+\+(json|xml))$/.test(type);
}

/** The payload-2.0 event a Function URL (AuthType NONE) sends for `request`. */
export function functionUrlRequestEvent(request: IncomingRequest): Record<string, unknown> {
    const [rawPath, ...query] = request.target.split("?");
    const rawQueryString = query.join("?");
    // Header names lower-cased; repeated headers joined with ","; cookies moved to `cookies`.
    const headers: Record<string, string> = {};
    const cookies: string[] = [];
    for (const [name, value] of request.headers) {
        const key = name.toLowerCase();
        if (key === "cookie") {
            cookies.push(...value.split(";").map((c) => c.trim()).filter(Boolean));
            continue;
        }
        headers[key] = key in headers ? `${headers[key]},${value}` : value;
    }
    // What the URL's front end adds (the docs' example event).
    headers["x-forwarded-for"] ??= request.sourceIp;
    headers["x-forwarded-proto"] ??= "http";
    headers["x-amzn-trace-id"] ??= `Root=1-${Math.floor(request.timeMs / 1000).toString(16)}-${randomBytes(12).toString("hex")}`;
    const queryStringParameters: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(rawQueryString)) {
        queryStringParameters[key] = key in queryStringParameters ? `${queryStringParameters[key]},${value}` : value;
    }
    const text = isTextContentType(headers["content-type"]);
    return {
        version: "2.0",
        routeKey: "$default",
        rawPath,
        rawQueryString,
        ...(cookies.length > 0 ? { cookies } : {}),
        headers,
        ...(Object.keys(queryStringParameters).length > 0 ? { queryStringParameters } : {}),
        requestContext: {
            accountId: "anonymous",
            apiId: LOCAL_URL_ID,
            domainName: request.domainName,
            domainPrefix: LOCAL_URL_ID,
            http: {
                method: request.method,
                path: rawPath,
                protocol: "HTTP/1.1",
                sourceIp: request.sourceIp,
                userAgent: headers["user-agent"] ?? "",
            },
            requestId: randomUUID(),
            routeKey: "$default",
            stage: "$default",
            time: clfTime(request.timeMs),
            timeEpoch: request.timeMs,
        },
        ...(request.body.length > 0 ? { body: text ? request.body.toString("utf8") : request.body.toString("base64") } : {}),
        isBase64Encoded: request.body.length > 0 && !text,
    };
}

/** An HTTP response the stand-in writes. */
export interface OutgoingResponse {
    readonly status: number;
    readonly headers: Readonly<Record<string, string | string[]>>;
    readonly body: Buffer;
}

/** Headers a Function URL sets itself, never copied from the function's answer. */
const HOP_BY_HOP = new Set(["connection", "content-length", "transfer-encoding", "keep-alive"]);

/**
 * The HTTP response a Function URL gives for the function's response payload: a
 * response event (`{statusCode, headers, multiValueHeaders, cookies, body, isBase64Encoded}`,
 * lambda_http's ApiGatewayV2httpResponse) is unpacked; anything else is a function
 * error, which a URL answers with 502 (ASSUMPTION: the body text; the status is the
 * documented one for a function error).
 */
export function httpResponseOf(payload: Buffer): OutgoingResponse {
    let parsed: unknown;
    try {
        parsed = JSON.parse(payload.toString("utf8"));
    } catch {
        parsed = undefined;
    }
    const event = parsed as Record<string, unknown> | undefined;
    if (typeof event !== "object" || event === null || typeof event.statusCode !== "number" || "errorType" in event) {
        return { status: 502, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify({ Message: "Internal Server Error" })) };
    }
    const headers: Record<string, string | string[]> = {};
    const put = (name: string, value: unknown) => {
        const key = name.toLowerCase();
        if (HOP_BY_HOP.has(key) || value === undefined || value === null) return;
        const values = Array.isArray(value) ? value.map(String) : [String(value)];
        const had = headers[key];
        headers[key] = had === undefined ? (values.length === 1 ? values[0] : values) : [...(Array.isArray(had) ? had : [had]), ...values];
    };
    for (const [name, value] of Object.entries((event.multiValueHeaders ?? {}) as Record<string, unknown>)) put(name, value);
    for (const [name, value] of Object.entries((event.headers ?? {}) as Record<string, unknown>)) {
        if (!(name.toLowerCase() in headers)) put(name, value);
    }
    if (Array.isArray(event.cookies) && event.cookies.length > 0) put("set-cookie", event.cookies);
    const raw = typeof event.body === "string" ? event.body : "";
    return { status: event.statusCode, headers, body: Buffer.from(raw, event.isBase64Encoded === true ? "base64" : "utf8") };
}

/**
 * `11/Jan/2023:11:45:34 +0000`, the format of requestContext.time. The same as the
 * pre-traffic check's (components/lambda/pre-traffic-check.ts), which is not imported here
 * because that module loads @pulumi/aws, seconds of start-up for a local run.
 */
function clfTime(ms: number): string {
    const d = new Date(ms);
    const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getUTCMonth()];
    const pad = (n: number) => String(n).padStart(2, "0");
    return `${pad(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
