// Named producer tokens, rotation, the Secrets Manager store and the concurrency
// ceiling, under mocks: what each child receives.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { dependsOnNames, installMocks, MOCK, only, record, secretInput, settle, urnName, value, type RecordedResource } from "../../harness/mocks";
import { argsError } from "../../harness/component";
import { runPack } from "../../harness/pack";
import { honeycombBackend } from "../../../components/shared/config-sources/backends";
import { defaultCollectorConfig } from "../../../components/shared/config-sources/default-config";
import { otlpHeadersFor } from "../../../components/shared/tokens/tokens";

type Module = typeof import("../../../components/lambda/lambda-collector");
let lib: Module;

before(async () => {
    await installMocks();
    lib = await import("../../../components/lambda/lambda-collector");
});

const TOKEN_A = "producer-a-token-0123456789abcdefghijklmnop";
const TOKEN_B = "producer-b-token+0123456789/abcdefghijklmnop==";

/** Builds a collector and returns what it registered. */
async function build(name: string, args: ConstructorParameters<Module["LambdaCollector"]>[1]): Promise<{ collector: InstanceType<Module["LambdaCollector"]>; own: readonly RecordedResource[] }> {
    const recorder = record();
    const collector = new lib.LambdaCollector(name, args);
    await value(collector.producerEnvironments);
    await settle();
    return { collector, own: recorder.resources };
}

function variablesOf(own: readonly RecordedResource[]): { secret: boolean; variables: Record<string, string> } {
    const environment = secretInput(only("aws:lambda/function:Function", own).inputs.environment);
    return { secret: environment.secret, variables: (environment.value as { variables: Record<string, string> }).variables };
}

