// otel-lambda-collector-local as a user runs it (the compiled bin): one JSON line when
// ready, SIGTERM stops every process it started and removes its files, a process of
// the function that dies is reported in one line, and bad input is one line naming
// what and the fix.
import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { childrenOf, isAlive, type TrackedProcess } from "../../local/processes";
import { editDefaultConfig } from "../harness/component";
import { projectRoot } from "../harness/paths";
import { holdLocalLock, PLAIN_TOKEN, postSpan, realBinaries } from "../harness/local-function";

const BIN = path.join(projectRoot, "dist", "cli", "local.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "local-cli-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Running {
    readonly child: ChildProcessWithoutNullStreams;
    readonly ready: Promise<Record<string, unknown> | undefined>;
    readonly exit: Promise<{ code: number | null; stderr: string }>;
    stderr(): string;
}

/** CLIs still running; a failed assertion leaves one behind, which afterEach stops. */
const running = new Set<ChildProcessWithoutNullStreams>();

function run(args: string[]): Running {
    realBinaries();
    const child = spawn(process.execPath, [BIN, ...args], { cwd: projectRoot, stdio: "pipe" });
    running.add(child);
    child.on("exit", () => running.delete(child));
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const ready = new Promise<Record<string, unknown> | undefined>((resolve) => {
        child.stdout.on("data", (c: Buffer) => {
            stdout += c.toString();
            if (stdout.includes("\n")) resolve(JSON.parse(stdout.split("\n")[0]) as Record<string, unknown>);
        });
        child.on("exit", () => resolve(undefined));
    });
    const exit = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on("exit", (code) => resolve({ code, stderr })));
    return { child, ready, exit, stderr: () => stderr };
}

/** The line the CLI printed about itself (its log lines carry a process prefix). */
function ownLines(stderr: string): string[] {
    return stderr.split("\n").filter((l) => l.startsWith("otel-lambda-collector-local:"));
}

/** Every process under `pid` (the emulator and, under it, the collector and the adapter). */
function descendants(pid: number): TrackedProcess[] {
    const found = childrenOf(pid);
    return [...found, ...found.flatMap((p) => descendants(p.pid))];
}

