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
import type { LambdaCollectorArgs } from "../../components/args";
import { defaultCollectorConfig } from "../../components/default-config";
import { resolveArgs } from "../../components/validate";
import { policies } from "../../policy/policies";
import { RULES, ruleOf, type Rule } from "../../rules/registry";
import { installMocks } from "../harness/mocks";
import { runResourcePolicy, runStackPolicy } from "../harness/policy";

const FN = "aws:lambda/function:Function";

/** The default config with `from` replaced by `to` (which must change it). */
function edit(from: string | RegExp, to: string): string {
    const base = defaultCollectorConfig();
    const edited = base.replace(from, to);
    assert.notEqual(edited, base, `edit ${String(from)} applies`);
    return edited;
}

/** Component arguments a rule's deployment needs besides the config (the rule is skipped without them). */
const DEPLOYMENT: Readonly<Record<string, LambdaCollectorArgs>> = {
    "component-not-in-distribution": { distribution: "lambda" },
};

/** A config that breaks exactly the rule named, in the deployment the component creates. */
const BREAKS: Readonly<Record<string, () => string>> = {
    "config-syntax": () => "service:\n  pipelines: [\n",
    "config-shape": () => `${defaultCollectorConfig()}\nconnector:\n  forward:\n`,
    "undefined-component": () => edit("exporters: [debug]\n    metrics:", "exporters: [otlphttp/missing]\n    metrics:"),
    "undefined-env-var": () => edit("verbosity: basic", "verbosity: ${env:VERBOSITY}"),
    "adapter-port": () => edit("127.0.0.1:4318", "127.0.0.1:4319"),
    "unauthenticated-receiver": () => edit(/\n {8}auth:\n {10}authenticator: bearertokenauth\/ingest/, ""),
    "no-batch-processor": () => edit("exporters:\n", "processors:\n  batch:\nexporters:\n"),
    "no-queued-exporter": () => edit("  debug:\n", "  otlphttp/b:\n    endpoint: https://otlp.example.com\n    retry_on_failure: {enabled: false}\n  debug:\n"),
    "no-buffering-processor": () => edit("exporters:\n", "processors:\n  groupbytrace:\nexporters:\n"),
    "component-not-in-distribution": () => edit("exporters:\n", "processors:\n  k8sattributes:\nexporters:\n"),
    "retry-exceeds-timeout": () => edit("  debug:\n", "  otlphttp/b:\n    endpoint: https://otlp.example.com\n    sending_queue: {enabled: false}\n  debug:\n"),
};

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
            const config = (): string => BREAKS[rule.id]();

            it(`the component ${rule.component === "fail" ? "fails" : "warns"}, as the registry says`, () => {
                let failed: string | undefined;
                let warnings: readonly string[] = [];
                try {
                    warnings = resolveArgs("collector", { ...DEPLOYMENT[rule.id], collectorConfig: config() }).warnings;
                } catch (error) {
                    assert.ok(pulumi.RunError.isInstance(error));
                    failed = (error as Error).message;
                }
                if (rule.component === "fail") {
                    assert.ok(failed, `expected a failure for ${rule.id}`);
                } else {
                    assert.equal(failed, undefined, failed);
                    assert.ok(warnings.length > 0, "a warning");
                }
            });

            it(`the lint reports it as ${rule.severity}`, () => {
                const out: string[] = [];
                const code = runLint(["--function-timeout", "30", "config.yaml"], { out: (l) => out.push(l), err: () => undefined, readFile: () => config() });
                const lines = out.filter((l) => l.includes(`: ${rule.id}`));
                if (!lintCanRun(rule)) {
                    assert.deepEqual(lines, [], "the lint has no context for this rule");
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
                    environment: { variables: { COLLECTOR_CONFIG: config(), COLLECTOR_INGEST_TOKEN: "t" } },
                };
                const outcome = "validateStack" in policy
                    ? runStackPolicy(policy as StackValidationPolicy, [
                        { type: FN, name: "fn", props },
                        { type: "aws:lambda/functionUrl:FunctionUrl", name: "url", props: { authorizationType: "NONE", functionName: "collector-1" } },
                    ])
                    : runResourcePolicy(policy as ResourceValidationPolicy, FN, "fn", props);
                if (!packCanRun(rule)) {
                    assert.deepEqual(outcome.violations, [], "the pack has no context for this rule");
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

/** The lint's flags provide the function timeout; it has no function environment, port or URL. */
function lintCanRun(rule: Rule): boolean {
    return rule.needs.every((field) => field === "functionTimeoutSeconds");
}

/** The pack sees the function's environment, timeout and URL, but not the image's AWS_LWA_PORT or collector build. */
function packCanRun(rule: Rule): boolean {
    return !rule.needs.includes("adapterPort") && !rule.needs.includes("distributionComponents");
}
