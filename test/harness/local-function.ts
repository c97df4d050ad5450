// The local Lambda (local/local-collector.ts) for integration tests: the real
// collector, adapter and emulator from `npm run -s real:build`, one at a time on this
// machine (the image's contract fixes the collector's port at 127.0.0.1:4318, so two
// test files cannot each run one at once; a lock file serializes them).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cachedBinaries, plan } from "../../local/binaries";
import { startLocalCollector, type LocalCollector, type LocalCollectorOptions } from "../../local/local-collector";
import type { LogSource } from "../../local/log-lines";
import { PROTOBUF_CONTENT_TYPE, traceCheckRequest } from "../../components/shared/otlp/otlp-check";

/** The built binaries; fails the test (never skips it) with the one-line fix when they are missing. */
export function realBinaries(): { collector: string; rie: string; adapter: string } {
    const binaries = cachedBinaries();
    if (!binaries) {
        const missing = Object.entries(plan().binaries).filter(([k, f]) => k !== "versions" && !fs.existsSync(f as string)).map(([k]) => k);
        assert.fail(`the real binaries are not built (missing: ${missing.join(", ")}); run \`npm run -s real:build\` first (needs Go and Rust)`);
    }
    return binaries;
}

/** A started local function with the lines each process logged. */
export interface TestFunction extends LocalCollector {
    readonly logs: { source: LogSource; line: string }[];
}

const LOCK = path.join(os.tmpdir(), "otel-lambda-collector-local-tests.lock");

/** Waits for the machine-wide lock (a lock held by a dead process is taken over). */
async function acquireLock(): Promise<() => void> {
    for (;;) {
        try {
            fs.writeFileSync(LOCK, String(process.pid), { flag: "wx" });
            return () => fs.rmSync(LOCK, { force: true });
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
            const owner = Number(fs.readFileSync(LOCK, "utf8") || "0");
            if (owner > 0 && owner !== process.pid && !alive(owner)) {
                fs.rmSync(LOCK, { force: true });
                continue;
            }
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
    }
}

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

let release: (() => void) | undefined;
let holders = 0;

/** Holds the machine-wide lock for a test that starts local functions itself (the CLI); returns the release. */
export async function holdLocalLock(): Promise<() => void> {
    if (holders++ === 0) release = await acquireLock();
    let released = false;
    return () => {
        if (!released && (released = true) && --holders === 0) release?.();
    };
}

/**
 * Starts the function with `options` (binaries from real:build unless given), holding
 * the lock until it is stopped. Log lines are kept on the result instead of printed.
 */
export async function startTestFunction(options: Omit<LocalCollectorOptions, "binaries" | "log"> & { binaries?: LocalCollectorOptions["binaries"] }): Promise<TestFunction> {
    const binaries = options.binaries ?? realBinaries();
    if (holders++ === 0) release = await acquireLock();
    const logs: { source: LogSource; line: string }[] = [];
    let local: LocalCollector;
    try {
        local = await startLocalCollector({ ...options, binaries, log: (source, line) => logs.push({ source, line }) });
    } catch (error) {
        if (--holders === 0) release?.();
        throw error;
    }
    const stop = local.stop;
    let stopped = false;
    return Object.assign(Object.create(local) as LocalCollector, local, {
        logs,
        stop: async () => {
            await stop();
            if (!stopped) {
                stopped = true;
                if (--holders === 0) release?.();
            }
        },
    });
}

/** Starts a function for `body` and always stops it. */
export async function withTestFunction<T>(options: Parameters<typeof startTestFunction>[0], body: (fn: TestFunction) => Promise<T>): Promise<T> {
    const fn = await startTestFunction(options);
    try {
        return await body(fn);
    } finally {
        await fn.stop();
    }
}

/** A fixed, valid token whose header form needs percent-encoding (`+`, `/`, `=`). */
export const ENCODED_TOKEN = "Local+Token/needs_percent~encoding.0123456789abcdefXYZ==";
export const PLAIN_TOKEN = "local-token-0123456789abcdefghijklmnopqrstuvwxyz";

/** Posts one span (the checks' own OTLP protobuf request) to `url` with `Bearer <token>`, or no token. */
export async function postSpan(url: string, token: string | undefined, name = "local test span"): Promise<{ status: number; traceId: string; body: string }> {
    const request = traceCheckRequest({ seed: `${name}:${Math.random()}`, timeMs: Date.now(), spanName: name });
    const response = await fetch(new URL("v1/traces", url), {
        method: "POST",
        headers: { "content-type": PROTOBUF_CONTENT_TYPE, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
        body: request.body,
    });
    return { status: response.status, traceId: request.traceId!, body: await response.text() };
}

/** A self-signed certificate for 127.0.0.1 (openssl), and the file the collector trusts it from (SSL_CERT_FILE). */
export function loopbackCertificate(dir: string): { key: string; cert: string; certFile: string } {
    const keyFile = path.join(dir, "key.pem");
    const certFile = path.join(dir, "cert.pem");
    const made = spawnSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", keyFile, "-out", certFile], { encoding: "utf8" });
    assert.equal(made.status, 0, `openssl req: ${made.stderr}`);
    return { key: fs.readFileSync(keyFile, "utf8"), cert: fs.readFileSync(certFile, "utf8"), certFile };
}
