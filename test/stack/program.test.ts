// The real stack program (index.ts) with the real Pulumi.dev.yaml, under mocks.
import assert from "node:assert/strict";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, loadStackConfig, MOCK, only, projectRoot, resources, secretInput, settle, value } from "../harness/mocks";
import { defaultCollectorConfig } from "../../components/shared/config-sources/default-config";

type Program = typeof import("../../index");
let program: Program;

before(async () => {
    loadStackConfig(path.join(projectRoot, "Pulumi.dev.yaml"));
    await installMocks();
    program = await import("../../index");
    await value(program.producerEnvironment);
    await settle();
});

describe("stack program with Pulumi.dev.yaml", () => {
    it("deploys the default debug backend with the dev stack's settings", async () => {
        const fn = only("aws:lambda/function:Function").inputs as { memorySize: number; timeout: number; architectures: string[]; environment: unknown };
        const environment = secretInput(fn.environment);
        assert.equal(environment.secret, true);
        assert.equal(fn.memorySize, 512);
        assert.equal(fn.timeout, 30);
        assert.deepEqual(fn.architectures, ["arm64"]);
        assert.equal((environment.value as { variables: Record<string, string> }).variables.COLLECTOR_CONFIG, defaultCollectorConfig());
        assert.equal(only("aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, 14);
        assert.equal(only("aws:lambda/functionUrl:FunctionUrl").inputs.authorizationType, "NONE");
        assert.equal(resources.filter((r) => r.type === "aws:lambda/permission:Permission").length, 2);
    });

    it("exports the stable output names, with the secrets kept secret", async () => {
        assert.deepEqual(Object.keys(program).sort(), [
            "clusterName", "domainTarget", "functionArn", "functionName", "imageUri", "ingestToken", "liveVersion", "logsEndpoint", "metricsEndpoint",
            "producerEnvironment", "producerEnvironments", "repositoryUrl", "runtime", "serviceName", "tracesEndpoint", "url",
        ]);
        // The Fargate runtime's own outputs are absent from a Lambda stack, not placeholders.
        assert.equal(program.runtime, "lambda");
        assert.equal(program.clusterName, undefined);
        assert.equal(program.serviceName, undefined);
        assert.equal(await value(program.liveVersion), "7", "the version the live alias serves (the mock publishes version 7)");
        assert.equal(await value(program.url), MOCK.functionUrl);
        assert.equal(await value(program.tracesEndpoint), `${MOCK.functionUrl}v1/traces`);
        assert.equal(await pulumi.isSecret(program.ingestToken), true);
        assert.equal(await pulumi.isSecret(program.producerEnvironment), true);
        assert.equal(await pulumi.isSecret(program.producerEnvironments), true);
        assert.equal(await pulumi.isSecret(program.url), false);
    });
});
