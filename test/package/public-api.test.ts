// The package's public API is what components/index.ts names, nothing more: internals
// (validators, the environment builder, image plumbing) stay private.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { it } from "node:test";
import { projectRoot } from "../harness/paths";

it("exports by name only, and only the public API", () => {
    const entry = fs.readFileSync(path.join(projectRoot, "components", "index.ts"), "utf8");
    assert.doesNotMatch(entry, /export \*/);
    const api = require("../../components") as Record<string, unknown>;
    assert.deepEqual(Object.keys(api).sort(), [
        "Architecture", "DEFAULTS", "Distribution", "FARGATE_COLLECTOR_TYPE", "FARGATE_DEFAULTS", "FargateCollector", "LAMBDA_COLLECTOR_TYPE", "LambdaCollector",
        "RUNTIME_OUTPUT_NAMES", "RotationPhase", "Runtime", "SHARED_OUTPUT_NAMES", "STACK_OUTPUT_NAMES", "ScaleOn", "SecretStore",
        "debugBackend", "defaultCollectorConfig", "defaultFargateConfig", "fargateBackend", "fargatePreset", "honeycombBackend", "otlpHttpBackend",
    ].sort());
});

it("the stack program exports exactly the stable output names", () => {
    const program = fs.readFileSync(path.join(projectRoot, "index.ts"), "utf8");
    const exported = [...program.matchAll(/^export const (\w+) =/gm)].map((m) => m[1]);
    const api = require("../../components") as { STACK_OUTPUT_NAMES: readonly string[] };
    assert.deepEqual(exported, [...api.STACK_OUTPUT_NAMES]);
});

it("the stack's output names are the shared names plus each runtime's own, each once", () => {
    const api = require("../../components") as { STACK_OUTPUT_NAMES: readonly string[]; SHARED_OUTPUT_NAMES: readonly string[]; RUNTIME_OUTPUT_NAMES: Record<string, readonly string[]> };
    assert.deepEqual([...api.STACK_OUTPUT_NAMES].sort(), [...api.SHARED_OUTPUT_NAMES, ...api.RUNTIME_OUTPUT_NAMES.lambda, ...api.RUNTIME_OUTPUT_NAMES.fargate].sort());
});
