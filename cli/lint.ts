#!/usr/bin/env node
// otel-lambda-collector-lint: the rules the component and the policy pack apply, for
// collector config files in CI and pre-commit, where the config lives outside Pulumi.
// The deployment context defaults to the component's (function timeout 30 s, adapter
// port 4318, receiver auth required); flags change it.
// Exit 1 if a mandatory rule fails, 2 on a usage error or an unreadable file, else 0.
import {
    checkCollectorConfig,
    findingText,
    parseCollectorConfig,
    withSeverity,
    type CollectorConfig,
    type DeploymentContext,
    type RuleFinding,
} from "../rules";
import { collectorBinaryProblem, runCollectorValidate } from "../components/shared/collector-validate";
import type { CollectorValidation } from "../rules/collector-validate";
import { detectCollectorConfig } from "../rules/detect";
import { COMPONENT_TIMEOUT_SECONDS, IMAGE, RUNTIME_ENVIRONMENT_KEYS, TIMEOUT_SECONDS, TOKEN_ENV_VAR, TOKENS_ENV_VAR, TOKENS_STAND_IN } from "../rules/lambda-facts";
import { mergeConfigs, type NamedConfig } from "../rules/merge";
import { parseFlags } from "./args";
import { readBoundedText } from "../components/shared/config-sources/config-file";
import { printable } from "../rules/printable";
import { CONTAINER_PORT, FARGATE_ENVIRONMENT_KEYS } from "../rules/fargate-facts";
import { DEFAULT_RUNTIME, RUNTIMES, type Runtime } from "../rules/runtimes";
import { packageVersion } from "./package-info";

export interface LintIO {
    readonly out: (line: string) => void;
    readonly err: (line: string) => void;
    /** Reads a file as UTF-8; throws a Node error (with `code`, e.g. ENOENT) when it cannot. */
    readonly readFile: (file: string) => string;
}

const USAGE_LINE = "usage: otel-lambda-collector-lint [options] FILE...";
const USAGE = `${USAGE_LINE}

Checks OpenTelemetry Collector config files with the rules of the LambdaCollector
component and the policy pack, on the config as the collector resolves it.
One line per finding (file:line: rule: path: message); exit 1 if a mandatory rule
fails, 2 on a usage error or an unreadable file, 0 otherwise. FILE "-" reads stdin.

  --runtime lambda|fargate    where the config runs (default ${DEFAULT_RUNTIME}): each runtime's
                              rules (fargate: no freeze rules; listener, health check,
                              batch and queue rules instead)
  --container-port PORT       fargate: the port the load balancer sends to (default ${CONTAINER_PORT})
  --function-timeout SECONDS  the Lambda function's timeout (default ${COMPONENT_TIMEOUT_SECONDS}, the component's)
  --adapter-port PORT         AWS_LWA_PORT, where the adapter forwards requests (default ${IMAGE.adapterPort})
  --no-auth-required          do not require an authenticator on the OTLP/HTTP receiver
                              (the component's allowUnauthenticated)
  --env NAME=VALUE            a function environment variable, for resolving \${env:NAME};
                              repeatable. With --env or --env-vars-file, the environment is
                              taken as complete: other variables are unset
  --env-vars-file FILE        variables from a NAME=VALUE file (# comments allowed)
  --merge                     check all files as one config, merged as the collector
                              merges several --config files (later files win; maps
                              merge, lists are replaced)
  --collector PATH            also run that collector binary's own \`validate\` on each
                              config (with --merge, on the merged files), with only the
                              image's variables, --env/--env-vars-file and PATH as its
                              environment; its error is a collector-validate finding.
                              Build one with: npm run -s real:build
  --pre-commit                skip files that are not collector configs (saying which),
                              and deleted files; for pre-commit hooks
  --format text|json          output format (default text)
  -h, --help                  print this help
  -v, --version               print the version`;

interface FileReport {
    readonly file: string;
    readonly status: "checked" | "skipped" | "unreadable";
    readonly reason?: string;
    readonly findings: RuleFinding[];
}

