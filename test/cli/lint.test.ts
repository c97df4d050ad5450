// The lint command: the same rules for config files, one line per finding.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { runLint } from "../../cli/lint";
import { projectRoot } from "../harness/paths";
import { BATCH_IN_PIPELINE, QUEUE_ON_BY_DEFAULT, RETRY_DEFAULT_30S } from "../harness/messages";

const fixture = (...parts: string[]): string => path.join("test", "fixtures", ...parts);

function lint(args: string[]): { code: number; out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    const code = runLint(args, { out: (l) => out.push(l), err: (l) => err.push(l), readFile: (f) => fs.readFileSync(path.join(projectRoot, f), "utf8") });
    return { code, out, err };
}

describe("otel-lambda-collector-lint", () => {
    it("prints file:line: rule: message per finding and fails on a mandatory rule, with the component's context by default", () => {
        const result = lint([fixture("lint", "unsafe.yaml")]);
        assert.deepEqual(result.out, [
            "test/fixtures/lint/unsafe.yaml:4: unauthenticated-receiver: receivers.otlp.protocols.http: has no auth.authenticator, and the Function URL is public, so anyone who learns the URL can send telemetry to your backend; add auth: {authenticator: bearertokenauth/...} or opt in explicitly with allowUnauthenticated",
            `test/fixtures/lint/unsafe.yaml:7: no-batch-processor: processors.batch: ${BATCH_IN_PIPELINE}`,
            "test/fixtures/lint/unsafe.yaml:8: no-buffering-processor (advisory): processors.tail_sampling: tail_sampling holds data for as long as its decision_wait setting says before passing it on, and Lambda freezes the collector after each response, so held data is lost or delayed to the next invocation; run it in a persistent collector instead",
            `test/fixtures/lint/unsafe.yaml:11: no-queued-exporter: exporters.otlphttp/honeycomb: ${QUEUE_ON_BY_DEFAULT}`,
            `test/fixtures/lint/unsafe.yaml:11: retry-exceeds-timeout (advisory): exporters.otlphttp/honeycomb: ${RETRY_DEFAULT_30S}`,
        ]);
        assert.deepEqual(result.err, ["1 file(s) checked: 3 mandatory, 2 advisory finding(s)"]);
        assert.equal(result.code, 1);
    });

    it("checks retry budgets against the given function timeout", () => {
        const result = lint(["--function-timeout", "600", "--no-auth-required", fixture("lint", "unsafe.yaml")]);
        assert.ok(!result.out.some((l) => l.includes("retry-exceeds-timeout")), result.out.join("\n"));
        assert.ok(!result.out.some((l) => l.includes("unauthenticated-receiver")), result.out.join("\n"));
    });

    it("passes the shipped default config with exit 0", () => {
        assert.deepEqual(lint(["collector/config.yaml"]), { code: 0, out: [], err: ["1 file(s) checked: 0 mandatory, 0 advisory finding(s)"] });
    });

    it("reports malformed YAML with its line, never a stack trace", () => {
        const result = lint([fixture("malformed", "not-yaml.yaml"), fixture("malformed", "list.yaml")]);
        assert.equal(result.code, 1);
        assert.deepEqual(result.out, [
            "test/fixtures/malformed/not-yaml.yaml:3: config-syntax: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
            "test/fixtures/malformed/list.yaml:1: config-shape: config is a list, but a collector config must be a mapping with receivers, exporters and service sections",
        ]);
    });

    it("exits 2 on usage and read errors", () => {
        assert.equal(lint([]).code, 2);
        assert.deepEqual(lint(["--strict", "x.yaml"]).err, ["unknown option --strict; usage: otel-lambda-collector-lint [options] FILE..."]);
        assert.deepEqual(lint(["--function-timeout", "0", "x.yaml"]).err, ["--function-timeout: \"0\" is not a whole number of seconds between 1 and 900"]);
        assert.deepEqual(lint(["missing.yaml"]), { code: 2, out: [], err: ["missing.yaml: cannot read (ENOENT)", "0 file(s) checked: 0 mandatory, 0 advisory finding(s); 1 unreadable"] });
    });

    it("runs as the documented npm script, with the same output and exit code", () => {
        const npm = process.platform === "win32" ? "npm.cmd" : "npm";
        const run = spawnSync(npm, ["run", "--silent", "lint:collector", "--", fixture("lint", "unsafe.yaml")], { cwd: projectRoot, encoding: "utf8" });
        assert.equal(run.status, 1, run.stderr);
        assert.equal(run.stdout.trim().split("\n").length, 5);
        assert.match(run.stdout, /^test\/fixtures\/lint\/unsafe\.yaml:4: unauthenticated-receiver: /);
        assert.ok(!/\n\s+at /.test(run.stderr), "no stack trace");
    });

    it("runs as the packaged bin from dist", () => {
        const run = spawnSync(process.execPath, [path.join(projectRoot, "dist", "cli", "lint.js"), fixture("malformed", "empty.yaml")], { cwd: projectRoot, encoding: "utf8" });
        assert.equal(run.status, 1);
        assert.equal(run.stdout, "test/fixtures/malformed/empty.yaml:1: config-syntax: config is empty; a collector config needs at least receivers, exporters and service.pipelines\n");
    });
});
