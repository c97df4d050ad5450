// One table of config kinds (hostile and real configs of each kind the rules judge), each with
// its verdict, run through all three consumers: the lint, the LambdaCollector
// component at preview, and the policy pack. Lines are where the text puts the marker.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { runLint } from "../../cli/lint";
import { resolveArgs } from "../../components/lambda/validate";
import { policies } from "../../policy/policies";
import { ruleOf } from "../../rules";
import { runResourcePolicy, runStackPolicy, UNKNOWN_STRING } from "../harness/policy";
import { KINDS, TOKEN, UNKNOWN, type Kind } from "./kinds-table";

const lineOf = (text: string, marker: string | undefined): number | undefined =>
    marker === undefined ? undefined : text.split("\n").findIndex((l) => l.includes(marker)) + 1;

function lintKind(kind: Kind): { code: number; out: string[] } {
    const args: string[] = [];
    const known = Object.entries(kind.env ?? {}).filter(([, v]) => v !== UNKNOWN);
    if (kind.env !== undefined && known.length === Object.keys(kind.env).length) {
        for (const [k, v] of known) args.push("--env", `${k}=${v}`);
        if (known.length === 0) args.push("--env", "UNRELATED=1");
    }
    const out: string[] = [];
    const code = runLint([...args, "c.yaml"], { out: (l) => out.push(l), err: () => undefined, readFile: () => kind.text });
    return { code, out };
}

function componentKind(kind: Kind): { problems: string[]; warnings: string[] } {
    const environment: Record<string, string | Promise<string>> = {};
    for (const [k, v] of Object.entries(kind.env ?? {})) environment[k] = v === UNKNOWN ? new Promise<string>(() => undefined) : v;
    try {
        const { warnings } = resolveArgs("c", { collectorConfig: kind.text, environment, ingestToken: TOKEN });
        return { problems: [], warnings: [...warnings] };
    } catch (error) {
        return { problems: (error as Error).message.split("\n"), warnings: [] };
    }
}

const FN = "aws:lambda/function:Function";

function packKind(kind: Kind, ruleId: string): { violations: string[]; notCheckable?: string } {
    const variables: Record<string, unknown> = { COLLECTOR_CONFIG: kind.text, COLLECTOR_INGEST_TOKEN: TOKEN };
    for (const [k, v] of Object.entries(kind.env ?? {})) variables[k] = v === UNKNOWN ? UNKNOWN_STRING : v;
    const props = { packageType: "Image", memorySize: 512, timeout: 30, name: "collector-1", environment: { variables } };
    const policy = policies.find((p) => p.name === ruleId);
    assert.ok(policy, ruleId);
    if ("validateStack" in policy) {
        return runStackPolicy(policy as StackValidationPolicy, [
            { type: FN, name: "fn", props },
            { type: "aws:lambda/functionUrl:FunctionUrl", name: "url", props: { authorizationType: "NONE", functionName: "collector-1" } },
        ]);
    }
    return runResourcePolicy(policy as ResourceValidationPolicy, FN, "fn", props);
}

const MANDATORY_RULES = policies.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name);

describe("every kind gets the same verdict from the lint, the component and the pack", () => {
    for (const kind of KINDS) {
        const line = lineOf(kind.text, kind.at);
        const wanted = (text: string): boolean =>
            text.includes(`${kind.path}: `) && (line === undefined || text.includes(`(line ${line})`) || text.includes(`:${line}: `)) && (kind.says === undefined || text.includes(kind.says));

        it(`${kind.name}: ${kind.verdict}`, () => {
            // The lint.
            const lint = lintKind(kind);
            if (kind.verdict === "pass") {
                assert.equal(lint.code, 0, lint.out.join("\n"));
                assert.ok(!lint.out.some((l) => !l.includes("(advisory)")), lint.out.join("\n"));
            } else {
                const rule = kind.verdict === "not-checkable" ? "config-value-unknown" : kind.rule;
                const hit = lint.out.find((l) => l.startsWith(`c.yaml:${line}: ${rule}${kind.verdict === "advisory" ? " (advisory)" : ""}: ${kind.path}: `));
                assert.ok(hit && wanted(hit), `lint: ${lint.out.join("\n")}`);
                assert.equal(lint.code, kind.verdict === "advisory" ? 0 : 1, lint.out.join("\n"));
            }

            // The component at preview.
            const component = componentKind(kind);
            if (kind.verdict === "pass") {
                assert.deepEqual(component.problems, []);
            } else {
                const action = ruleOf(kind.rule as string).component;
                const list = kind.verdict === "fail" && action === "fail" ? component.problems : component.warnings;
                assert.ok(list.some(wanted), `component (${action}): ${JSON.stringify(component)}`);
            }

            // The policy pack.
            if (kind.verdict === "pass") {
                for (const rule of MANDATORY_RULES.filter((r) => !r.startsWith("lambda-"))) {
                    const outcome = packKind(kind, rule);
                    assert.deepEqual(outcome, { violations: [] }, rule);
                }
            } else {
                const outcome = packKind(kind, kind.rule as string);
                if (kind.verdict === "not-checkable") {
                    assert.match(outcome.notCheckable ?? "", /can't run policy 'config-value-unknown' during preview/);
                } else {
                    assert.ok(outcome.violations.some(wanted), `pack: ${JSON.stringify(outcome)}`);
                }
            }
        });
    }
});

describe("the component with another collectorVersion", () => {
    it("says which version the facts were checked against, and warns instead of failing on unknown types", () => {
        const text = KINDS.find((k) => k.rule === "unknown-component-type" && k.path === "processors.decouple")?.text as string;
        const { warnings } = resolveArgs("c", { collectorConfig: text, collectorVersion: "0.150.0", ingestToken: TOKEN });
        assert.match(warnings[0], /^collectorVersion: "0\.150\.0" is not 0\.161\.0, the otelcol-contrib version whose catalogue the config rules were checked against/);
        assert.ok(warnings.some((w) => w.includes("processors.decouple: processor type \"decouple\" belongs to another distribution")), warnings.join("\n"));
        assert.throws(() => resolveArgs("c", { collectorConfig: text, ingestToken: TOKEN }), /processors\.decouple/);
    });

    it("names what a provider needs at start-up, as advice", () => {
        const kind = KINDS.find((k) => k.name === "a secretsmanager credential with its id set") as Kind;
        const { out } = lintKind(kind);
        assert.ok(out.some((l) => /provider-access \(advisory\): exporters\.otlphttp\.headers\.api-key: \$\{secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:k\} is read from Secrets Manager/.test(l)), out.join("\n"));
    });
});
