#!/usr/bin/env node
// otel-lambda-collector-local: runs the collector as the function runs it, on this
// machine, with no Docker and no AWS: the Runtime Interface Emulator, the Lambda Web
// Adapter as an extension, the collector as the runtime, behind a Function URL
// stand-in on 127.0.0.1. Prints one JSON line when ready, then the processes' logs
// on stderr; Ctrl-C (SIGINT) or SIGTERM stops everything it started. See docs/local.md.
import * as fs from "node:fs";
import * as path from "node:path";
import { format, parseEnv } from "node:util";
import { cachedBinaries, plan } from "../local/binaries";
import { generateToken } from "../local/function-environment";
import { LocalCollectorError, startLocalCollector, type LocalBinaries, type Producer } from "../local/local-collector";
import { ListenError } from "../local/function-url";
import { preflightFindings } from "../local/preflight";
import { SandboxError } from "../local/sandbox";
import { defaultCollectorConfig } from "../components/shared/config-sources/default-config";
import { PRODUCER_NAME_PATTERN, tokenProblem } from "../components/shared/tokens/tokens";
import { parseFlags } from "./args";
import { formatLintLine } from "./lint";
import { packageVersion } from "./package-info";

const NAME = "otel-lambda-collector-local";
const USAGE_LINE = `usage: ${NAME} [--config FILE | --stack NAME] [options]`;
const USAGE = `${USAGE_LINE}

Runs the collector as the Lambda function runs it, on this machine: the Runtime
Interface Emulator, the Lambda Web Adapter as an extension and the collector as the
runtime (from \`npm run -s real:build\`), behind a Function URL stand-in on 127.0.0.1.
When ready, prints one JSON line {"url", "coldStartMs", "producerEnvironment",
"producerEnvironments"}; then the processes' logs on stderr. Ctrl-C stops everything.

  --config FILE           the collector config (default: the package's collector/config.yaml)
  --stack NAME            the config and environment the stack program renders for
                          Pulumi.NAME.yaml (in the project folder; no Pulumi CLI needed)
  --env NAME=VALUE        a function environment variable; repeatable
  --env-vars-file FILE    variables from a NAME=VALUE file (# comments allowed)
  --producer NAME         a producer, with a generated token; repeatable (default: "default")
  --producer-token NAME=TOKEN   a producer with this token; repeatable. producerEnvironment
                          is the first --producer-token's, else the first --producer's
  --port PORT             the stand-in's port on 127.0.0.1 (default 0: any free port)
  --no-freeze             do not stop the collector and the adapter between requests
                          (Lambda does: by default a config that holds data loses it here too)
  --no-check              start even if the lint finds a mandatory problem
  --collector, --rie, --adapter PATH   binaries to use instead of real:build's
  -h, --help              print this help
  -v, --version           print the version`;

const FLAGS = {
    config: { type: "string" },
    stack: { type: "string" },
    env: { type: "string", multiple: true },
    "env-vars-file": { type: "string", multiple: true },
    producer: { type: "string", multiple: true },
    "producer-token": { type: "string", multiple: true },
    port: { type: "string" },
    "no-freeze": { type: "boolean" },
    "no-check": { type: "boolean" },
    collector: { type: "string" },
    rie: { type: "string" },
    adapter: { type: "string" },
    help: { type: "boolean", short: "h" },
    version: { type: "boolean", short: "v" },
} as const;

/** A usage or input error: one line, exit 2. */
class UsageError extends Error {}

// stdout carries exactly one JSON line. Libraries that print with console.log (Pulumi's
// mock engine logs "info: ..." there while --stack renders the program) go to stderr.
console.log = (...args: unknown[]) => {
    process.stderr.write(`${format(...args)}\n`);
};

