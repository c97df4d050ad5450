// One table of config kinds (hostile and real configs of each kind the rules judge), each with
// its verdict, run through all three consumers: the lint, the LambdaCollector
// component at preview, and the policy pack. Lines are where the text puts the marker.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { runLint } from "../../cli/lint";
import { resolveArgs } from "../../components/validate";
import { policies } from "../../policy/policies";
import { ruleOf } from "../../rules";
import { runResourcePolicy, runStackPolicy, UNKNOWN_STRING } from "../harness/policy";

/** A given ingest token long enough for the component (at least 32 characters). */
const TOKEN = "kinds-test-token-0123456789abcdefghijklmn";

type Verdict = "fail" | "advisory" | "pass" | "not-checkable";

interface Kind {
    readonly name: string;
    readonly text: string;
    /** Function environment values; UNKNOWN marks a value unknown at preview (an Output). */
    readonly env?: Record<string, string>;
    readonly rule?: string;
    readonly path?: string;
    /** A text on the line the finding must point at. */
    readonly at?: string;
    readonly verdict: Verdict;
    /** A phrase the message must contain. */
    readonly says?: string;
}

const UNKNOWN = "\u0000unknown";

interface Parts {
    receivers?: string;
    processors?: string;
    exporters?: string;
    connectors?: string;
    http?: string;
    pipelineReceivers?: string;
    pipelineProcessors?: string;
    pipelineExporters?: string;
    extraPipelines?: string;
}

/** A Lambda-safe config with parts replaced or added. */
function config(p: Parts = {}): string {
    const http = p.http ?? "      http:\n        endpoint: 127.0.0.1:4318\n        auth:\n          authenticator: bearertokenauth/ingest\n";
    return [
        "extensions:",
        "  bearertokenauth/ingest:",
        "    token: ${env:COLLECTOR_INGEST_TOKEN}",
        "receivers:",
        "  otlp:",
        "    protocols:",
        http + (p.receivers ?? "").replace(/\n$/, ""),
        p.processors ? `processors:\n${p.processors}` : "",
        "exporters:",
        p.exporters ?? "  debug:\n    sending_queue: {enabled: false}",
        p.connectors ? `connectors:\n${p.connectors}` : "",
        "service:",
        "  extensions: [bearertokenauth/ingest]",
        "  pipelines:",
        "    traces:",
        `      receivers: [${p.pipelineReceivers ?? "otlp"}]`,
        p.pipelineProcessors ? `      processors: [${p.pipelineProcessors}]` : "",
        `      exporters: [${p.pipelineExporters ?? "debug"}]`,
        p.extraPipelines ?? "",
    ].filter((l) => l !== "").join("\n") + "\n";
}

const DBG_QUEUED = "{verbosity: basic, sending_queue: {enabled: true}}";

