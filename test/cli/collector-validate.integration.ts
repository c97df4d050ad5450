// The lint's --collector and the component's validateWith with the real lean collector:
// each kind of fault the collector refuses comes back as its own words, in one
// collector-validate finding at the config line it names; without the flag nothing changes.
import assert from "node:assert/strict";
import { runCollectorValidate } from "../../components/shared/collector-validate";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { runLint } from "../../cli/lint";
import { resolveArgs } from "../../components/lambda/validate";
import { leanCollector } from "../harness/real-collector";
import { projectRoot } from "../harness/paths";

const SAFE = fs.readFileSync(path.join(projectRoot, "collector", "config.yaml"), "utf8");

function lint(args: readonly string[], text: string): { code: number; out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    const code = runLint([...args, "c.yaml"], { out: (l) => out.push(l), err: (l) => err.push(l), readFile: () => text });
    return { code, out, err };
}

const lineOf = (text: string, marker: string): number => text.split("\n").findIndex((l) => l.includes(marker)) + 1;

/** Faults the collector refuses, one of each kind in the issue, with where the finding must point. */
const FAULTS: readonly { name: string; text: string; path: string; at: string; says: string }[] = [
    { name: "an unknown key in a component", text: SAFE.replace("verbosity: basic", "verbosty: basic"), path: "exporters.debug.verbosty", at: "verbosty", says: "has invalid keys: verbosty" },
    { name: "the removed telemetry.metrics.address", text: SAFE.replace("service:\n", "service:\n  telemetry:\n    metrics:\n      address: 0.0.0.0:8888\n"), path: "service.telemetry.metrics.address", at: "address:", says: "has invalid keys: address" },
    { name: "protocols set to null", text: SAFE.replace(/protocols:\n(\s+http:\n[\s\S]*?bearertokenauth\/ingest\n)/, "protocols:\n"), path: "receivers.otlp", at: "  otlp:", says: "must specify at least one protocol" },
    { name: "a value only the component's Validate() rejects", text: SAFE.replace("verbosity: basic", "verbosity: basic\n    output_paths: []"), path: "exporters.debug", at: "  debug:", says: "output_paths" },
    { name: "a connector used on one side", text: `${SAFE.replace("exporters: [debug]\n    metrics:", "exporters: [debug, forward]\n    metrics:")}connectors:\n  forward:\n`, path: "connectors.forward", at: "  forward:", says: "used as exporter in [traces] pipeline but not used in any supported receiver pipeline" },
    { name: "a pipeline without exporters", text: SAFE.replace("exporters: [debug]\n    metrics:", "exporters: []\n    metrics:"), path: "service.pipelines.traces", at: "    traces:", says: "must have at least one exporter" },
];

describe("lint --collector with the lean collector", () => {
    const binary = leanCollector();

    it("passes the project's own config, as the collector does", () => {
        const { code, out } = lint(["--collector", binary], SAFE);
        assert.deepEqual(out, []);
        assert.equal(code, 0);
    });

    it("takes a path relative to the current folder, as a user types it", () => {
        const relative = path.relative(process.cwd(), binary);
        assert.ok(!path.isAbsolute(relative));
        const { code, out } = lint(["--collector", relative], SAFE);
        assert.deepEqual(out, []);
        assert.equal(code, 0);
    });

    it("never echoes a secret the collector quotes back, escaped or short", () => {
        for (const secret of ['my"secret\\value', "abc"]) {
            const result = runCollectorValidate({ binary, configs: [SAFE.replace("verbosity: basic", "verbosity: ${env:LEVEL}")], environment: { LEVEL: secret }, secrets: [secret] });
            assert.ok(result.ok && result.validation.error, JSON.stringify(result));
            assert.ok(!result.validation.error.includes(JSON.stringify(secret).slice(1, -1)), result.validation.error);
            assert.match(result.validation.error, /\[secret\]/);
        }
    });

    for (const fault of FAULTS) {
        it(`reports ${fault.name} in the collector's words at its line`, () => {
            const { code, out } = lint(["--collector", binary], fault.text);
            const line = out.find((l) => l.includes(": collector-validate: "));
            assert.ok(line, out.join("\n"));
            assert.ok(line.startsWith(`c.yaml:${lineOf(fault.text, fault.at)}: collector-validate: ${fault.path}: `), line);
            assert.ok(line.includes(fault.says), line);
            assert.equal(code, 1);
            assert.deepEqual(lint([], fault.text).out.filter((l) => l.includes("collector-validate")), [], "without the flag, nothing of the collector");
        });
    }

    it("gives the collector only the given environment and PATH", () => {
        const text = SAFE.replace("verbosity: basic", "verbosity: ${env:VERBOSITY}");
        process.env.VERBOSITY = "detailed";
        try {
            const { out } = lint(["--collector", binary, "--env", "VERBOSITY=loud"], text);
            assert.ok(out.some((l) => l.includes("collector-validate") && l.includes("loud")), out.join("\n"));
        } finally {
            delete process.env.VERBOSITY;
        }
    });

    it("names the flag and the fix for a binary that is not executable", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lint-")), "otelcol");
        fs.writeFileSync(file, "#!/bin/sh\n", { mode: 0o644 });
        const { code, err } = lint(["--collector", file], SAFE);
        assert.equal(code, 2);
        assert.deepEqual(err, [`--collector: "${file}" is not executable; chmod +x it, or build the lean collector with npm run -s real:build and give the path it prints as "collector"`]);
    });

    it("reports any collector's error where it points (a stand-in binary)", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lint-")), "otelcol");
        fs.writeFileSync(file, "#!/bin/sh\necho 'Error: exporters::debug: from the fake collector' >&2\nexit 1\n", { mode: 0o755 });
        const { out } = lint(["--collector", file], SAFE);
        assert.ok(out.some((l) => l.startsWith(`c.yaml:${lineOf(SAFE, "  debug:")}: collector-validate: exporters.debug: ${file} validate refuses this config: exporters::debug: from the fake collector`)), out.join("\n"));
    });
});

describe("validateWith with the lean collector", () => {
    const binary = leanCollector();

    it("fails the component with the collector's words, naming the key, and never echoes a secret", () => {
        const config = SAFE.replace("verbosity: basic", "verbosity: ${env:LEVEL}");
        let message = "";
        try {
            resolveArgs("c", { collectorConfig: config, environment: { LEVEL: "very-secret-level-value" }, validateWith: binary });
        } catch (error) {
            message = (error as Error).message;
        }
        const line = message.split("\n").find((l) => l.startsWith("validateWith: "));
        assert.ok(line, message);
        assert.match(line, /exporters\.debug\.verbosity: .* validate refuses this config: .*verbosity/);
        assert.ok(!message.includes("very-secret-level-value"), message);
    });

    it("accepts the project's default config", () => {
        assert.doesNotThrow(() => resolveArgs("c", { validateWith: binary }));
    });
});
