// The pre-traffic check: before the live alias moves to a newly published version,
// that version is invoked with a Function URL event exactly as the Lambda Web Adapter
// receives one from the URL, once per accepted token and once without a token. The
// deploy runner (components/lambda/deploy-runner-code.ts) sends them and judges the answers,
// and fails its own invocation when the check fails, so the provider stores nothing
// and the next `pulumi up` checks again (see docs/deploys.md).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { missingPermissionOf } from "../shared/otlp/answer-diagnosis";
import { judgeAnswer, PROTOBUF_CONTENT_TYPE, type CheckRequest, type Expectation, type SentRequest, type Verdict } from "../shared/otlp/otlp-check";
import type { CheckTask, RunnerRequest } from "./deploy-runner-code";

/**
 * A Lambda Function URL request event, payload format 2.0. Its shape follows the
 * fixture awslabs/aws-lambda-rust-runtime lambda-http/tests/data/lambda_function_url_request.json
 * (@17df82fe), which lambda_http (the adapter's event library) deserializes as
 * ApiGatewayV2. `requestContext.http.method` is the one required field; there is no
 * top-level `httpMethod`, which would make lambda_http read it as a REST (v1) event.
 */
export interface FunctionUrlEvent {
    readonly version: "2.0";
    readonly routeKey: "$default";
    readonly rawPath: string;
    readonly rawQueryString: "";
    readonly headers: Readonly<Record<string, string>>;
    readonly requestContext: {
        readonly accountId: string;
        readonly apiId: string;
        readonly domainName: string;
        readonly domainPrefix: string;
        readonly http: { readonly method: "POST"; readonly path: string; readonly protocol: "HTTP/1.1"; readonly sourceIp: string; readonly userAgent: string };
        readonly requestId: string;
        readonly routeKey: "$default";
        readonly stage: "$default";
        readonly time: string;
        readonly timeEpoch: number;
    };
    readonly body: string;
    readonly isBase64Encoded: true;
}

/** Host the check's event claims; `.invalid` (RFC 2606) so it can never be mistaken for a real URL. */
export const CHECK_DOMAIN = "pre-traffic-check.lambda-url.invalid";
export const CHECK_USER_AGENT = "otel-lambda-collector-pre-traffic-check";

/** The event for `request`, with `Authorization: Bearer <token>` when a token is given. */
export function functionUrlEvent(request: CheckRequest, options: { token?: string; timeMs: number; requestId: string }): FunctionUrlEvent {
    const headers: Record<string, string> = {
        "content-type": PROTOBUF_CONTENT_TYPE,
        "host": CHECK_DOMAIN,
        "user-agent": CHECK_USER_AGENT,
        "x-forwarded-proto": "https",
        "x-forwarded-port": "443",
    };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    return {
        version: "2.0",
        routeKey: "$default",
        rawPath: request.path,
        rawQueryString: "",
        headers,
        requestContext: {
            accountId: "anonymous",
            apiId: "pre-traffic-check",
            domainName: CHECK_DOMAIN,
            domainPrefix: "pre-traffic-check",
            http: { method: "POST", path: request.path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: CHECK_USER_AGENT },
            requestId: options.requestId,
            routeKey: "$default",
            stage: "$default",
            time: clfTime(options.timeMs),
            timeEpoch: options.timeMs,
        },
        // Binary bodies travel base64-encoded; the adapter decodes them (Body::from_maybe_encoded).
        body: Buffer.from(request.body).toString("base64"),
        isBase64Encoded: true,
    };
}