describe("named producers", () => {
    it("give each producer its own token, all accepted by the collector, and an environment keyed by name", async () => {
        const { collector, own } = await build("named", { producers: ["web", "batch"], producerTokens: { web: TOKEN_A, batch: TOKEN_B } });
        const { variables } = variablesOf(own);
        assert.deepEqual(parse(variables.COLLECTOR_INGEST_TOKENS), [TOKEN_A, TOKEN_B]);
        const environments = await value(collector.producerEnvironments);
        assert.deepEqual(Object.keys(environments), ["web", "batch"]);
        assert.equal(environments.batch.OTEL_EXPORTER_OTLP_HEADERS, otlpHeadersFor(TOKEN_B));
        assert.equal(environments.batch.OTEL_EXPORTER_OTLP_HEADERS, "authorization=Bearer%20producer-b-token%2B0123456789%2Fabcdefghijklmnop%3D%3D");
        assert.equal(await pulumi.isSecret(collector.producerEnvironments), true);
        // The first name keeps the single-producer outputs.
        assert.equal(await value(collector.ingestToken), TOKEN_A);
        assert.deepEqual(await value(collector.producerEnvironment), environments.web);
    });

    it("refuse one token given to two producers, naming both fields and never the token", () => {
        const message = argsError({ producers: ["web", "api"], producerTokens: { web: TOKEN_A, api: TOKEN_A } });
        assert.equal(message, "producerTokens.api: is the same token as producerTokens.web; give each producer its own token, so each can be told apart and revoked alone");
    });

    it("generate one token per name, keyed by the name, the default one aliased to the earlier single token", async () => {
        const { own } = await build("gen", { producers: ["default", "ci"] });
        const passwords = own.filter((r) => r.type === "random:index/randomPassword:RandomPassword");
        assert.deepEqual(passwords.map((p) => p.name).sort(), ["gen-token-ci", "gen-token-default"]);
        for (const password of passwords) {
            assert.equal(password.inputs.length, 48);
            assert.equal(password.inputs.overrideSpecial, "-._~");
        }
        const { variables } = variablesOf(own);
        assert.deepEqual(parse(variables.COLLECTOR_INGEST_TOKENS), [MOCK.token, MOCK.token]);
        // Upgrading from the single token keeps its identity: the engine sees the old
        // name as an alias of the default producer's token, so no new token is generated.
        const byName = (n: string) => passwords.find((p) => p.name === n)!;
        assert.deepEqual(byName("gen-token-default").options.aliases.map((a) => ("urn" in a ? urnName(a.urn) : a.name)), ["gen-ingest-token"]);
        assert.deepEqual(byName("gen-token-ci").options.aliases, []);
    });

    it("leave the image, the role and the URL untouched when a producer is added or removed; only the function configuration changes", async () => {
        const steps = [["old"], ["old", "new"], ["new"]];
        const graphs: (readonly RecordedResource[])[] = [];
        for (const [i, producers] of steps.entries()) {
            const { own } = await build(`rot${i}`, { producers, producerTokens: Object.fromEntries(producers.map((p) => [p, `${p}-token-`.padEnd(40, "x")])), functionName: "rotating" });
            graphs.push(own);
        }
        const inputs = (own: readonly RecordedResource[], type: string): string => JSON.stringify(only(type, own).inputs).replace(/rot\d/g, "rot");
        for (const type of ["docker-build:index:Image", "aws:ecr/repository:Repository", "aws:iam/role:Role", "aws:lambda/functionUrl:FunctionUrl"]) {
            assert.equal(inputs(graphs[0], type), inputs(graphs[1], type), `${type} unchanged by adding a producer`);
            assert.equal(inputs(graphs[1], type), inputs(graphs[2], type), `${type} unchanged by removing a producer`);
        }
        const fn = (own: readonly RecordedResource[]): Record<string, unknown> => only("aws:lambda/function:Function", own).inputs;
        for (const [a, b] of [[0, 1], [1, 2]]) {
            const same = (k: string): boolean => JSON.stringify(fn(graphs[a])[k]).replace(/rot\d/g, "rot") === JSON.stringify(fn(graphs[b])[k]).replace(/rot\d/g, "rot");
            const changed = Object.keys(fn(graphs[a])).filter((k) => !same(k));
            assert.deepEqual(changed, ["environment"], "only the function's environment changes");
            assert.equal(variablesOf(graphs[a]).variables.COLLECTOR_CONFIG, variablesOf(graphs[b]).variables.COLLECTOR_CONFIG, "the config text is the same");
        }
        // Each step: the tokens the collector accepts, never an empty entry.
        assert.deepEqual(steps.map((_, i) => parse(variablesOf(graphs[i]).variables.COLLECTOR_INGEST_TOKENS)), [
            ["old-token-".padEnd(40, "x")],
            ["old-token-".padEnd(40, "x"), "new-token-".padEnd(40, "x")],
            ["new-token-".padEnd(40, "x")],
        ]);
    });

    it("render the default config with `tokens` only, never `token` beside it", () => {
        const extension = (parse(defaultCollectorConfig()) as { extensions: Record<string, Record<string, unknown>> }).extensions["bearertokenauth/ingest"];
        assert.equal(extension.tokens, "${env:COLLECTOR_INGEST_TOKENS}");
        assert.equal("token" in extension, false);
    });

    it("keep a config that reads the earlier single-token variable working for one producer", async () => {
        const legacy = defaultCollectorConfig().replace("tokens: ${env:COLLECTOR_INGEST_TOKENS}", "token: ${env:COLLECTOR_INGEST_TOKEN}");
        const { own } = await build("legacy", { collectorConfig: legacy, ingestToken: TOKEN_A });
        assert.equal(variablesOf(own).variables.COLLECTOR_INGEST_TOKEN, TOKEN_A);
        assert.throws(() => new lib.LambdaCollector("legacy2", { collectorConfig: legacy, producers: ["a", "b"] }), (err: Error) =>
            pulumi.RunError.isInstance(err) && err.message === "collectorConfig: reads ${env:COLLECTOR_INGEST_TOKEN}, which holds only the first producer's token, so producers b would get 401; write tokens: ${env:COLLECTOR_INGEST_TOKENS} in the bearertokenauth extension instead of token:");
    });

    it("warn when a config does not read the producers' tokens at all", async () => {
        const { resolveArgs } = await import("../../../components/lambda/validate");
        const own = defaultCollectorConfig().replace("tokens: ${env:COLLECTOR_INGEST_TOKENS}", "token: ${env:MY_TOKEN}");
        assert.deepEqual(resolveArgs("c", { collectorConfig: own, environment: { MY_TOKEN: "t".repeat(40) } }).warnings, [
            "collectorConfig: does not read ${env:COLLECTOR_INGEST_TOKENS}, so the producers' tokens (producerEnvironments, ingestToken) are not what the collector checks; write tokens: ${env:COLLECTOR_INGEST_TOKENS} in its bearertokenauth extension, or ignore this if it authenticates producers another way",
        ]);
        assert.deepEqual(resolveArgs("c", {}).warnings, []);
    });

    it("reject a bad given token at preview, naming the argument, without the token", () => {
        assert.throws(() => new lib.LambdaCollector("short", { ingestToken: "a,b=c" }), (err: Error) =>
            pulumi.RunError.isInstance(err) && err.message === "ingestToken: the given token is 5 characters long; use at least 32 (or leave it unset to get a generated 48-character token)");
        assert.throws(() => new lib.LambdaCollector("bad", { producers: ["a"], producerTokens: { a: "abc%20def".padEnd(40, "x"), b: TOKEN_B } }), (err: Error) =>
            err.message === [
                "producerTokens.a: the given token (40 characters) has \"%\" at position 4, which some OpenTelemetry SDK or the HTTP header would alter; use only letters, digits and - . _ ~ + / (with = only as trailing padding)",
                "producerTokens.b: \"b\" is not a name in producers; add it to producers or remove its token",
            ].join("\n"));
    });

    it("check a secret token once it is known, with the same one-line error and no wrapping", async () => {
        const { validToken } = await import("../../../components/shared/tokens/producer-tokens");
        assert.equal(validToken("ingestToken", TOKEN_A), TOKEN_A);
        let error: Error | undefined;
        try {
            validToken("ingestToken", "too-short");
        } catch (err) {
            error = err as Error;
        }
        assert.ok(error);
        assert.ok(pulumi.RunError.isInstance(error));
        error.message = `error serializing property "outputs": ${error.message}`; // what the SDK does to a thrown error
        assert.equal(error.message, "ingestToken: the given token is 9 characters long; use at least 32 (or leave it unset to get a generated 48-character token)");
    });
});

