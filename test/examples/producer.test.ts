// examples/producer-ts under mocks: the collector stack's outputs, read through a
// StackReference, reach the producer function as OTLP variables, still secret; the
// function's code is the prepared handler folder and its timeout covers the export.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { MOCK, only, secretInput, value } from "../harness/mocks";
import { loadProducerExample, type LoadedProducer } from "../harness/producer-project";

const COLLECTOR_STACK = "organization/otel-lambda-collector/dev";
const producerEnvironment = {
    OTEL_EXPORTER_OTLP_ENDPOINT: MOCK.functionUrl.replace(/\/$/, ""),
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
    OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${MOCK.token}`,
};
let program: LoadedProducer["program"];
let projectDir: string;
let cleanup: () => void;

before(async () => {
    ({ program, dir: projectDir, cleanup } = await loadProducerExample(COLLECTOR_STACK, {}, { producerEnvironment, tracesEndpoint: `${MOCK.functionUrl}v1/traces` }, ["producerEnvironment", "ingestToken"]));
});
after(() => cleanup());

it("reads the collector stack named in config", () => {
    assert.equal(only("pulumi:pulumi:StackReference").inputs.name, COLLECTOR_STACK);
});

it("gives the producer function the OTLP variables, its service name and an export timeout above the collector's cold start, as a secret", () => {
    const environment = secretInput(only("aws:lambda/function:Function").inputs.environment);
    assert.equal(environment.secret, true, "the token must reach the function's configuration as a secret");
    assert.deepEqual(environment.value, {
        variables: { ...producerEnvironment, OTEL_EXPORTER_OTLP_TIMEOUT: "15000", OTEL_SERVICE_NAME: "producer-example" },
    });
});

it("deploys the handler folder as a zip, with a timeout above the export budget", async () => {
    const fn = only("aws:lambda/function:Function").inputs as { code: { path: Promise<string> }; handler: string; runtime: string; timeout: number };
    assert.equal(fn.handler, "index.handler");
    assert.equal(fn.runtime, "nodejs22.x");
    assert.equal(fn.timeout, 30);
    assert.ok(fn.timeout * 1000 > 15000 + 1000, "the function outlives the export budget plus the handler's flush margin");
    const archive = await fn.code.path; // a FileArchive: the folder is zipped as it is, node_modules included
    assert.equal(archive, "./handler");
    assert.ok(fs.existsSync(path.join(projectDir, archive, "index.js")), "the archive holds the handler");
});

it("refuses an unprepared handler folder with the command that prepares it", () => {
    const empty = fs.mkdtempSync(path.join(projectDir, "handler-"));
    try {
        assert.throws(() => program.handlerCode(empty), (error: Error) => {
            assert.equal(error.message, `${empty} has no node_modules with the OpenTelemetry SDK; run \`npm ci --omit=dev --prefix handler\` in examples/producer-ts before \`pulumi up\``);
            return true;
        });
    } finally {
        fs.rmSync(empty, { recursive: true, force: true });
    }
});

it("exports only values that are not secret", async () => {
    assert.equal(await pulumi.isSecret(program.collectorTracesEndpoint), false);
    assert.equal(await value(program.collectorTracesEndpoint), `${MOCK.functionUrl}v1/traces`);
});
