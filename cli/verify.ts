#!/usr/bin/env node
// Checks one deployed collector end to end, as a producer sees it, and prints the one
// endpoint it checks before anything else:
//   1. a real span (OTLP/HTTP protobuf, with the token) is accepted: 200, nothing rejected;
//      sent twice, so the first (cold) and a warm latency are both shown;
//   2. the same request without a token answers 401 (the collector enforces auth);
//   3. the OpenTelemetry SDK's own exporter, given the URL and headers explicitly,
//      exports a span without error or partial success.
// The endpoint and headers come from `--stack NAME` (which wins), else from
// OTEL_EXPORTER_OTLP_ENDPOINT/HEADERS, else from the selected stack's producerEnvironment.
// No other OTEL_EXPORTER_OTLP_* variable of the shell is read, by us or by the SDK.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { diag, DiagLogLevel, type DiagLogger } from "@opentelemetry/api";
import { ExportResultCode, parseKeyPairsIntoRecord } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { redactSecret, scrubSecrets } from "../components/shared/otlp/answer-diagnosis";
import { DEFAULT_SIGNAL_PATHS, judgeAnswer, PROTOBUF_CONTENT_TYPE, traceCheckRequest, type CheckRequest, type Verdict } from "../components/shared/otlp/otlp-check";
import { parseFlags } from "./args";
import { packageVersion } from "./package-info";

export const VERIFY_SERVICE_NAME = "otel-lambda-collector-verify";

/** How long verify waits, and how much it reads. */
export interface VerifyLimits {
    /** The first request may meet a cold start (about 4 s; init may take up to 10 s); allow for a slow one. */
    readonly firstRequestMs: number;
    /** Each later request: the function is warm. */
    readonly requestMs: number;
    /** The whole run, every request and the SDK export included. */
    readonly deadlineMs: number;
    /** Bytes of an answer's body read; the rest is discarded unread. An OTLP response is a few bytes. */
    readonly maxBodyBytes: number;
}

export const DEFAULT_LIMITS: VerifyLimits = { firstRequestMs: 30_000, requestMs: 10_000, deadlineMs: 60_000, maxBodyBytes: 64 * 1024 };

export type ProducerEnvironment = Readonly<Record<string, string>>;

export interface VerifyIO {
    readonly out: (line: string) => void;
    readonly err: (line: string) => void;
    /** Reads `pulumi stack output producerEnvironment`; throws an Error carrying Pulumi's own text if it cannot. */
    readonly stackOutput: (stack: string | undefined) => ProducerEnvironment;
    readonly env: NodeJS.ProcessEnv;
    /** Defaults to DEFAULT_LIMITS; tests shrink them. */
    readonly limits?: Partial<VerifyLimits>;
}

const USAGE = `usage: verify [--stack NAME]

Checks one deployed collector as a producer sees it: a span is accepted (200, nothing
rejected; first and warm latency), a request without the token gets 401, and the
OpenTelemetry SDK exporter, given the URL and headers explicitly, exports a span.

Where the endpoint and token come from, first match wins:
  --stack NAME                      that stack's output producerEnvironment
  OTEL_EXPORTER_OTLP_ENDPOINT/_HEADERS   from the shell
  (neither)                         the selected stack's output producerEnvironment
OTEL_EXPORTER_OTLP_COMPRESSION=gzip makes the SDK check send gzip, as producers do; a
stack output's OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (a custom receiver path) is the URL checked.
No other OTEL_EXPORTER_OTLP_* variable is read (the shell's per-signal ones are ignored).

  --stack NAME     the Pulumi stack to read
  -h, --help       print this help
  -v, --version    print the version`;

/** Where the endpoint came from, as printed. */
type Source = { readonly label: string; readonly producer: ProducerEnvironment };