export const KINDS: readonly Kind[] = [
    { name: "the shipped-style safe config", text: config(), verdict: "pass" },
    { name: "renamed types (otlp_http) are accepted", text: config({ exporters: "  otlp_http:\n    endpoint: https://x\n    sending_queue: {enabled: false}\n    retry_on_failure: {max_elapsed_time: 10s}", pipelineExporters: "otlp_http" }), verdict: "pass" },
    { name: "a processor of another distribution (decouple)", text: config({ processors: "  decouple:", pipelineProcessors: "decouple" }), rule: "unknown-component-type", path: "processors.decouple", at: "  decouple:", verdict: "fail", says: "opentelemetry-lambda collector layer" },
    { name: "a removed exporter (logging)", text: config({ exporters: "  debug:\n    sending_queue: {enabled: false}\n  logging:\n    loglevel: debug", pipelineExporters: "debug, logging" }), rule: "unknown-component-type", path: "exporters.logging", at: "  logging:", verdict: "fail", says: "use debug instead" },
    { name: "a typo of otlphttp", text: config({ exporters: "  otlphtp:\n    endpoint: https://otlp.example.com\n    sending_queue: {enabled: false}", pipelineExporters: "otlphtp" }), rule: "unknown-component-type", path: "exporters.otlphtp", at: "  otlphtp:", verdict: "fail", says: "did you mean \"otlphttp\"" },
    // A type exists only as the kind the catalogue lists it under: the collector looks
    // the type up in that kind's factories and refuses to start without it.
    { name: "a processor type under exporters (batch)", text: config({ exporters: "  debug:\n    sending_queue: {enabled: false}\n  batch:", pipelineExporters: "debug, batch" }), rule: "unknown-component-type", path: "exporters.batch", at: "  batch:", verdict: "fail", says: "\"batch\" is a processor in otelcol-contrib" },
    { name: "an exporter type under processors (debug)", text: config({ processors: "  debug:", pipelineProcessors: "debug" }), rule: "unknown-component-type", path: "processors.debug", at: "  debug:", verdict: "fail", says: "\"debug\" is an exporter in otelcol-contrib" },
    { name: "structure from ${env:...} that turns a queue on", text: config({ exporters: "  debug: ${env:DBG}" }), env: { DBG: DBG_QUEUED }, rule: "no-queued-exporter", path: "exporters.debug.sending_queue", at: "  debug: ${env:DBG}", verdict: "fail" },
    { name: "structure from ${env:...} that is safe", text: config({ exporters: "  debug: ${env:DBG}" }), env: { DBG: "{verbosity: basic, sending_queue: {enabled: false}}" }, verdict: "pass" },
    { name: "structure from a value unknown here", text: config({ exporters: "  debug: ${env:DBG}" }), env: { DBG: UNKNOWN }, rule: "config-value-unknown", path: "exporters.debug", at: "  debug: ${env:DBG}", verdict: "not-checkable", says: "${env:DBG}" },
    { name: "a setting a rule reads, from a value unknown here", text: config({ exporters: "  debug:\n    sending_queue: ${env:QUEUE}" }), env: { QUEUE: UNKNOWN }, rule: "config-value-unknown", path: "exporters.debug.sending_queue", at: "sending_queue: ${env:QUEUE}", verdict: "not-checkable" },
    { name: "a whole section from the environment, queued", text: config({ exporters: "  debug: {}" }).replace("exporters:\n  debug: {}", "exporters: ${env:EXPORTERS}"), env: { EXPORTERS: "{debug: {sending_queue: {queue_size: 5}}}" }, rule: "no-queued-exporter", path: "exporters.debug.sending_queue", at: "exporters: ${env:EXPORTERS}", verdict: "fail" },
    { name: "an escaped reference as a component's settings", text: config({ exporters: "  debug: $${env:DBG}" }), env: { DBG: "{}" }, rule: "config-shape", path: "exporters.debug", at: "  debug: $$", verdict: "fail", says: "escaped" },
    { name: "structure from http", text: config({ exporters: "  debug: ${https://example.com/debug.yaml}" }), rule: "config-not-checkable", path: "exporters.debug", at: "  debug: ${https", verdict: "fail", says: "${https://example.com/debug.yaml}" },
    { name: "structure from s3", text: config({ exporters: "  debug:\n    sending_queue: ${s3://bucket.s3.eu-west-1.amazonaws.com/q.yaml}" }), rule: "config-not-checkable", path: "exporters.debug.sending_queue", at: "sending_queue: ${s3", verdict: "fail" },
    { name: "a bare $VAR in a header", text: config({ exporters: "  otlphttp:\n    endpoint: https://x\n    headers: {x-team: \"$BACKEND_KEY\"}\n    sending_queue: {enabled: false}\n    retry_on_failure: {max_elapsed_time: 10s}", pipelineExporters: "otlphttp" }), env: { BACKEND_KEY: "k" }, rule: "bare-env-reference", path: "exporters.otlphttp.headers.x-team", at: "headers:", verdict: "fail", says: "${env:BACKEND_KEY}" },
    { name: "a bare $VAR inside a longer value", text: config({ exporters: "  otlphttp:\n    endpoint: https://x\n    headers: {authorization: \"Bearer $API_KEY\"}\n    sending_queue: {enabled: false}\n    retry_on_failure: {max_elapsed_time: 10s}", pipelineExporters: "otlphttp" }), env: { API_KEY: "k" }, rule: "bare-env-reference", path: "exporters.otlphttp.headers.authorization", at: "headers:", verdict: "fail", says: "${env:API_KEY}" },
    { name: "a secretsmanager id from an unset variable", text: config({ exporters: "  otlphttp:\n    endpoint: https://x\n    headers: {api-key: \"${secretsmanager:${env:SECRET_ARN}}\"}\n    sending_queue: {enabled: false}\n    retry_on_failure: {max_elapsed_time: 10s}", pipelineExporters: "otlphttp" }), env: {}, rule: "config-reference", path: "exporters.otlphttp.headers.api-key", at: "headers:", verdict: "fail", says: "names no secret" },
    { name: "a secretsmanager credential with its id set", text: config({ exporters: "  otlphttp:\n    endpoint: https://x\n    headers: {api-key: \"${secretsmanager:${env:SECRET_ARN}}\"}\n    sending_queue: {enabled: false}\n    retry_on_failure: {max_elapsed_time: 10s}", pipelineExporters: "otlphttp" }), env: { SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:k" }, verdict: "pass" },
    { name: "an upper-case scheme", text: config({ exporters: "  otlphttp:\n    endpoint: ${ENV:X}\n    sending_queue: {enabled: false}\n    retry_on_failure: {max_elapsed_time: 10s}", pipelineExporters: "otlphttp" }), env: { X: "https://x" }, rule: "config-reference", path: "exporters.otlphttp.endpoint", at: "endpoint: ${ENV:X}", verdict: "fail", says: "scheme \"ENV\" is not supported" },
    { name: "an empty variable name", text: config({ exporters: "  otlphttp:\n    endpoint: https://x${env:}\n    sending_queue: {enabled: false}\n    retry_on_failure: {max_elapsed_time: 10s}", pipelineExporters: "otlphttp" }), env: {}, rule: "config-reference", path: "exporters.otlphttp.endpoint", at: "${env:}", verdict: "fail", says: "invalid name" },
    { name: "a bearer token written into the config", text: config().replace("token: ${env:COLLECTOR_INGEST_TOKEN}", "token: s3cr3t-written-into-the-config-0123456789"), rule: "literal-credential", path: "extensions.bearertokenauth/ingest.token", at: "    token: s3cr3t", verdict: "advisory", says: "in clear" },
    { name: "a value from a file the function image does not hold", text: config({ exporters: "  debug:\n    sending_queue: {enabled: false}\n    verbosity: ${file:/etc/otel/verbosity}" }), rule: "provider-access", path: "exporters.debug.verbosity", at: "verbosity: ${file", verdict: "advisory", says: "file system" },
    { name: "a value fetched over http at every cold start", text: config({ exporters: "  debug:\n    sending_queue: {enabled: false}\n    verbosity: ${http://config.example.com/verbosity}" }), rule: "provider-access", path: "exporters.debug.verbosity", at: "verbosity: ${http", verdict: "advisory", says: "in clear" },
    { name: "a bare-integer duration", text: config({ exporters: "  otlphttp:\n    endpoint: https://x\n    sending_queue: {enabled: false}\n    retry_on_failure:\n      max_elapsed_time: 900", pipelineExporters: "otlphttp" }), rule: "duration-unit", path: "exporters.otlphttp.retry_on_failure.max_elapsed_time", at: "max_elapsed_time: 900", verdict: "advisory", says: "nanoseconds" },
    // The last retry of a budget equal to the timeout starts when the invocation is killed.
    { name: "a retry budget equal to the 30 s timeout", text: config({ exporters: "  otlphttp:\n    endpoint: https://x\n    sending_queue: {enabled: false}\n    retry_on_failure:\n      max_elapsed_time: 30s", pipelineExporters: "otlphttp" }), rule: "retry-exceeds-timeout", path: "exporters.otlphttp.retry_on_failure", at: "    retry_on_failure:", verdict: "advisory", says: "up to 30s" },
    { name: "a boolean the collector does not take", text: config({ exporters: "  debug:\n    sending_queue: {enabled: no}" }), rule: "config-value-type", path: "exporters.debug.sending_queue.enabled", at: "enabled: no", verdict: "fail" },
    ...["0.0.0.0", "4318", "http://0.0.0.0:4318", "0.0.0.0:4318/", "\"[::1]:4318\"", "10.1.2.3:4318", "0.0.0.0:4319"].map((endpoint): Kind => ({
        name: `receiver endpoint ${endpoint}`,
        text: config({ http: `      http:\n        endpoint: ${endpoint}\n        auth:\n          authenticator: bearertokenauth/ingest\n` }),
        rule: "adapter-port", path: "receivers.otlp.protocols.http.endpoint", at: `endpoint: ${endpoint}`, verdict: "fail",
    })),
    ...["localhost:4318", "0.0.0.0:4318", ":4318", "\"[::]:4318\""].map((endpoint): Kind => ({
        name: `receiver endpoint ${endpoint}`,
        text: config({ http: `      http:\n        endpoint: ${endpoint}\n        auth:\n          authenticator: bearertokenauth/ingest\n` }),
        verdict: "pass",
    })),
    { name: "an endpoint port from the image's AWS_LWA_PORT", text: config({ http: "      http:\n        endpoint: 127.0.0.1:${env:AWS_LWA_PORT}\n        auth:\n          authenticator: bearertokenauth/ingest\n" }), verdict: "pass" },
    { name: "an endpoint port from a variable set to another port", text: config({ http: "      http:\n        endpoint: 127.0.0.1:${env:PORT}\n        auth:\n          authenticator: bearertokenauth/ingest\n" }), env: { PORT: "4319" }, rule: "adapter-port", path: "receivers.otlp.protocols.http.endpoint", at: "${env:PORT}", verdict: "fail" },
    { name: "an omitted endpoint (localhost:4318)", text: config({ http: "      http:\n        auth:\n          authenticator: bearertokenauth/ingest\n" }), verdict: "pass" },
    { name: "a gRPC-only receiver", text: config({ http: "      grpc:\n" }), rule: "adapter-port", path: "receivers", at: "receivers:", verdict: "fail" },
    // The collector starts only receivers a pipeline uses, so an unused one on the
    // adapter's port never listens.
    { name: "an http receiver on the adapter's port that no pipeline uses", text: config({ http: "      grpc:\n", receivers: "  otlp/unused:\n    protocols:\n      http:\n        endpoint: 127.0.0.1:4318\n        auth:\n          authenticator: bearertokenauth/ingest\n" }), rule: "adapter-port", path: "receivers", at: "receivers:", verdict: "fail" },
    // configoptional's `enabled: false` turns the protocol off, endpoint and all
    // (open-telemetry/opentelemetry-collector PR #13995, gate configoptional.AddEnabledField).
    { name: "an http protocol on the adapter's port with enabled: false", text: config({ http: "      grpc:\n      http:\n        enabled: false\n        endpoint: 127.0.0.1:4318\n        auth:\n          authenticator: bearertokenauth/ingest\n" }), rule: "adapter-port", path: "receivers", at: "receivers:", verdict: "fail" },
    { name: "an unauthenticated receiver", text: config({ http: "      http:\n        endpoint: 127.0.0.1:4318\n" }), rule: "unauthenticated-receiver", path: "receivers.otlp.protocols.http", at: "      http:", verdict: "fail" },
    { name: "a stateful processor (cumulativetodelta)", text: config({ processors: "  cumulativetodelta:", pipelineProcessors: "cumulativetodelta" }), rule: "no-buffering-processor", path: "processors.cumulativetodelta", at: "  cumulativetodelta:", verdict: "advisory", says: "cold start" },
    { name: "a connector that flushes on an interval (servicegraph)", text: config({ connectors: "  servicegraph:", pipelineExporters: "debug, servicegraph", extraPipelines: "    metrics:\n      receivers: [servicegraph]\n      exporters: [debug]" }), rule: "no-buffering-processor", path: "connectors.servicegraph", at: "  servicegraph:", verdict: "advisory" },
    { name: "a scraping receiver (hostmetrics)", text: config({ receivers: "  hostmetrics:\n    scrapers: {cpu: {}}\n", pipelineReceivers: "otlp, hostmetrics" }), rule: "non-push-receiver", path: "receivers.hostmetrics", at: "  hostmetrics:", verdict: "advisory" },
];

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
