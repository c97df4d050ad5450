// End to end, offline: the real stack program with a Lambda-unsafe config file. The
// component only warns; the pack must block it, naming each offender.
import assert from "node:assert/strict";
import { before, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, resources, settle, value } from "../harness/mocks";
import { runPack } from "../harness/pack";
import { BATCH_IN_PIPELINE, QUEUE_ON_BY_DEFAULT } from "../harness/messages";

before(async () => {
    pulumi.runtime.setAllConfig({
        "aws:region": "us-west-2",
        "otel-lambda-collector:collectorConfigFile": "test/fixtures/stack/unsafe-collector.yaml",
        "otel-lambda-collector:collectorEnvironment": JSON.stringify({ BACKEND_API_KEY: "k" }),
    }, ["otel-lambda-collector:collectorEnvironment"]); // set with --secret, as the stack requires
    await installMocks();
    const program = await import("../../index");
    await value(program.url);
    await settle();
});

it("blocks a batch processor and a queued exporter with mandatory violations", () => {
    const mandatory = runPack(resources).filter((v) => v.enforcementLevel === "mandatory");
    assert.deepEqual(mandatory, [
        {
            policy: "no-batch-processor",
            enforcementLevel: "mandatory",
            message: `Lambda function "collector-function" collector config (COLLECTOR_CONFIG): processors.batch/traces: ${BATCH_IN_PIPELINE} (line 18)`,
        },
        {
            policy: "no-queued-exporter",
            enforcementLevel: "mandatory",
            message: `Lambda function "collector-function" collector config (COLLECTOR_CONFIG): exporters.otlphttp/backend: ${QUEUE_ON_BY_DEFAULT} (line 22)`,
        },
    ]);
});
