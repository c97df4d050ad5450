// The pack judges each resource by the rules of the runtime it is: a Lambda function
// by the lambda rules, an ECS task definition (its containers' environment and
// secrets) by the fargate rules. The same config gets a different verdict in each.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { defaultCollectorConfig } from "../../components/shared/config-sources/default-config";
import { defaultFargateConfig } from "../../components/fargate/presets";
import { policies } from "../../policy/policies";
import { runResourcePolicy, UNKNOWN_STRING } from "../harness/policy";

const FN = "aws:lambda/function:Function";
const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const TOKENS = "[\"runtimes-test-token-0123456789abcdefghijklm\"]";
const resourcePolicies = policies.filter((p): p is ResourceValidationPolicy => "validateResource" in p);

/** Every resource policy's violations for one resource, as `rule: message`, and those not checkable. */
function verdicts(type: string, props: Record<string, unknown>): { violations: string[]; notCheckable: string[] } {
    const violations: string[] = [];
    const notCheckable: string[] = [];
    for (const policy of resourcePolicies) {
        const outcome = runResourcePolicy(policy, type, "r", props);
        violations.push(...outcome.violations.map((v) => `${policy.name}: ${v}`));
        if (outcome.notCheckable) notCheckable.push(policy.name);
    }
    return { violations, notCheckable };
}

const lambdaFunction = (config: string): Record<string, unknown> => ({
    packageType: "Image", memorySize: 512, timeout: 30, name: "collector-1",
    environment: { variables: { COLLECTOR_CONFIG: config, COLLECTOR_INGEST_TOKENS: TOKENS } },
});

const taskDefinition = (config: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    family: "collector",
    containerDefinitions: JSON.stringify([{
        name: "collector", image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/c@sha256:0",
        portMappings: [{ containerPort: 4318 }, { containerPort: 13133 }],
        environment: [{ name: "COLLECTOR_CONFIG", value: config }],
        secrets: [{ name: "COLLECTOR_INGEST_TOKENS", valueFrom: "arn:aws:secretsmanager:us-west-2:123456789012:secret:s-AbCdEf:COLLECTOR_INGEST_TOKENS::v1" }],
        ...extra,
    }]),
});

describe("the pack, per runtime", () => {
    it("a batch processor: a mandatory violation in a Lambda function, nothing on an ECS task definition", () => {
        const config = defaultFargateConfig();
        const lambda = verdicts(FN, lambdaFunction(config));
        assert.ok(lambda.violations.some((v) => v.startsWith("no-batch-processor: ") && v.includes("processors.batch")), lambda.violations.join("\n"));
        const task = verdicts(TASK, taskDefinition(config));
        assert.deepEqual(task.violations, []);
        assert.deepEqual(task.notCheckable, []);
    });

    it("the Lambda preset: clean in a function, but on ECS its receiver and health check are unreachable and it neither batches nor queues", () => {
        assert.deepEqual(verdicts(FN, lambdaFunction(defaultCollectorConfig())).violations, []);
        const rules = verdicts(TASK, taskDefinition(defaultCollectorConfig())).violations.map((v) => v.split(":")[0]);
        assert.deepEqual([...new Set(rules)].sort(), ["batch-and-queue", "container-listener", "health-check-extension"]);
    });

    it("names the task definition and the container in each message", () => {
        const violations = verdicts(TASK, taskDefinition(defaultCollectorConfig())).violations;
        assert.ok(violations.every((v) => v.includes(`ECS task definition "r" container "collector" collector config (COLLECTOR_CONFIG)`)), violations.join("\n"));
    });

    it("applies the start-up rules to a container too", () => {
        const config = defaultFargateConfig().replace("exporters: [ debug ]", "exporters: [ otlphttp/missing ]");
        const rules = verdicts(TASK, taskDefinition(config)).violations.map((v) => v.split(":")[0]);
        assert.ok(rules.includes("undefined-component"), rules.join(", "));
    });

    it("never passes a task definition whose containers are unknown at preview", () => {
        const { violations, notCheckable } = verdicts(TASK, { family: "collector", containerDefinitions: UNKNOWN_STRING });
        assert.deepEqual(violations, []);
        assert.ok(notCheckable.includes("container-listener") && notCheckable.includes("no-batch-processor") === false, notCheckable.join(", "));
    });
});
