// examples/producer-ts with `producerName` set: the function gets that producer's
// environment from the collector stack's producerEnvironments (secret, keyed by
// producer name), not the first producer's producerEnvironment.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { MOCK, only, secretInput } from "../harness/mocks";
import { loadProducerExample, type LoadedProducer } from "../harness/producer-project";

const COLLECTOR_STACK = "organization/otel-lambda-collector/dev";
const endpoint = MOCK.functionUrl.replace(/\/$/, "");
const environmentOf = (token: string) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
    OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${token}`,
});
const producerEnvironments = { billing: environmentOf("billing-token"), checkout: environmentOf("checkout-token") };
let program: LoadedProducer["program"];
let cleanup: () => void;

before(async () => {
    ({ program, cleanup } = await loadProducerExample(COLLECTOR_STACK, { producerName: "checkout", exportTimeoutMs: "20000", functionTimeout: "40" }, { producerEnvironment: producerEnvironments.billing, producerEnvironments, tracesEndpoint: `${MOCK.functionUrl}v1/traces` }, ["producerEnvironment", "producerEnvironments", "ingestToken"]));
});
after(() => cleanup());

it("gives the function the named producer's environment, as a secret, with its name as service name", () => {
    const fn = only("aws:lambda/function:Function").inputs;
    const environment = secretInput(fn.environment);
    assert.equal(environment.secret, true);
    assert.deepEqual(environment.value, {
        variables: { ...producerEnvironments.checkout, OTEL_EXPORTER_OTLP_TIMEOUT: "20000", OTEL_SERVICE_NAME: "checkout" },
    });
    assert.equal(fn.timeout, 40);
});

it("names the stack key and the producers that exist when the name is unknown", () => {
    assert.throws(() => program.namedEnvironment(producerEnvironments, "shop", COLLECTOR_STACK), {
        message: `collector-producer:producerName: "shop" is not a producer of ${COLLECTOR_STACK} (its producerEnvironments has billing, checkout); set one of those names, or remove producerName to use producerEnvironment`,
    });
    assert.throws(() => program.namedEnvironment(undefined, "shop", COLLECTOR_STACK), /it exports no producerEnvironments\); set one of those names/);
});

it("refuses timeouts that would cut the flush short, naming the stack key", () => {
    assert.throws(() => program.checkTimeouts(15000, 10), {
        message: "collector-producer:functionTimeout: 10 s leaves no room for an export of exportTimeoutMs 15000 ms; use a whole number of seconds above 16, e.g. 30",
    });
    assert.throws(() => program.checkTimeouts(15.5, 30), /^Error: collector-producer:exportTimeoutMs: 15\.5 is not a positive whole number of milliseconds/);
    assert.throws(() => program.checkTimeouts(0, 30), /^Error: collector-producer:exportTimeoutMs: 0 /);
    assert.doesNotThrow(() => program.checkTimeouts(15000, 30));
});