export async function runVerify(argv: readonly string[], io: VerifyIO): Promise<number> {
    const parsed = parseFlags(argv, {
        stack: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
    });
    if (!parsed.ok || parsed.positionals.length > 0) {
        io.err(`${parsed.ok ? `unexpected argument ${parsed.positionals[0]}` : parsed.error}; ${USAGE.split("\n")[0]}`);
        return 2;
    }
    if (parsed.values.help) {
        io.out(USAGE);
        return 0;
    }
    if (parsed.values.version) {
        io.out(packageVersion());
        return 0;
    }
    const stack = parsed.values.stack;
    if (stack !== undefined && stack.trim() === "") {
        io.err(`--stack needs a stack name; ${USAGE.split("\n")[0]}`);
        return 2;
    }
    const source = readSource(stack, io);
    if (typeof source === "number") return source;

    const rawEndpoint = source.producer.OTEL_EXPORTER_OTLP_ENDPOINT ?? "";
    // Never trimmed silently: the stack config rejects the same value, and a producer
    // given it may not trim it either.
    const shownEndpoint = withoutUserInfo(rawEndpoint);
    if (rawEndpoint !== rawEndpoint.trim()) {
        io.err(`OTEL_EXPORTER_OTLP_ENDPOINT (${source.label}): "${shownEndpoint}" has leading or trailing whitespace; remove it`);
        return 2;
    }
    let base: URL;
    try {
        base = new URL(rawEndpoint);
        if (base.protocol !== "https:" && base.protocol !== "http:") throw new Error("not http");
    } catch {
        io.err(`OTEL_EXPORTER_OTLP_ENDPOINT (${source.label}): "${shownEndpoint}" is not an http(s) URL; use the stack output producerEnvironment`);
        return 2;
    }
    if (base.username !== "" || base.password !== "") {
        io.err(`OTEL_EXPORTER_OTLP_ENDPOINT (${source.label}): "${shownEndpoint}" carries a user name or password (not shown), which fetch refuses and which would be printed; remove it and send credentials in OTEL_EXPORTER_OTLP_HEADERS`);
        return 2;
    }
    if (base.search !== "" || base.hash !== "" || /[?#]/.test(rawEndpoint)) {
        io.err(`OTEL_EXPORTER_OTLP_ENDPOINT (${source.label}): "${shownEndpoint}" has a query or fragment, which an SDK would put before the /v1/traces it appends; remove it (use the stack output producerEnvironment)`);
        return 2;
    }
    const headerProblem = headerListProblem(source.producer.OTEL_EXPORTER_OTLP_HEADERS ?? "");
    if (headerProblem !== undefined) {
        io.err(`OTEL_EXPORTER_OTLP_HEADERS (${source.label}): ${headerProblem}`);
        return 2;
    }
    // A stack whose receiver serves traces on a custom path hands out the full traces URL.
    const perSignal = source.fromShell ? undefined : source.producer.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    const tracesUrl = perSignal ?? tracesUrlOf(rawEndpoint);
    const gzip = source.producer.OTEL_EXPORTER_OTLP_COMPRESSION === "gzip";
    // The same parser the SDK uses, so the headers are read exactly as producers read them.
    const headers = parseKeyPairsIntoRecord(source.producer.OTEL_EXPORTER_OTLP_HEADERS ?? "");
    const authorization = Object.entries(headers).find(([k]) => k.toLowerCase() === "authorization")?.[1];
    // Every header value is a potential secret: never printed whole, whatever path prints it.
    const secrets = Object.values(headers).filter((v) => v.length >= 8).flatMap((v) => [v, ...v.split(" ").filter((part) => part.length >= 8)]);
    const out = (line: string) => io.out(scrubSecrets(line, secrets));
    const bad = Object.entries(headers).find(([, v]) => /[\r\n\0]/.test(v) || /[^\t\x20-\xFF]/.test(v));
    if (bad !== undefined) {
        io.err(`OTEL_EXPORTER_OTLP_HEADERS (${source.label}): the value of header ${bad[0]} (${redactSecret(bad[1].replace(/[\r\n\0]/g, " "))}) has a line break, NUL or non-Latin-1 character, which no HTTP client can send; remove it (a copied token often ends in a newline)`);
        return 2;
    }
    const limits: VerifyLimits = { ...DEFAULT_LIMITS, ...io.limits };
    const deadline = AbortSignal.timeout(limits.deadlineMs);

    out(`endpoint  ${tracesUrl}  (${source.label}${tracesUrl === rawEndpoint.replace(/\/+$/, "") ? "; it already ends in /v1/traces, used as is" : ""})`);
    out(`token     ${authorization === undefined ? "none: no Authorization header is sent" : `Authorization: ${redactSecret(authorization)}`}`);
    const ignored = Object.keys(io.env).filter((k) => k.startsWith("OTEL_EXPORTER_OTLP_") && !(source.fromShell && ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_COMPRESSION"].includes(k))).sort();
    if (ignored.length > 0) {
        out(`note      ignoring ${ignored.join(", ")} from the shell: verify checks only the endpoint above`);
    }

    const lines: string[] = [];
    let ok = true;
    const report = (passed: boolean, name: string, text: string) => {
        ok &&= passed;
        lines.push(`${passed ? "ok  " : "FAIL"}  ${name}: ${text}`);
        out(lines[lines.length - 1]);
    };
    const warn = (verdict: Verdict) => {
        if (verdict.warning !== undefined) out(`warn  ${verdict.warning}`);
    };
    const send = (targetHeaders: Record<string, string>, timeoutMs: number) => sendOnce(tracesUrl, targetHeaders, request, { timeoutMs, deadline, deadlineMs: limits.deadlineMs, maxBodyBytes: limits.maxBodyBytes });
    const request = traceCheckRequest({ seed: randomUUID(), timeMs: Date.now(), spanName: "collector verification" });
    const sentWithToken = { signal: "traces" as const, tokenSent: authorization !== undefined, route: "function-url" as const, secrets };

    const first = await send(headers, limits.firstRequestMs);
    if (!first.ok) {
        report(false, "a span is accepted", `no answer from ${tracesUrl} (${first.error})`);
        out("skip  the other checks: fix the first one, they depend on it");
        return 1;
    }
    const firstVerdict = judgeAnswer(first.answer, "accepted", sentWithToken);
    report(firstVerdict.ok, "a span is accepted", `${describe(firstVerdict, authorization !== undefined)} (first request ${first.ms} ms; a cold start if the function was idle)`);
    warn(firstVerdict);
    if (!firstVerdict.ok) {
        out("skip  the other checks: fix the first one, they depend on it");
        return 1;
    }
    const warm = await send(headers, limits.requestMs);
    if (warm.ok) {
        const verdict = judgeAnswer(warm.answer, "accepted", sentWithToken);
        report(verdict.ok, "a warm request is accepted", `${describe(verdict, true)} (${warm.ms} ms)`);
    } else {
        report(false, "a warm request is accepted", `no answer (${warm.error})`);
    }
    if (authorization === undefined) {
        report(false, "the token is enforced", "a request with no Authorization header was accepted above, so anyone who knows the URL can send telemetry (add a bearertokenauth authenticator to the receiver)");
    } else {
        const withoutToken = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== "authorization"));
        const anonymous = await send(withoutToken, limits.requestMs);
        if (anonymous.ok) {
            const verdict = judgeAnswer(anonymous.answer, "unauthorized", { signal: "traces", tokenSent: false, route: "function-url", secrets });
            report(verdict.ok, "the token is enforced", verdict.ok ? "401 for the same request with no Authorization header" : describe(verdict, false));
        } else {
            report(false, "the token is enforced", `no answer (${anonymous.error})`);
        }
    }
    const sdk = deadline.aborted
        ? { ok: false, text: `not run: verify's overall deadline of ${limits.deadlineMs} ms passed` }
        : await exportWithSdk(tracesUrl, headers, Math.min(limits.requestMs, limits.deadlineMs), gzip);
    report(sdk.ok, "the OpenTelemetry SDK exporter (given this URL and headers) exports a span", sdk.text);
    out(`latency   first ${first.ms} ms, warm ${warm.ok ? `${warm.ms} ms` : "n/a"}`);
    return ok ? 0 : 1;
}

/** The source of the endpoint: --stack wins; then the shell; then the selected stack. Returns an exit code on error. */
function readSource(stack: string | undefined, io: VerifyIO): (Source & { fromShell: boolean }) | number {
    const fromStack = (name: string | undefined) => {
        try {
            return { label: name ? `from stack ${name}` : "from the selected stack", producer: io.stackOutput(name), fromShell: false };
        } catch (error) {
            const text = pulumiErrorText(error);
            io.err(`cannot read the stack output producerEnvironment${name ? ` of stack ${name}` : ""}: ${text}; run from the project folder with the Pulumi CLI logged in (and PULUMI_CONFIG_PASSPHRASE set for a passphrase stack), or set OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_HEADERS`);
            return 2;
        }
    };
    if (stack !== undefined) return fromStack(stack);
    if (io.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
        return {
            label: "from OTEL_EXPORTER_OTLP_ENDPOINT in the shell",
            producer: {
                OTEL_EXPORTER_OTLP_ENDPOINT: io.env.OTEL_EXPORTER_OTLP_ENDPOINT,
                OTEL_EXPORTER_OTLP_HEADERS: io.env.OTEL_EXPORTER_OTLP_HEADERS ?? "",
                ...(io.env.OTEL_EXPORTER_OTLP_COMPRESSION ? { OTEL_EXPORTER_OTLP_COMPRESSION: io.env.OTEL_EXPORTER_OTLP_COMPRESSION } : {}),
            },
            fromShell: true,
        };
    }
    return fromStack(undefined);
}

/**
 * Pulumi's own message (its stderr), on one line; it names causes such as a missing
 * passphrase. When `pulumi` could not be started at all, execFileSync's error has no
 * stderr (null) but a code (ENOENT, EACCES): that is the cause to show.
 */
export function pulumiErrorText(error: unknown): string {
    const e = error as { stderr?: string | Buffer | null; message?: string; code?: unknown; syscall?: unknown; path?: unknown };
    if (typeof e.code === "string" && typeof e.syscall === "string" && e.syscall.startsWith("spawn")) {
        const command = typeof e.path === "string" ? e.path : "pulumi";
        return e.code === "ENOENT"
            ? `${command}: command not found (ENOENT); install the Pulumi CLI (https://www.pulumi.com/docs/install/)`
            : `${command}: cannot be run (${e.code})`;
    }
    const stderr = e.stderr === undefined || e.stderr === null ? "" : String(e.stderr);
    const text = (stderr.trim() !== "" ? stderr : e.message ?? String(error))
        .split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("Command failed:")).join(" | ");
    return text.length > 400 ? `${text.slice(0, 400)}…` : text || "no output";
}

