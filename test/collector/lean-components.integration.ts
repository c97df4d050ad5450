// The lean binary holds exactly the components collector/lambda-distribution.yaml lists:
// `otelcol-lambda components` prints canonical type names (otelcol
// command_components.go, canonicalFactoryKeys), so it must equal each module's first
// type, and every alias after it must be one `validate` accepts.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { runCollectorValidate } from "../../components/shared/collector-validate";
import { LAMBDA_DISTRIBUTION } from "../../components/lambda/distribution";
import { PARTIAL_SIGNALS } from "../../rules/pipeline-graph";
import { leanCollector } from "../harness/real-collector";

interface Listed { readonly name?: string; readonly scheme?: string; readonly stability?: Record<string, string> }

function components(): Record<string, Listed[]> {
    return parse(execFileSync(leanCollector(), ["components"], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" } })) as Record<string, Listed[]>;
}

describe("the lean collector's components", () => {
    it("are the canonical types of collector/lambda-distribution.yaml, kind by kind", () => {
        const listed = components();
        for (const kind of ["receivers", "processors", "exporters", "extensions", "connectors"] as const) {
            assert.deepEqual((listed[kind] ?? []).map((c) => c.name).sort(), LAMBDA_DISTRIBUTION.modules[kind].map((m) => m.types[0]).sort(), kind);
        }
        assert.deepEqual((listed.providers ?? []).map((p) => p.scheme).sort(), LAMBDA_DISTRIBUTION.modules.providers.map((m) => m.types[0]).sort());
    });

    it("accept every alias the manifest lists, in validate", () => {
        const aliases = (["receivers", "exporters", "processors"] as const).flatMap((kind) => LAMBDA_DISTRIBUTION.modules[kind].flatMap((m) => m.types.slice(1).map((alias) => ({ kind, alias }))));
        assert.ok(aliases.length > 0);
        for (const { kind, alias } of aliases) {
            const text = kind === "exporters"
                ? `receivers:\n  otlp:\n    protocols:\n      http:\nexporters:\n  ${alias}:\n    endpoint: https://otlp.example.com:4317\nservice:\n  pipelines:\n    traces: {receivers: [otlp], exporters: [${alias}]}\n`
                : `receivers:\n  ${alias}:\n    protocols:\n      http:\nexporters:\n  debug:\nservice:\n  pipelines:\n    traces: {receivers: [${alias}], exporters: [debug]}\n`;
            const result = runCollectorValidate({ binary: leanCollector(), configs: [text], environment: {} });
            assert.ok(result.ok && result.validation.error === undefined, `${alias}: ${result.ok ? result.validation.error : result.problem}`);
        }
    });

    it("support the signals pipeline-graph assumes (stability other than Undefined)", () => {
        const listed = components();
        for (const kind of ["receivers", "processors", "exporters"] as const) {
            for (const c of listed[kind] ?? []) {
                const supported = ["traces", "metrics", "logs"].filter((s) => (c.stability ?? {})[s] !== undefined && c.stability?.[s] !== "Undefined");
                const expected = PARTIAL_SIGNALS[kind][c.name as string] ?? ["traces", "metrics", "logs"];
                assert.deepEqual(supported, [...expected], `${kind} ${c.name}`);
            }
        }
    });
});
