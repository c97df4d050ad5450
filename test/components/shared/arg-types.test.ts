// Arguments arrive from TypeScript (maybe as Outputs) and, through the component
// package, from YAML, Python and Go with any JSON type. Every wrong type and every
// unknown name must be one line naming the argument, echoing the value and saying
// the fix, thrown as a single pulumi.RunError before any value check runs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { ARG_NAMES, resolveArgs } from "../../../components/lambda/validate";
import type { LambdaCollectorArgs } from "../../../components/lambda/args";
import { PINNED_IMAGES } from "../../../components/shared/image/collector-image";

/** The message resolveArgs throws for `args`, asserting it is a RunError. */
function failure(args: unknown): string {
    try {
        resolveArgs("collector", args as LambdaCollectorArgs);
    } catch (err) {
        assert.ok(pulumi.RunError.isInstance(err), `not a RunError: ${String(err)}`);
        return (err as Error).message;
    }
    assert.fail(`accepted ${JSON.stringify(args)}`);
}

const PLAIN = "known at preview, not an Output";
const TOPIC = "arn:aws:sns:us-east-1:123456789012:alerts";

// [what, args, the exact message]
const CASES: [string, unknown, string][] = [
    ["tokenRotation as a list", { tokenRotation: ["web"] },
        `tokenRotation: ["web"] is a list, not an object; it must be an object of names to objects, e.g. tokenRotation: {"default": {"generation": 2, "phase": "overlap"}}`],
    // The field report's cases.
    ["an empty producers list", { producers: [] },
        `producers: is empty; name at least one producer (the default is ["default"]), since a collector nobody can send to is useless`],
    ["producers as a string", { producers: "web" },
        `producers: "web" is a string, not a list; it must be a list of plain strings ${PLAIN}, so write producers: ["web"]`],
    ["collectorConfig as a number", { collectorConfig: 42 },
        `collectorConfig: 42 is a number; it must be a plain string ${PLAIN}, e.g. collectorConfig: "receivers: ..." (the YAML text)`],
    ["timeout as an Output", { timeout: pulumi.output(1000) },
        `timeout: is an Output; it must be a plain number ${PLAIN}, e.g. timeout: 30`],
    ["timeout as a numeric string", { timeout: "30" },
        `timeout: "30" is a string; it must be a plain number ${PLAIN}, so write timeout: 30 (without quotes)`],
    ["environment as a string", { environment: "x" },
        `environment: "x" is a string, not an object; it must be an object of names to values, each a string (or an Output of one), e.g. environment: {"API_KEY": "..."}`],
    ["an unknown argument", { bogusArg: 1 },
        `bogusArg: is not an argument of LambdaCollector (given 1); remove it (the arguments are those of LambdaCollectorArgs)`],
    ["alarmTopicArn without alarms", { alarmTopicArn: TOPIC, alarms: false },
        `alarmTopicArn: is only notified by the alarms, which alarms: false turns off; remove alarmTopicArn or set alarms: true`],
    // Unknown names: the nearest argument, case-insensitively.
    ["a misspelt argument", { timout: 30 },
        `timout: is not an argument of LambdaCollector (given 30); did you mean timeout?`],
    ["a wrongly cased argument", { MemorySize: 1024 },
        `MemorySize: is not an argument of LambdaCollector (given 1024); did you mean memorySize?`],
    ["a snake_case argument", { log_retention_days: 7 },
        `log_retention_days: is not an argument of LambdaCollector (given 7); did you mean logRetentionDays?`],
    ["an unknown name with a line break", { "a\nb": "x" },
        `"a\\nb": is not an argument of LambdaCollector (given "x"); remove it (the arguments are those of LambdaCollectorArgs)`],
    // Every argument with a wrong type.
    ["environment value as a number", { environment: { API_KEY: 3 } },
        `environment.API_KEY: 3 is a number; it must be a string (or an Output of one)`],
    ["ingestToken as a number", { ingestToken: 12 },
        `ingestToken: 12 is a number; it must be a string (or an Output of one), e.g. ingestToken: "<32 or more characters>"`],
    ["a producer as a number", { producers: ["web", 7] },
        `producers[1]: 7 is a number; every entry must be a plain string ${PLAIN}`],
    ["producerTokens as a list", { producerTokens: ["abc"] },
        `producerTokens: ["abc"] is a list, not an object; it must be an object of names to values, each a string (or an Output of one), e.g. producerTokens: {"default": "<32 or more characters>"}`],
    ["a producer token as a number", { producerTokens: { default: 1 } },
        `producerTokens.default: 1 is a number; it must be a string (or an Output of one)`],
    ["secretStore as a boolean", { secretStore: true },
        `secretStore: true is a boolean; it must be one of "environment", "secretsmanager", as a plain string ${PLAIN}`],
    ["secretArns as a string", { secretArns: "arn:x" },
        `secretArns: "arn:x" is a string, not a list; it must be a list of plain strings ${PLAIN}, so write secretArns: ["arn:x"]`],
    ["secretKmsKeyArn as an Output", { secretKmsKeyArn: pulumi.output("arn") },
        `secretKmsKeyArn: is an Output; it must be a plain string ${PLAIN}, e.g. secretKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/<id>"`],
    ["reservedConcurrency as a string", { reservedConcurrency: "ten" },
        `reservedConcurrency: "ten" is a string; it must be a plain number ${PLAIN}, e.g. reservedConcurrency: 10`],
    ["allowUnauthenticated as a string", { allowUnauthenticated: "true" },
        `allowUnauthenticated: "true" is a string; it must be true or false, ${PLAIN}, so write allowUnauthenticated: true (without quotes)`],
    ["memorySize as a Promise", { memorySize: Promise.resolve(1024) },
        `memorySize: is a Promise; it must be a plain number ${PLAIN}, e.g. memorySize: 512`],
    ["timeout as null", { timeout: null },
        `timeout: is null (leave timeout out for its default); it must be a plain number ${PLAIN}, e.g. timeout: 30`],
    ["logRetentionDays as a list", { logRetentionDays: [14] },
        `logRetentionDays: [14] is a list; it must be a plain number ${PLAIN}, e.g. logRetentionDays: 14`],
    ["architecture as a number", { architecture: 64 },
        `architecture: 64 is a number; it must be one of "arm64", "x86_64", as a plain string ${PLAIN}`],
    ["functionName as a number", { functionName: 5 },
        `functionName: 5 is a number; it must be a plain string ${PLAIN}, e.g. functionName: "my-collector"`],
    ["keepVersions as a numeric string", { keepVersions: "5" },
        `keepVersions: "5" is a string; it must be a plain number ${PLAIN}, so write keepVersions: 5 (without quotes)`],
    ["policies as a list", { policies: ["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"] },
        `policies: ["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"] is a list, not an object; it must be an object of names to values, each a string (or an Output of one), e.g. policies: {"xray": "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"}`],
    ["keepImages as a numeric string", { keepImages: "5" },
        `keepImages: "5" is a string; it must be a plain number ${PLAIN}, so write keepImages: 5 (without quotes)`],
    ["forceDeleteRepository as a number", { forceDeleteRepository: 1 },
        `forceDeleteRepository: 1 is a number; it must be true or false, ${PLAIN}`],
    ["collectorVersion as a number", { collectorVersion: 0.151 },
        `collectorVersion: 0.151 is a number; it must be a plain string ${PLAIN}, e.g. collectorVersion: "0.161.0"`],
    ["adapterVersion as a number", { adapterVersion: 1 },
        `adapterVersion: 1 is a number; it must be a plain string ${PLAIN}, e.g. adapterVersion: "1.0.0"`],
    ["buildOnPreview as a string", { buildOnPreview: "yes" },
        `buildOnPreview: "yes" is a string; it must be true or false, ${PLAIN}`],
    ["a tag as an Output", { tags: { team: pulumi.output("x") } },
        `tags.team: is an Output; it must be a plain string ${PLAIN}`],
    ["preTrafficCheck as a string", { preTrafficCheck: "false" },
        `preTrafficCheck: "false" is a string; it must be true or false, ${PLAIN}, so write preTrafficCheck: false (without quotes)`],
    ["dashboard as an object", { dashboard: {} },
        `dashboard: {} is an object; it must be true or false, ${PLAIN}`],
    ["alarms as a number", { alarms: 0 },
        `alarms: 0 is a number; it must be true or false, ${PLAIN}`],
    ["alarmTopicArn as a number", { alarmTopicArn: 7 },
        `alarmTopicArn: 7 is a number; it must be a string (or an Output of one), e.g. alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:alerts"`],
    ["baseImages as a string", { baseImages: "alpine" },
        `baseImages: "alpine" is not an object; give {collector?, alpine?, adapter?, builder?} image references`],
    ["a base image as an Output", { baseImages: { alpine: pulumi.output("alpine") } },
        `baseImages.alpine: is an Output; give a plain image reference ${PLAIN}, such as ${PINNED_IMAGES.alpine.repository}:${PINNED_IMAGES.alpine.version}`],
    ["validateWith as an Output", { validateWith: pulumi.output("/usr/local/bin/otelcol-lambda") },
        `validateWith: is an Output; it must be a plain string ${PLAIN}, e.g. validateWith: "/home/me/.cache/otel-lambda-collector/collector-0.161.0-<key>/otelcol-lambda"`],
    ["validateWith a missing file", { validateWith: "/nonexistent/otelcol-lambda" },
        `validateWith: "/nonexistent/otelcol-lambda" does not exist (ENOENT); build the lean collector with npm run -s real:build and give the path it prints as "collector"`],
    ["distribution as a list", { distribution: ["lambda"] },
        `distribution: ["lambda"] is a list; it must be one of "contrib", "lambda", as a plain string ${PLAIN}`],
    // Not an object at all.
    ["args as null", null, `args: is null; give LambdaCollector an object of arguments, e.g. { timeout: 30 }`],
    // Type problems of several arguments are all reported, one line each.
    ["two wrong types", { timeout: "30", dashboard: 1 },
        `timeout: "30" is a string; it must be a plain number ${PLAIN}, so write timeout: 30 (without quotes)\n` +
        `dashboard: 1 is a number; it must be true or false, ${PLAIN}`],
];

