// Collector configs written by others (sources in each file's header), with the
// verdicts read off each file by hand in expected.json.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { checkCollectorConfigText } from "../../rules/check";
import { projectRoot } from "../harness/paths";

interface Expected {
    readonly file: string;
    readonly batchProcessors: readonly string[];
    readonly queuedExporters: readonly string[];
    /** Hand-written: every mandatory finding as "rule path", in the lint's default (component) context. */
    readonly mandatory?: readonly string[];
}

const dir = path.join(projectRoot, "test", "fixtures", "real");
/** The lint's defaults, equal to the component's. */
const COMPONENT_CONTEXT = { adapterPort: 4318, requireReceiverAuth: true, functionTimeoutSeconds: 30 };
const expected = JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8")) as Expected[];

describe("real-world collector configs", () => {
    it("covers every fixture file, each with its source recorded", () => {
        const files = fs.readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();
        assert.deepEqual(files, expected.map((e) => e.file).sort());
        assert.ok(files.length >= 10);
        for (const file of files) {
            assert.match(fs.readFileSync(path.join(dir, file), "utf8"), /^# source: \S+/, file);
        }
    });

    for (const entry of expected) {
        it(`${entry.file}: ${entry.batchProcessors.length + entry.queuedExporters.length === 0 ? "Lambda-safe" : "unsafe"}`, () => {
            const findings = checkCollectorConfigText(fs.readFileSync(path.join(dir, entry.file), "utf8"));
            const structural = findings.filter((f) => ["config-syntax", "config-shape", "undefined-component"].includes(f.rule));
            assert.deepEqual(structural, [], "a real, working config has no structural finding");
            const batch = findings.filter((f) => f.rule === "no-batch-processor").map((f) => f.path.replace(/^processors\./, ""));
            assert.deepEqual(batch.sort(), [...entry.batchProcessors].sort());
            const queued = new Set(findings.filter((f) => f.rule === "no-queued-exporter").map((f) => f.path.split(".")[1]));
            assert.deepEqual([...queued].sort(), [...entry.queuedExporters].sort());
            for (const f of findings) {
                assert.ok(f.line !== undefined && f.line > 3, `${f.rule} ${f.path} has a line inside the config`);
            }
            if (entry.mandatory) {
                const inContext = checkCollectorConfigText(fs.readFileSync(path.join(dir, entry.file), "utf8"), COMPONENT_CONTEXT);
                const mandatory = [...new Set(inContext.filter((f) => f.severity === "mandatory").map((f) => `${f.rule} ${f.path}`))].sort();
                assert.deepEqual(mandatory, entry.mandatory);
            }
        });
    }
});
