// Runs a real collector binary's `validate` on a config: the one runner behind the
// lint's --collector and the component's validateWith. Its outcome goes to the
// collector-validate rule (rules/collector-validate.ts) through the deployment context,
// so the rules stay pure.
//
// `otelcol validate --config=FILE...` resolves the config, decodes it strictly, runs
// every Validate() and builds the pipeline graph, and starts nothing
// (otelcol/command_validate.go, collector.go DryRun; docs/lint.md says what it cannot see).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CollectorValidation } from "../../rules/collector-validate";

/** How long one `validate` may run before it is killed (it takes tens of milliseconds; a provider fetching over the network may hang). */
export const VALIDATE_TIMEOUT_MS = 15_000;
/** The most output kept from one run; the child is killed past it. */
export const VALIDATE_MAX_OUTPUT_BYTES = 256 * 1024;

export interface ValidateRequest {
    /** The binary as the user gave it (echoed in findings and errors). */
    readonly binary: string;
    /** Config texts, in the order the collector merges them (later wins). */
    readonly configs: readonly string[];
    /**
     * The whole environment the collector sees, besides PATH: the function's variables
     * as far as they are known. Never the caller's own shell. Secret values belong here,
     * never on a command line.
     */
    readonly environment: Readonly<Record<string, string>>;
    /** Values never to echo: replaced by [secret] in the collector's error. */
    readonly secrets?: readonly string[];
}

/** `validate`'s verdict, or a one-line problem when the binary could not be run to a verdict. */
export type ValidateResult = { readonly ok: true; readonly validation: CollectorValidation } | { readonly ok: false; readonly problem: string };

/**
 * The binary's absolute path. A path the user gives is relative to the current folder
 * (a bare name too, like a file argument, not a PATH lookup), and `validate` runs in a
 * private temporary folder, so the path is resolved before the run.
 */
export function collectorBinaryPath(binary: string): string {
    return path.resolve(binary);
}

/**
 * Why `binary` cannot be used as a collector (missing, not a file, not executable),
 * as one line naming `field` and the fix; undefined when it can.
 */
export function collectorBinaryProblem(field: string, binary: string): string | undefined {
    const fix = "build the lean collector with npm run -s real:build and give the path it prints as \"collector\"";
    let stat: fs.Stats;
    try {
        stat = fs.statSync(collectorBinaryPath(binary));
    } catch (error) {
        return `${field}: "${binary}" does not exist (${(error as NodeJS.ErrnoException).code ?? "unreadable"}); ${fix}`;
    }
    if (!stat.isFile()) {
        return `${field}: "${binary}" is not a file; ${fix}`;
    }
    try {
        fs.accessSync(collectorBinaryPath(binary), fs.constants.X_OK);
    } catch {
        return `${field}: "${binary}" is not executable; chmod +x it, or ${fix}`;
    }
    return undefined;
}

/**
 * Writes the configs to a private temporary folder (0700, files 0600, removed after),
 * runs `<binary> validate --config=<file>...` with only `environment` and PATH, bounded
 * by {@link VALIDATE_TIMEOUT_MS} and {@link VALIDATE_MAX_OUTPUT_BYTES}, and returns
 * the collector's error (secrets redacted) or a pass.
 */
export function runCollectorValidate(request: ValidateRequest): ValidateResult {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "otel-lambda-validate-"));
    try {
        const files = request.configs.map((text, i) => {
            const file = path.join(dir, `config-${i}.yaml`);
            fs.writeFileSync(file, text, { mode: 0o600 });
            return file;
        });
        const run = spawnSync(collectorBinaryPath(request.binary), ["validate", ...files.map((f) => `--config=${f}`)], {
            cwd: dir,
            env: { ...request.environment, PATH: process.env.PATH ?? "" },
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
            timeout: VALIDATE_TIMEOUT_MS,
            killSignal: "SIGKILL",
            maxBuffer: VALIDATE_MAX_OUTPUT_BYTES,
            windowsHide: true,
        });
        const redact = (text: string): string => redacted(text.split(dir + path.sep).join(""), request.secrets ?? []);
        const code = (run.error as NodeJS.ErrnoException | undefined)?.code;
        if (code === "ETIMEDOUT") {
            return { ok: false, problem: `${request.binary} validate did not finish within ${VALIDATE_TIMEOUT_MS / 1000} s (a provider such as \${https:...} or \${s3:...} may be waiting on the network)` };
        }
        if (run.error && code !== "ENOBUFS") {
            return { ok: false, problem: `${request.binary} could not be run (${code ?? run.error.message})` };
        }
        if (run.status === 0 && code === undefined) {
            return { ok: true, validation: { binary: request.binary } };
        }
        const output = `${run.stderr ?? ""}`.trim() || `${run.stdout ?? ""}`.trim();
        const error = output !== "" ? output : run.signal ? `killed by ${run.signal}` : `exited with status ${run.status}`;
        return { ok: true, validation: { binary: request.binary, error: redact(code === "ENOBUFS" ? `${error} (output cut at ${VALIDATE_MAX_OUTPUT_BYTES} bytes)` : error) } };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * `text` with each secret replaced by [secret]: as written, and as the collector quotes
 * it in an error (Go's %q escapes quotes, backslashes and control characters as JSON
 * does). A secret of 4 characters or more is replaced wherever it stands; a shorter one
 * only where it stands alone (between non-alphanumeric characters), so that a one-letter
 * value does not blot out every word yet never shows as a quoted value.
 */
export function redacted(text: string, secrets: readonly string[]): string {
    let out = text;
    const forms = [...new Set(secrets.filter((s) => s !== "").flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))].sort((a, b) => b.length - a.length);
    for (const form of forms) {
        if (form.length >= 4) {
            out = out.split(form).join("[secret]");
        } else {
            const escaped = form.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
            out = out.replace(new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`, "g"), "[secret]");
        }
    }
    return out;
}
