// The policy pack's validation functions, called in-process with resource inputs
// shaped as the engine delivers them.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { lambdaImageManifest } from "../../policy/lambda-image-manifest";
import { minimumMemory } from "../../policy/minimum-memory";
import { policies } from "../../policy/policies";
import { ALLOW_UNAUTHENTICATED_TAG } from "../../rules/lambda-facts";
import { projectRoot } from "../harness/paths";
import { runResourcePolicy, runStackPolicy, secretValue, UNKNOWN_NUMBER, UNKNOWN_STRING } from "../harness/policy";
import { BATCH_IN_PIPELINE, QUEUE_ON_BY_DEFAULT, RETRY_DEFAULT_30S } from "../harness/messages";

/** The pack's policy derived from registry rule `id`. */
function resourcePolicy(id: string): ResourceValidationPolicy {
    const found = policies.find((p) => p.name === id);
    assert.ok(found && "validateResource" in found, `${id} is a resource policy of the pack`);
    return found as ResourceValidationPolicy;
}
function stackPolicy(id: string): StackValidationPolicy {
    const found = policies.find((p) => p.name === id);
    assert.ok(found && "validateStack" in found, `${id} is a stack policy of the pack`);
    return found as StackValidationPolicy;
}
const noQueuedExporter = resourcePolicy("no-queued-exporter");
const noBatchProcessor = resourcePolicy("no-batch-processor");
const noBufferingProcessor = resourcePolicy("no-buffering-processor");
const retryWithinTimeout = resourcePolicy("retry-exceeds-timeout");
const configSyntax = resourcePolicy("config-syntax");
const configShape = resourcePolicy("config-shape");
const undefinedComponent = resourcePolicy("undefined-component");
const undefinedEnvVar = resourcePolicy("undefined-env-var");
const authenticatedUrl = stackPolicy("unauthenticated-receiver");

const FN = "aws:lambda/function:Function";
const SAFE = fs.readFileSync(path.join(projectRoot, "collector", "config.yaml"), "utf8");
const UNSAFE = fs.readFileSync(path.join(projectRoot, "test", "fixtures", "lint", "unsafe.yaml"), "utf8");

/** A Lambda function's planned inputs, as the engine sends them after Check. */
function lambda(variables: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { packageType: "Image", architectures: ["arm64"], memorySize: 512, timeout: 30, environment: { variables }, ...extra };
}

