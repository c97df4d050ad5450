// The component as a Pulumi component package for other languages: the schema that
// `pulumi package add` generates SDKs from, inferred from the TypeScript source by
// @pulumi/pulumi's own analyzer, and a construct call as another language makes it.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { IMAGE } from "../../../rules/lambda-facts";
import { installMocks, only, projectRoot, record, settle } from "../../harness/mocks";

const TOKEN = "otel-lambda-collector:index:LambdaCollector";

interface SchemaProperty {
    type?: string;
    $ref?: string;
    description?: string;
    plain?: boolean;
    additionalProperties?: { type: string };
}
interface Schema {
    name: string;
    version: string;
    resources: Record<string, { isComponent: boolean; inputProperties: Record<string, SchemaProperty>; requiredInputs: string[]; properties: Record<string, SchemaProperty>; description: string }>;
    types: Record<string, { type: string; enum: { name: string; value: string }[] }>;
}

let provider: ComponentProvider;
let schema: Schema;
let lib: typeof import("../../../components/lambda/lambda-collector");

before(async () => {
    await installMocks();
    lib = await import("../../../components/lambda/lambda-collector");
    const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { name: string; version: string };
    provider = new ComponentProvider({ name: pkg.name, version: pkg.version, dirname: projectRoot, components: [lib.LambdaCollector] });
    schema = JSON.parse(await provider.getSchema()) as Schema;
});

describe("component package schema", () => {
    it("names the package and the component's type token, as the class registers it", () => {
        assert.equal(schema.name, "otel-lambda-collector");
        assert.equal(schema.version, "0.1.0");
        assert.deepEqual(Object.keys(schema.resources), [TOKEN]);
        assert.equal(lib.LAMBDA_COLLECTOR_TYPE, TOKEN);
        assert.equal(schema.resources[TOKEN].isComponent, true);
    });

    it("has every input optional and described, with its default in the description", () => {
        const inputs = schema.resources[TOKEN].inputProperties;
        assert.deepEqual(Object.keys(inputs).sort(), [
            "adapterVersion", "alarmTopicArn", "alarms", "allowUnauthenticated", "architecture", "baseImages", "buildOnPreview", "collectorConfig", "collectorVersion",
            "dashboard", "distribution", "environment", "forceDeleteRepository", "functionName", "ingestToken", "keepImages", "keepVersions", "logRetentionDays",
            "memorySize", "policies", "preTrafficCheck", "producerTokens", "producers", "reservedConcurrency", "secretArns", "secretKmsKeyArn", "secretStore",
            "tags", "timeout", "tokenRotation", "validateWith",
        ]);
        assert.deepEqual(schema.resources[TOKEN].requiredInputs, []);
        const defaults: Record<string, string> = {
            memorySize: "512", timeout: "30", logRetentionDays: "14", architecture: "\"arm64\"", keepImages: "10",
            forceDeleteRepository: "true", allowUnauthenticated: "false", buildOnPreview: "false", distribution: "\"contrib\"",
            // The versions' default is where they are pinned, not a copy that goes stale.
            collectorVersion: "the OTELCOL_VERSION pinned in the package's collector/Dockerfile",
            adapterVersion: "the LWA_VERSION pinned in the package's collector/Dockerfile",
            preTrafficCheck: "true", dashboard: "true", alarms: "true", alarmTopicArn: "none",
            validateWith: "unset (no binary runs)",
        };
        for (const [name, property] of Object.entries(inputs)) {
            assert.ok((property.description ?? "").length > 20, `${name} is described`);
            assert.match(property.description ?? "", /\nDefault: /, `${name} states its default`);
            if (name in defaults) {
                assert.ok(property.description?.endsWith(`Default: ${defaults[name]}.`), `${name}: ${property.description}`);
            }
        }
    });

    it("types the inputs for other languages: plain settings, an enum, a map of secret-capable values", () => {
        const inputs = schema.resources[TOKEN].inputProperties;
        assert.deepEqual({ type: inputs.memorySize.type, plain: inputs.memorySize.plain }, { type: "number", plain: true });
        assert.equal(inputs.architecture.$ref, "#/types/otel-lambda-collector:index:Architecture");
        assert.deepEqual(schema.types["otel-lambda-collector:index:Architecture"].enum.map((e) => e.value), ["arm64", "x86_64"]);
        assert.equal(inputs.distribution.$ref, "#/types/otel-lambda-collector:index:Distribution");
        assert.deepEqual(schema.types["otel-lambda-collector:index:Distribution"].enum.map((e) => e.value), ["contrib", "lambda"]);
        // Keys plain (checked at preview), values Inputs (so they can be secrets).
        assert.deepEqual({ type: inputs.environment.type, plain: inputs.environment.plain, values: inputs.environment.additionalProperties }, { type: "object", plain: true, values: { type: "string" } });
        assert.equal(inputs.ingestToken.plain, undefined, "the token can be an Output (a secret)");
    });

    it("exposes the stack's stable outputs, each described", () => {
        const outputs = schema.resources[TOKEN].properties;
        assert.deepEqual(Object.keys(outputs).sort(), [
            "alias", "function", "functionArn", "functionName", "imageUri", "ingestToken", "liveVersion", "logsEndpoint", "metricsEndpoint",
            "producerEnvironment", "producerEnvironments", "repository", "repositoryUrl", "role", "tracesEndpoint", "url",
        ]);
        // The children, as awsx components expose theirs: typed references to the AWS resources.
        assert.deepEqual([outputs.function.$ref, outputs.role.$ref, outputs.repository.$ref], [
            "/aws/v7.48.0/schema.json#/resources/aws:lambda%2Ffunction:Function",
            "/aws/v7.48.0/schema.json#/resources/aws:iam%2Frole:Role",
            "/aws/v7.48.0/schema.json#/resources/aws:ecr%2Frepository:Repository",
        ]);
        for (const [name, property] of Object.entries(outputs)) {
            assert.ok(property.description, `${name} is described`);
        }
        assert.match(outputs.ingestToken.description ?? "", /secret/);
        assert.match(outputs.producerEnvironment.description ?? "", /secret/);
    });
});

