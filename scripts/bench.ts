// npm run bench: speed figures, never asserted in tests (docs/local.md has the last
// figures). A list of named measurements; each prints one line, and the last line is
// one JSON object with all of them and the machine's core count. Add a measurement by
// appending to MEASUREMENTS.
//
// The local function (the lean collector under the Runtime Interface Emulator with the
// Lambda Web Adapter, behind the Function URL stand-in, frozen between requests) needs
// `npm run -s real:build` first.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cachedBinaries } from "../local/binaries";
import { defaultCollectorConfig } from "../components/shared/config-sources/default-config";
import { PROTOBUF_CONTENT_TYPE, traceCheckRequest } from "../components/shared/otlp/otlp-check";
import { startLocalCollector, type LocalBinaries } from "../local/local-collector";
import { peakRssKb } from "../local/processes";
import { benchCollector } from "./bench-collector";

interface Measurement {
    readonly name: string;
    readonly unit: string;
    /** Returns the figures, by label (e.g. `{ median: 412 }`). */
    readonly run: (context: Context) => Promise<Record<string, number>>;
}

interface Context {
    readonly binaries: () => LocalBinaries;
}

const TOKEN = "bench-token-0123456789abcdefghijklmnopqrstuv";
const PRODUCERS = [{ name: "default", token: TOKEN }];
const quiet = () => undefined;

async function postSpan(url: string, seed: string): Promise<number> {
    const request = traceCheckRequest({ seed, timeMs: Date.now(), spanName: "bench" });
    const response = await fetch(new URL("v1/traces", url), {
        method: "POST",
        headers: { "content-type": PROTOBUF_CONTENT_TYPE, authorization: `Bearer ${TOKEN}` },
        body: request.body,
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`bench: a span got ${response.status}, not 200`);
    return response.status;
}

function percentile(sorted: readonly number[], p: number): number {
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (ms: number) => Math.round(ms * 10) / 10;

const MEASUREMENTS: Measurement[] = [
    {
        name: "local cold start (lean build): process start to the first accepted span, median of 5",
        unit: "ms",
        run: async ({ binaries }) => {
            const times: number[] = [];
            for (let i = 0; i < 5; i++) {
                const started = performance.now();
                const fn = await startLocalCollector({ binaries: binaries(), config: defaultCollectorConfig(), producers: PRODUCERS, warmUp: false, log: quiet });
                try {
                    await postSpan(fn.url, `cold-${i}`);
                    times.push(performance.now() - started);
                } finally {
                    await fn.stop();
                }
            }
            times.sort((a, b) => a - b);
            return { median: round(times[2]), min: round(times[0]), max: round(times[4]) };
        },
    },
    {
        name: "local warm request latency over 200 spans (frozen and thawed around each), and the collector's peak RSS",
        unit: "ms / MB",
        run: async ({ binaries }) => {
            const fn = await startLocalCollector({ binaries: binaries(), config: defaultCollectorConfig(), producers: PRODUCERS, log: quiet });
            try {
                const times: number[] = [];
                for (let i = 0; i < 200; i++) {
                    const started = performance.now();
                    await postSpan(fn.url, `warm-${i}`);
                    times.push(performance.now() - started);
                }
                times.sort((a, b) => a - b);
                const collector = fn.processes().collector;
                const peak = collector ? peakRssKb(collector) : undefined;
                return { p50: round(percentile(times, 50)), p99: round(percentile(times, 99)), collectorPeakRssMb: peak === undefined ? Number.NaN : round(peak / 1024) };
            } finally {
                await fn.stop();
            }
        },
    },
    {
        name: "collector binary and validate (scripts/bench-collector.ts)",
        unit: "bytes / ratio / ms per config",
        run: async () => Object.fromEntries(benchCollector().map((m) => [m.name, m.unit === "ratio" ? Math.round(m.value * 1000) / 1000 : m.unit === "bytes" ? m.value : round(m.value)])),
    },
    {
        name: "stack program evaluation under Pulumi's mocks (index.ts with Pulumi.dev.yaml), a fresh process each, median of 5",
        unit: "ms",
        run: async () => {
            const times: number[] = [];
            for (let i = 0; i < 5; i++) times.push(await programEvaluationMs());
            times.sort((a, b) => a - b);
            return { median: round(times[2]), min: round(times[0]), max: round(times[4]) };
        },
    },
];

/** The project root, from scripts/ (ts-node) or dist/scripts/ (compiled). */
const ROOT = [path.resolve(__dirname, ".."), path.resolve(__dirname, "..", "..")].find((d) => fs.existsSync(path.join(d, "Pulumi.yaml"))) as string;

/**
 * Loads the stack program in a child process under the test harness's mocks and
 * returns how long the import and its outputs took (what the offline suite and a
 * preview's program phase pay). Needs `npm run build` (dist/).
 */
function programEvaluationMs(): Promise<number> {
    const script = `
const path = require("node:path");
const root = ${JSON.stringify(ROOT)};
const mocks = require(path.join(root, "dist/test/harness/mocks.js"));
(async () => {
  mocks.loadStackConfig(path.join(root, "Pulumi.dev.yaml"));
  await mocks.installMocks();
  const started = performance.now();
  const program = require(path.join(root, "dist/index.js"));
  await mocks.value(program.producerEnvironment);
  process.stdout.write("\\nEVALUATION_MS=" + String(performance.now() - started) + "\\n");
  process.exit(0);
})();`;
    return new Promise((resolve, reject) => {
        // The Pulumi runtime sets a failing exit code when the process exits with its
        // promises still pending (the mock engine never finishes them), so the figure is
        // read from its marker line, not from the exit status.
        execFile(process.execPath, ["-e", script], { cwd: ROOT }, (error, stdout) => {
            const measured = /^EVALUATION_MS=([0-9.]+)$/m.exec(stdout)?.[1];
            if (measured === undefined) return reject(new Error(`program evaluation: ${error?.message.split("\n")[0] ?? "no figure printed"} (run npm run build first)`));
            resolve(Number(measured));
        });
    });
}

async function main(): Promise<void> {
    const context: Context = {
        binaries: () => {
            const built = cachedBinaries();
            if (!built) throw new Error("the collector, the emulator or the adapter is not built; run `npm run -s real:build` first");
            return built;
        },
    };
    const results: Record<string, Record<string, number>> = {};
    for (const m of MEASUREMENTS) {
        results[m.name] = await m.run(context);
        process.stdout.write(`${m.name}: ${Object.entries(results[m.name]).map(([k, v]) => `${k} ${v}`).join(", ")} (${m.unit})\n`);
    }
    process.stdout.write(`${JSON.stringify({ cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? "unknown", node: process.version, results })}\n`);
}

main().catch((error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).message.split("\n")[0]}\n`);
    process.exitCode = 1;
});
