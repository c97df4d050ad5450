// Measurements of the real collector for `npm run bench` (scripts/bench.ts runs them):
// the lean binary's size against contrib's published stripped size, the time its
// `validate` takes per config, and the lint's time per config without and with
// --collector. Run directly (node dist/scripts/bench-collector.js) it prints them.
// Needs the lean collector of `npm run -s real:build`.
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { runLint } from "../cli/lint";
import { runCollectorValidate } from "../components/shared/collector-validate";
import { plan } from "../local/binaries";
import { TOKENS_ENV_VAR, TOKENS_STAND_IN } from "../rules/lambda-facts";

/** One measured figure. */
export interface Measurement {
    /** Stable name, e.g. `collector.lean.bytes`. */
    readonly name: string;
    readonly value: number;
    /** `bytes`, `ratio`, `ms/config`. */
    readonly unit: string;
    /** Where the figure comes from, or how it was taken. */
    readonly note: string;
}

/**
 * otelcol-contrib's stripped binary: about 249 MB (347 MB unstripped; darwin/arm64, 2024),
 * as measured in open-telemetry/opentelemetry-collector-contrib PR #34698 (the figure
 * docs/lean-distribution.md cites). A published figure, not measured here.
 */
export const CONTRIB_STRIPPED_BYTES = 249 * 1000 * 1000;
/** The goal: the lean binary at most this share of contrib's stripped bytes. */
export const LEAN_SHARE_GOAL = 1 / 5;

const ROOT = [path.resolve(__dirname, ".."), path.resolve(__dirname, "..", "..")].find((d) => fs.existsSync(path.join(d, "Pulumi.yaml"))) as string;

/** Configs the bench judges: the project's own and one of each kind the collector refuses. */
function configs(): string[] {
    const safe = fs.readFileSync(path.join(ROOT, "collector", "config.yaml"), "utf8");
    return [
        safe,
        safe.replace("verbosity: basic", "verbosty: basic"),
        safe.replace("service:\n", "service:\n  telemetry:\n    metrics:\n      address: 0.0.0.0:8888\n"),
        `${safe.replace("exporters: [debug]\n    metrics:", "exporters: [debug, forward]\n    metrics:")}connectors:\n  forward:\n`,
    ];
}

/** Median milliseconds of `runs` calls of `fn`, after one warm-up call. */
function medianMs(runs: number, fn: () => void): number {
    fn();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
        const start = performance.now();
        fn();
        times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
}

/**
 * Every measurement, taken now. Throws one line naming `npm run -s real:build` when
 * the lean collector is not built.
 */
export function benchCollector(runs = 15): Measurement[] {
    const binary = plan().binaries.collector;
    if (!fs.existsSync(binary)) {
        throw new Error(`the lean collector is not built (${binary}); run npm run -s real:build first`);
    }
    const bytes = fs.statSync(binary).size;
    const texts = configs();
    const environment = { [TOKENS_ENV_VAR]: TOKENS_STAND_IN, AWS_LWA_PORT: "4318" };
    const validateMs = medianMs(runs, () => {
        for (const text of texts) runCollectorValidate({ binary, configs: [text], environment });
    }) / texts.length;
    const lint = (extra: readonly string[]): number => medianMs(runs, () => {
        for (const text of texts) runLint([...extra, "c.yaml"], { out: () => undefined, err: () => undefined, readFile: () => text });
    }) / texts.length;
    const lintMs = lint([]);
    const lintCollectorMs = lint(["--collector", binary]);
    return [
        { name: "collector.lean.bytes", value: bytes, unit: "bytes", note: `${binary} (ocb, collector/lambda-distribution.yaml; stripped, linux/amd64)` },
        { name: "collector.contrib.stripped.bytes", value: CONTRIB_STRIPPED_BYTES, unit: "bytes", note: "published: ~249 MB stripped, open-telemetry/opentelemetry-collector-contrib PR #34698" },
        { name: "collector.lean.share-of-contrib", value: bytes / CONTRIB_STRIPPED_BYTES, unit: "ratio", note: `goal at most ${LEAN_SHARE_GOAL}` },
        { name: "collector.validate.ms-per-config", value: validateMs, unit: "ms/config", note: `median of ${runs} runs over ${texts.length} configs (temp files, spawn, validate)` },
        { name: "lint.ms-per-config", value: lintMs, unit: "ms/config", note: `median of ${runs} runs over ${texts.length} configs, in-process` },
        { name: "lint.collector.ms-per-config", value: lintCollectorMs, unit: "ms/config", note: `the same with --collector ${path.basename(binary)}` },
    ];
}

if (require.main === module) {
    try {
        for (const m of benchCollector()) {
            const value = m.unit === "ratio" ? m.value.toFixed(3) : m.unit === "bytes" ? String(m.value) : m.value.toFixed(1);
            process.stdout.write(`${m.name}: ${value} ${m.unit}  (${m.note})\n`);
        }
    } catch (error) {
        process.stderr.write(`bench-collector: ${(error as Error).message}\n`);
        process.exitCode = 1;
    }
}
