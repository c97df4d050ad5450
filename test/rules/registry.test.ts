// The rule registry is the one place that decides a rule's severity, what the
// component does with it and the policy the pack derives from it. This proves the
// three consumers agree: for a config that breaks each rule, the component fails or
// warns as the registry says, the lint reports the rule at the registry's level, and
// the pack's policy of the same name reports it at the same enforcement level.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { runLint } from "../../cli/lint";
import type { LambdaCollectorArgs } from "../../components/lambda/args";
import { defaultCollectorConfig } from "../../components/shared/config-sources/default-config";
import { resolveArgs } from "../../components/lambda/validate";
import { defaultFargateConfig } from "../../components/fargate/presets";
import { resolveFargateArgs } from "../../components/fargate/validate";
import { policies } from "../../policy/policies";
import { RULES, ruleOf } from "../../rules/registry";
import { installMocks } from "../harness/mocks";
import { runResourcePolicy, runStackPolicy, UNKNOWN_STRING } from "../harness/policy";
import { editDefaultConfig } from "../harness/component";

const FN = "aws:lambda/function:Function";
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";

/**
 * A deployment that breaks the rule named: the config, and what each consumer knows
 * of the function environment (the component's `environment`, the lint's flags, the
 * pack's planned variables). By default the lint is told the environment holds only
 * what the component sets, so every rule has its context.
 */
interface Break {
    readonly config: () => string;
    readonly environment?: Record<string, pulumi.Input<string>>;
    readonly lintFlags?: readonly string[];
    readonly packVariables?: Record<string, unknown>;
    /** The pack cannot know the value, so the rule's policy is "not checkable" there (never a pass). */
    readonly packNotCheckable?: boolean;
    /** Component arguments the deployment needs besides the config. */
    readonly args?: LambdaCollectorArgs;
    /**
     * Neither the lint nor the pack can see what the rule needs (which collector build
     * the image holds), so only the component runs it; they must then report nothing.
     */
    readonly componentOnly?: boolean;
    /** The component grants what the rule asks for (components/lambda/permissions.ts), so it reports nothing; the lint and the pack do. */
    readonly componentGrants?: boolean;
    /**
     * The rule needs a collector binary (the lint's --collector, the component's
     * validateWith), which this unit test does not spawn: without one, no consumer
     * reports it. test/cli/collector-validate.integration.ts breaks it with the real binary.
     */
    readonly needsBinary?: boolean;
}

