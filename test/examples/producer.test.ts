// examples/producer-ts under mocks: the collector stack's outputs, read through a
// StackReference, reach the producer function as OTLP variables, still secret.
import assert from "node:assert/strict";
import { before, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, MOCK, only, secretInput, settle, value } from "../harness/mocks";

const COLLECTOR_STACK = "organization/otel-lambda-collector/dev";
const producerEnvironment = {
    OTEL_EXPORTER_OTLP_ENDPOINT: MOCK.functionUrl.replace(/\/$/, ""),
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
    OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${MOCK.token}`,
};
let program: typeof import("../../examples/producer-ts/index");

before(async () => {
    pulumi.runtime.setAllConfig({ "collector-producer:collectorStack": COLLECTOR_STACK });
    await installMocks({
        project: "collector-producer",
        stackReferences: {
            [COLLECTOR_STACK]: {
                outputs: { producerEnvironment, tracesEndpoint: `${MOCK.functionUrl}v1/traces` },
                secretOutputNames: ["producerEnvironment", "ingestToken"],
            },
        },
    });
    program = await import("../../examples/producer-ts/index");
    await value(program.producerFunctionName);
    await settle();
});

it("reads the collector stack named in config", () => {
    assert.equal(only("pulumi:pulumi:StackReference").inputs.name, COLLECTOR_STACK);
});

it("gives the producer function the OTLP variables, plus its service name, as a secret", () => {
    const environment = secretInput(only("aws:lambda/function:Function").inputs.environment);
    assert.equal(environment.secret, true, "the token must reach the function's configuration as a secret");
    assert.deepEqual(environment.value, { variables: { ...producerEnvironment, OTEL_SERVICE_NAME: "producer-example" } });
});

it("exports only values that are not secret", async () => {
    assert.equal(await pulumi.isSecret(program.collectorTracesEndpoint), false);
    assert.equal(await value(program.collectorTracesEndpoint), `${MOCK.functionUrl}v1/traces`);
});
