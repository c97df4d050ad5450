// The pre-traffic check: before the live alias moves to a newly published version,
// that version is invoked (aws.lambda.Invocation, qualifier = the version) with a
// Function URL event exactly as the Lambda Web Adapter receives one from the URL, once
// per accepted token and once without a token. The verdict is computed here from the
// invocation's `result`, because an HTTP error from the collector behind the adapter
// is not a Lambda function error and the provider's apply passes on it
// (terraform-provider-aws internal/service/lambda/invocation.go: only
// `output.FunctionError != nil` fails; see docs/deploys.md).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { missingPermissionOf } from "./answer-diagnosis";
import { judgeAnswer, PROTOBUF_CONTENT_TYPE, type CheckRequest, type Expectation, type Verdict } from "./otlp-check";

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
    /** Every token the collector accepts; each gets one authenticated request. */
    readonly tokens: readonly AcceptedToken[];
    /** Builds the request from a seed and a time (ms); a traces request when the config has a traces pipeline. */
    readonly request: (seed: string, timeMs: number) => CheckRequest;
    /** Skip the request without a token (the config has no authenticator on purpose). */
    readonly allowUnauthenticated: boolean;
    readonly logGroupName: pulumi.Input<string>;
    readonly aliasName: string;
}

export interface PreTrafficCheck {
    /** Resolves to a summary of what was proven; rejects (fails `pulumi up`) with one line otherwise. */
    readonly passed: pulumi.Output<string>;
    readonly invocations: aws.lambda.Invocation[];
}

/**
 * Registers the check's invocations under `parent`. Each runs exactly when the function
 * publishes a new version: `qualifier` is the version, and `qualifier` and `triggers` are
 * ForceNew, while an unchanged stack has an unchanged (deterministic) input and so no diff.
 */
export function preTrafficCheck(name: string, args: PreTrafficCheckArgs, parent: pulumi.Resource): PreTrafficCheck {
    const { fn } = args;
    // The span's time: the function's lastModified, which changes with every publish and
    // is stable otherwise, so the body is the same bytes on an unchanged stack.
    // Plain values only: Output.all deep-unwraps what it carries, which would turn the
    // body's Uint8Array into a plain object, so the request is rebuilt where it is used.
    const context = pulumi.all([fn.name, fn.version, fn.lastModified]).apply(([functionName, version, lastModified]) => (
        { functionName, version, timeMs: parseLastModified(lastModified), seed: `${functionName}:${version}:${lastModified}` }));
    const requestOf = (c: { seed: string; timeMs: number }) => args.request(c.seed, c.timeMs);
    const invoke = (label: string, token: pulumi.Input<string> | undefined) => {
        const input = pulumi.all([context, token]).apply(([c, t]) => JSON.stringify(functionUrlEvent(requestOf(c), {
            token: t,
            timeMs: c.timeMs,
            requestId: `pre-traffic-check-${c.version}-${label}`,
        })));
        return new aws.lambda.Invocation(`${name}-${label}`, {
            functionName: fn.name,
            qualifier: fn.version,
            // The event carries the bearer token; the provider does not mark `input` secret.
            input: token === undefined ? input : pulumi.secret(input),
            triggers: { version: fn.version },
        }, { parent });
    };
    const authenticated = args.tokens.map((t) => ({ name: t.name, invocation: invoke(`token-${t.name}`, t.token) }));
    const anonymous = args.allowUnauthenticated ? undefined : invoke("no-token", undefined);
    const results = pulumi.all([context, pulumi.all(authenticated.map((a) => a.invocation.result)), anonymous?.result, args.logGroupName]);
    const passed = results.apply(([c, tokenResults, anonymousResult, logGroup]) => {
        const request = requestOf(c);
        const where = `pre-traffic check of ${c.functionName} version ${c.version}`;
        const sent = (tokenPhrase: string) => `POST ${request.path} with ${request.description} in a Function URL event (payload 2.0) ${tokenPhrase}`;
        const fail = (what: string, verdict: Verdict) => new pulumi.RunError(
            `${where} failed, the alias "${args.aliasName}" did not move: sent ${what}; answered ${verdict.outcome}; likely: ${verdict.causes}; read CloudWatch log group ${logGroup} (docs/deploys.md)`);
        tokenResults.forEach((result, i) => {
            const verdict = judgeInvocation(result, "accepted", request, true);
            if (!verdict.ok) throw fail(sent(`and the bearer token "${authenticated[i].name}"`), verdict);
        });
        if (anonymousResult !== undefined) {
            const verdict = judgeInvocation(anonymousResult, "unauthorized", request, false);
            if (!verdict.ok) throw fail(sent("and no Authorization header (expected 401)"), verdict);
        }
        const auth = anonymousResult !== undefined ? "; without a token it answered 401" : "; the request without a token was skipped (allowUnauthenticated)";
        return `${where} passed: ${request.proves} (${authenticated.length} token${authenticated.length === 1 ? "" : "s"})${auth}`;
    });
    return { passed, invocations: [...authenticated.map((a) => a.invocation), ...(anonymous ? [anonymous] : [])] };
}

/** Lambda's LastModified (`2024-01-02T03:04:05.678+0000`) in Unix ms. */
export function parseLastModified(lastModified: string): number {
    const ms = Date.parse(lastModified.replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));
    if (Number.isNaN(ms)) {
        throw new pulumi.RunError(`pre-traffic check: the function's lastModified "${lastModified}" is not a date; report this as a bug`);
    }
    return ms;
}
