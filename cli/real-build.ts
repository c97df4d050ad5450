#!/usr/bin/env node
// npm run -s real:build: builds (or finds in the cache) the lean collector, the Lambda
// Runtime Interface Emulator and the Lambda Web Adapter, with no Docker. Progress goes
// to stderr; the last line on stdout is one JSON object with the three absolute paths
// and their versions, for scripts and tests to read.
import { parseFlags } from "./args";
import { buildRealBinaries, cacheDirectory, RealBuildError } from "../local/binaries";

const USAGE = `usage: npm run -s real:build [-- --cache DIR]

Builds the real pieces of the function image on this machine, from their registries:
  the lean collector (ocb, collector/lambda-distribution.yaml), the Lambda Runtime
  Interface Emulator (Go module proxy) and the Lambda Web Adapter (crates.io).
Needs Go 1.25+ and Rust (cargo). Cached in ${cacheDirectory()}
(--cache DIR or OTEL_LAMBDA_COLLECTOR_CACHE to move it); a cached run only checks the files.
Prints {"collector", "rie", "adapter", "versions"} as JSON on the last line of stdout.`;

async function main(argv: readonly string[]): Promise<number> {
    const parsed = parseFlags(argv, { cache: { type: "string" }, help: { type: "boolean", short: "h" } });
    if (!parsed.ok) {
        process.stderr.write(`real:build: ${parsed.error}; see --help\n`);
        return 2;
    }
    if (parsed.values.help) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    if (parsed.positionals.length > 0) {
        process.stderr.write(`real:build: unexpected argument ${JSON.stringify(parsed.positionals[0])}; it takes only --cache DIR\n`);
        return 2;
    }
    const started = Date.now();
    try {
        const binaries = await buildRealBinaries({ cache: parsed.values.cache });
        process.stderr.write(`real:build: ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        process.stdout.write(`${JSON.stringify(binaries)}\n`);
        return 0;
    } catch (error) {
        if (error instanceof RealBuildError) {
            process.stderr.write(`real:build: ${error.message}\n`);
            return 1;
        }
        throw error;
    }
}

main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
}, (error: unknown) => {
    process.stderr.write(`real:build: ${(error as Error).message.split("\n")[0]}\n`);
    process.exitCode = 1;
});
