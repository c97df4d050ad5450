// The pack as the Pulumi CLI runs it: @pulumi/pulumi's run-policy-pack started in
// policy/ (TypeScript type-checked by ts-node, dependencies from the project's
// node_modules), asked over gRPC with properties encoded as the engine sends them:
// secrets wrapped, unknowns as placeholders.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { RULES } from "../../rules/registry";
import { MANDATORY, startPack, type RunningPack } from "../harness/analyzer";
import { projectRoot } from "../harness/paths";
import { secretValue, UNKNOWN_STRING } from "../harness/policy";
import { BATCH_IN_PIPELINE, QUEUE_ON_BY_DEFAULT } from "../harness/messages";

const FN = "aws:lambda/function:Function";
const UNSAFE = fs.readFileSync(path.join(projectRoot, "test", "fixtures", "lint", "unsafe.yaml"), "utf8");
const lambda = (variables: Record<string, unknown>) => ({ packageType: "Image", memorySize: 512, timeout: 30, environment: { variables } });
let pack: RunningPack;

before(async () => {
    pack = await startPack(path.join(projectRoot, "policy"));
});
after(() => pack?.stop());

describe("policy pack served by run-policy-pack", () => {
    it("announces the pack and its policies: one per registry rule, plus the two function policies", async () => {
        const analyzer = await pack.info();
        assert.equal(analyzer.getName(), "otel-lambda-collector");
        assert.equal(analyzer.getVersion(), "0.1.0");
        assert.deepEqual(analyzer.getPoliciesList().map((p) => p.getName()).sort(), [
            ...RULES.map((r) => r.id), "lambda-collector-minimum-memory", "lambda-image-single-manifest",
        ].sort());
    });

    it("blocks a Lambda-unsafe config sent as a secret, with mandatory diagnostics", async () => {
        const diagnostics = await pack.analyze(FN, "fn", lambda({ COLLECTOR_CONFIG: secretValue(UNSAFE), HONEYCOMB_API_KEY: secretValue("k") }));
        const mandatory = diagnostics.filter((d) => d.getEnforcementlevel() === MANDATORY).map((d) => `${d.getPolicyname()}: ${d.getMessage()}`);
        assert.deepEqual(mandatory.sort(), [
            `no-batch-processor: Checks that a collector config in a Lambda function defines no batch processor, whose data Lambda's freeze strands.\nLambda function "fn" collector config (COLLECTOR_CONFIG): processors.batch: ${BATCH_IN_PIPELINE} (line 7)`,
            `no-queued-exporter: Checks that every exporter in a Lambda function's collector config has its sending queue explicitly disabled.\nLambda function "fn" collector config (COLLECTOR_CONFIG): exporters.otlphttp/honeycomb: ${QUEUE_ON_BY_DEFAULT} (line 11)`,
        ]);
    });

    it("reports an unknown config as not checkable at preview, advisory, not as a pass", async () => {
        const diagnostics = await pack.analyze(FN, "fn", lambda({ COLLECTOR_CONFIG: UNKNOWN_STRING }));
        const queued = diagnostics.filter((d) => d.getPolicyname() === "no-queued-exporter");
        assert.equal(queued.length, 1);
        assert.match(queued[0].getMessage(), /can't run policy 'no-queued-exporter' .*during preview/);
        assert.notEqual(queued[0].getEnforcementlevel(), MANDATORY);
    });

    it("passes the shipped default config", async () => {
        const config = fs.readFileSync(path.join(projectRoot, "collector", "config.yaml"), "utf8");
        assert.deepEqual(await pack.analyze(FN, "fn", lambda({ COLLECTOR_CONFIG: config, COLLECTOR_INGEST_TOKENS: UNKNOWN_STRING })), []);
    });
});
