// examples/own-collector-ts under mocks: the component imported by package name, a
// redacting config and a non-default backend; and the config passes the whole pack.
import assert from "node:assert/strict";
import * as path from "node:path";
import { before, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, only, projectRoot, resources, secretInput, settle, value } from "../harness/mocks";
import { runPack } from "../harness/pack";

const exampleDir = path.join(projectRoot, "examples", "own-collector-ts");
let program: typeof import("../../examples/own-collector-ts/index");

before(async () => {
    pulumi.runtime.setAllConfig({
        "own-collector:backendEndpoint": "https://otlp.example.com",
        "own-collector:backendApiKey": "backend-key",
    }, ["own-collector:backendApiKey"]);
    await installMocks({ project: "own-collector" });
    process.chdir(exampleDir); // Pulumi runs a program in its project folder.
    program = await import("../../examples/own-collector-ts/index");
    await value(program.url);
    await settle();
});

it("loads the component through the package name, from the compiled library", () => {
    assert.equal(require.resolve("otel-lambda-collector", { paths: [path.join(projectRoot, "dist", "examples", "own-collector-ts")] }),
        path.join(projectRoot, "dist", "components", "index.js"));
});

it("deploys the redacting config with the backend's settings", async () => {
    const fn = only("aws:lambda/function:Function").inputs;
    assert.equal(fn.memorySize, 1024);
    const environment = secretInput(fn.environment);
    assert.equal(environment.secret, true, "the API key makes the environment secret");
    const variables = (environment.value as { variables: Record<string, string> }).variables;
    assert.match(variables.COLLECTOR_CONFIG, /delete_key\(attributes, "user\.email"\)/);
    assert.equal(variables.BACKEND_ENDPOINT, "https://otlp.example.com");
    assert.equal(variables.BACKEND_API_KEY, "backend-key");
    assert.equal(only("aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, 30);
    assert.equal(await pulumi.isSecret(program.producerEnvironment), true);
});

it("finds the image context inside the package, relative to the example's folder", () => {
    const image = only("docker-build:index:Image").inputs as { context: { location: string } };
    assert.equal(image.context.location, "../../collector");
    assert.equal(path.resolve(exampleDir, image.context.location), path.join(projectRoot, "collector"));
});

it("passes every policy of the pack", () => {
    assert.deepEqual(runPack(resources), []);
});
