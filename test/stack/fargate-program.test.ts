// The real stack program (index.ts) with the dev stack switched to runtime fargate
// (`pulumi config set runtime fargate`), under mocks: the same output names as the
// Lambda stack (test/stack/program.test.ts), the producers' outputs filled, Lambda's
// own outputs absent, and the Lambda-only keys of Pulumi.dev.yaml kept with a warning.
import assert from "node:assert/strict";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, loadStackConfig, MOCK, only, projectRoot, resources, settle, value } from "../harness/mocks";
import { defaultFargateConfig } from "../../components/fargate/presets";
import { SHARED_OUTPUT_NAMES, STACK_OUTPUT_NAMES } from "../../components";

type Program = typeof import("../../index");
let program: Program;
const warnings: string[] = [];

before(async () => {
    loadStackConfig(path.join(projectRoot, "Pulumi.dev.yaml"));
    pulumi.runtime.setAllConfig({ ...pulumi.runtime.allConfig(), "otel-lambda-collector:runtime": "fargate" });
    await installMocks();
    const warn = pulumi.log.warn;
    pulumi.log.warn = (message: string) => {
        warnings.push(message);
        return Promise.resolve();
    };
    try {
        program = await import("../../index");
        await value(program.producerEnvironment);
        await settle();
    } finally {
        pulumi.log.warn = warn;
    }
});

describe("stack program with runtime fargate", () => {
    it("exports every output name the Lambda stack exports", () => {
        assert.deepEqual(Object.keys(program).sort(), [...STACK_OUTPUT_NAMES].sort());
        assert.equal(program.runtime, "fargate");
    });

    it("fills every shared output, with the producers' contract unchanged in shape", async () => {
        for (const name of SHARED_OUTPUT_NAMES) {
            assert.notEqual(await value((program as Record<string, unknown>)[name] as pulumi.Input<unknown>), undefined, name);
        }
        const environment = await value(program.producerEnvironment);
        assert.deepEqual(Object.keys(environment).sort(), ["OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_PROTOCOL"]);
        assert.equal(environment.OTEL_EXPORTER_OTLP_ENDPOINT, MOCK.apiEndpoint);
        assert.equal(await value(program.url), `${MOCK.apiEndpoint}/`);
        assert.equal(await pulumi.isSecret(program.producerEnvironment), true);
        assert.equal(await pulumi.isSecret(program.ingestToken), true);
    });

    it("leaves Lambda's own outputs absent and creates no function", () => {
        assert.equal(program.functionName, undefined);
        assert.equal(program.functionArn, undefined);
        assert.equal(program.liveVersion, undefined);
        assert.equal(resources.filter((r) => r.type === "aws:lambda/function:Function").length, 0);
        assert.equal(program.serviceName !== undefined, true);
    });

    it("aliases the Lambda collector, so the tokens, repository and image carry over", () => {
        const component = only("otel-lambda-collector:index:FargateCollector");
        assert.ok(component.options.aliases.some((a) => ("type" in a && a.type === "otel-lambda-collector:index:LambdaCollector") || ("urn" in a && /LambdaCollector::collector$/.test(a.urn))), JSON.stringify(component.options.aliases));
        const token = only("random:index/randomPassword:RandomPassword");
        assert.equal(token.name, "collector-token-default", "the same child name as LambdaCollector's");
    });

    it("runs the debug preset converted for Fargate", () => {
        const container = (only("awsx:ecs:FargateService").inputs.taskDefinitionArgs as { container: { environment: { value: string }[] } }).container;
        assert.equal(container.environment[0].value, defaultFargateConfig());
    });

    it("keeps the dev stack's Lambda-only keys, naming each in a warning", () => {
        for (const key of ["memorySize", "timeout"]) {
            assert.ok(warnings.some((w) => w.startsWith(`otel-lambda-collector:${key}: is only read with runtime lambda`)), warnings.join("\n"));
        }
    });
});