export function runLint(argv: readonly string[], io: LintIO): number {
    const parsed = parseFlags(argv, {
        runtime: { type: "string" },
        "container-port": { type: "string" },
        "function-timeout": { type: "string" },
        "adapter-port": { type: "string" },
        "no-auth-required": { type: "boolean" },
        env: { type: "string", multiple: true },
        "env-vars-file": { type: "string", multiple: true },
        merge: { type: "boolean" },
        collector: { type: "string" },
        "pre-commit": { type: "boolean" },
        format: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
    });
    if (!parsed.ok) {
        io.err(`${parsed.error}; ${USAGE_LINE}`);
        return 2;
    }
    const { values, positionals: files } = parsed;
    if (values.help) {
        io.out(USAGE);
        return 0;
    }
    if (values.version) {
        io.out(packageVersion());
        return 0;
    }
    const context = contextOf(values, io);
    if (typeof context === "string") {
        io.err(context);
        return 2;
    }
    const format = values.format ?? "text";
    if (format !== "text" && format !== "json") {
        io.err(`--format: "${format}" is not a format; use text or json`);
        return 2;
    }
    if (files.length === 0 && !values["pre-commit"]) {
        io.err(USAGE_LINE);
        return 2;
    }
    let validate: Validate | undefined;
    if (values.collector !== undefined) {
        const problem = collectorBinaryProblem("--collector", values.collector);
        if (problem) {
            io.err(problem);
            return 2;
        }
        validate = validator(values.collector, context);
    }
    const reports = values.merge
        ? lintMerged(files, context, io, values["pre-commit"] === true, validate)
        : files.map((file) => lintFile(file, context, io, values["pre-commit"] === true, validate));
    return report(reports, format, io);
}

