#!/usr/bin/env node
// Checks a deployed collector end to end, as a producer sees it:
//   1. the URL, the adapter and the collector all run (a bad body gets 400, not 403/5xx);
//   2. the collector enforces the bearer token (no token gets 401);
//   3. a real span, exported by the OpenTelemetry SDK from the standard
//      OTEL_EXPORTER_OTLP_* variables, is accepted.
// The variables come from the environment if OTEL_EXPORTER_OTLP_ENDPOINT is set,
// otherwise from `pulumi stack output producerEnvironment` (pass --stack NAME).
import { execFileSync } from "node:child_process";
import { ExportResultCode, parseKeyPairsIntoRecord } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { TOKENS_ENV_VAR } from "../rules/lambda-facts";
import { parseFlags } from "./args";
import { packageVersion } from "./package-info";

export const VERIFY_SERVICE_NAME = "otel-lambda-collector-verify";
/** A cold start takes about 4 s; allow for a slow one. */
const REQUEST_TIMEOUT_MS = 30_000;

export type ProducerEnvironment = Readonly<Record<string, string>>;

export interface VerifyIO {
    readonly out: (line: string) => void;
    readonly err: (line: string) => void;
    /** Reads `pulumi stack output producerEnvironment`; throws if it cannot. */
    readonly stackOutput: (stack: string | undefined) => ProducerEnvironment;
    readonly env: NodeJS.ProcessEnv;
}

const USAGE = `usage: verify [--stack NAME]

Checks a deployed collector as a producer sees it: the URL gate, the bearer token,
and one span exported by the OpenTelemetry SDK. Reads the endpoint and token from
OTEL_EXPORTER_OTLP_ENDPOINT/HEADERS, or else from \`pulumi stack output producerEnvironment\`.

  --stack NAME     the Pulumi stack to read (default: the selected stack)
  -h, --help       print this help
  -v, --version    print the version`;

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
    let producer: ProducerEnvironment;
    if (io.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
        producer = {
            OTEL_EXPORTER_OTLP_ENDPOINT: io.env.OTEL_EXPORTER_OTLP_ENDPOINT,
            OTEL_EXPORTER_OTLP_HEADERS: io.env.OTEL_EXPORTER_OTLP_HEADERS ?? "",
        };
    } else {
        try {
            producer = io.stackOutput(stack);
        } catch (error) {
            io.err(`cannot read the stack output producerEnvironment (${(error as Error).message.split("\n")[0]}); run from the project folder with the Pulumi CLI logged in, or set OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_HEADERS`);
            return 2;
        }
    }
    const endpoint = (producer.OTEL_EXPORTER_OTLP_ENDPOINT ?? "").replace(/\/+$/, "");
    if (!/^https?:\/\//.test(endpoint)) {
        io.err(`OTEL_EXPORTER_OTLP_ENDPOINT: "${endpoint}" is not an http(s) URL; use the stack output producerEnvironment`);
        return 2;
    }
    // The same parser the SDK uses, so this reads the headers exactly as producers will.
    const headers = parseKeyPairsIntoRecord(producer.OTEL_EXPORTER_OTLP_HEADERS ?? "");
    const traces = `${endpoint}/v1/traces`;
    const results = [await check("URL, adapter and collector answer", () => gateCheck(traces, headers))];
    if (results[0].ok) {
        results.push(
            await check("bearer token is enforced", () => authCheck(traces)),
            await check("a span exported by the OpenTelemetry SDK is accepted", () => exportCheck(producer)),
        );
    } else {
        results.push({ ok: false, text: "skip  the other checks: fix the first one, they depend on it" });
    }
    for (const line of results) {
        io.out(line.text);
    }
    return results.every((r) => r.ok) ? 0 : 1;
}

interface CheckResult {
    readonly ok: boolean;
    readonly text: string;
}

async function check(name: string, run: () => Promise<string>): Promise<CheckResult> {
    try {
        return { ok: true, text: `ok    ${name}: ${await run()}` };
    } catch (error) {
        return { ok: false, text: `FAIL  ${name}: ${(error as Error).message}` };
    }
}

/** An invalid OTLP body with the right token: 400 means the request reached the collector. */
async function gateCheck(url: string, headers: Record<string, string>): Promise<string> {
    const status = await post(url, { ...headers, "content-type": "application/x-protobuf" });
    if (status === 400) {
        return "400 for an invalid body, so the Function URL, the adapter and the collector all ran";
    }
    throw new Error(explain(status));
}

async function authCheck(url: string): Promise<string> {
    const status = await post(url, { "content-type": "application/x-protobuf" });
    if (status === 401) {
        return "401 without a token";
    }
    if (status === 400) {
        throw new Error("a request without a token reached the receiver; anyone with the URL can send telemetry (add a bearertokenauth authenticator)");
    }
    throw new Error(explain(status));
}

/** One span through the SDK's own OTLP/HTTP exporter, configured only by the standard variables. */
async function exportCheck(producer: ProducerEnvironment): Promise<string> {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ "service.name": VERIFY_SERVICE_NAME }),
        spanProcessors: [new SimpleSpanProcessor(memory)],
    });
    provider.getTracer(VERIFY_SERVICE_NAME).startSpan("collector verification").end();
    const spans = memory.getFinishedSpans();
    const exporter = withEnvironment(producer, () => new OTLPTraceExporter({ timeoutMillis: REQUEST_TIMEOUT_MS }));
    const result = await new Promise<{ code: ExportResultCode; error?: Error }>((resolve) => exporter.export(spans, resolve));
    await exporter.shutdown();
    if (result.code !== ExportResultCode.SUCCESS) {
        throw new Error(`export failed: ${result.error?.message ?? "no detail"}`);
    }
    return `accepted; look for trace ${spans[0].spanContext().traceId} (service.name ${VERIFY_SERVICE_NAME}) in your backend. If it never arrives, a batch processor or an exporter queue is holding it`;
}

/** Runs `make` with the OTLP variables set, as the SDK reads them from process.env. */
function withEnvironment<T>(producer: ProducerEnvironment, make: () => T): T {
    const keys = Object.keys(producer).filter((k) => k.startsWith("OTEL_EXPORTER_OTLP_"));
    const saved = new Map(keys.map((k) => [k, process.env[k]]));
    try {
        for (const k of keys) process.env[k] = producer[k];
        return make();
    } finally {
        for (const [k, v] of saved) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    }
}

async function post(url: string, headers: Record<string, string>): Promise<number> {
    try {
        const response = await fetch(url, { method: "POST", headers, body: "x", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        await response.arrayBuffer();
        return response.status;
    } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        throw new Error(`no answer from ${url} (${cause ?? (error as Error).message})`);
    }
}

/** What a status means here, from the field report's troubleshooting. */
function explain(status: number): string {
    switch (status) {
        case 401:
            return `401: the token is not one the function accepts (its producers' tokens, ${TOKENS_ENV_VAR}; header name is case-insensitive, the token is not)`;
        case 403:
            return "403 before the function ran (no logs): the URL needs both lambda:InvokeFunctionUrl and lambda:InvokeFunction (InvokedViaFunctionUrl) permissions";
        case 404:
            return "404: no OTLP/HTTP receiver serves /v1/traces";
        default:
            return status >= 500
                ? `${status}: the collector is not running; check the function's CloudWatch logs (an unset \${env:...} or an invalid config)`
                : `unexpected status ${status}`;
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