const BREAKS: Readonly<Record<string, Break>> = {
    "config-syntax": { config: () => "service:\n  pipelines: [\n" },
    "config-reference": { config: () => editDefaultConfig("verbosity: basic", "verbosity: ${ENV:VERBOSITY}") },
    "bare-env-reference": { config: () => editDefaultConfig("verbosity: basic", "verbosity: $VERBOSITY") },
    "config-not-checkable": { config: () => editDefaultConfig(/ {2}debug:\n {4}verbosity: basic\n {4}sending_queue:\n {6}enabled: false\n/, "  debug: ${file:/etc/otel/debug.yaml}\n") },
    "config-value-unknown": {
        config: () => editDefaultConfig(/ {2}debug:\n {4}verbosity: basic\n {4}sending_queue:\n {6}enabled: false\n/, "  debug: ${env:DEBUG_EXPORTER}\n"),
        environment: { DEBUG_EXPORTER: pulumi.secret("{verbosity: basic}") },
        lintFlags: ["--function-timeout", "30"],
        packVariables: { DEBUG_EXPORTER: UNKNOWN_STRING },
        packNotCheckable: true,
    },
    "literal-credential": { config: () => editDefaultConfig("tokens: ${env:COLLECTOR_INGEST_TOKENS}", "token: written-into-the-config-0123456789abcdef") },
    "provider-access": { config: () => editDefaultConfig("verbosity: basic", "verbosity: ${secretsmanager:arn:aws:secretsmanager:us-west-2:123456789012:secret:v#level}") },
    "config-shape": { config: () => `${defaultCollectorConfig()}\nconnector:\n  forward:\n` },
    "unknown-config-key": { config: () => editDefaultConfig("service:\n", "service:\n  telemetry:\n    metrics:\n      address: 0.0.0.0:8888\n") },
    "pipeline-graph": { config: () => `${editDefaultConfig("exporters: [debug]\n    metrics:", "exporters: [debug, forward]\n    metrics:")}connectors:\n  forward:\n` },
    "collector-validate": { config: () => editDefaultConfig("verbosity: basic", "verbosty: basic"), needsBinary: true },
    "undefined-component": { config: () => editDefaultConfig("exporters: [debug]\n    metrics:", "exporters: [otlphttp/missing]\n    metrics:") },
    "unknown-component-type": { config: () => editDefaultConfig("exporters:\n", "processors:\n  decouple:\nexporters:\n") },
    "config-value-type": { config: () => editDefaultConfig("      enabled: false", "      enabled: \"no\"") },
    "undefined-env-var": { config: () => editDefaultConfig("verbosity: basic", "verbosity: ${env:VERBOSITY}") },
    "adapter-port": { config: () => editDefaultConfig("127.0.0.1:4318", "127.0.0.1:4319") },
    "unauthenticated-receiver": { config: () => editDefaultConfig(/\n {8}auth:\n {10}authenticator: bearertokenauth\/ingest/, "") },
    "no-batch-processor": { config: () => editDefaultConfig("exporters:\n", "processors:\n  batch:\nexporters:\n") },
    "no-queued-exporter": { config: () => editDefaultConfig("  debug:\n", "  otlphttp/b:\n    endpoint: https://otlp.example.com\n    retry_on_failure: {enabled: false}\n  debug:\n") },
    "no-buffering-processor": { config: () => editDefaultConfig("exporters:\n", "processors:\n  groupbytrace:\nexporters:\n") },
    "non-push-receiver": { config: () => editDefaultConfig("exporters:\n", "  hostmetrics:\n    scrapers: {cpu: {}}\nexporters:\n").replace("receivers: [otlp]\n      exporters: [debug]\n    metrics:", "receivers: [otlp]\n      exporters: [debug]\n    metrics:").replace(/metrics:\n {6}receivers: \[otlp\]/, "metrics:\n      receivers: [otlp, hostmetrics]") },
    "duration-unit": { config: () => editDefaultConfig("  debug:\n", "  otlphttp/b:\n    endpoint: https://otlp.example.com\n    sending_queue: {enabled: false}\n    timeout: 5000\n    retry_on_failure: {enabled: false}\n  debug:\n") },
    "component-not-in-distribution": {
        config: () => editDefaultConfig("exporters:\n", "processors:\n  k8sattributes:\nexporters:\n"),
        args: { distribution: "lambda" },
        componentOnly: true,
    },
    "retry-exceeds-timeout": { config: () => editDefaultConfig("  debug:\n", "  otlphttp/b:\n    endpoint: https://otlp.example.com\n    sending_queue: {enabled: false}\n  debug:\n") },
    "aws-permission": {
        config: () => editDefaultConfig("  debug:\n", "  awsxray:\n    region: us-west-2\n  debug:\n").replace(/exporters: \[debug\]/, "exporters: [debug, awsxray]"),
        componentGrants: true,
    },
    // Fargate's rules, on the Fargate preset (a rule for one runtime is broken in that runtime).
    "container-listener": { config: () => editFargateConfig("0.0.0.0:4318", "127.0.0.1:4318") },
    "health-check-extension": { config: () => editFargateConfig("0.0.0.0:13133", "localhost:13133") },
    "batch-and-queue": { config: () => editFargateConfig("enabled: true", "enabled: false") },
};

/** The Fargate default config with `from` replaced by `to` (which must occur). */
function editFargateConfig(from: string, to: string): string {
    const config = defaultFargateConfig();
    assert.ok(config.includes(from), from);
    return config.replace(from, to);
}

/** A rule judged only on Fargate is broken, linted and checked by the pack there. */
const onFargate = (rule: { runtimes: readonly string[] }): boolean => !rule.runtimes.includes("lambda");

/** The lint's default flags: the function timeout, and an environment holding only what the component sets. */
const LINT_FLAGS = ["--function-timeout", "30", "--env", "UNRELATED=1"];
/** The tokens variable as the component sets it. */
const TOKENS = { COLLECTOR_INGEST_TOKENS: "[\"registry-test-token-0123456789abcdefghij\"]" };

before(async () => {
    await installMocks();
});