/** The URL as typed, with any user name and password replaced by "***" (never printed). */
function withoutUserInfo(url: string): string {
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, "$1***@");
}

/**
 * What is wrong with an OTEL_EXPORTER_OTLP_HEADERS value that the SDKs would read
 * differently from what was meant: the JS SDK's parser (parseKeyPairsIntoRecord, the
 * one verify uses) skips an entry without "=" or with a bad percent-encoding, and keeps
 * the last of two equal names, all without a word. Names only, never values.
 */
export function headerListProblem(raw: string): string | undefined {
    const seen = new Set<string>();
    for (const [i, entry] of raw.split(",").entries()) {
        if (entry.trim() === "") continue;
        const eq = entry.indexOf("=");
        if (eq <= 0) {
            return `entry ${i + 1} has no "name=value" form, so every SDK ignores it; write name=value pairs separated by commas (the stack output producerEnvironment has the right form)`;
        }
        const name = entry.slice(0, eq).trim();
        try {
            decodeURIComponent(name);
            decodeURIComponent(entry.slice(eq + 1).trim());
        } catch {
            return `the entry of ${JSON.stringify(name)} has a "%" not followed by two hex digits, so SDKs drop or misread it; write a literal % as %25 (percent-encode the value)`;
        }
        const folded = name.toLowerCase();
        if (seen.has(folded)) {
            return `${JSON.stringify(name)} is given twice, and an SDK keeps only one of them; keep one`;
        }
        seen.add(folded);
    }
    return undefined;
}