describe("mandatory config policies", () => {
    it("report a queued exporter and a batch processor, naming function, variable, path and line", () => {
        const props = lambda({ COLLECTOR_CONFIG: UNSAFE, COLLECTOR_INGEST_TOKENS: "token", HONEYCOMB_API_KEY: "key" });
        assert.deepEqual(runResourcePolicy(noQueuedExporter, FN, "collector-function", props).violations, [
            `Lambda function "collector-function" collector config (COLLECTOR_CONFIG): exporters.otlphttp/honeycomb: ${QUEUE_ON_BY_DEFAULT} (line 11)`,
        ]);
        assert.deepEqual(runResourcePolicy(noBatchProcessor, FN, "collector-function", props).violations, [
            `Lambda function "collector-function" collector config (COLLECTOR_CONFIG): processors.batch: ${BATCH_IN_PIPELINE} (line 7)`,
        ]);
    });

    it("pass the shipped default config", () => {
        const props = lambda({ COLLECTOR_CONFIG: SAFE, COLLECTOR_INGEST_TOKENS: "token" });
        for (const policy of [configSyntax, configShape, undefinedComponent, undefinedEnvVar, noQueuedExporter, noBatchProcessor, noBufferingProcessor, retryWithinTimeout, minimumMemory]) {
            assert.deepEqual(runResourcePolicy(policy, FN, "collector-function", props), { violations: [] }, policy.name);
        }
    });

    it("recognise a config by its content, under any variable name", () => {
        const props = lambda({ OTELCOL_YAML: UNSAFE, OTHER: "plain value", JSONISH: "{\"pipelines\": 1}" });
        assert.equal(runResourcePolicy(noQueuedExporter, FN, "theirs", props).violations.length, 1);
        assert.match(runResourcePolicy(noQueuedExporter, FN, "theirs", props).violations[0], /^Lambda function "theirs" collector config \(OTELCOL_YAML\): /);
    });

    it("ignore functions without a collector config and other resource types", () => {
        assert.deepEqual(runResourcePolicy(noQueuedExporter, FN, "api", lambda({ LOG_LEVEL: "info" })), { violations: [] });
        assert.deepEqual(runResourcePolicy(noQueuedExporter, FN, "zip", { runtime: "nodejs22.x" }), { violations: [] });
        assert.deepEqual(runResourcePolicy(noQueuedExporter, "aws:s3/bucket:Bucket", "b", { environment: { variables: { X: UNSAFE } } }), { violations: [] });
    });

    it("read secret-wrapped values, whether the value or the whole map is the secret", () => {
        const wrappedValue = lambda({ COLLECTOR_CONFIG: secretValue(UNSAFE), COLLECTOR_INGEST_TOKENS: secretValue("token") });
        assert.equal(runResourcePolicy(noQueuedExporter, FN, "f", wrappedValue).violations.length, 1);
        const wrappedMap = { packageType: "Image", environment: secretValue({ variables: { COLLECTOR_CONFIG: UNSAFE } }) };
        assert.equal(runResourcePolicy(noBatchProcessor, FN, "f", wrappedMap).violations.length, 1);
    });

    it("still check the config when only the token is unknown (a first preview)", () => {
        const props = lambda({ COLLECTOR_CONFIG: UNSAFE, COLLECTOR_INGEST_TOKENS: UNKNOWN_STRING });
        const outcome = runResourcePolicy(noQueuedExporter, FN, "f", props);
        assert.equal(outcome.notCheckable, undefined);
        assert.equal(outcome.violations.length, 1);
    });

    it("report an unknown config as not yet checkable, never as a pass", () => {
        const outcome = runResourcePolicy(noQueuedExporter, FN, "f", lambda({ COLLECTOR_CONFIG: UNKNOWN_STRING }));
        assert.deepEqual(outcome.violations, []);
        assert.equal(outcome.notCheckable, "can't run policy 'no-queued-exporter' during preview: string value at .environment.variables.COLLECTOR_CONFIG can't be known during preview");
        const wholeMap = runResourcePolicy(noBatchProcessor, FN, "f", { packageType: "Image", environment: { variables: UNKNOWN_STRING } });
        assert.match(wholeMap.notCheckable ?? "", /can't be known during preview/);
    });

    it("stay mandatory when only the timeout or memory is unknown", () => {
        const props = lambda({ COLLECTOR_CONFIG: UNSAFE, HONEYCOMB_API_KEY: "k" }, { timeout: UNKNOWN_NUMBER, memorySize: UNKNOWN_NUMBER });
        assert.deepEqual(runResourcePolicy(noQueuedExporter, FN, "f", props).notCheckable, undefined);
        assert.equal(runResourcePolicy(noQueuedExporter, FN, "f", props).violations.length, 1);
        assert.match(runResourcePolicy(retryWithinTimeout, FN, "f", props).notCheckable ?? "", /timeout can't be known during preview/);
    });

    it("report malformed pipelines rather than skip the value", () => {
        const props = lambda({ COLLECTOR_CONFIG: "receivers:\n  otlp:\n    protocols:\n      http:\nexporters:\n  debug:\nservice:\n  pipelines: [traces]\n" });
        assert.deepEqual(runResourcePolicy(configShape, FN, "f", props).violations, [
            "Lambda function \"f\" collector config (COLLECTOR_CONFIG): service.pipelines: must be a non-empty mapping of pipeline id to pipeline, not a list (line 8)",
        ]);
    });

    it("report an unparsable config once, in the syntax policy", () => {
        const props = lambda({ COLLECTOR_CONFIG: "service:\n  pipelines: [\n" });
        assert.deepEqual(runResourcePolicy(configShape, FN, "f", props).violations, []);
        assert.deepEqual(runResourcePolicy(configSyntax, FN, "f", props).violations, [
            "Lambda function \"f\" collector config (COLLECTOR_CONFIG): not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] (line 3)",
        ]);
        assert.deepEqual(runResourcePolicy(noQueuedExporter, FN, "f", props).violations, []);
    });

    it("check ${env:...} references against the function's own environment", () => {
        const config = SAFE.replace("verbosity: basic", "verbosity: ${env:VERBOSITY}");
        assert.deepEqual(runResourcePolicy(undefinedEnvVar, FN, "f", lambda({ COLLECTOR_CONFIG: config, COLLECTOR_INGEST_TOKENS: "t" })).violations, [
            "Lambda function \"f\" collector config (COLLECTOR_CONFIG): exporters.debug.verbosity: references ${env:VERBOSITY}, which the function environment does not define; the collector only logs a warning and uses an empty string, which usually fails its config validation (a 500 on every request, with no detail) or sends an empty credential; set it in the component's environment (a secret belongs in a secret config value), or write ${env:VERBOSITY:-} if empty is intended (line 24)",
        ]);
        assert.deepEqual(runResourcePolicy(undefinedEnvVar, FN, "f", lambda({ COLLECTOR_CONFIG: config, COLLECTOR_INGEST_TOKENS: "t", VERBOSITY: "basic" })).violations, []);
    });
});

describe("advisory config policies", () => {
    it("flag little memory, against a configurable minimum and Lambda's 128 MB default", () => {
        assert.deepEqual(runResourcePolicy(minimumMemory, FN, "f", lambda({ C: SAFE }, { memorySize: 256 })).violations, [
            "Lambda function \"f\" collector config (C): the function has 256 MB, and Lambda gives CPU in proportion to memory, so the collector's cold start slows to double-digit seconds; set memorySize to at least 512",
        ]);
        assert.equal(runResourcePolicy(minimumMemory, FN, "f", lambda({ C: SAFE }, { memorySize: 512 }), { minimumMemoryMb: 1024 }).violations.length, 1);
        assert.equal(runResourcePolicy(minimumMemory, FN, "f", { packageType: "Image", environment: { variables: { C: SAFE } } }).violations.length, 1);
    });

    it("flag retries that outlive the function's timeout", () => {
        const v = runResourcePolicy(retryWithinTimeout, FN, "f", lambda({ C: UNSAFE }, { timeout: 30 })).violations;
        assert.deepEqual(v, [`Lambda function "f" collector config (C): exporters.otlphttp/honeycomb: ${RETRY_DEFAULT_30S} (line 11)`]);
    });

    it("flag processors that hold data", () => {
        assert.equal(runResourcePolicy(noBufferingProcessor, FN, "f", lambda({ C: UNSAFE })).violations.length, 1);
    });
});

describe("stack policies", () => {
    const unauthenticated = SAFE.replace(/\n {8}auth:\n {10}authenticator: bearertokenauth\/ingest/, "");
    const url = (props: Record<string, unknown>, deps?: Record<string, string[]>) =>
        ({ type: "aws:lambda/functionUrl:FunctionUrl", name: "url", props, propertyDependencies: deps });

    it("flag a public URL in front of a receiver without an authenticator", () => {
        const outcome = runStackPolicy(authenticatedUrl, [
            { type: FN, name: "fn", props: lambda({ COLLECTOR_CONFIG: unauthenticated }, { name: "collector-1" }) },
            url({ authorizationType: "NONE", functionName: "collector-1" }),
        ]);
        assert.deepEqual(outcome.violations, [
            "Lambda function \"fn\" collector config (COLLECTOR_CONFIG): receivers.otlp.protocols.http: has no auth.authenticator, and the Function URL is public, so anyone who learns the URL can send telemetry to your backend; add auth: {authenticator: bearertokenauth/...} or opt in explicitly with allowUnauthenticated (line 15)",
        ]);
    });

    it("follow the engine's property dependencies when the function name is unknown", () => {
        const resources = [
            { type: FN, name: "fn", props: lambda({ COLLECTOR_CONFIG: unauthenticated }, { name: UNKNOWN_STRING }) },
            url({ authorizationType: "NONE", functionName: UNKNOWN_STRING }, { functionName: ["fn"] }),
        ];
        assert.equal(runStackPolicy(authenticatedUrl, resources).violations.length, 1);
        const unlinked = runStackPolicy(authenticatedUrl, [resources[0], url({ authorizationType: "NONE", functionName: UNKNOWN_STRING })]);
        assert.match(unlinked.notCheckable ?? "", /functionName can't be known during preview/);
    });

    it("report an unknown config behind a public URL as not checkable", () => {
        const outcome = runStackPolicy(authenticatedUrl, [
            { type: FN, name: "fn", props: lambda({ COLLECTOR_CONFIG: UNKNOWN_STRING }, { name: "c" }) },
            url({ authorizationType: "NONE", functionName: "c" }),
        ]);
        assert.deepEqual(outcome.violations, []);
        assert.match(outcome.notCheckable ?? "", /COLLECTOR_CONFIG can't be known during preview/);
    });

    it("respect the component's explicit opt-out tag, and only that", () => {
        const resources = (tags: Record<string, string>) => [
            { type: FN, name: "fn", props: lambda({ COLLECTOR_CONFIG: unauthenticated }, { name: "c", tags }) },
            url({ authorizationType: "NONE", functionName: "c" }),
        ];
        assert.deepEqual(runStackPolicy(authenticatedUrl, resources({ [ALLOW_UNAUTHENTICATED_TAG]: "true" })).violations, []);
        assert.equal(runStackPolicy(authenticatedUrl, resources({ [ALLOW_UNAUTHENTICATED_TAG]: "yes" })).violations.length, 1);
    });

    it("pass an authenticated receiver, and an IAM-authorized URL", () => {
        assert.deepEqual(runStackPolicy(authenticatedUrl, [
            { type: FN, name: "fn", props: lambda({ COLLECTOR_CONFIG: SAFE }, { name: "c" }) },
            url({ authorizationType: "NONE", functionName: "c" }),
        ]).violations, []);
        assert.deepEqual(runStackPolicy(authenticatedUrl, [
            { type: FN, name: "fn", props: lambda({ COLLECTOR_CONFIG: unauthenticated }, { name: "c" }) },
            url({ authorizationType: "AWS_IAM", functionName: "c" }),
        ]).violations, []);
    });

    const image = (props: Record<string, unknown>) => ({ type: "docker-build:index:Image", name: "img", props: { push: true, tags: ["1.dkr.ecr.us-west-2.amazonaws.com/repo:v1"], ...props } });
    const fnWithImage = (architectures: string[], deps = true) => ({
        type: FN, name: "fn", props: lambda({}, { architectures, imageUri: deps ? UNKNOWN_STRING : "1.dkr.ecr.us-west-2.amazonaws.com/repo@sha256:abc" }),
        propertyDependencies: deps ? { imageUri: ["img"] } : undefined,
    });

    it("flag images Lambda rejects or cannot run", () => {
        const problems = (fnArch: string[], props: Record<string, unknown>) => runStackPolicy(lambdaImageManifest, [fnWithImage(fnArch), image(props)]).violations;
        assert.deepEqual(problems(["arm64"], { platforms: ["linux/arm64", "linux/amd64"] }), [
            "docker-build image \"img\" for Lambda function \"fn\" builds 2 platforms (linux/arm64, linux/amd64), which pushes an image index that Lambda rejects; build only linux/arm64",
        ]);
        assert.deepEqual(problems(["x86_64"], { platforms: ["linux/arm64"] }), [
            "docker-build image \"img\" for Lambda function \"fn\" builds linux/arm64, but the function runs on x86_64; build linux/amd64 or change the function's architectures",
        ]);
        assert.deepEqual(problems(["arm64"], {}), [
            "docker-build image \"img\" for Lambda function \"fn\" builds for whatever machine runs pulumi; set platforms to [\"linux/arm64\"] to match the function's arm64 architecture",
        ]);
        assert.deepEqual(problems(["arm64"], { platforms: ["linux/arm64"], exec: true }), [
            "docker-build image \"img\" for Lambda function \"fn\" is built with exec: true, which runs docker buildx build with its default provenance attestation, and Lambda rejects the resulting image index; remove exec or set BUILDX_NO_DEFAULT_ATTESTATIONS=1",
        ]);
        assert.deepEqual(problems(["arm64"], { platforms: ["linux/arm64"], exec: false }), []);
    });

    it("find the image by repository when no dependency links it", () => {
        const outcome = runStackPolicy(lambdaImageManifest, [fnWithImage(["arm64"], false), image({ platforms: ["linux/amd64"] })]);
        assert.equal(outcome.violations.length, 1);
    });
});

describe("the pack", () => {
    it("lists every policy once, with kebab-case names and the documented levels", () => {
        assert.deepEqual(Object.fromEntries(policies.map((p) => [p.name, p.enforcementLevel])), {
            "config-syntax": "mandatory",
            "config-reference": "mandatory",
            "bare-env-reference": "mandatory",
            "config-not-checkable": "mandatory",
            "config-value-unknown": "mandatory",
            "provider-access": "advisory",
            "config-shape": "mandatory",
            "unknown-config-key": "mandatory",
            "pipeline-graph": "mandatory",
            "collector-validate": "mandatory",
            "undefined-component": "mandatory",
            "unknown-component-type": "mandatory",
            "config-value-type": "mandatory",
            "undefined-env-var": "mandatory",
            "adapter-port": "mandatory",
            "component-not-in-distribution": "mandatory",
            "unauthenticated-receiver": "mandatory",
            "no-batch-processor": "mandatory",
            "no-queued-exporter": "mandatory",
            "no-buffering-processor": "advisory",
            "non-push-receiver": "advisory",
            "duration-unit": "advisory",
            "retry-exceeds-timeout": "advisory",
            "aws-permission": "advisory",
            "container-listener": "mandatory",
            "health-check-extension": "mandatory",
            "batch-and-queue": "advisory",
            "lambda-collector-minimum-memory": "advisory",
            "lambda-image-single-manifest": "advisory",
            "literal-credential": "advisory",
        });
        for (const p of policies) {
            assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.match(p.description, /^Checks /);
            assert.ok((p.remediationSteps ?? "").length > 20, p.name);
        }
    });

    it("is runnable from the policy folder: manifest, version and entry point", () => {
        const dir = path.join(projectRoot, "policy");
        assert.match(fs.readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8"), /^runtime: nodejs$/m);
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version?: string };
        assert.match(pkg.version ?? "", /^\d+\.\d+\.\d+$/, "PolicyPack reads its version from policy/package.json");
        assert.match(fs.readFileSync(path.join(dir, "index.ts"), "utf8"), /new PolicyPack\("otel-lambda-collector", \{ policies \}\)/);
    });
});

describe("fail-closed detection of collector configs", () => {
    const asJson = JSON.stringify({ receivers: { otlp: { protocols: { http: null } } }, processors: { batch: null }, exporters: { debug: null }, service: { pipelines: { traces: { receivers: ["otlp"], processors: ["batch"], exporters: ["debug"] } } } });

    it("checks any value that parses to a mapping with collector sections, however it is written", () => {
        assert.equal(runResourcePolicy(noBatchProcessor, FN, "f", lambda({ OTEL_CFG: asJson })).violations.length, 1);
        const flow = "{\"service\": {\"pipelines\": {traces: {receivers: [otlp], exporters: [debug]}}}, receivers: {otlp: {protocols: {http: }}}, processors: {batch: }, exporters: {debug: }}";
        assert.equal(runResourcePolicy(noBatchProcessor, FN, "f", lambda({ X: flow })).violations.length, 1);
        assert.deepEqual(runResourcePolicy(configShape, FN, "f", lambda({ APP: "{verbosity: basic}", NAME: "service: x" })).violations, [
            "Lambda function \"f\" collector config (NAME): service: must be a mapping, not a string (\"x\") (line 1)",
        ]);
    });

    it("reports a value written as a collector config that does not parse, with the parse error", () => {
        const broken = "receivers:\n  otlp: {protocols: {http:\nexporters:\n  debug:\n";
        const outcome = runResourcePolicy(configSyntax, FN, "f", lambda({ OTHER: broken }));
        assert.equal(outcome.violations.length, 1);
        assert.match(outcome.violations[0], /^Lambda function "f" collector config \(OTHER\): not valid YAML: /);
        assert.equal(runResourcePolicy(configSyntax, FN, "f", lambda({ COLLECTOR_CONFIG: "just text: [" })).violations.length, 1);
        assert.deepEqual(runResourcePolicy(configSyntax, FN, "f", lambda({ OTHER: "not: [yaml" })), { violations: [] });
    });

    it("does not pass a function whose config variable is unknown at preview", () => {
        const outcome = runResourcePolicy(noBatchProcessor, FN, "f", lambda({ COLLECTOR_CONFIG: UNKNOWN_STRING, OTHER: asJson }));
        assert.match(outcome.notCheckable ?? "", /can't run policy 'no-batch-processor' during preview/);
    });
});