describe("otel-lambda-collector-local", () => {
    // The CLI's function uses 127.0.0.1:4318 like every local function: one at a time.
    let release: () => void = () => undefined;
    before(async () => {
        release = await holdLocalLock();
    });
    // A test that fails before it stops its CLI must not leave the function holding
    // 127.0.0.1:4318 for every later run: SIGTERM stops the CLI and everything it started.
    afterEach(async () => {
        await Promise.all([...running].map((child) => new Promise<void>((resolve) => {
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
        })));
    });
    after(() => release());

    it("prints one JSON line when ready; SIGTERM stops every process and removes its files", async () => {
        const optBefore = fs.readdirSync("/opt");
        const cli = run(["--producer-token", `default=${PLAIN_TOKEN}`]);
        const ready = await cli.ready;
        assert.ok(ready, cli.stderr());
        assert.match(String(ready.url), /^http:\/\/127\.0\.0\.1:\d+\/$/);
        assert.equal(typeof ready.coldStartMs, "number");
        assert.deepEqual(Object.keys(ready.producerEnvironment as object).sort(), ["OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_PROTOCOL"]);
        assert.equal((await postSpan(String(ready.url), PLAIN_TOKEN)).status, 200);
        const processes = descendants(cli.child.pid!);
        assert.equal(processes.length, 3, "the emulator, the collector and the adapter");
        const rieCommand = fs.readFileSync(`/proc/${processes[0].pid}/cmdline`, "utf8").split("\0");
        const sandbox = path.dirname(rieCommand.find((a) => a.endsWith("/bootstrap"))!);
        assert.ok(fs.existsSync(sandbox));
        assert.deepEqual(fs.readdirSync("/opt"), optBefore, "the machine's /opt is not changed while it runs");
        cli.child.kill("SIGTERM");
        const { code } = await cli.exit;
        assert.equal(code, 0);
        assert.deepEqual(processes.filter(isAlive).map((p) => p.pid), [], "no orphans");
        assert.equal(fs.existsSync(sandbox), false, "its folder is removed");
        assert.deepEqual(fs.readdirSync("/opt"), optBefore);
    });

    it("reports a process of the function that dies, in one line with its status and last lines, and stops the rest", async () => {
        const cli = run([]);
        assert.ok(await cli.ready, cli.stderr());
        const processes = descendants(cli.child.pid!);
        const collector = processes.find((p) => p.exe.endsWith("otelcol-lambda"))!;
        process.kill(collector.pid, "SIGKILL");
        const { code, stderr } = await cli.exit;
        assert.equal(code, 1);
        const [line] = ownLines(stderr);
        assert.match(line, /the collector \(pid \d+\) exited \(.*signal.*\); last lines: /);
        assert.deepEqual(processes.filter(isAlive).map((p) => p.pid), [], "no orphans");
    });

    it("refuses a config with a mandatory lint finding unless --no-check", async () => {
        const file = path.join(tmp, "queued.yaml");
        fs.writeFileSync(file, editDefaultConfig("sending_queue:\n      enabled: false", "sending_queue:\n      enabled: true"));
        const { code, stderr } = await run(["--config", file]).exit;
        assert.equal(code, 1);
        assert.match(stderr, /queued\.yaml:\d+: no-queued-exporter: exporters\.debug/);
        assert.match(ownLines(stderr)[0], /not started: the lint found \d+ mandatory problem\(s\) above.*--no-check/);
    });

    const errors: { name: string; args: () => string[]; code: number; says: RegExp }[] = [
        { name: "a missing binary", args: () => ["--rie", "/nonexistent/aws-lambda-rie"], code: 2, says: /^otel-lambda-collector-local: --rie: \/nonexistent\/aws-lambda-rie is missing or not executable; give the path/ },
        { name: "an unreadable config", args: () => ["--config", path.join(tmp, "absent.yaml")], code: 2, says: /--config: .*absent\.yaml: cannot read \(ENOENT\)/ },
        { name: "an unknown flag", args: () => ["--frozen"], code: 2, says: /unknown option --frozen; usage:/ },
        { name: "a config the collector refuses", args: () => { const f = path.join(tmp, "loud.yaml"); fs.writeFileSync(f, editDefaultConfig("verbosity: basic", "verbosity: loud")); return ["--config", f, "--no-check"]; }, code: 1, says: /the collector did not start: Error: .*'verbosity' unknown metrics level "loud"/ },
        { name: "a bad --env", args: () => ["--env", "1X=y"], code: 2, says: /--env: "1X=y" is not NAME=VALUE/ },
        { name: "a bad producer token", args: () => ["--producer-token", "p=short"], code: 2, says: /--producer-token p: the given token is 5 characters long; use at least 32/ },
    ];
    for (const e of errors) {
        it(`says what is wrong in one line: ${e.name}`, async () => {
            const { code, stderr } = await run(e.args()).exit;
            assert.equal(code, e.code, stderr);
            const lines = ownLines(stderr);
            assert.equal(lines.length, 1, stderr);
            assert.match(lines[0], e.says);
            assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
        });
    }

    it("says the port is in use, in one line", async () => {
        const blocker = net.createServer();
        await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
        try {
            const port = (blocker.address() as net.AddressInfo).port;
            const { code, stderr } = await run(["--port", String(port)]).exit;
            assert.equal(code, 1);
            assert.deepEqual(ownLines(stderr), [`otel-lambda-collector-local: --port: 127.0.0.1:${port} is in use; choose another port, or 0 for any free one`]);
        } finally {
            blocker.close();
        }
    });

    it("--stack dev runs what the stack program renders for Pulumi.dev.yaml", async () => {
        const cli = run(["--stack", "dev"]);
        const ready = await cli.ready;
        assert.ok(ready, cli.stderr());
        assert.deepEqual(Object.keys(ready.producerEnvironments as object), ["default"]);
        const token = decodeURIComponent(String((ready.producerEnvironment as Record<string, string>).OTEL_EXPORTER_OTLP_HEADERS).replace(/^authorization=Bearer%20/, ""));
        assert.equal((await postSpan(String(ready.url), token)).status, 200);
        cli.child.kill("SIGINT");
        assert.equal((await cli.exit).code, 0);
    });
});