/** `<endpoint>/v1/traces`, unless the endpoint already ends in /v1/traces. */
export function tracesUrlOf(endpoint: string): string {
    const base = endpoint.trim().replace(/\/+$/, "");
    return base.endsWith(DEFAULT_SIGNAL_PATHS.traces) ? base : `${base}${DEFAULT_SIGNAL_PATHS.traces}`;
}

function describe(verdict: Verdict, tokenSent: boolean): string {
    if (verdict.ok) return verdict.outcome;
    return `${verdict.outcome}; ${verdict.causes}${tokenSent ? "" : " (no Authorization header was sent)"}`;
}

type Sent = { ok: true; answer: { status: number; contentType?: string; headers: Record<string, string>; body: Uint8Array }; ms: number } | { ok: false; error: string };

interface SendLimits {
    readonly timeoutMs: number;
    /** The whole run's signal; when it fires, every request stops. */
    readonly deadline: AbortSignal;
    readonly deadlineMs: number;
    readonly maxBodyBytes: number;
}

/**
 * One POST of `request`. Redirects are answers, not followed (`redirect: "manual"`):
 * an OTLP exporter does not follow one with its body, and re-sending a transferred
 * body fails inside fetch. The body is read up to `maxBodyBytes` and the rest is
 * cancelled, under the same timeout as the request.
 */