describe("secretStore secretsmanager", () => {
    const API_KEY = "hcaik_01abcdefghijklmnopqrstuvwxyz0123456789";
    let own: readonly RecordedResource[];
    let collector: InstanceType<Module["LambdaCollector"]>;

    before(async () => {
        const backend = honeycombBackend({ apiKey: pulumi.secret(API_KEY) });
        ({ own, collector } = await build("sm", { ...backend, secretStore: "secretsmanager", producers: ["web", "batch"], producerTokens: { web: TOKEN_A, batch: TOKEN_B } }));
    });

    it("keeps every secret value out of the function's environment: only the config, the secret's ARN and its version", () => {
        const { variables } = variablesOf(own);
        assert.deepEqual(Object.keys(variables).sort(), ["COLLECTOR_CONFIG", "COLLECTOR_SECRET_ARN", "COLLECTOR_SECRET_VERSION"]);
        const text = JSON.stringify(variables);
        for (const secret of [TOKEN_A, TOKEN_B, API_KEY]) {
            assert.ok(!text.includes(secret), "no secret value in environment.variables");
        }
        assert.equal(variables.COLLECTOR_SECRET_ARN, `arn:aws:secretsmanager:us-west-2:${MOCK.account}:secret:sm-secrets-AbCdEf`);
    });

    it("stores the tokens as a list and the backend key in one secret, as JSON, secret", () => {
        const version = only("aws:secretsmanager/secretVersion:SecretVersion", own).inputs;
        const stored = secretInput(version.secretString);
        assert.equal(stored.secret, true);
        assert.deepEqual(JSON.parse(String(stored.value)), { HONEYCOMB_API_KEY: API_KEY, COLLECTOR_INGEST_TOKENS: [TOKEN_A, TOKEN_B] });
        assert.equal(only("aws:secretsmanager/secret:Secret", own).inputs.kmsKeyId, undefined);
    });

    it("references the secret from the config, through the ARN variable, so the config is known at preview", () => {
        const config = parse(variablesOf(own).variables.COLLECTOR_CONFIG) as {
            extensions: Record<string, { tokens: string }>; exporters: Record<string, { headers: Record<string, string> }>;
        };
        assert.equal(config.extensions["bearertokenauth/ingest"].tokens, "${secretsmanager:${env:COLLECTOR_SECRET_ARN}#COLLECTOR_INGEST_TOKENS}");
        assert.equal(config.exporters["otlphttp/honeycomb"].headers["x-honeycomb-team"], "${secretsmanager:${env:COLLECTOR_SECRET_ARN}#HONEYCOMB_API_KEY}");
    });

    it("lets the role read that one secret and nothing else, before the function exists", () => {
        const policies = own.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && JSON.stringify(r.inputs.policy).includes("secretsmanager:GetSecretValue"));
        assert.equal(policies.length, 1);
        const document = JSON.parse(String(policies[0].inputs.policy)) as { Statement: { Effect: string; Action: string; Resource: unknown }[] };
        // The component's secrets only (one per content; older versions read older ones).
        assert.deepEqual(document.Statement, [{
            Effect: "Allow", Action: "secretsmanager:GetSecretValue",
            Resource: `arn:aws:secretsmanager:us-west-2:${MOCK.account}:secret:sm-9f8e7d6c/collector-secrets-*`,
        }]);
        // The function (and so its first cold start) waits for that grant.
        assert.ok(dependsOnNames(only("aws:lambda/function:Function", own)).includes(policies[0].name), "the function depends on the secret-read grant");
    });

    it("passes the policy pack", () => {
        assert.deepEqual(runPack(own).filter((v) => v.enforcementLevel === "mandatory"), []);
    });

    it("still gives producers their tokens", async () => {
        assert.equal((await value(collector.producerEnvironments)).batch.OTEL_EXPORTER_OTLP_HEADERS, otlpHeadersFor(TOKEN_B));
    });

    it("grants kms:Decrypt only on a customer key when one is given, and the caller's own secrets by ARN", async () => {
        const key = `arn:aws:kms:us-west-2:${MOCK.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
        const theirs = `arn:aws:secretsmanager:us-west-2:${MOCK.account}:secret:datadog-key-a1B2c3`;
        const { own: mine } = await build("kms", { secretStore: "secretsmanager", secretKmsKeyArn: key, secretArns: [theirs] });
        assert.equal(only("aws:secretsmanager/secret:Secret", mine).inputs.kmsKeyId, key);
        const documents = mine.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name.includes("secret")).map((r) => [r.name, JSON.parse(String(r.inputs.policy))]);
        const viaSecretsManager = { StringEquals: { "kms:ViaService": ["secretsmanager.us-west-2.amazonaws.com"] } };
        assert.deepEqual(Object.fromEntries(documents), {
            "kms-secret-read": { Version: "2012-10-17", Statement: [
                { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: `arn:aws:secretsmanager:us-west-2:${MOCK.account}:secret:kms-9f8e7d6c/collector-secrets-*` },
                { Effect: "Allow", Action: "kms:Decrypt", Resource: key, Condition: viaSecretsManager },
            ] },
            "kms-caller-secrets": { Version: "2012-10-17", Statement: [
                // A full ARN, and the same as a partial one with AWS's 6-character suffix.
                { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [theirs, `${theirs}-??????`] },
            ] },
        });
    });

    it("accepts a config that reads the caller's own secret with ${secretsmanager:...}", async () => {
        const theirs = `arn:aws:secretsmanager:us-west-2:${MOCK.account}:secret:datadog-key-a1B2c3`;
        const config = defaultCollectorConfig().replace("verbosity: basic", `verbosity: \${secretsmanager:${theirs}#verbosity}`);
        const { own: mine } = await build("theirs", { collectorConfig: config, secretArns: [theirs] });
        assert.equal(variablesOf(mine).variables.COLLECTOR_CONFIG, config);
    });
});