/** `11/Jan/2023:11:45:34 +0000`, the format of requestContext.time. */
function clfTime(ms: number): string {
    const d = new Date(ms);
    const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getUTCMonth()];
    const pad = (n: number) => String(n).padStart(2, "0");
    return `${pad(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** What an invocation returned: the adapter's response event, a function error, or something else. */
export type InvocationOutcome =
    | { readonly kind: "response"; readonly status: number; readonly contentType?: string; readonly headers: Readonly<Record<string, string>>; readonly body: Uint8Array }
    | { readonly kind: "function-error"; readonly errorType: string; readonly errorMessage: string }
    | { readonly kind: "malformed"; readonly excerpt: string };

/**
 * Reads an invocation's `result` (the raw response payload). The adapter answers with an
 * ApiGatewayV2httpResponse: `{"statusCode","headers","multiValueHeaders","body"?,"isBase64Encoded","cookies"}`
 * (lambda_http response.rs); a Lambda error payload is `{"errorType","errorMessage"}`.
 */
export function parseInvocationResult(result: string): InvocationOutcome {
    let parsed: unknown;
    try {
        parsed = JSON.parse(result);
    } catch {
        return { kind: "malformed", excerpt: shorten(result) };
    }
    if (typeof parsed !== "object" || parsed === null) return { kind: "malformed", excerpt: shorten(result) };
    const o = parsed as Record<string, unknown>;
    if (typeof o.errorType === "string" || typeof o.errorMessage === "string") {
        return { kind: "function-error", errorType: String(o.errorType ?? "unknown"), errorMessage: String(o.errorMessage ?? "") };
    }
    if (typeof o.statusCode !== "number") return { kind: "malformed", excerpt: shorten(result) };
    const rawHeaders = typeof o.headers === "object" && o.headers !== null ? o.headers as Record<string, unknown> : {};
    const headers = Object.fromEntries(Object.entries(rawHeaders).filter((e): e is [string, string] => typeof e[1] === "string"));
    const contentType = Object.entries(headers).find(([k]) => k.toLowerCase() === "content-type")?.[1];
    const raw = typeof o.body === "string" ? o.body : "";
    const body = o.isBase64Encoded === true ? Buffer.from(raw, "base64") : Buffer.from(raw, "utf8");
    return { kind: "response", status: o.statusCode, contentType, headers, body: new Uint8Array(body) };
}

/** The verdict on one invocation's result; `tokenSent` says whether its event carried a token. */
export function judgeInvocation(result: string, expect: Expectation, request: CheckRequest, tokenSent: boolean): Verdict {
    const outcome = parseInvocationResult(result);
    if (outcome.kind === "malformed") {
        return {
            ok: false,
            outcome: `not a Function URL response: ${outcome.excerpt}`,
            causes: "the image is not running the Lambda Web Adapter as its entrypoint, or the adapter passed the event through (AWS_LWA_PASS_THROUGH_PATH)",
        };
    }
    if (outcome.kind === "function-error") {
        return { ok: false, outcome: `function error ${outcome.errorType}: ${shorten(outcome.errorMessage)}`, causes: functionErrorCauses(outcome.errorType, outcome.errorMessage) };
    }
    return judgeAnswer(outcome, expect, { signal: request.signal, tokenSent, route: "direct-invoke" });
}

/** Causes for a Lambda function error, after the field report. */
export function functionErrorCauses(errorType: string, message: string): string {
    const permission = missingPermissionOf(message);
    if (permission !== undefined) {
        return `the function's role may not call ${permission} (an AWS exporter's call was denied): grant it to the execution role`;
    }
    if (/timed? ?out|Timedout/i.test(`${errorType} ${message}`)) {
        return "init or invoke timeout: the adapter never saw the collector ready (image CMD not starting otelcol, or the receiver not on 127.0.0.1:4318 = AWS_LWA_PORT), or an exporter blocked until the function timeout";
    }
    if (/ExitError|exited/i.test(`${errorType} ${message}`)) {
        return "the collector exited at start: a config field it rejects, an unset ${env:...}, or an extension that failed to start";
    }
    return "the function failed before the collector answered; the log group has the runtime's message";
}

function shorten(text: string, limit = 160): string {
    const flat = text.replace(/\s+/g, " ").trim();
    return flat.length > limit ? `${flat.slice(0, limit)}…` : flat || "(empty)";
}

/** A token the collector accepts, with a name used in resource names and messages. */
export interface AcceptedToken {
    /** Letters, digits and hyphens; e.g. "ingest". */
    readonly name: string;
    readonly token: pulumi.Input<string>;
}

export interface PreTrafficCheckArgs {
    readonly fn: aws.lambda.Function;
    /** The deploy runner (components/lambda/deploy-runner.ts) that invokes the new version and judges it. */
    readonly runner: aws.lambda.Function;
    /** Every token the collector accepts; each gets one authenticated request. */
    readonly tokens: readonly AcceptedToken[];
    /** Builds the request from a seed and a time (ms); a traces request when the config has a traces pipeline. */
    readonly request: (seed: string, timeMs: number) => CheckRequest;
    /** Skip the request without a token (the config has no authenticator on purpose). */
    readonly allowUnauthenticated: boolean;
    readonly logGroupName: pulumi.Input<string>;
    readonly aliasName: string;
    /** What the check must wait for besides the function: the runner's and the collector's permissions. */
    readonly dependsOn: readonly pulumi.Resource[];
}

export interface PreTrafficCheck {
    /** Resolves to a summary of what was proven once the check passed; a failed check never resolves (its create failed). */
    readonly passed: pulumi.Output<string>;
    readonly invocation: aws.lambda.Invocation;
}

/** Statuses whose likely causes the runner is given, beyond "default". */
const DIAGNOSED_STATUSES = [400, 401, 403, 404, 413, 429, 502, 503, 504];

/** The shared diagnosis (components/shared/otlp/answer-diagnosis.ts) of a non-200 answer with `body`. */
function causesFor(status: number, sent: SentRequest, body = ""): string {
    return judgeAnswer({ status, body: new TextEncoder().encode(body) }, "accepted", sent).causes;
}

/** The otlphttp exporter's error text for a backend answer, as the collector passes it through. */
function backendAnswerText(status: number): string {
    return `Permanent error: rpc error: code = Unknown desc = error exporting items, request to https://backend.example/v1/traces responded with HTTP Status Code ${status}`;
}

/**
 * The causes table the runner looks answers up in, written from this project's
 * diagnosis (components/shared/otlp/otlp-check.ts causesFor, {@link functionErrorCauses}), so the
 * runner's failure line says what the program's would.
 */