async function sendOnce(url: string, headers: Record<string, string>, request: CheckRequest, limits: SendLimits): Promise<Sent> {
    if (limits.deadline.aborted) return { ok: false, error: `not sent: verify's overall deadline of ${limits.deadlineMs} ms passed` };
    const started = performance.now();
    const timeout = AbortSignal.timeout(limits.timeoutMs);
    const signal = AbortSignal.any([timeout, limits.deadline]);
    try {
        const response = await fetch(url, {
            method: "POST",
            headers: { ...headers, "content-type": PROTOBUF_CONTENT_TYPE },
            // A fresh copy each time: fetch may transfer (detach) the buffer it is given.
            body: Buffer.from(request.body),
            redirect: "manual",
            signal,
        });
        const body = await readBounded(response, limits.maxBodyBytes);
        const responseHeaders: Record<string, string> = {};
        response.headers.forEach((value, key) => {
            responseHeaders[key] = value;
        });
        return { ok: true, answer: { status: response.status, contentType: response.headers.get("content-type") ?? undefined, headers: responseHeaders, body }, ms: Math.round(performance.now() - started) };
    } catch (error) {
        if (limits.deadline.aborted && !timeout.aborted) return { ok: false, error: `verify's overall deadline of ${limits.deadlineMs} ms passed while waiting` };
        return { ok: false, error: fetchErrorText(error, limits.timeoutMs) };
    }
}

/** At most `max` bytes of a response body; the rest is cancelled unread. */
async function readBounded(response: Response, max: number): Promise<Uint8Array> {
    if (response.body === null) return new Uint8Array();
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
        while (total < max) {
            const { done, value } = await reader.read();
            if (done) break;
            chunks.push(value);
            total += value.length;
        }
    } finally {
        await reader.cancel().catch(() => undefined);
    }
    return new Uint8Array(Buffer.concat(chunks).subarray(0, max));
}

/**
 * Why a fetch got no answer, with the underlying cause: undici's own error is only
 * "fetch failed", and the reason (e.g. `connect ECONNREFUSED 127.0.0.1:9`,
 * `getaddrinfo ENOTFOUND host`) is in its `cause`; a timeout is an abort of AbortSignal.timeout.
 */
export function fetchErrorText(error: unknown, timeoutMs: number): string {
    const e = error as { name?: string; message?: string; cause?: unknown };
    if (e.name === "TimeoutError") return `timeout after ${timeoutMs} ms`;
    const messageOf = (x: unknown): string => {
        const c = x as { code?: unknown; message?: unknown; errors?: unknown };
        const code = typeof c.code === "string" ? c.code : "";
        let message = typeof c.message === "string" ? c.message : "";
        // Node's connect with several addresses throws an AggregateError with an empty message.
        if (message === "" && Array.isArray(c.errors)) message = c.errors.map(messageOf).filter((m) => m !== "").join("; ");
        if (code === "" || message.includes(code)) return message || code;
        return message === "" ? code : `${code}: ${message}`;
    };
    const base = e.message ?? String(error);
    const cause = e.cause === undefined || e.cause === null ? "" : messageOf(e.cause);
    return cause === "" ? base : `${base}: ${cause}`;
}