describe("reserved concurrency", () => {
    it("sets the function's ceiling when given, and nothing otherwise", async () => {
        const { own } = await build("capped", { reservedConcurrency: 20 });
        assert.equal(only("aws:lambda/function:Function", own).inputs.reservedConcurrentExecutions, 20);
        const { own: free } = await build("free", {});
        assert.equal(only("aws:lambda/function:Function", free).inputs.reservedConcurrentExecutions, undefined);
    });

    it("rejects anything but a whole number of at least 1", () => {
        for (const bad of [0, -1, 2.5, Number.NaN]) {
            assert.throws(() => new lib.LambdaCollector("cap", { reservedConcurrency: bad }), (err: Error) =>
                err.message === `reservedConcurrency: ${bad} is not a whole number of at least 1; set the most concurrent executions you will pay for, or leave it unset for no ceiling (0 would refuse every request)`);
        }
    });
});

describe("reserved environment keys", () => {
    for (const key of ["AWS_LWA_PORT", "AWS_LWA_INVOKE_MODE", "AWS_REGION", "AWS_LAMBDA_EXEC_WRAPPER", "LAMBDA_TASK_ROOT", "PATH", "LD_PRELOAD", "LD_LIBRARY_PATH", "TZ", "COLLECTOR_INGEST_TOKENS", "COLLECTOR_SECRET_ARN"]) {
        it(`rejects ${key} in environment, naming it`, () => {
            assert.throws(() => new lib.LambdaCollector("env", { environment: { [key]: "x" } }), (err: Error) =>
                pulumi.RunError.isInstance(err) && err.message.startsWith(`environment.${key}: `) && !err.message.includes("\n"));
        });
    }
});