describe("argument types", () => {
    for (const [what, args, message] of CASES) {
        it(`rejects ${what} in one line`, () => {
            assert.equal(failure(args), message);
        });
    }

    it("has a wrong-type case for every argument", () => {
        const covered = new Set(CASES.flatMap(([, args]) => typeof args === "object" && args !== null ? Object.keys(args) : []));
        assert.deepEqual(ARG_NAMES.filter((n) => !covered.has(n)), []);
    });

    it("accepts the right types, Inputs where the interface takes them", () => {
        const { settings } = resolveArgs("collector", {
            timeout: 60,
            producers: ["web", "batch"],
            producerTokens: { web: pulumi.secret("x".repeat(40)) },
            environment: { API_KEY: pulumi.output("k") },
            alarmTopicArn: pulumi.output(TOPIC),
            tags: { team: "obs" },
            dashboard: false,
        });
        assert.equal(settings.timeout, 60);
        assert.deepEqual(settings.producers, ["web", "batch"]);
    });

    it("accepts alarmTopicArn with alarms on", () => {
        assert.doesNotThrow(() => resolveArgs("collector", { alarmTopicArn: TOPIC, alarms: true }));
    });
});

describe("resolveArgs on any input", () => {
    // A line names the argument it is about: a known name, a key of the input, the
    // component's `name`, `args`, or the collector config's own findings.
    function linesNameArguments(args: Record<string, unknown>, message: string): boolean {
        const names = [...ARG_NAMES, ...Object.keys(args).map((k) => /^[A-Za-z0-9_]+$/.test(k) ? k : JSON.stringify(k)), "name", "args", "collector config"];
        return message.split("\n").every((line) => names.some((n) => line.startsWith(`${n}:`) || line.startsWith(`${n}.`) || line.startsWith(`${n}[`)));
    }

    function returnsOrRunError(args: Record<string, unknown>): boolean {
        try {
            resolveArgs("collector", args as LambdaCollectorArgs);
            return true;
        } catch (err) {
            return pulumi.RunError.isInstance(err) && linesNameArguments(args, (err as Error).message);
        }
    }

    const value = fc.oneof(
        fc.anything(),
        fc.constantFrom(pulumi.output("x"), pulumi.output(1), "", "30", [], {}, null),
    );

    it("returns or throws one RunError whose lines each start with an argument (random keys)", () => {
        fc.assert(fc.property(fc.dictionary(fc.string(), value), returnsOrRunError), { numRuns: 200 });
    });

    it("returns or throws one RunError whose lines each start with an argument (known keys)", () => {
        const known = fc.record(Object.fromEntries(ARG_NAMES.map((n) => [n, value])), { requiredKeys: [] });
        fc.assert(fc.property(known, returnsOrRunError), { numRuns: 300 });
    });

    it("returns or throws one RunError for values of the right type (value checks never throw)", () => {
        const str = fc.oneof(fc.string(), fc.constantFrom("arm64", "x86_64", "environment", "secretsmanager", "contrib", "lambda", "web", "default"));
        const right = fc.record({
            producers: fc.array(str, { maxLength: 3 }),
            producerTokens: fc.dictionary(str, fc.oneof(fc.string(), fc.constant(pulumi.output("t")))),
            ingestToken: fc.string(),
            environment: fc.dictionary(fc.string(), fc.string()),
            secretStore: str,
            secretArns: fc.array(fc.string(), { maxLength: 2 }),
            secretKmsKeyArn: fc.string(),
            reservedConcurrency: fc.double(),
            timeout: fc.oneof(fc.integer(), fc.double()),
            memorySize: fc.integer(),
            logRetentionDays: fc.integer(),
            keepImages: fc.integer(),
            architecture: str,
            functionName: fc.string(),
            collectorVersion: fc.string(),
            adapterVersion: fc.string(),
            baseImages: fc.dictionary(fc.string(), fc.string()),
            distribution: str,
            alarms: fc.boolean(),
            alarmTopicArn: fc.string(),
            collectorConfig: fc.string(),
        }, { requiredKeys: [] });
        fc.assert(fc.property(right, returnsOrRunError), { numRuns: 300 });
    });
});
