// Malformed configs produce clean findings (rule, path, line), never a throw.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { checkCollectorConfigText } from "../../rules/check";
import { findingText, MAX_CONFIG_BYTES } from "../../rules/config-model";
import { projectRoot } from "../harness/paths";

const dir = path.join(projectRoot, "test", "fixtures", "malformed");
const check = (file: string): string[] =>
    checkCollectorConfigText(fs.readFileSync(path.join(dir, file), "utf8")).map((f) => `${f.rule} ${f.path || "<root>"}@${f.line ?? "-"}: ${findingText(f)}`);

describe("malformed collector configs", () => {
    const cases: [string, string[]][] = [
        ["not-yaml.yaml", ["config-syntax <root>@3: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]"]],
        ["list.yaml", ["config-shape <root>@1: config is a list, but a collector config must be a mapping with receivers, exporters and service sections"]],
        ["scalar.yaml", ["config-shape <root>@1: config is a single value, but a collector config must be a mapping with receivers, exporters and service sections"]],
        ["empty.yaml", ["config-syntax <root>@1: config is empty; a collector config needs at least receivers, exporters and service.pipelines"]],
        ["comments-only.yaml", ["config-syntax <root>@1: config is empty; a collector config needs at least receivers, exporters and service.pipelines"]],
        ["duplicate-keys.yaml", ["config-syntax <root>@7: not valid YAML: Map keys must be unique"]],
        ["tabs.yaml", ["config-syntax <root>@2: not valid YAML: Tabs are not allowed as indentation"]],
        ["no-service.yaml", ["config-shape service@1: is missing; add service.pipelines naming receivers and exporters"]],
        ["unknown-signal.yaml", ["config-shape service.pipelines.spans@9: pipeline type \"spans\" is not one of traces, metrics, logs, profiles"]],
        ["wrong-types.yaml", [
            "config-shape receivers@1: must be a mapping of component id to settings, not a string (\"otlp\")",
            "config-shape exporters@2: must be a mapping of component id to settings, not a list",
            "config-shape service.extensions@5: must be a list of extension ids, not a string (\"bearertokenauth\")",
            "config-shape service.pipelines.traces@7: must be a mapping with receivers and exporters, not a string (\"otlp\")",
            "config-shape service.pipelines.metrics.processors@10: must be a list of component ids, not a string (\"batch\")",
            "config-shape service.pipelines.metrics.exporters@11: is empty; a pipeline needs at least one of its exporters",
            "undefined-component service.pipelines.metrics.receivers@9: receiver \"otlp\" is not defined; add it under receivers (or connectors) or remove it from this list",
        ]],
        ["binary.yaml", ["config-syntax <root>@2: not valid YAML: control character U+0000 is not allowed; a config must be plain text"]],
        ["self-anchor.yaml", ["config-syntax <root>@-: not valid YAML: an anchor is used inside itself, so the config never ends; remove the self-reference"]],
        ["unknown-section.yaml", ["config-shape x-defaults@1: is not a collector config section, so the collector refuses to start; use only receivers, processors, exporters, extensions, connectors, service (define shared anchors inside one of them)"]],
        ["alias-bomb.yaml", ["config-syntax <root>@-: YAML could not be resolved: Excessive alias count indicates a resource exhaustion attack"]],
    ];
    for (const [file, expected] of cases) {
        it(`reports ${file} cleanly`, () => {
            assert.deepEqual(check(file), expected);
        });
    }

    it("refuses a huge file before parsing it", () => {
        const huge = "receivers:\n" + "  # padding\n".repeat(Math.ceil(MAX_CONFIG_BYTES / 12) + 10);
        // One finding, the size: the text was never parsed (its speed is a bench matter).
        const findings = checkCollectorConfigText(huge);
        assert.equal(findings.length, 1);
        assert.match(findingText(findings[0]), /^config is \d+ bytes, over the 1048576-byte limit/);
    });

    it("accepts a config written as JSON, which is YAML", () => {
        const json = JSON.stringify({
            receivers: { otlp: { protocols: { http: {} } } },
            exporters: { debug: {} },
            service: { pipelines: { traces: { receivers: ["otlp"], exporters: ["debug"] } } },
        });
        assert.deepEqual(checkCollectorConfigText(json), []);
    });
});
