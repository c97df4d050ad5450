// The real pieces of the function image, built on this machine from their package
// registries with no Docker: the lean collector (ocb from collector/lambda-distribution.yaml),
// the Lambda Runtime Interface Emulator (RIE) and the Lambda Web Adapter (LWA). Each
// is built once into a cache folder outside the repository, keyed by its version (and,
// for the collector, by the manifest's text), so a second run only checks the files.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PINNED_IMAGES } from "../components/shared/image/collector-image";
import { LAMBDA_DISTRIBUTION, ocbManifest } from "../components/lambda/distribution";

/**
 * The Runtime Interface Emulator's module version. Its git tags (v1.30, ...) are not
 * semver, so the Go module proxy serves pseudo-versions only; this is the newest one
 * the proxy here serves (commit bef5c4b, 2026-10-30).
 */
export const RIE_VERSION = "v0.0.0-20261030222936-bef5c4ba774d";
export const RIE_MODULE = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie";

/**
 * The adapter crate's version. collector/Dockerfile pins the image 1.0.0, but crates.io
 * has no 1.0.0 (`cargo install lambda_web_adapter --version 1.0.0`: "could not find");
 * its newest release there is 1.0.0-rc1, the nearest published one. The two differ in
 * readiness checking and error bodies (aws-lambda-web-adapter CHANGELOG, v1.0.0).
 */
export const ADAPTER_CRATE_VERSION = "1.0.0-rc1";
export const ADAPTER_CRATE = "lambda_web_adapter";

export const OCB_MODULE = "go.opentelemetry.io/collector/cmd/builder";

/** Absolute paths of the built binaries and the versions they were built at. */
export interface RealBinaries {
    readonly collector: string;
    readonly rie: string;
    readonly adapter: string;
    readonly versions: {
        /** The lean distribution's release (collector/lambda-distribution.yaml, dist.version). */
        readonly collector: string;
        readonly ocb: string;
        readonly rie: string;
        readonly adapter: string;
    };
}

/** A build step that cannot run, with the one line that says what to install or fix. */
export class RealBuildError extends Error {}

/**
 * The cache folder: `$OTEL_LAMBDA_COLLECTOR_CACHE`, else `$XDG_CACHE_HOME/otel-lambda-collector`,
 * else `~/.cache/otel-lambda-collector`.
 */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
    if (env.OTEL_LAMBDA_COLLECTOR_CACHE) return path.resolve(env.OTEL_LAMBDA_COLLECTOR_CACHE);
    return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "otel-lambda-collector");
}

interface Plan {
    readonly binaries: RealBinaries;
}

/** Where each binary lives in the cache, without building anything. */
export function plan(cache: string = cacheDirectory()): Plan {
    const collectorVersion = LAMBDA_DISTRIBUTION.dist.version;
    const ocbVersion = PINNED_IMAGES.builder.version;
    const key = createHash("sha256").update(`${ocbVersion}\n${ocbManifest(LAMBDA_DISTRIBUTION)}`).digest("hex").slice(0, 12);
    const collectorDir = path.join(cache, `collector-${collectorVersion}-${key}`);
    return {
        binaries: {
            collector: path.join(collectorDir, LAMBDA_DISTRIBUTION.dist.name),
            rie: path.join(cache, `rie-${RIE_VERSION}`, "aws-lambda-rie"),
            adapter: path.join(cache, `adapter-${ADAPTER_CRATE_VERSION}`, "bin", "lambda-adapter"),
            versions: { collector: collectorVersion, ocb: ocbVersion, rie: RIE_VERSION, adapter: ADAPTER_CRATE_VERSION },
        },
    };
}

/** The binaries if all three are already in the cache, else undefined. Builds nothing. */
export function cachedBinaries(cache: string = cacheDirectory()): RealBinaries | undefined {
    const { binaries } = plan(cache);
    return [binaries.collector, binaries.rie, binaries.adapter].every(isExecutable) ? binaries : undefined;
}

export interface BuildOptions {
    readonly cache?: string;
    /** Progress lines (the builds take minutes). @default writes to stderr */
    readonly log?: (line: string) => void;
}

/**
 * Builds whatever is missing from the cache and returns the three binaries.
 * Each artifact is built in a private temporary folder and renamed into place, so an
 * interrupted or concurrent build never leaves a half-written binary in the cache.
 * @throws RealBuildError with one line naming the missing toolchain or module.
 */
