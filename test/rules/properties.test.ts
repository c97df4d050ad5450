// Properties over configs generated from the catalogue (fast-check): resolution
// changes nothing in a config without references, a harmless rename of component
// ids keeps a passing config passing, and no input makes an entry point throw.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { stringify } from "yaml";
import { runLint } from "../../cli/lint";
import { configFindings, type Settings } from "../../components/lambda/validate";
import { collectorConfigsOf } from "../../policy/function-configs";
import { policies } from "../../policy/policies";
import { checkCollectorConfigText, parseCollectorConfig } from "../../rules";
import { componentsOf, statefulEntry } from "../../rules/catalogue";
import { detectCollectorConfig } from "../../rules/detect";
import { resolveConfig } from "../../rules/resolve";
import { runResourcePolicy } from "../harness/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy";

const CONTEXT = { adapterPort: 4318, requireReceiverAuth: true, functionTimeoutSeconds: 30, environment: { COLLECTOR_INGEST_TOKEN: "t" }, environmentKeys: new Set(["COLLECTOR_INGEST_TOKEN"]) };

const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
/** Scalars without `$`, so there is nothing to resolve. */
const scalar = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 12 }).filter((s) => !s.includes("$")));
const settings = fc.dictionary(name, fc.oneof(scalar, fc.dictionary(name, scalar, { maxKeys: 3 }), fc.array(scalar, { maxLength: 3 })), { maxKeys: 4 });
const typeOf = (kind: Parameters<typeof componentsOf>[0]) => fc.constantFrom(...componentsOf(kind).map((c) => c.type));

/** Any config shape built from catalogue types, with settings free of references. */
const anyConfig = fc.record({
    receivers: fc.dictionary(typeOf("receiver"), settings, { maxKeys: 3 }),
    processors: fc.dictionary(typeOf("processor"), settings, { maxKeys: 3 }),
    exporters: fc.dictionary(typeOf("exporter"), settings, { maxKeys: 3 }),
    connectors: fc.dictionary(typeOf("connector"), settings, { maxKeys: 2 }),
});

/** Processors the catalogue says neither hold data nor keep state. */
const STATELESS = componentsOf("processor").map((c) => c.type).filter((t) => {
    const e = statefulEntry("processor", t);
    return e !== undefined && !e.holdsData && !e.keepsState;
});

/** A Lambda-safe config: authenticated OTLP/HTTP, stateless processors, unqueued debug exporters, ids with names. */
const safeConfig = fc.record({
    processors: fc.uniqueArray(fc.tuple(fc.constantFrom(...STATELESS), name), { maxLength: 3, selector: ([t, n]) => `${t}/${n}` }),
    exporters: fc.uniqueArray(name, { minLength: 1, maxLength: 3 }),
    auth: name,
    receiver: name,
});

function buildSafe(spec: { processors: [string, string][]; exporters: string[]; auth: string; receiver: string }, rename: (id: string) => string = (id) => id) {
    const auth = rename(`bearertokenauth/${spec.auth}`);
    const receiver = rename(`otlp/${spec.receiver}`);
    const processors = spec.processors.map(([t, n]) => rename(`${t}/${n}`));
    const exporters = spec.exporters.map((n) => rename(`debug/${n}`));
    return {
        extensions: { [auth]: { token: "${env:COLLECTOR_INGEST_TOKEN}" } },
        receivers: { [receiver]: { protocols: { http: { endpoint: "127.0.0.1:4318", auth: { authenticator: auth } } } } },
        processors: Object.fromEntries(processors.map((p) => [p, {}])),
        exporters: Object.fromEntries(exporters.map((e) => [e, { sending_queue: { enabled: false } }])),
        service: { extensions: [auth], pipelines: { traces: { receivers: [receiver], processors, exporters } } },
    };
}

const mandatory = (text: string) => checkCollectorConfigText(text, CONTEXT).filter((f) => f.severity === "mandatory");

describe("properties", () => {
    it("resolution is idempotent on configs without references", () => {
        fc.assert(fc.property(anyConfig, (config) => {
            const parsed = parseCollectorConfig(stringify(config));
            if (!parsed.ok) return;
            const once = resolveConfig(parsed.config.raw, CONTEXT.environment);
            assert.deepEqual(once.root, parsed.config.raw);
            assert.deepEqual(once.problems, []);
            assert.deepEqual(resolveConfig(once.root, CONTEXT.environment).root, once.root);
        }), { numRuns: 50 });
    });

    it("a harmless rename of component ids keeps a passing config passing", () => {
        fc.assert(fc.property(safeConfig, name, (spec, suffix) => {
            const text = stringify(buildSafe(spec));
            assert.deepEqual(mandatory(text), [], text);
            const renamed = stringify(buildSafe(spec, (id) => `${id}${suffix}`));
            assert.deepEqual(mandatory(renamed), [], renamed);
        }), { numRuns: 50 });
    });

    it("no input makes any entry point throw", () => {
        const packPolicies = policies.filter((p) => "validateResource" in p) as ResourceValidationPolicy[];
        const texts = fc.oneof(
            fc.string({ maxLength: 200 }),
            fc.anything({ maxDepth: 3 }).map((v) => stringify(v) ?? ""),
            anyConfig.map((c) => stringify(c)),
            fc.tuple(anyConfig, fc.constantFrom("${env:X}", "${ENV:X}", "${env:}", "$X", "$${env:X}", "${s3://b.s3.r.amazonaws.com/k}", "${env:X:-${env:Y}}", "${", "}")).map(([c, ref]) => stringify({ ...c, exporters: { debug: ref } })),
        );
        const env = fc.dictionary(fc.constantFrom("X", "Y", "COLLECTOR_CONFIG"), fc.oneof(fc.string({ maxLength: 40 }), fc.constant("{sending_queue: {enabled: true}}"), fc.constant("${env:X}")));
        fc.assert(fc.property(texts, env, (text, variables) => {
            checkCollectorConfigText(text, { ...CONTEXT, environment: variables });
            detectCollectorConfig(text);
            runLint(["--env", "X=1", "c.yaml"], { out: () => undefined, err: () => undefined, readFile: () => text });
            runLint(["--pre-commit", "--merge", "c.yaml", "d.yml"], { out: () => undefined, err: () => undefined, readFile: () => text });
            const settings = { collectorConfig: text, environment: variables, allowUnauthenticated: false, timeout: 30, collectorVersion: "0.161.0", producers: ["default"] } as unknown as Settings;
            configFindings(settings);
            const props = { packageType: "Image", timeout: 30, environment: { variables: { ...variables, OTHER: text } } };
            collectorConfigsOf(props);
            for (const policy of packPolicies.slice(0, 6)) {
                runResourcePolicy(policy, "aws:lambda/function:Function", "f", props);
            }
        }), { numRuns: 40 });
    });
});
