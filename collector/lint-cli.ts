#!/usr/bin/env node
// otel-lambda-collector-lint: the policy pack's rules for collector config files, for
// CI and pre-commit where the config lives outside Pulumi.
//   otel-lambda-collector-lint [--function-timeout SECONDS] FILE...
// One line per finding (`file:line: rule: message`); exit 1 if a mandatory rule
// fails, 2 on a usage or read error, 0 otherwise.
import * as fs from "node:fs";
import { checkCollectorConfigText } from "./check";
import type { Finding } from "./config-model";

export interface LintIO {
    readonly out: (line: string) => void;
    readonly err: (line: string) => void;
    readonly readFile: (file: string) => string;
}

const USAGE = "usage: otel-lambda-collector-lint [--function-timeout SECONDS] FILE...";

export function runLint(argv: readonly string[], io: LintIO): number {
    const files: string[] = [];
    let timeout: number | undefined;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--function-timeout") {
            const value = Number(argv[++i]);
            if (!Number.isInteger(value) || value < 1 || value > 900) {
                io.err(`--function-timeout: "${argv[i] ?? ""}" is not a whole number of seconds between 1 and 900`);
                return 2;
            }
            timeout = value;
        } else if (arg === "--help" || arg === "-h") {
            io.out(USAGE);
            return 0;
        } else if (arg.startsWith("-") && arg !== "-") {
            io.err(`unknown option ${arg}; ${USAGE}`);
            return 2;
        } else {
            files.push(arg);
        }
    }
    if (files.length === 0) {
        io.err(USAGE);
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
export function formatLintLine(file: string, finding: Finding): string {
    const where = finding.line !== undefined ? `${file}:${finding.line}` : file;
    const rule = finding.severity === "advisory" ? `${finding.rule} (advisory)` : finding.rule;
    const subject = finding.path ? `${finding.path}: ` : "";
    return `${where}: ${rule}: ${subject}${finding.message}`;
}

if (require.main === module) {
    process.exitCode = runLint(process.argv.slice(2), {
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
        readFile: (file) => fs.readFileSync(file === "-" ? 0 : file, "utf8"),
    });
}