/** The deployment context from the flags, or a one-line usage error. */
function contextOf(values: { runtime?: string; "container-port"?: string; "function-timeout"?: string; "adapter-port"?: string; "no-auth-required"?: boolean; env?: string[]; "env-vars-file"?: string[] }, io: LintIO): DeploymentContext | string {
    const runtime = values.runtime ?? DEFAULT_RUNTIME;
    if (!(RUNTIMES as readonly string[]).includes(runtime)) {
        return `--runtime: "${runtime}" is not a runtime; use ${RUNTIMES.join(" or ")}`;
    }
    if (runtime === "fargate") {
        return fargateContextOf(values, io);
    }
    if (values["container-port"] !== undefined) {
        return `--container-port: is only read with --runtime fargate; remove it, or use --adapter-port for Lambda`;
    }
    const timeoutText = values["function-timeout"] ?? String(COMPONENT_TIMEOUT_SECONDS);
    // Digits without a leading zero, as the stack key takes them.
    const timeout = /^[1-9]\d*$/.test(timeoutText) ? Number(timeoutText) : Number.NaN;
    if (!Number.isInteger(timeout) || timeout < TIMEOUT_SECONDS.min || timeout > TIMEOUT_SECONDS.max) {
        return `--function-timeout: "${timeoutText}" is not a whole number of seconds between ${TIMEOUT_SECONDS.min} and ${TIMEOUT_SECONDS.max}`;
    }
    const portText = values["adapter-port"] ?? String(IMAGE.adapterPort);
    const port = /^[1-9]\d*$/.test(portText) ? Number(portText) : Number.NaN;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
        return `--adapter-port: "${portText}" is not a port number between 1 and 65535`;
    }
    const given: Record<string, string> = {};
    for (const file of values["env-vars-file"] ?? []) {
        let text: string;
        try {
            text = io.readFile(file);
        } catch (error) {
            return `--env-vars-file: ${printable(file)}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
        }
        for (const [index, raw] of text.split(/\r?\n/).entries()) {
            const line = raw.trim();
            if (line === "" || line.startsWith("#")) continue;
            const entry = envEntry(line.replace(/^export\s+/, ""));
            if (!entry) {
                // A value may be a secret: only the name part is echoed, made printable.
                return `--env-vars-file: ${printable(file)}:${index + 1}: ${printable(line.split("=")[0], 40)} is not NAME=VALUE`;
            }
            given[entry[0]] = unquote(entry[1]);
        }
    }
    for (const pair of values.env ?? []) {
        const entry = envEntry(pair);
        if (!entry) {
            return `--env: "${pair}" is not NAME=VALUE (NAME: letters, digits and underscores)`;
        }
        given[entry[0]] = entry[1];
    }
    const context: { -readonly [K in keyof DeploymentContext]: DeploymentContext[K] } = {
        functionTimeoutSeconds: timeout,
        adapterPort: port,
        requireReceiverAuth: values["no-auth-required"] !== true,
    };
    // The image sets AWS_LWA_PORT (collector/Dockerfile), so its value is known.
    const image = { AWS_LWA_PORT: String(port) };
    if (values.env === undefined && values["env-vars-file"] === undefined) {
        context.environment = image;
        context.environmentIsPartial = true;
    } else {
        // As in the component: Lambda's and the image's variables and the two the
        // component sets exist, with values not known here.
        const environment: Record<string, string | undefined> = {};
        for (const key of [...RUNTIME_ENVIRONMENT_KEYS, IMAGE.configVariable, TOKEN_ENV_VAR]) environment[key] = undefined;
        environment[TOKENS_ENV_VAR] = TOKENS_STAND_IN;
        Object.assign(environment, image, given);
        context.environment = environment;
        context.environmentKeys = new Set(Object.keys(environment));
    }
    return context;
}

/** Runs the collector's `validate` on config texts (in merge order). */
type Validate = (texts: readonly string[]) => CollectorValidation;

/**
 * The collector's environment: the known values of the function's environment (the
 * image's AWS_LWA_PORT, the tokens list the component always sets, as a stand-in, and
 * --env/--env-vars-file), then PATH; never the lint's own shell.
 */
function validator(binary: string, context: DeploymentContext): Validate {
    const environment: Record<string, string> = { [TOKENS_ENV_VAR]: TOKENS_STAND_IN };
    for (const [key, value] of Object.entries(context.environment ?? {})) {
        if (value !== undefined) environment[key] = value;
    }
    return (texts) => {
        const result = runCollectorValidate({ binary, configs: texts, environment });
        // No verdict (a timeout, a crash) fails closed, in the collector's finding.
        return result.ok ? result.validation : { binary, error: result.problem };
    };
}

/** The context with the collector's verdict on `texts`, when --collector was given. */
function withValidation(context: DeploymentContext, texts: readonly string[], validate: Validate | undefined): DeploymentContext {
    return validate ? { ...context, collectorValidation: validate(texts) } : context;
}

/** The fargate context: the container port instead of the Lambda flags, which are refused rather than ignored. */
function fargateContextOf(values: { "container-port"?: string; "function-timeout"?: string; "adapter-port"?: string; "no-auth-required"?: boolean; env?: string[]; "env-vars-file"?: string[] }, io: LintIO): DeploymentContext | string {
    for (const flag of ["function-timeout", "adapter-port"] as const) {
        if (values[flag] !== undefined) {
            return `--${flag}: is only read with --runtime lambda (a Fargate task has no function timeout or adapter); remove it`;
        }
    }
    const portText = values["container-port"] ?? String(CONTAINER_PORT);
    const port = /^[1-9]\d*$/.test(portText) ? Number(portText) : Number.NaN;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
        return `--container-port: "${portText}" is not a port number between 1 and 65535`;
    }
    // The Lambda flags are refused above; the environment flags read as for Lambda.
    const lambda = contextOf({ "no-auth-required": values["no-auth-required"], env: values.env, "env-vars-file": values["env-vars-file"] }, io);
    if (typeof lambda === "string") return lambda;
    const context: { -readonly [K in keyof DeploymentContext]: DeploymentContext[K] } = {
        runtime: "fargate" satisfies Runtime,
        containerPort: port,
        requireReceiverAuth: lambda.requireReceiverAuth,
    };
    if (lambda.environmentKeys === undefined) {
        context.environment = {};
        context.environmentIsPartial = true;
    } else {
        // ECS's variables instead of Lambda's; the config and token variables as the component sets them.
        const environment: Record<string, string | undefined> = {};
        for (const key of FARGATE_ENVIRONMENT_KEYS) environment[key] = undefined;
        for (const [key, value] of Object.entries(lambda.environment ?? {})) {
            // Lambda's own variables (unknown values) and the Lambda image's AWS_LWA_PORT are not a task's.
            const lambdaOnly = (RUNTIME_ENVIRONMENT_KEYS.has(key) && value === undefined) || (key === "AWS_LWA_PORT" && !(values.env ?? []).some((e) => e.startsWith("AWS_LWA_PORT=")));
            if (!lambdaOnly) environment[key] = value;
        }
        context.environment = environment;
        context.environmentKeys = new Set(Object.keys(environment));
    }
    return context;
}

function envEntry(text: string): [string, string] | undefined {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(text);
    return match ? [match[1], match[2]] : undefined;
}

function unquote(value: string): string {
    return /^(["']).*\1$/s.test(value) ? value.slice(1, -1) : value;
}

function read(file: string, io: LintIO): { text: string } | { error: NodeJS.ErrnoException } {
    try {
        return { text: io.readFile(file) };
    } catch (error) {
        return { error: error as NodeJS.ErrnoException };
    }
}

function unreadable(file: string, error: NodeJS.ErrnoException): FileReport {
    return { file, status: "unreadable", reason: `cannot read (${error.code ?? error.message})`, findings: [] };
}

function lintFile(file: string, context: DeploymentContext, io: LintIO, preCommit: boolean, validate?: Validate): FileReport {
    if (preCommit && !/\.ya?ml$/i.test(file)) {
        return { file, status: "skipped", reason: "not a .yaml or .yml file", findings: [] };
    }
    const got = read(file, io);
    if ("error" in got) {
        return preCommit && got.error.code === "ENOENT"
            ? { file, status: "skipped", reason: "deleted", findings: [] }
            : unreadable(file, got.error);
    }
    if (preCommit) {
        const detected = detectCollectorConfig(got.text);
        if (detected.kind === "not-config") {
            return { file, status: "skipped", reason: `not a collector config (${detected.reason})`, findings: [] };
        }
        if (detected.kind === "broken") {
            return { file, status: "checked", findings: [withSeverity(detected.finding)] };
        }
        return { file, status: "checked", findings: sorted(checkCollectorConfig(detected.config, withValidation(context, [got.text], validate))) };
    }
    const parsed = parseCollectorConfig(got.text);
    return { file, status: "checked", findings: parsed.ok ? sorted(checkCollectorConfig(parsed.config, withValidation(context, [got.text], validate))) : [withSeverity(parsed.finding)] };
}

/** All files as one config; files that cannot be read or parsed are reported on their own and stop the merge. */
function lintMerged(files: readonly string[], context: DeploymentContext, io: LintIO, preCommit: boolean, validate?: Validate): FileReport[] {
    const reports: FileReport[] = [];
    const configs: NamedConfig[] = [];
    const texts: string[] = [];
    for (const file of files) {
        const got = read(file, io);
        if ("error" in got) {
            reports.push(preCommit && got.error.code === "ENOENT" ? { file, status: "skipped", reason: "deleted", findings: [] } : unreadable(file, got.error));
            continue;
        }
        const parsed = parseCollectorConfig(got.text);
        if (!parsed.ok) {
            reports.push({ file, status: "checked", findings: [withSeverity(parsed.finding)] });
            continue;
        }
        configs.push({ file, config: parsed.config });
        texts.push(got.text);
    }
    if (configs.length > 0 && reports.every((r) => r.status === "skipped")) {
        const merged: CollectorConfig = mergeConfigs(configs);
        const name = configs.map((c) => c.file).join(" + ");
        reports.push({ file: name, status: "checked", findings: sorted(checkCollectorConfig(merged, withValidation(context, texts, validate))) });
    }
    return reports;
}

function sorted(findings: RuleFinding[]): RuleFinding[] {
    return [...findings].sort((a, b) => (a.file ?? "").localeCompare(b.file ?? "") || (a.line ?? 0) - (b.line ?? 0));
}

function report(reports: readonly FileReport[], format: string, io: LintIO): number {
    const all = reports.flatMap((r) => r.findings);
    const mandatory = all.filter((f) => f.severity === "mandatory").length;
    const advisory = all.length - mandatory;
    const checked = reports.filter((r) => r.status === "checked");
    const skipped = reports.filter((r) => r.status === "skipped");
    const failed = reports.filter((r) => r.status === "unreadable");
    const code = failed.length > 0 ? 2 : mandatory > 0 ? 1 : 0;
    if (format === "json") {
        io.out(JSON.stringify({
            files: reports.map((r) => ({
                file: r.file,
                status: r.status,
                ...(r.reason ? { reason: r.reason } : {}),
                findings: r.findings.map((f) => ({ file: f.file ?? r.file, line: f.line ?? null, rule: f.rule, severity: f.severity, path: f.path, message: f.message, hint: f.hint ?? null })),
            })),
            summary: { checked: checked.length, skipped: skipped.length, unreadable: failed.length, mandatory, advisory },
            exitCode: code,
        }, null, 2));
        return code;
    }
    for (const r of reports) {
        for (const finding of r.findings) io.out(formatLintLine(r.file, finding));
    }
    for (const r of failed) io.err(`${r.file}: ${r.reason}`);
    for (const r of skipped) io.err(`${r.file}: skipped, ${r.reason}`);
    const extra = [skipped.length > 0 ? `${skipped.length} skipped` : "", failed.length > 0 ? `${failed.length} unreadable` : ""].filter(Boolean);
    io.err(`${checked.length} file(s) checked: ${mandatory} mandatory, ${advisory} advisory finding(s)${extra.length > 0 ? `; ${extra.join(", ")}` : ""}`);
    return code;
}

/** `file:line: rule: path: message`, with ` (advisory)` after the rule when it does not fail the run. */
export function formatLintLine(file: string, finding: RuleFinding): string {
    const source = finding.file ?? file;
    const where = finding.line !== undefined ? `${source}:${finding.line}` : source;
    const rule = finding.severity === "advisory" ? `${finding.rule} (advisory)` : finding.rule;
    const subject = finding.path ? `${finding.path}: ` : "";
    return `${where}: ${rule}: ${subject}${findingText(finding)}`;
}

if (require.main === module) {
    process.exitCode = runLint(process.argv.slice(2), {
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
        readFile: (file) => {
            // The size cap applies before the read: /dev/zero or a huge file is refused, never read whole.
            const read = readBoundedText(file === "-" ? 0 : file);
            if ("error" in read) {
                throw Object.assign(new Error(read.error), { code: read.error });
            }
            return read.text;
        },
    });
}
