// The lint's modes: every file summarised, merged overlays, pre-commit, JSON output,
// environment values, and the documented git hook in a scratch repository.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { runLint } from "../../cli/lint";
import { projectRoot } from "../harness/paths";
import { BATCH_UNUSED, QUEUE_ON_BY_DEFAULT, RETRY_DEFAULT_30S } from "../harness/messages";

function lint(args: string[], files: Record<string, string> = {}): { code: number; out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    const readFile = (f: string): string => {
        if (f in files) return files[f];
        return fs.readFileSync(path.join(projectRoot, f), "utf8");
    };
    const code = runLint(args, { out: (l) => out.push(l), err: (l) => err.push(l), readFile });
    return { code, out, err };
}

const SAFE = fs.readFileSync(path.join(projectRoot, "collector", "config.yaml"), "utf8");

describe("lint modes", () => {
    it("checks and summarises every file even when one cannot be read", () => {
        const result = lint(["missing.yaml", "collector/config.yaml", "test/fixtures/lint/unsafe.yaml"]);
        assert.equal(result.code, 2);
        assert.ok(result.out.some((l) => l.startsWith("test/fixtures/lint/unsafe.yaml:7: no-batch-processor")));
        assert.deepEqual(result.err, ["missing.yaml: cannot read (ENOENT)", "2 file(s) checked: 3 mandatory, 2 advisory finding(s); 1 unreadable"]);
    });

    it("merges several files as the collector merges --config files", () => {
        const result = lint(["--merge", "test/fixtures/lint/overlay/base.yaml", "test/fixtures/lint/overlay/prod.yml"]);
        assert.deepEqual(result.out, [
            `test/fixtures/lint/overlay/base.yaml:23: no-batch-processor: processors.batch: ${BATCH_UNUSED}`,
            `test/fixtures/lint/overlay/prod.yml:4: no-queued-exporter: exporters.otlphttp: ${QUEUE_ON_BY_DEFAULT}`,
            `test/fixtures/lint/overlay/prod.yml:4: retry-exceeds-timeout (advisory): exporters.otlphttp: ${RETRY_DEFAULT_30S}`,
        ]);
        assert.equal(result.code, 1);
    });

    it("in pre-commit mode skips what is not a collector config, accepts .yml and tolerates deleted files", () => {
        const files = {
            ".github/workflows/ci.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
            "Pulumi.yaml": "name: x\nruntime: nodejs\n",
            "README.md": "# x\n",
            "collector/overlay.yml": "exporters:\n  logging:\n    loglevel: debug\n",
        };
        const result = lint(["--pre-commit", "--no-auth-required", ".github/workflows/ci.yml", "Pulumi.yaml", "README.md", "gone.yaml", "collector/overlay.yml"], files);
        assert.deepEqual(result.out.map((l) => l.split(": ").slice(0, 2).join(": ")), [
            "collector/overlay.yml:1: config-shape",
            "collector/overlay.yml:1: adapter-port",
            "collector/overlay.yml:2: unknown-component-type",
        ]);
        assert.ok(result.out[2].includes("exporter type \"logging\" was removed from otelcol-contrib in v0.111.0"), result.out[2]);
        assert.deepEqual(result.err.slice(0, 4), [
            ".github/workflows/ci.yml: skipped, not a collector config (a mapping without collector sections)",
            "Pulumi.yaml: skipped, not a collector config (a mapping without collector sections)",
            "README.md: skipped, not a .yaml or .yml file",
            "gone.yaml: skipped, deleted",
        ]);
        assert.equal(result.code, 1);
        assert.deepEqual(lint(["--pre-commit"]), { code: 0, out: [], err: ["0 file(s) checked: 0 mandatory, 0 advisory finding(s)"] });
    });

    it("in pre-commit mode checks a config with misspelt sections instead of skipping it, and still skips other formats", () => {
        const misspelt: Record<string, string> = {
            "receiver.yaml": "receiver:\n  otlp:\n    protocols:\n      http: {}\nexporters:\n  debug: {}\n",
            "exporter.yaml": "exporter:\n  debug: {}\n",
            "servce.yaml": "servce:\n  pipelines:\n    traces:\n      receivers: [otlp]\n",
            "processor.yaml": "processor:\n  batch: {}\n",
            "extension.yaml": "extension:\n  health_check: {}\n",
            "connector.yaml": "connector:\n  forward: {}\n",
            "pipelines.yaml": "pipelines:\n  traces:\n    receivers: [otlp]\n    exporters: [debug]\n",
            "Receivers.yaml": "Receivers:\n  otlp: {}\n",
            "services.yaml": "services:\n  pipelines:\n    traces: {receivers: [otlp], exporters: [debug]}\n",
        };
        for (const [file, text] of Object.entries(misspelt)) {
            const result = lint(["--pre-commit", file], { [file]: text });
            const key = text.slice(0, text.indexOf(":"));
            assert.ok(result.out.some((l) => l.startsWith(`${file}:1: config-shape: ${key}: is not a collector config section`)), `${file}: ${result.out.join("\n")}`);
            assert.equal(result.code, 1, file);
            assert.ok(!result.err.some((l) => l.includes("skipped")), result.err.join("\n"));
        }
        // Broken YAML written as a misspelt config is reported, not skipped.
        const broken = lint(["--pre-commit", "b.yaml"], { "b.yaml": "receiver:\n  otlp: {\nexporter:\n  debug: {}\n" });
        assert.equal(broken.code, 1);
        assert.ok(!broken.err.some((l) => l.includes("skipped")), broken.err.join("\n"));
        const others: Record<string, [string, string]> = {
            "ci.yml": ["name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n      db: {image: postgres}\n", "a mapping without collector sections"],
            "workflow.yml": ["name: ci\non: [push]\nservices: {}\n", "a CI workflow (jobs, on)"],
            "Pulumi.yaml": ["name: x\nruntime: nodejs\ndescription: y\n", "a mapping without collector sections"],
            "Pulumi-svc.yaml": ["name: x\nruntime: nodejs\nservce: y\n", "a Pulumi project file (name, runtime)"],
            "deploy.yaml": ["apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {ports: [{port: 80}]}\n", "a mapping without collector sections"],
            "cm.yaml": ["apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nservce: x\n", "a Kubernetes manifest (apiVersion, kind)"],
            "compose.yaml": ["services:\n  web:\n    image: nginx\n  collector:\n    build: ./collector\n", "a docker-compose file (services with image or build)"],
            "docker-compose.yml": ["version: '3.8'\nservices:\n  otel:\n    image: otel/opentelemetry-collector-contrib\n    volumes: [./c.yaml:/etc/c.yaml]\n", "a docker-compose file (services with image or build)"],
            "bitbucket-pipelines.yml": ["image: node:20\npipelines:\n  default:\n    - step: {script: [npm test]}\n", "a Bitbucket Pipelines file (image, pipelines.default/branches)"],
        };
        for (const [file, [text, reason]] of Object.entries(others)) {
            const result = lint(["--pre-commit", file], { [file]: text });
            assert.deepEqual(result, { code: 0, out: [], err: [`${file}: skipped, not a collector config (${reason})`, "0 file(s) checked: 0 mandatory, 0 advisory finding(s); 1 skipped"] }, file);
        }
    });

    it("says a multi-document file is not one config, without parser API hints", () => {
        const result = lint(["two.yaml"], { "two.yaml": `${SAFE}\n---\n${SAFE}` });
        assert.equal(result.out.length, 1);
        assert.match(result.out[0], /a collector config is one YAML document/);
        assert.ok(!/parseAllDocuments|YAML\./.test(result.out[0]), result.out[0]);
    });

    it("writes JSON for CI annotations", () => {
        const result = lint(["--format", "json", "missing.yaml", "test/fixtures/lint/unsafe.yaml"]);
        const json = JSON.parse(result.out.join("\n")) as { files: { file: string; status: string; findings: { line: number; rule: string; severity: string }[] }[]; summary: Record<string, number>; exitCode: number };
        assert.deepEqual(json.summary, { checked: 1, skipped: 0, unreadable: 1, mandatory: 3, advisory: 2 });
        assert.equal(json.exitCode, 2);
        assert.deepEqual(json.files[1].findings[0], { ...json.files[1].findings[0], file: "test/fixtures/lint/unsafe.yaml", line: 4, rule: "unauthenticated-receiver", severity: "mandatory" });
        assert.equal(lint(["--format", "xml", "x.yaml"]).code, 2);
    });

    it("resolves references with --env and --env-vars-file, and fails closed without them", () => {
        const text = SAFE.replace("  debug:\n    verbosity: basic\n    sending_queue:\n      enabled: false", "  debug: ${env:DBG}");
        const files = { "c.yaml": text, "vars.env": "# vars\nexport DBG='{verbosity: basic, sending_queue: {enabled: true}}'\n" };
        const unknown = lint(["c.yaml"], files);
        assert.equal(unknown.code, 1);
        assert.match(unknown.out.join("\n"), /c\.yaml:23: config-value-unknown: exporters\.debug: exporter "debug" takes its value from \$\{env:DBG\}/);
        const queued = lint(["--env-vars-file", "vars.env", "c.yaml"], files);
        assert.match(queued.out.join("\n"), /c\.yaml:23: no-queued-exporter: exporters\.debug\.sending_queue: /);
        const safe = lint(["--env", "DBG={verbosity: basic, sending_queue: {enabled: false}}", "c.yaml"], files);
        assert.deepEqual(safe.out, []);
        assert.equal(safe.code, 0);
        assert.equal(lint(["--env", "not a pair", "c.yaml"], files).code, 2);
    });

    it("reads --env-vars-file itself: Node does not intercept it, and its variables never reach the process", () => {
        // Node 20 parses its own --env-file even after the script name and loads the file
        // into process.env (NODE_OPTIONS in it runs code); the lint's flag must not be one
        // Node reads. Spawned, because only a real `node` command line shows the collision.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lint-envfile-"));
        const marker = path.join(dir, "marker");
        const evil = path.join(dir, "evil.js");
        fs.writeFileSync(evil, `require("fs").writeFileSync(${JSON.stringify(marker)}, "ran");\n`);
        fs.writeFileSync(path.join(dir, "vars.env"), `NODE_OPTIONS=--require=${evil}\nDBG={verbosity: basic, sending_queue: {enabled: true}}\n`);
        fs.writeFileSync(path.join(dir, "c.yaml"), SAFE.replace("  debug:\n    verbosity: basic\n    sending_queue:\n      enabled: false", "  debug: ${env:DBG}"));
        const bin = path.join(projectRoot, "dist", "cli", "lint.js");
        try {
            for (const flag of [["--env-vars-file", "vars.env"], ["--env-vars-file=vars.env"]]) {
                const run = spawnSync(process.execPath, [bin, ...flag, "c.yaml"], { cwd: dir, encoding: "utf8" });
                assert.equal(fs.existsSync(marker), false, `${flag.join(" ")}: NODE_OPTIONS from the file ran code`);
                assert.ok(!run.stderr.includes("node:"), run.stderr);
                // The variable is used for ${env:DBG}, so the queued exporter is found.
                assert.match(run.stdout, /^c\.yaml:23: no-queued-exporter: exporters\.debug\.sending_queue: /m, run.stderr);
                assert.equal(run.status, 1, run.stderr);
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
        // The old name is not ours (Node 20 takes it before the lint starts).
        assert.deepEqual(lint(["--env-file", "vars.env", "c.yaml"]).err, [`unknown option --env-file; usage: otel-lambda-collector-lint [options] FILE...`]);
    });

    it("runs the documented git pre-commit hook in a scratch repository", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lint-hook-"));
        const bin = path.join(projectRoot, "dist", "cli", "lint.js");
        const git = (cmd: string) => spawnSync("bash", ["-c", cmd], { cwd: dir, encoding: "utf8" });
        // The recipe from docs/lint.md, with the bin called directly instead of npx.
        const hook = `git diff --cached --name-only -z -- '*.yaml' '*.yml' | xargs -0 node ${JSON.stringify(bin)} --pre-commit`;
        try {
            git("git init -q && git config user.email t@example.com && git config user.name t");
            fs.writeFileSync(path.join(dir, "notes.txt"), "x\n");
            git("git add notes.txt");
            assert.equal(git(hook).status, 0, "no staged YAML: passes");
            fs.mkdirSync(path.join(dir, ".github", "workflows"), { recursive: true });
            fs.writeFileSync(path.join(dir, ".github", "workflows", "ci.yml"), "on: push\njobs: {}\n");
            fs.writeFileSync(path.join(dir, "config.yaml"), SAFE);
            git("git add -A && git commit -qm one");
            assert.equal(git("git rm -q config.yaml && " + hook).status, 0, "a deleted config: passes");
            fs.writeFileSync(path.join(dir, "collector.yml"), fs.readFileSync(path.join(projectRoot, "test", "fixtures", "lint", "unsafe.yaml")));
            git("git add collector.yml .github");
            const blocked = git(hook);
            assert.equal(blocked.status, 1 + 122, blocked.stderr); // xargs reports a failing command as 123
            assert.match(blocked.stdout, /^collector\.yml:7: no-batch-processor/m);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