export function checkCauses(request: CheckRequest, tokenSent: boolean): Record<string, string> {
    const sent = { signal: request.signal, tokenSent, route: "direct-invoke" as const };
    const causes: Record<string, string> = Object.fromEntries(DIAGNOSED_STATUSES.map((status) => [String(status), causesFor(status, sent)]));
    causes.default = causesFor(500, sent);
    for (const status of DIAGNOSED_STATUSES) causes[`backend-${status}`] = causesFor(status, sent, backendAnswerText(status));
    causes.backend = causesFor(500, sent, backendAnswerText(500));
    causes["aws-denied"] = causesFor(500, sent, "operation error X-Ray: PutTraceSegments, https response error StatusCode: 400, api error AccessDeniedException: User is not authorized to perform: xray:PutTraceSegments");
    causes.open = judgeAnswer({ status: 200, body: new Uint8Array() }, "unauthorized", sent).causes;
    causes.partial = "the collector accepted the request but dropped its data (a processor or exporter refused it); read the error message and the function's logs";
    causes.malformed = "the image is not running the Lambda Web Adapter as its entrypoint, or the adapter passed the event through (AWS_LWA_PASS_THROUGH_PATH)";
    causes.timeout = functionErrorCauses("Sandbox.Timedout", "Task timed out");
    causes.exit = functionErrorCauses("Runtime.ExitError", "");
    causes["function-error"] = functionErrorCauses("Unhandled", "");
    causes.throttled = "the function's reserved concurrency is in use (producer traffic on the live alias shares it with the check); raise reservedConcurrency or deploy when traffic is lower";
    causes["invoke-error"] = "the deploy runner could not invoke the new version; read the runner's log group /aws/lambda/<function>-deploy";
    return causes;
}

/**
 * Registers the check: one aws.lambda.Invocation of the deploy runner, which sends the
 * new version one Function URL event per accepted token and one without a token, in
 * turn, and throws (a function error, so the provider stores nothing) unless each
 * answered as expected. It runs exactly when the function publishes a new version
 * (`triggers` and the deterministic `input` change with it, and both force a new
 * Invocation), and again on the next `pulumi up` after a failure.
 */
export function preTrafficCheck(name: string, args: PreTrafficCheckArgs, parent: pulumi.Resource): PreTrafficCheck {
    const { fn } = args;
    // The span's time: the function's lastModified, which changes with every publish and
    // is stable otherwise, so the body is the same bytes on an unchanged stack.
    // Plain values only: Output.all deep-unwraps what it carries, which would turn the
    // body's Uint8Array into a plain object, so the request is rebuilt where it is used.
    const context = pulumi.all([fn.name, fn.version, fn.lastModified, args.logGroupName]).apply(([functionName, version, lastModified, logGroupName]) => (
        { functionName, version, logGroupName, timeMs: parseLastModified(lastModified), seed: `${functionName}:${version}:${lastModified}` }));
    const tokens = pulumi.all(args.tokens.map((t) => t.token));
    const task = pulumi.all([context, tokens]).apply(([c, values]): CheckTask => {
        const request = args.request(c.seed, c.timeMs);
        const sent = (phrase: string) => `POST ${request.path} with ${request.description} in a Function URL event (payload 2.0) ${phrase}`;
        const event = (label: string, token: string | undefined) => JSON.stringify(functionUrlEvent(request, {
            token, timeMs: c.timeMs, requestId: `pre-traffic-check-${c.version}-${label}`,
        }));
        const requests: RunnerRequest[] = args.tokens.map((t, i) => ({
            label: `token-${t.name}`, event: event(`token-${t.name}`, values[i]), expect: "accepted", sent: sent(`and the bearer token ${t.name}`),
        }));
        if (!args.allowUnauthenticated) {
            requests.push({ label: "no-token", event: event("no-token", undefined), expect: "unauthorized", sent: sent("and no Authorization header (expected 401)") });
        }
        return {
            action: "check",
            functionName: c.functionName,
            qualifier: c.version,
            aliasName: args.aliasName,
            logGroupName: c.logGroupName,
            requests,
            causes: checkCauses(request, true),
            proves: request.proves,
        };
    });
    const invocation = new aws.lambda.Invocation(`${name}`, {
        functionName: args.runner.name,
        // The events carry the bearer tokens; the provider does not mark `input` secret.
        input: pulumi.secret(task.apply((t) => JSON.stringify(t))),
        triggers: { version: fn.version },
    }, { parent, dependsOn: [...args.dependsOn] });
    const passed = invocation.result.apply((result) => String((JSON.parse(result) as { summary?: unknown }).summary ?? result));
    return { passed, invocation };
}

/** Lambda's LastModified (`2024-01-02T03:04:05.678+0000`) in Unix ms. */
export function parseLastModified(lastModified: string): number {
    const ms = Date.parse(lastModified.replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));
    if (Number.isNaN(ms)) {
        throw new pulumi.RunError(`pre-traffic check: the function's lastModified "${lastModified}" is not a date; report this as a bug`);
    }
    return ms;
}
