// Producers with the real OpenTelemetry SDKs of four languages, each configured only
// from a producerEnvironment (OTEL_EXPORTER_OTLP_ENDPOINT, _HEADERS, _PROTOCOL) as a
// user would, each sending one span and reporting its trace id and whether the export
// succeeded. Their toolchain work (a Python venv, the Java classpath, the Go binary) is
// done once into the real:build cache folder, keyed by the inputs' content, never into
// the repository. A missing toolchain fails the test with the one-line fix.
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { cacheDirectory } from "../../local/binaries";
import { projectRoot } from "./paths";

export type Sdk = "node" | "python" | "java" | "go";
export const SDKS: readonly Sdk[] = ["node", "python", "java", "go"];

const producers = path.join(projectRoot, "test", "producers");
const pythonRequirements = path.join(projectRoot, "examples", "producer-python", "app", "requirements.txt");

function keyOf(...files: string[]): string {
    const hash = createHash("sha256");
    for (const file of files) hash.update(fs.readFileSync(file));
    return hash.digest("hex").slice(0, 12);
}

/** Runs a toolchain step; on failure, fails the test with what to install. */
function step(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }, fix: string): string {
    const result = spawnSync(command, args, { encoding: "utf8", cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) {
        const reason = `${result.error?.message ?? ""}${result.stderr ?? ""}${result.stdout ?? ""}`.trim().split("\n").filter(Boolean).slice(-2).join(" | ");
        assert.fail(`${command} ${args.slice(0, 3).join(" ")} failed: ${reason.slice(0, 400)}; ${fix}`);
    }
    return result.stdout;
}

/** Makes `target` with `build(tmp)` in a private folder, then renames it into place (concurrent tests never see half of it). */
function cached(target: string, build: (tmp: string) => void): string {
    if (fs.existsSync(target)) return target;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = fs.mkdtempSync(`${target}.tmp-`);
    try {
        build(tmp);
        try {
            fs.renameSync(tmp, target);
        } catch (error) {
            if (!fs.existsSync(target)) throw error;
        }
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
    return target;
}

/** The Python venv with examples/producer-python's pinned SDK (its requirements.txt). */
export function pythonVenv(): string {
    const venv = path.join(cacheDirectory(), `python-producer-${keyOf(pythonRequirements)}`);
    cached(venv, (tmp) => {
        step("python3", ["-m", "venv", tmp], {}, "install Python 3 with venv (python3-venv)");
        step(path.join(tmp, "bin", "pip"), ["install", "-q", "-r", pythonRequirements], {}, "pip needs PyPI to install the OpenTelemetry Python SDK");
    });
    // A venv records its own path; one made under a temporary name is fixed up by re-running venv in place.
    const python = path.join(venv, "bin", "python");
    if (spawnSync(python, ["-c", "import opentelemetry.sdk"]).status !== 0) {
        step("python3", ["-m", "venv", venv], {}, "install Python 3 with venv (python3-venv)");
    }
    return python;
}

/** The Java producer's classpath (Maven resolves it once, online; later runs read the file). */
function javaClasspath(): string {
    const pom = path.join(producers, "java", "pom.xml");
    const dir = cached(path.join(cacheDirectory(), `java-producer-${keyOf(pom)}`), (tmp) => {
        step("mvn", ["-q", "-B", "-f", pom, "dependency:build-classpath", `-Dmdep.outputFile=${path.join(tmp, "classpath.txt")}`], {}, "install Maven and a JDK 17+ (Maven Central is needed once)");
    });
    return fs.readFileSync(path.join(dir, "classpath.txt"), "utf8").trim();
}

/** The Go producer, built once (go build; the Go module proxy is needed once). */
function goBinary(): string {
    const dir = path.join(producers, "go");
    const target = path.join(cacheDirectory(), `go-producer-${keyOf(path.join(dir, "go.mod"), path.join(dir, "go.sum"), path.join(dir, "main.go"))}`);
    cached(target, (tmp) => {
        step("go", ["build", "-o", path.join(tmp, "producer"), "."], { cwd: dir, env: { ...process.env, CGO_ENABLED: "0" } }, "install Go 1.25+");
    });
    return path.join(target, "producer");
}

/** The command that runs `sdk`'s producer (preparing its toolchain once). */
export function producerCommand(sdk: Sdk): { command: string; args: string[] } {
    switch (sdk) {
        case "node":
            return { command: process.execPath, args: [path.join(projectRoot, "dist", "test", "producers", "node", "producer.js")] };
        case "python":
            return { command: pythonVenv(), args: [path.join(producers, "python", "producer.py")] };
        case "java":
            // Java's source launcher: no build output anywhere.
            return { command: "java", args: ["-cp", javaClasspath(), path.join(producers, "java", "Producer.java")] };
        case "go":
            return { command: goBinary(), args: [] };
    }
}

export interface ProducerRun {
    readonly ok: boolean;
    readonly traceId: string;
    readonly output: string;
}

/**
 * Runs `sdk`'s producer with only `environment` (plus PATH and HOME, which toolchains
 * need, and OTEL_SERVICE_NAME): no other OTEL_* variable of the test process reaches it.
 */
export async function runProducer(sdk: Sdk, environment: Readonly<Record<string, string>>, spanName: string): Promise<ProducerRun> {
    const { command, args } = producerCommand(sdk);
    try {
        const { stdout, stderr } = await promisify(execFile)(command, [...args, spanName], {
            // PYTHONDONTWRITEBYTECODE: no __pycache__ in the repository.
            env: { PATH: process.env.PATH, HOME: process.env.HOME, PYTHONDONTWRITEBYTECODE: "1", OTEL_SERVICE_NAME: `${sdk}-producer`, ...environment },
            timeout: 60_000,
        });
        return { ok: true, traceId: stdout.trim().split("\n").pop() ?? "", output: `${stdout}${stderr}` };
    } catch (error) {
        const e = error as { stdout?: string; stderr?: string; message: string };
        return { ok: false, traceId: (e.stdout ?? "").trim().split("\n").pop() ?? "", output: `${e.stdout ?? ""}${e.stderr ?? e.message}` };
    }
}