describe("construct, as another language calls it", () => {
    it("builds the component from inputs and returns its secrets still secret", async () => {
        const recorder = record();
        const result = await provider.construct("from-python", TOKEN, { memorySize: 1024, ingestToken: pulumi.secret("token-from-another-language-0123456789") }, {});
        const state = result.state as Record<string, pulumi.Output<unknown>>;
        assert.equal(await pulumi.isSecret(state.ingestToken), true);
        assert.equal(await pulumi.isSecret(state.producerEnvironment), true);
        assert.equal(await pulumi.isSecret(state.url), false);
        await settle();
        const fn = only("aws:lambda/function:Function", recorder.resources);
        assert.equal(fn.inputs.memorySize, 1024);
    });

    it("refuses a type token of another package", async () => {
        await assert.rejects(provider.construct("x", "other-package:index:LambdaCollector", {}, {}));
    });
});

describe("examples/consumer-yaml", () => {
    it("uses the component's token and only properties the schema declares, with valid values", async () => {
        const { parse } = await import("yaml");
        const dir = path.join(projectRoot, "examples", "consumer-yaml");
        const program = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as {
            runtime: string; resources: Record<string, { type: string; properties: Record<string, unknown> }>; outputs: Record<string, string>;
        };
        assert.equal(program.runtime, "yaml");
        const resource = program.resources.collector;
        assert.equal(resource.type, TOKEN);
        const inputs = schema.resources[TOKEN].inputProperties;
        for (const name of Object.keys(resource.properties)) {
            assert.ok(name in inputs, `${name} is an input of the schema`);
        }
        const architectures = schema.types["otel-lambda-collector:index:Architecture"].enum.map((e) => e.value);
        assert.ok(architectures.includes(String(resource.properties.architecture)));
        for (const expression of Object.values(program.outputs)) {
            const output = /^\$\{collector\.(\w+)\}$/.exec(expression)?.[1];
            assert.ok(output && output in schema.resources[TOKEN].properties, expression);
        }
    });

    it("ships a collector config that the component accepts with the environment it sets", async () => {
        const { checkCollectorConfigText } = await import("../../../rules/check");
        const { RUNTIME_ENVIRONMENT_KEYS } = await import("../../../rules/lambda-facts");
        const config = fs.readFileSync(path.join(projectRoot, "examples", "consumer-yaml", "collector.yaml"), "utf8");
        const findings = checkCollectorConfigText(config, {
            environmentKeys: new Set([...RUNTIME_ENVIRONMENT_KEYS, "COLLECTOR_CONFIG", "COLLECTOR_INGEST_TOKENS", "BACKEND_API_KEY"]),
            adapterPort: IMAGE.adapterPort, requireReceiverAuth: true, functionTimeoutSeconds: 30,
        });
        assert.deepEqual(findings, []);
    });
});
