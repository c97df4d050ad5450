#!/usr/bin/env node
// otel-lambda-collector-lint: the policy pack's rules for collector config files, for
// CI and pre-commit where the config lives outside Pulumi.
//   otel-lambda-collector-lint [--function-timeout SECONDS] FILE...
// One line per finding (`file:line: rule: message`); exit 1 if a mandatory rule
// fails, 2 on a usage or read error, 0 otherwise.
import * as fs from "node:fs";
import { checkCollectorConfigText, findingText, type RuleFinding } from "../rules";
import { TIMEOUT_SECONDS } from "../rules/lambda-facts";
import { parseFlags } from "./args";
import { packageVersion } from "./package-info";

export interface LintIO {
    readonly out: (line: string) => void;
    readonly err: (line: string) => void;
    readonly readFile: (file: string) => string;
}

const USAGE = `usage: otel-lambda-collector-lint [--function-timeout SECONDS] FILE...

Checks OpenTelemetry Collector config files with the rules of the policy pack.
One line per finding (file:line: rule: path: message); exit 1 if a mandatory rule
fails, 2 on a usage or read error, 0 otherwise. FILE "-" reads standard input.

  --function-timeout SECONDS  the Lambda function's timeout, for the retry-budget rule
  -h, --help                  print this help
  -v, --version               print the version`;

export function runLint(argv: readonly string[], io: LintIO): number {
    const parsed = parseFlags(argv, {
        "function-timeout": { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
    });
    if (!parsed.ok) {
        io.err(`${parsed.error}; ${USAGE.split("\n")[0]}`);
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
    let timeout: number | undefined;
    if (values["function-timeout"] !== undefined) {
        const raw = values["function-timeout"];
        timeout = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
        if (!Number.isInteger(timeout) || timeout < TIMEOUT_SECONDS.min || timeout > TIMEOUT_SECONDS.max) {
            io.err(`--function-timeout: "${raw}" is not a whole number of seconds between ${TIMEOUT_SECONDS.min} and ${TIMEOUT_SECONDS.max}`);
            return 2;
        }
    }
    if (files.length === 0) {
        io.err(USAGE.split("\n")[0]);
        return 2;
    }
    let mandatory = 0;
    let advisory = 0;
    for (const file of files) {
        let text: string;
        try {
            text = io.readFile(file);
        } catch (error) {
            io.err(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
            return 2;
        }
        const findings = checkCollectorConfigText(text, { functionTimeoutSeconds: timeout })
            .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
        for (const finding of findings) {
            io.out(formatLintLine(file, finding));
            if (finding.severity === "mandatory") mandatory++;
            else advisory++;
        }
    }
    io.err(`${files.length} file(s) checked: ${mandatory} mandatory, ${advisory} advisory finding(s)`);
    return mandatory > 0 ? 1 : 0;
}

/** `file:line: rule: path: message`, with ` (advisory)` after the rule when it does not fail the run. */
export function formatLintLine(file: string, finding: RuleFinding): string {
    const where = finding.line !== undefined ? `${file}:${finding.line}` : file;
    const rule = finding.severity === "advisory" ? `${finding.rule} (advisory)` : finding.rule;
    const subject = finding.path ? `${finding.path}: ` : "";
    return `${where}: ${rule}: ${subject}${findingText(finding)}`;
}

if (require.main === module) {
    process.exitCode = runLint(process.argv.slice(2), {
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
        readFile: (file) => fs.readFileSync(file === "-" ? 0 : file, "utf8"),
    });
}
