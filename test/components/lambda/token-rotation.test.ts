// In-place token rotation (tokenRotation), under mocks: the producer keeps its name,
// the collector accepts both tokens during the overlap, producerEnvironments.<name>
// switches only when asked, and the retired token is refused (no longer in the list
// the collector reads). Each step is one `pulumi up`; the resource identities are
// what the engine would see across them.
//
// For a real-process test (the local Lambda): the collector's environment holds
// COLLECTOR_INGEST_TOKENS, a YAML flow list of every accepted token (double-quoted),
// read by bearertokenauth `tokens: ${env:COLLECTOR_INGEST_TOKENS}`; the old token is
// its first entry for the producer, the new one next. Feed `variablesOf(own)` to the
// local function and send with `environments.<name>` before and after each step.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { installMocks, MOCK, mockTokenOf, only, record, secretInput, settle, value, type RecordedResource } from "../../harness/mocks";
import { argsError } from "../../harness/component";
import { taskOf } from "../../harness/check-task";
import { otlpHeadersFor } from "../../../components/shared/tokens/tokens";
import type { LambdaCollectorArgs } from "../../../components/lambda/args";

type Module = typeof import("../../../components/lambda/lambda-collector");
let lib: Module;

before(async () => {
    await installMocks();
    lib = await import("../../../components/lambda/lambda-collector");
});

async function build(name: string, args: LambdaCollectorArgs) {
    const recorder = record();
    const collector = new lib.LambdaCollector(name, args);
    const environments = await value(collector.producerEnvironments);
    await settle();
    const own: readonly RecordedResource[] = recorder.resources;
    const environment = secretInput(only("aws:lambda/function:Function", own).inputs.environment);
    const variables = (environment.value as { variables: Record<string, string> }).variables;
    const passwords = own.filter((r) => r.type === "random:index/randomPassword:RandomPassword").map((r) => r.name).sort();
    // The labels of the requests the deploy runner sends the new version, one per accepted token.
    const checks = taskOf(own, name).task.requests.map((r) => r.label).filter((l) => l.startsWith("token-"));
    return { environments, accepted: parse(variables.COLLECTOR_INGEST_TOKENS) as string[], passwords, checks, ingestToken: await value(collector.ingestToken) };
}

const OLD = MOCK.token;
const NEW = mockTokenOf("r-token-web.g2");

describe("token rotation in place", () => {
    it("takes three pulumi ups, the producer's name and its first token's identity unchanged", async () => {
        const producers = ["web", "batch"];
        const before = await build("r", { producers });
        assert.deepEqual(before.passwords, ["r-token-batch", "r-token-web"]);
        assert.deepEqual(before.accepted, [OLD, OLD]);

        // 1. overlap: both accepted, the environment still gives the old token.
        const overlap = await build("r", { producers, tokenRotation: { web: { generation: 2, phase: "overlap" } } });
        assert.deepEqual(overlap.passwords, ["r-token-batch", "r-token-web", "r-token-web.g2"], "the first token keeps its resource; one new");
        assert.deepEqual(overlap.accepted, [OLD, NEW, OLD], "the collector accepts old and new");
        assert.equal(overlap.environments.web.OTEL_EXPORTER_OTLP_HEADERS, otlpHeadersFor(OLD));
        assert.deepEqual(Object.keys(overlap.environments), producers, "no new producer name");

        // 2. switched: both accepted, producerEnvironments.web gives the new token.
        const switched = await build("r", { producers, tokenRotation: { web: { generation: 2, phase: "switched" } } });
        assert.deepEqual(switched.accepted, [OLD, NEW, OLD]);
        assert.equal(switched.environments.web.OTEL_EXPORTER_OTLP_HEADERS, otlpHeadersFor(NEW));
        assert.equal(switched.environments.batch.OTEL_EXPORTER_OTLP_HEADERS, otlpHeadersFor(OLD), "other producers untouched");
        assert.equal(switched.ingestToken, NEW, "ingestToken is the first producer's (web), so it follows the switch");
    });

    it("retires the old token: only the new one is accepted, its resource unchanged, the old one deleted", async () => {
        const done = await build("r2", { producers: ["web"], tokenRotation: { web: { generation: 2 } } });
        assert.deepEqual(done.passwords, ["r2-token-web.g2"]);
        assert.deepEqual(done.accepted, [mockTokenOf("r2-token-web.g2")]);
        assert.notEqual(done.accepted[0], OLD, "the old token is refused: it is no longer in the list the collector reads");
        assert.equal(done.environments.web.OTEL_EXPORTER_OTLP_HEADERS, otlpHeadersFor(mockTokenOf("r2-token-web.g2")));
    });

    it("rotates the first producer of a stack that never set producers (default), and the next rotation goes on from there", async () => {
        const first = await build("r3", { tokenRotation: { default: { generation: 2, phase: "switched" } } });
        assert.deepEqual(first.passwords, ["r3-token-default", "r3-token-default.g2"]);
        assert.equal(first.ingestToken, mockTokenOf("r3-token-default.g2"), "ingestToken follows the switch");
        const next = await build("r3", { tokenRotation: { default: { generation: 3, phase: "overlap" } } });
        assert.deepEqual(next.passwords, ["r3-token-default.g2", "r3-token-default.g3"], "generation 2 kept, 3 added");
        assert.equal(next.ingestToken, mockTokenOf("r3-token-default.g2"));
    });

    it("checks each accepted token before traffic moves, old and new", async () => {
        const overlap = await build("r4", { producers: ["web"], tokenRotation: { web: { generation: 2, phase: "overlap" } } });
        assert.deepEqual(overlap.checks.filter((n) => n.includes("token-")), ["token-web", "token-web.g2"]);
    });

    it("refuses a rotation it cannot do, one line naming the producer", () => {
        assert.equal(argsError({ tokenRotation: { web: { generation: 2 } } }), `tokenRotation.web: "web" is not a name in producers; rotate a producer that exists`);
        assert.equal(argsError({ producers: ["web"], tokenRotation: { web: { generation: 1 } } }),
            "tokenRotation.web.generation: 1 is not a whole number from 2 to 1000; give the generation to rotate to (2 for a producer's first rotation, one more than the last after that)");
        assert.match(argsError({ producers: ["web"], tokenRotation: { web: { generation: 2, phase: "both" as never } } }), /^tokenRotation\.web\.phase: "both" is not a phase of a rotation; use "overlap"/);
        assert.match(argsError({ producers: ["web"], producerTokens: { web: "x".repeat(40) }, tokenRotation: { web: { generation: 2 } } }),
            /^tokenRotation\.web: web's token is given \(producerTokens\.web\), so the component cannot make its next one/);
        assert.match(argsError({ producers: ["web"], tokenRotation: { web: { generation: 2, next: true } as never } }), /^tokenRotation\.web\.next: is not a setting of a rotation/);
    });
});