async function main(argv: readonly string[]): Promise<number> {
    const parsed = parseFlags(argv, FLAGS);
    if (!parsed.ok) throw new UsageError(`${parsed.error}; ${USAGE_LINE}`);
    const { values, positionals } = parsed;
    if (values.help) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    if (values.version) {
        process.stdout.write(`${packageVersion()}\n`);
        return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}; ${USAGE_LINE}`);
    if (values.config !== undefined && values.stack !== undefined) {
        throw new UsageError("--config and --stack both give the config; use one of them");
    }
    const port = portOf(values.port);
    const environment: Record<string, string> = {};
    for (const file of values["env-vars-file"] ?? []) Object.assign(environment, readEnvFile(file));
    for (const pair of values.env ?? []) {
        const match = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(pair);
        if (!match) throw new UsageError(`--env: ${JSON.stringify(pair)} is not NAME=VALUE (NAME: letters, digits and underscores)`);
        environment[match[1]] = match[2];
    }
    let config: string;
    let producers = producersOf(values.producer ?? [], values["producer-token"] ?? []);
    if (values.stack !== undefined) {
        // Loaded only here: it runs the stack program under Pulumi's mocks.
        const { renderStack, StackRenderError } = await import("../local/stack-rendering");
        try {
            const rendered = await renderStack(values.stack, process.cwd());
            config = rendered.config;
            // The stack's own variables first; --env and --env-vars-file win.
            for (const [key, value] of Object.entries(rendered.environment)) if (!(key in environment)) environment[key] = value;
            if (values.producer === undefined && values["producer-token"] === undefined) producers = rendered.producers;
        } catch (error) {
            if (error instanceof StackRenderError) throw new UsageError(error.message);
            throw error;
        }
    } else {
        config = values.config === undefined ? defaultCollectorConfig() : readText("--config", values.config);
    }
    const binaries = binariesOf(values);

    if (values["no-check"] !== true) {
        const { functionEnvironment } = await import("../local/function-environment");
        const full = functionEnvironment({ config, tokens: producers.map((p) => p.token), environment });
        const findings = preflightFindings(config, full);
        const source = values.config ?? (values.stack !== undefined ? `stack ${values.stack}` : "collector/config.yaml");
        for (const finding of findings) process.stderr.write(`${formatLintLine(source, finding)}\n`);
        const mandatory = findings.filter((f) => f.severity === "mandatory").length;
        if (mandatory > 0) {
            process.stderr.write(`${NAME}: not started: the lint found ${mandatory} mandatory problem(s) above, which would fail the deployment; fix them, or pass --no-check to run the config anyway\n`);
            return 1;
        }
    }

    const local = await startLocalCollector({ binaries, config, producers, environment, port, freeze: values["no-freeze"] !== true });
    process.stdout.write(`${JSON.stringify({
        url: local.url,
        coldStartMs: local.coldStartMs,
        producerEnvironment: local.producerEnvironment,
        producerEnvironments: local.producerEnvironments,
    })}\n`);
    return new Promise<number>((resolve) => {
        const stopOn = (signal: NodeJS.Signals) => {
            process.stderr.write(`${NAME}: ${signal}: stopping\n`);
            void local.stop().then(() => resolve(0));
        };
        process.once("SIGINT", stopOn);
        process.once("SIGTERM", stopOn);
        void local.died.then((line) => {
            process.stderr.write(`${NAME}: ${line}\n`);
            void local.stop().then(() => resolve(1));
        });
    });
}

function portOf(text: string | undefined): number {
    if (text === undefined) return 0;
    const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isInteger(port) || port > 65535) throw new UsageError(`--port: ${JSON.stringify(text)} is not a port number between 0 and 65535 (0: any free port)`);
    return port;
}

function readText(flag: string, file: string): string {
    try {
        return fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new UsageError(`${flag}: ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)}); give a readable file`);
    }
}

/** NAME=VALUE lines (dotenv syntax, read by Node's util.parseEnv); a line that is neither that nor a comment is an error. */
function readEnvFile(file: string): Record<string, string> {
    const text = readText("--env-vars-file", file);
    for (const [index, raw] of text.split(/\r?\n/).entries()) {
        const line = raw.trim();
        if (line === "" || line.startsWith("#")) continue;
        if (!/^(export\s+)?[A-Za-z_][A-Za-z0-9_]*=/.test(line)) {
            throw new UsageError(`--env-vars-file: ${file}:${index + 1}: ${JSON.stringify(line)} is not NAME=VALUE`);
        }
    }
    return parseEnv(text) as Record<string, string>;
}

/** The producers and their tokens: named with --producer (token generated) or --producer-token. */
function producersOf(names: readonly string[], given: readonly string[]): Producer[] {
    const producers: Producer[] = [];
    const add = (name: string, token: string, flag: string) => {
        if (!PRODUCER_NAME_PATTERN.test(name)) {
            throw new UsageError(`${flag}: ${JSON.stringify(name)} is not a producer name; use 1-32 lower-case letters, digits and hyphens, starting with a letter or digit`);
        }
        if (producers.some((p) => p.name === name)) throw new UsageError(`${flag}: producer "${name}" is given twice; give each once`);
        producers.push({ name, token });
    };
    for (const pair of given) {
        const at = pair.indexOf("=");
        if (at <= 0) throw new UsageError(`--producer-token: expects NAME=TOKEN, got a value without "=" (${pair.length} characters)`);
        const [name, token] = [pair.slice(0, at), pair.slice(at + 1)];
        const problem = tokenProblem(`--producer-token ${name}`, token);
        if (problem) throw new UsageError(problem);
        add(name, token, "--producer-token");
    }
    for (const name of names) add(name, generateToken(), "--producer");
    return producers.length > 0 ? producers : [{ name: "default", token: generateToken() }];
}

function binariesOf(values: { collector?: string; rie?: string; adapter?: string }): LocalBinaries {
    const cached = cachedBinaries();
    const planned = plan().binaries;
    const pick = (name: "collector" | "rie" | "adapter"): string => {
        const given = values[name];
        if (given !== undefined) {
            try {
                fs.accessSync(given, fs.constants.X_OK);
            } catch {
                throw new UsageError(`--${name}: ${given} is missing or not executable; give the path of the ${name} binary`);
            }
            return path.resolve(given);
        }
        if (cached) return cached[name];
        try {
            fs.accessSync(planned[name], fs.constants.X_OK);
            return planned[name];
        } catch {
            throw new UsageError(`the ${name} binary is not built (${planned[name]}); run \`npm run -s real:build\` (needs Go and Rust), or give --${name} PATH`);
        }
    };
    return { collector: pick("collector"), rie: pick("rie"), adapter: pick("adapter") };
}

// Exit explicitly: with --stack, Pulumi's runtime keeps handles open after everything stopped.
main(process.argv.slice(2)).then((code) => {
    process.exit(code);
}, (error: unknown) => {
    const known = error instanceof UsageError || error instanceof LocalCollectorError || error instanceof ListenError || error instanceof SandboxError;
    process.stderr.write(`${NAME}: ${known ? (error as Error).message : (error as Error).message.split("\n")[0]}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
});