/**
 * One span through the SDK's OTLP/HTTP exporter, given the URL, headers and timeout
 * explicitly. The exporter also reads OTEL_EXPORTER_OTLP_* (and merges their headers)
 * when it is constructed, so it is constructed with those variables out of the
 * environment. It reports a partial success only through diag.warn, which is captured.
 */
async function exportWithSdk(url: string, headers: Record<string, string>, timeoutMs: number, gzip: boolean): Promise<{ ok: boolean; text: string }> {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ "service.name": VERIFY_SERVICE_NAME }),
        spanProcessors: [new SimpleSpanProcessor(memory)],
    });
    provider.getTracer(VERIFY_SERVICE_NAME).startSpan("collector verification").end();
    const spans = memory.getFinishedSpans();
    const warnings: string[] = [];
    const capture: DiagLogger = {
        error: (...a: unknown[]) => warnings.push(a.map(String).join(" ")),
        warn: (...a: unknown[]) => warnings.push(a.map(String).join(" ")),
        info: () => undefined, debug: () => undefined, verbose: () => undefined,
    };
    diag.setLogger(capture, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
    try {
        const exporter = withoutOtlpEnvironment(() => new OTLPTraceExporter({ url, headers, timeoutMillis: timeoutMs, compression: (gzip ? "gzip" : "none") as ExporterConfig["compression"] }));
        const result = await new Promise<{ code: ExportResultCode; error?: Error }>((resolve) => exporter.export(spans, resolve));
        await exporter.shutdown();
        if (result.code !== ExportResultCode.SUCCESS) {
            return { ok: false, text: `export failed: ${result.error?.message ?? "no detail"}` };
        }
        const partial = warnings.find((w) => w.includes("Partial Success"));
        if (partial !== undefined) {
            const detail = /\{.*\}/.exec(partial)?.[0] ?? partial;
            const rejected = Number((JSON.parse(detail) as { rejectedSpans?: unknown }).rejectedSpans ?? 0);
            if (rejected > 0) {
                return { ok: false, text: `200 with a partial success: ${detail}` };
            }
            // 0 rejected with a message is a warning (OTLP spec, "Partial Success").
            return { ok: true, text: `accepted with a warning: ${detail}; look for trace ${spans[0].spanContext().traceId} (service.name ${VERIFY_SERVICE_NAME}) in your backend` };
        }
        return { ok: true, text: `accepted; look for trace ${spans[0].spanContext().traceId} (service.name ${VERIFY_SERVICE_NAME}) in your backend. If it never arrives, a batch processor or an exporter queue is holding it` };
    } finally {
        diag.disable();
    }
}

/** The exporter's config; its `compression` enum (otlp-exporter-base CompressionAlgorithm) has the values "gzip" and "none". */
type ExporterConfig = NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>;

/** Runs `make` with every OTEL_EXPORTER_OTLP_* variable removed from process.env, then puts them back. */
function withoutOtlpEnvironment<T>(make: () => T): T {
    const saved = Object.entries(process.env).filter(([k]) => k.startsWith("OTEL_EXPORTER_OTLP_"));
    for (const [k] of saved) delete process.env[k];
    try {
        return make();
    } finally {
        for (const [k, v] of saved) process.env[k] = v;
    }
}

function pulumiStackOutput(stack: string | undefined): ProducerEnvironment {
    const args = ["stack", "output", "producerEnvironment", "--show-secrets", "--json", ...(stack ? ["--stack", stack] : [])];
    const value = JSON.parse(execFileSync("pulumi", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })) as unknown;
    if (typeof value !== "object" || value === null) {
        throw new Error("producerEnvironment is not an object");
    }
    return value as ProducerEnvironment;
}

if (require.main === module) {
    void runVerify(process.argv.slice(2), {
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
        stackOutput: pulumiStackOutput,
        env: process.env,
    }).then((code) => {
        process.exitCode = code;
    });
}
