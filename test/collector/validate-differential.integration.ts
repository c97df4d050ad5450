// The real collector as the judge of the model: the lean build's own `validate` and the
// lint's start-up rules must give the same verdict ("the collector refuses to start" or
// not) on every config the project renders or judges that uses only lean components:
// the backend presets at several timeouts, the template's default, collector/config.yaml,
// the fixtures that fit, the kinds table, and generated configs with faults. Each
// disagreement is either a rule fix or listed in KNOWN below with its reason.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { stringify } from "yaml";
import { debugBackend, honeycombBackend, otlpHttpBackend, type BackendConfig } from "../../components/shared/config-sources/backends";
import { runCollectorValidate } from "../../components/shared/collector-validate";
import { defaultCollectorConfig } from "../../components/shared/config-sources/default-config";
import { distributionComponents, LAMBDA_DISTRIBUTION } from "../../components/lambda/distribution";
import { checkCollectorConfig, parseCollectorConfig, type RuleFinding } from "../../rules";
import { TOKENS_ENV_VAR, TOKENS_STAND_IN, TOKEN_ENV_VAR } from "../../rules/lambda-facts";
import { KINDS, UNKNOWN } from "../rules/kinds-table";
import { leanConfig } from "../harness/lean-configs";
import { projectRoot } from "../harness/paths";
import { leanCollector } from "../harness/real-collector";

/**
 * The rules whose finding means "the collector refuses to start": what `validate`
 * decides. (adapter-port, unauthenticated-receiver, the freeze rules and the advisory
 * ones judge a collector that starts.)
 */
const START_UP_RULES: ReadonlySet<string> = new Set([
    "config-syntax", "config-reference", "config-shape", "unknown-config-key", "pipeline-graph", "undefined-component",
    "unknown-component-type", "component-not-in-distribution", "config-value-type",
]);

interface Case {
    readonly name: string;
    readonly text: string;
    readonly env: Readonly<Record<string, string>>;
}

interface Judged extends Case {
    readonly model: readonly RuleFinding[];
    readonly error: string | undefined;
}

/**
 * Disagreements with their reasons: where the model cannot or does not decide what
 * `validate` decides. Each matcher names one kind; a disagreement no matcher explains fails the test.
 */
const KNOWN: readonly { readonly reason: string; readonly applies: (c: Judged) => boolean }[] = [
    {
        reason: "validate does not resolve auth.authenticator references (configauth looks them up among started extensions), so an authenticator that is not enabled fails only at start; the model's undefined-component says so before",
        applies: (c) => c.error === undefined && c.model.every((f) => f.rule === "undefined-component" && f.path.endsWith("auth.authenticator")),
    },
    {
        reason: "a component's own settings beyond those the rules read (unknown keys, values only its Validate() rejects) are not modelled; --collector reports them",
        applies: (c) => c.error !== undefined && c.model.length === 0 && /error reading configuration for "|(processors|exporters|extensions|receivers)::[^:]+: /.test(c.error),
    },
    {
        reason: "the telemetry section's values (a metrics level without readers, views without level detailed) are checked by its Validate(), not modelled",
        applies: (c) => c.error !== undefined && c.model.length === 0 && /service::telemetry: /.test(c.error),
    },
];

function modelVerdict(c: Case): RuleFinding[] {
    const parsed = parseCollectorConfig(c.text);
    if (!parsed.ok) return [{ ...parsed.finding, severity: "mandatory" }];
    return checkCollectorConfig(parsed.config, {
        environment: c.env,
        environmentKeys: new Set(Object.keys(c.env)),
        distributionComponents: distributionComponents(LAMBDA_DISTRIBUTION),
    }).filter((f) => START_UP_RULES.has(f.rule));
}