export async function buildRealBinaries(options: BuildOptions = {}): Promise<RealBinaries> {
    const cache = options.cache ?? cacheDirectory();
    const log = options.log ?? ((line: string) => process.stderr.write(`real:build: ${line}\n`));
    const { binaries } = plan(cache);
    fs.mkdirSync(cache, { recursive: true });

    if (!isExecutable(binaries.rie)) {
        await requireTool("go", ["version"], "install Go 1.25 or newer (the collector's modules need it) and put `go` on PATH");
        log(`building the Runtime Interface Emulator ${RIE_VERSION} (go install)`);
        await buildInto(binaries.rie, async (tmp) => {
            await run("go", ["install", "-ldflags=-s -w", `${RIE_MODULE}@${RIE_VERSION}`], { env: { GOBIN: tmp, CGO_ENABLED: "0" } }, RIE_MODULE);
            return path.join(tmp, "aws-lambda-rie");
        });
    }
    if (!isExecutable(binaries.collector)) {
        await requireTool("go", ["version"], "install Go 1.25 or newer (the collector's modules need it) and put `go` on PATH");
        const ocb = path.join(cache, `ocb-${binaries.versions.ocb}`, "builder");
        if (!isExecutable(ocb)) {
            log(`installing ocb ${binaries.versions.ocb} (${OCB_MODULE})`);
            await buildInto(ocb, async (tmp) => {
                await run("go", ["install", `${OCB_MODULE}@v${binaries.versions.ocb}`], { env: { GOBIN: tmp } }, OCB_MODULE);
                return path.join(tmp, "builder");
            });
        }
        log(`building the lean collector ${binaries.versions.collector} with ocb (several minutes on a cold cache)`);
        await buildInto(binaries.collector, async (tmp) => {
            const output = path.join(tmp, "_build");
            const manifestFile = path.join(tmp, "manifest.yaml");
            // Same modules and dist settings as the image's build; only the output folder differs.
            fs.writeFileSync(manifestFile, ocbManifest({ ...LAMBDA_DISTRIBUTION, dist: { ...LAMBDA_DISTRIBUTION.dist, output_path: output } }));
            // ocb writes sources and the binary under dist.output_path; the image's absolute
            // /home/ocb/_build would need that folder on this machine.
            await run(ocb, ["--config", manifestFile], {}, "the collector's modules (collector/lambda-distribution.yaml)");
            return path.join(output, LAMBDA_DISTRIBUTION.dist.name);
        });
    }
    if (!isExecutable(binaries.adapter)) {
        await requireTool("cargo", ["--version"], "install Rust (rustup, stable) and put `cargo` on PATH");
        log(`building the Lambda Web Adapter ${ADAPTER_CRATE_VERSION} (cargo install ${ADAPTER_CRATE}, a few minutes)`);
        const root = path.dirname(path.dirname(binaries.adapter));
        await buildInto(root, async (tmp) => {
            await run("cargo", ["install", ADAPTER_CRATE, "--version", ADAPTER_CRATE_VERSION, "--locked", "--root", tmp], {}, `crate ${ADAPTER_CRATE}@${ADAPTER_CRATE_VERSION}`);
            return tmp;
        }, true);
    }
    return binaries;
}

function isExecutable(file: string): boolean {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
}

/** Builds in a fresh folder beside `target`, then renames the result onto `target`. */
async function buildInto(target: string, build: (tmp: string) => Promise<string>, wholeFolder = false): Promise<void> {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = fs.mkdtempSync(`${target}.tmp-`);
    try {
        const result = await build(tmp);
        if (wholeFolder) {
            fs.rmSync(target, { recursive: true, force: true });
            fs.renameSync(result, target);
        } else {
            fs.renameSync(result, target);
        }
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

async function requireTool(command: string, args: string[], fix: string): Promise<void> {
    try {
        await run(command, args, {}, command);
    } catch {
        throw new RealBuildError(`\`${command}\` is not available: ${fix}`);
    }
}

interface RunOptions {
    readonly env?: Record<string, string>;
}

/**
 * Runs a build command, its output kept in memory (bounded) and shown only on failure.
 * @throws RealBuildError naming `what` and the first line of the tool's own reason.
 */
function run(command: string, args: string[], options: RunOptions, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        const keep = (chunk: Buffer) => {
            output = (output + chunk.toString("utf8")).slice(-64 * 1024);
        };
        child.stdout.on("data", keep);
        child.stderr.on("data", keep);
        child.on("error", (err) => reject(new RealBuildError(`${command}: ${err.message}`)));
        child.on("close", (code, signal) => {
            if (code === 0) return resolve();
            reject(new RealBuildError(`${what}: ${command} ${args[0]} failed (${signal ?? `exit ${code}`}): ${reasonOf(output)}`));
        });
    });
}

/** The line of a Go or Cargo failure that says why: an unreachable module or crate first. */
export function reasonOf(output: string): string {
    const lines = output.split("\n").map((l) => l.trim()).filter(Boolean);
    const unreachable = lines.find((l) => /(403 Forbidden|404 Not Found|not available|could not find|unknown revision|no matching versions|Could not resolve host|dial tcp)/i.test(l));
    const error = lines.find((l) => /^(error|Error|go: |fatal)/.test(l));
    const line = unreachable ?? error ?? lines[lines.length - 1] ?? "no output";
    const fix = unreachable ? " (a module or crate the registry does not serve: pin a version it serves)" : "";
    return `${line.slice(0, 400)}${fix}`;
}