describe("the rule registry", () => {
    it("has a breaking config in this test for every rule", () => {
        assert.deepEqual(Object.keys(BREAKS).sort(), RULES.map((r) => r.id).sort());
    });

    it("gives every rule a unique id, a description and a remediation", () => {
        assert.equal(new Set(RULES.map((r) => r.id)).size, RULES.length);
        for (const rule of RULES) {
            assert.match(rule.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.match(rule.description, /^Checks /, rule.id);
            assert.ok(rule.remediation.length > 20, rule.id);
            assert.ok(rule.severity === "mandatory" || rule.component === "warn", `${rule.id}: an advisory rule never fails the component`);
        }
    });

    for (const rule of RULES) {
        describe(rule.id, () => {
            const deployment = BREAKS[rule.id];
            const config = (): string => deployment.config();

            it(`the component ${rule.component === "fail" ? "fails" : "warns"}, as the registry says`, () => {
                if (deployment.needsBinary) {
                    const { warnings } = resolveArgs("collector", { collectorConfig: config() });
                    assert.deepEqual(warnings.filter((w) => w.includes(rule.id)), [], "without validateWith the rule does not run");
                    return;
                }
                let failed: string | undefined;
                let warnings: readonly string[] = [];
                try {
                    warnings = onFargate(rule)
                        ? resolveFargateArgs({ collectorConfig: config(), environment: deployment.environment }).warnings
                        : resolveArgs("collector", { ...deployment.args, collectorConfig: config(), environment: deployment.environment }).warnings;
                } catch (error) {
                    assert.ok(pulumi.RunError.isInstance(error));
                    failed = (error as Error).message;
                }
                if (deployment.componentGrants) {
                    assert.equal(failed, undefined, failed);
                    assert.deepEqual(warnings.filter((w) => w.includes(rule.id) || w.includes("visibly")), [], "the component grants it instead");
                } else if (rule.component === "fail") {
                    assert.ok(failed, `expected a failure for ${rule.id}`);
                } else {
                    assert.equal(failed, undefined, failed);
                    assert.ok(warnings.length > 0, "a warning");
                }
            });

            it(`the lint reports it as ${rule.severity}`, () => {
                const out: string[] = [];
                const flags = onFargate(rule) ? ["--runtime", "fargate", "--env", "UNRELATED=1"] : deployment.lintFlags ?? LINT_FLAGS;
                const code = runLint([...flags, "config.yaml"], { out: (l) => out.push(l), err: () => undefined, readFile: () => config() });
                const lines = out.filter((l) => l.includes(`: ${rule.id}`));
                if (deployment.componentOnly || deployment.needsBinary) {
                    assert.deepEqual(lines, [], "the lint cannot see the collector build, nor run a collector without --collector");
                    return;
                }
                assert.ok(lines.length > 0, out.join("\n"));
                for (const line of lines) {
                    assert.equal(line.includes(`: ${rule.id} (advisory): `), rule.severity === "advisory", line);
                }
                assert.equal(code, out.some((l) => !l.includes("(advisory)")) ? 1 : 0);
            });

            it(`the pack's policy "${rule.id}" reports it at level ${rule.severity}`, () => {
                const policy = policies.find((p) => p.name === rule.id);
                assert.ok(policy, "the pack has a policy named by the rule id");
                assert.equal(policy.enforcementLevel, rule.severity);
                const props = {
                    packageType: "Image", memorySize: 512, timeout: 30, name: "collector-1",
                    environment: { variables: { COLLECTOR_CONFIG: config(), ...TOKENS, ...deployment.packVariables } },
                };
                const task = {
                    family: "collector",
                    containerDefinitions: JSON.stringify([{
                        name: "collector", image: "repo@sha256:0", portMappings: [{ containerPort: 4318 }, { containerPort: 13133 }],
                        environment: [{ name: "COLLECTOR_CONFIG", value: config() }],
                        secrets: [{ name: "COLLECTOR_INGEST_TOKENS", valueFrom: "arn:aws:secretsmanager:us-west-2:123456789012:secret:s-AbCdEf:COLLECTOR_INGEST_TOKENS::v1" }],
                    }]),
                };
                const outcome = onFargate(rule)
                    ? runResourcePolicy(policy as ResourceValidationPolicy, TASK_DEFINITION, "task", task)
                    : "validateStack" in policy
                    ? runStackPolicy(policy as StackValidationPolicy, [
                        { type: FN, name: "fn", props },
                        { type: "aws:lambda/functionUrl:FunctionUrl", name: "url", props: { authorizationType: "NONE", functionName: "collector-1" } },
                    ])
                    : runResourcePolicy(policy as ResourceValidationPolicy, FN, "fn", props);
                if (deployment.componentOnly || deployment.needsBinary) {
                    assert.deepEqual(outcome.violations, [], "the pack cannot see the collector build, nor run a collector");
                    return;
                }
                if (deployment.packNotCheckable) {
                    assert.deepEqual(outcome.violations, []);
                    assert.match(outcome.notCheckable ?? "", /can't be known during preview/, "not checkable, never a pass");
                    return;
                }
                assert.ok(outcome.violations.length > 0, `${rule.id} reported by the pack`);
            });
        });
    }

    it("names no rule outside the registry", () => {
        assert.throws(() => ruleOf("no-such-rule"), /no rule "no-such-rule" in rules\/registry\.ts/);
    });
});