/** True when a config uses only what the lean build has, and no provider but env (the others read files or the network). */
function fitsLean(c: Case): boolean {
    if (/\$\{(?!env:)[a-z][a-z0-9+.-]*:/i.test(c.text)) return false;
    const parsed = parseCollectorConfig(c.text);
    if (!parsed.ok) return true;
    return !checkCollectorConfig(parsed.config, { distributionComponents: distributionComponents(LAMBDA_DISTRIBUTION), environment: c.env })
        .some((f) => f.rule === "component-not-in-distribution" || f.rule === "unknown-component-type");
}

/** The function environment as the component sets it, plus the case's own values. */
function environment(extra: Readonly<Record<string, unknown>> = {}): Record<string, string> {
    const env: Record<string, string> = { AWS_LWA_PORT: "4318", [TOKENS_ENV_VAR]: TOKENS_STAND_IN, [TOKEN_ENV_VAR]: "stand-in-token-0123456789abcdefghijklmnop" };
    for (const [k, v] of Object.entries(extra)) env[k] = typeof v === "string" ? v : "stand-in-secret-value";
    return env;
}

function presetCases(): Case[] {
    const cases: Case[] = [];
    const add = (name: string, backend: BackendConfig): void => {
        cases.push({ name, text: backend.collectorConfig, env: environment(backend.environment) });
    };
    add("preset debug", debugBackend());
    for (const t of [1, 2, 3, 10, 30, 120, 900]) {
        add(`preset honeycomb, timeout ${t}`, honeycombBackend({ apiKey: "hc-api-key-0123456789", functionTimeoutSeconds: t }));
        add(`preset otlphttp, timeout ${t}`, otlpHttpBackend({ endpoint: "https://otlp.example.com", headers: { "x-api-key": "k-0123456789" }, functionTimeoutSeconds: t }));
    }
    return cases;
}

function fixtureCases(): Case[] {
    const root = path.join(projectRoot, "test", "fixtures");
    const files: string[] = [];
    const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(full);
            else if (/\.ya?ml$/.test(entry.name) && !full.includes(`${path.sep}upstream${path.sep}`)) files.push(full);
        }
    };
    walk(root);
    return files.sort().map((file) => ({ name: `fixture ${path.relative(root, file)}`, text: fs.readFileSync(file, "utf8"), env: environment() }));
}

function kindCases(): Case[] {
    return KINDS.filter((k) => !Object.values(k.env ?? {}).includes(UNKNOWN))
        .map((k) => ({ name: `kind: ${k.name}`, text: k.text, env: environment(k.env) }));
}

function generatedCases(): Case[] {
    return fc.sample(leanConfig, { numRuns: 300, seed: 17 }).map((config, i) => ({ name: `generated #${i}`, text: stringify(config, { nullStr: "" }), env: environment() }));
}

describe("the lean collector's validate judges the model", () => {
    it("agrees with the start-up rules on every lean config the project renders or judges, or the disagreement is listed with its reason", () => {
        const binary = leanCollector();
        const all = [
            ...presetCases(),
            { name: "the template's default", text: defaultCollectorConfig(), env: environment() },
            { name: "collector/config.yaml", text: fs.readFileSync(path.join(projectRoot, "collector", "config.yaml"), "utf8"), env: environment() },
            ...fixtureCases(),
            ...kindCases(),
            ...generatedCases(),
        ];
        const cases = all.filter(fitsLean);
        const figures = { configs: cases.length, skipped: all.length - cases.length, agree: 0, refusedByBoth: 0, listed: new Map<string, number>() };
        const unexplained: string[] = [];
        for (const c of cases) {
            const result = runCollectorValidate({ binary, configs: [c.text], environment: c.env });
            assert.ok(result.ok, `${c.name}: ${result.ok ? "" : result.problem}`);
            const judged: Judged = { ...c, model: modelVerdict(c), error: result.validation.error };
            if ((judged.error !== undefined) === (judged.model.length > 0)) {
                figures.agree++;
                if (judged.error !== undefined) figures.refusedByBoth++;
                continue;
            }
            const known = KNOWN.find((k) => k.applies(judged));
            if (known) {
                figures.listed.set(known.reason, (figures.listed.get(known.reason) ?? 0) + 1);
                continue;
            }
            unexplained.push(`${c.name}: validate ${judged.error === undefined ? "passes" : `refuses (${judged.error.replace(/\s+/g, " ").slice(0, 300)})`}; the model ${judged.model.length === 0 ? "passes" : `refuses (${judged.model.map((f) => `${f.rule} ${f.path}`).join(", ")})`}\n${c.text}`);
        }
        const listed = [...figures.listed.values()].reduce((a, b) => a + b, 0);
        process.stdout.write(`validate-differential: ${figures.configs} lean configs (${figures.skipped} others skipped): ${figures.agree} agree (${figures.refusedByBoth} refused by both), ${listed} listed disagreements, ${unexplained.length} unexplained; agreement ${(100 * figures.agree / figures.configs).toFixed(1)}%\n`);
        for (const [reason, n] of figures.listed) process.stdout.write(`  ${n} x ${reason}\n`);
        assert.deepEqual(unexplained, []);
        assert.ok(figures.configs >= 300, "a few hundred configs");
    });
});
