// Resolution as confmap does it at v0.151.0: the worked cases of
// confmap/internal/e2e/expand_test.go (testdata expand-escaped-env.yaml) and
// confmap/expand_test.go, plus the unknown and remote values the rules fail closed on.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findURI, resolveConfig } from "../../rules/resolve";

const ENV = { ENV_VALUE: "some expanded value", ENV_NESTED_DOLLARSIGN: "here is 1 $$", ENV_NESTED: "${env:ENV_VALUE} came from nested expansion", PORT: "3044", HOST: "localhost", EMPTY: "" };
type Env = Record<string, string | undefined> | "nothing known";
const envOf = (env: Env): Record<string, string | undefined> | undefined => (env === "nothing known" ? undefined : env);
const one = (value: unknown, env: Env = ENV): unknown => resolveConfig({ k: value }, envOf(env)).root.k;
/** Problems other than provider-access advice (asserted on its own). */
const problems = (value: unknown, env: Env = ENV) => resolveConfig({ exporters: { debug: value } }, envOf(env)).problems
    .filter((p) => p.rule !== "provider-access").map((p) => `${p.rule}: ${p.message}`);

describe("confmap resolution", () => {
    it("expands and unescapes as the e2e cases say", () => {
        const cases: [string, string][] = [
            ["$$ENV_VALUE", "$ENV_VALUE"],
            ["$$$$ENV_VALUE", "$$ENV_VALUE"],
            ["$$${ENV_VALUE}", "$some expanded value"],
            ["$$${env:ENV_VALUE}", "$some expanded value"],
            ["some$${ENV_VALUE}text", "some${ENV_VALUE}text"],
            ["$${env:${ENV_VALUE}}", "${env:some expanded value}"],
            ["$${env:$${ENV_VALUE}}", "${env:${ENV_VALUE}}"],
            ["text$$", "text$"],
            ["${env:ENV_NESTED_DOLLARSIGN}", "here is 1 $"],
            ["${env:ENV_NESTED}", "some expanded value came from nested expansion"],
            ["${env:UNDEFINED_KEY:-default_value}", "default_value"],
            ["${env:UNDEFINED_KEY:-$${env:UNDEFINED_KEY}}", "${env:UNDEFINED_KEY:-${env:UNDEFINED_KEY}}"],
            ["${HOST}:${PORT}", "localhost:3044"],
            ["${HOST", "${HOST"],
            ["env:HOST}${env:PORT}", "env:HOST}3044"],
            ["${env:HOST${env:PORT}", "${env:HOST3044"],
            ["x${env:EMPTY:-x}", "x"],
        ];
        for (const [input, output] of cases) {
            assert.equal(one(input), output, input);
        }
    });

    it("keeps the type of a whole-value reference: YAML-parsed structure, numbers, booleans, nil", () => {
        const env = { DBG: "{verbosity: basic, sending_queue: {enabled: true}}", N: "900", B: "TRUE", Q: "\"0123\"", BAD: "[a," };
        assert.deepEqual(one("${env:DBG}", env), { verbosity: "basic", sending_queue: { enabled: true } });
        assert.equal(one("${env:N}", env), 900);
        assert.equal(one("${env:B}", env), true);
        assert.equal(one("${env:Q}", env), "\"0123\"");
        assert.equal(one("${env:BAD}", env), "[a,");
        assert.equal(one("${env:UNSET}", env), null);
        assert.equal(one("x ${env:UNSET} y", env), "x  y");
        assert.deepEqual(one("${yaml:[a, b]}", env), ["a", "b"]);
        assert.equal(one("$BACKEND_KEY", env), "$BACKEND_KEY");
    });

    it("finds the innermost reference first", () => {
        assert.equal(findURI("${test:localhost:${env:PORT}}"), "${env:PORT}");
        assert.equal(findURI("$${env:X}"), "");
    });

    it("reports references the collector refuses, and bare $NAME", () => {
        assert.deepEqual(problems("${ENV:X}").map((p) => p.split(":")[0]), ["config-reference"]);
        assert.match(problems("${ENV:X}")[0], /scheme "ENV" is not supported/);
        assert.match(problems("${env:}")[0], /has invalid name/);
        assert.match(problems("${MY_VAR:-x}")[0], /invalid uri/);
        assert.match(problems({ h: "${env:LOOP}" }, { LOOP: "${env:LOOP}" })[0], /too many recursive expansions/);
        assert.deepEqual(problems({ headers: { "x-team": "$BACKEND_KEY" } }), [
            "bare-env-reference: \"$BACKEND_KEY\" is sent as the literal text \"$BACKEND_KEY\": the collector has not expanded bare $NAME since v0.107",
        ]);
        assert.deepEqual(problems({ headers: { "x-team": "$$BACKEND_KEY" } }), []);
        assert.match(problems({ a: "${secretsmanager:${env:SECRET_ARN}}" }, {})[0], /names no secret/);
        assert.deepEqual(problems({ a: "${secretsmanager:${env:SECRET_ARN}}" }, { SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:1:secret:x" }), []);
        assert.deepEqual(resolveConfig({ e: { a: "${secretsmanager:${env:SECRET_ARN}}" } }, { SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:1:secret:x" }).problems.map((p) => `${p.rule} ${p.path.join(".")}`), ["provider-access e.a"]);
        assert.match(problems({ h: "Bearer ${s3://b.s3.eu-west-1.amazonaws.com/k}" })[0], /cannot be embedded/);
    });

    it("fails closed where structure cannot be known, and lets unknown credentials pass", () => {
        assert.deepEqual(problems("${env:DBG}", "nothing known"), ["config-value-unknown: exporter \"debug\" takes its value from ${env:DBG}, whose value is not known here, so it cannot be checked"]);
        assert.deepEqual(problems("${env:DBG}", { DBG: undefined }).length, 1);
        assert.deepEqual(problems("${http://example.com/x.yaml}").map((p) => p.split(":")[0]), ["config-not-checkable"]);
        assert.deepEqual(problems({ sending_queue: "${s3://b.s3.eu-west-1.amazonaws.com/k}" }).map((p) => p.split(":")[0]), ["config-not-checkable"]);
        assert.deepEqual(problems({ headers: { "api-key": "${env:KEY}" } }, "nothing known"), []);
        assert.deepEqual(problems({ headers: { "api-key": "${secretsmanager:arn:aws:secretsmanager:eu-west-1:1:secret:x}" } }), []);
        assert.deepEqual(problems({ sending_queue: { enabled: "${env:Q}" } }, "nothing known").map((p) => p.split(":")[0]), ["config-value-unknown"]);
        assert.deepEqual(resolveConfig({ service: { telemetry: { logs: { level: "${env:LEVEL}" } } } }, undefined).problems, []);
    });
});

describe("resolution never hangs", () => {
    it("stops values that grow on every pass", () => {
        for (const X of ["${env:X}${env:X}", "{k: \"${env:X}\", j: \"${env:X}\"}"]) {
            const { problems } = resolveConfig({ a: { b: "${env:X}" } }, { X });
            assert.match(problems[0]?.message ?? "", /without bound/, X);
        }
    });
});
