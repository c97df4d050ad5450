// Versions, the live alias and the pre-traffic check under mocks: what is invoked, with
// which event, and that the alias can only move once the check passed. The mock engine
// answers each aws.lambda.Invocation like the adapter in front of a collector would.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { defaultCollectorConfig } from "../../../components/shared/config-sources/default-config";
import { CHECK_SERVICE_NAME, checkRequestFor } from "../../../components/shared/otlp/otlp-check";
import {
    adapterResponse, healthyCollector, installMocks, invocations, MOCK, only, record, secretInput, settle, value,
    type InvocationResponder, type RecordedResource,
} from "../../harness/mocks";
import { taskOf } from "../../harness/check-task";
import { decodeMetricsRequest, decodeTraceRequest, hex } from "../../harness/otlp-decoder";

type Module = typeof import("../../../components/lambda/lambda-collector");
let lib: Module;

before(async () => {
    await installMocks();
    lib = await import("../../../components/lambda/lambda-collector");
});

interface ProgramRun { resources: { type: string; name: string }[]; errors: { message: string; runError: boolean }[]; failedCreates: { name: string; message: string }[] }
let failing: ProgramRun | undefined;

/**
 * What test/harness/failing-check-program registered and reported for collector `name`
 * ("broken": 500 with the token; "open": 200 without one). One process for both, run once.
 */
function failingProgram(name: "broken" | "open"): ProgramRun {
    if (failing === undefined) {
        const program = path.join(__dirname, "..", "..", "harness", "failing-check-program.js");
        failing = JSON.parse(execFileSync(process.execPath, [program, "broken=500,401", "open=200,200"], { encoding: "utf8", timeout: 60_000 })) as ProgramRun;
    }
    return {
        resources: failing.resources.filter((r) => r.name.startsWith(`${name}-`)),
        errors: failing.errors.filter((e) => e.message.includes(`check of ${name}-`)),
        failedCreates: failing.failedCreates.filter((f) => f.name.startsWith(`${name}-`)),
    };
}

interface Event {
    rawPath: string;
    headers: Record<string, string>;
    requestContext: { http: { method: string; path: string } };
    body: string;
    isBase64Encoded: boolean;
    version: string;
    httpMethod?: unknown;
}

/** The check's task (the deploy runner's input), and whether the input is secret in state. */

/** The event of one request of the check, by label (`token-default`, `no-token`). */
function eventOf(resources: readonly RecordedResource[], name: string, label: string): { event: Event; secret: boolean } {
    const { task, secret } = taskOf(resources, name);
    const request = task.requests.find((r) => r.label === label);
    assert.ok(request, `request ${label}`);
    return { event: JSON.parse(request.event) as Event, secret };
}

async function build(name: string, args: ConstructorParameters<Module["LambdaCollector"]>[1] = {}, respond: InvocationResponder = healthyCollector) {
    const recorder = record();
    invocations.respond = respond;
    try {
        const collector = new lib.LambdaCollector(name, args);
        await settle();
        await new Promise((resolve) => setTimeout(resolve, 100));
        return { collector, resources: recorder.resources };
    } finally {
        invocations.respond = healthyCollector;
    }
}

describe("versions and the live alias", () => {
    it("publishes a version, checks that version, and points the live alias at it once the check passed", async () => {
        const { collector, resources } = await build("graph");
        assert.equal(await value(collector.url), MOCK.functionUrl);
        const fn = only("aws:lambda/function:Function", resources).inputs;
        assert.equal(fn.publish, true);
        const alias = only("aws:lambda/alias:Alias", resources).inputs;
        assert.deepEqual({ name: alias.name, functionName: alias.functionName, functionVersion: alias.functionVersion },
            { name: "live", functionName: "graph-9f8e7d6c", functionVersion: MOCK.functionVersion });
        assert.equal(await value(collector.liveVersion), MOCK.functionVersion);
        const { task, check } = taskOf(resources, "graph");
        assert.equal(check.inputs.functionName, "graph-9f8e7d6c-deploy", "the deploy runner is invoked");
        assert.equal(task.functionName, "graph-9f8e7d6c");
        assert.equal(task.qualifier, MOCK.functionVersion, "the new version, not the alias or $LATEST");
        assert.deepEqual(task.requests.map((r) => [r.label, r.expect]), [["token-default", "accepted"], ["no-token", "unauthorized"]]);
        assert.deepEqual(check.inputs.triggers, { version: MOCK.functionVersion });
        assert.equal(check.inputs.lifecycleScope, undefined, "CREATE_ONLY: no invoke on destroy");
    });

    it("sends a Function URL event (payload 2.0) with a real OTLP span and the bearer token, kept secret", async () => {
        const { resources } = await build("event");
        const { event, secret } = eventOf(resources, "event", "token-default");
        assert.equal(secret, true, "the input carries the token, so it must be secret in state");
        assert.equal(event.version, "2.0");
        assert.equal(event.httpMethod, undefined, "a top-level httpMethod would make the adapter read a REST v1 event");
        assert.equal(event.requestContext.http.method, "POST");
        assert.equal(event.rawPath, "/v1/traces");
        assert.equal(event.requestContext.http.path, "/v1/traces");
        assert.equal(event.headers.authorization, `Bearer ${MOCK.token}`);
        assert.equal(event.headers["content-type"], "application/x-protobuf");
        assert.equal(event.isBase64Encoded, true);
        const request = decodeTraceRequest(Buffer.from(event.body, "base64"));
        const spans = request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
        assert.equal(spans.length, 1);
        assert.match(hex(spans[0].traceId), /^[0-9a-f]{32}$/);
        assert.notEqual(hex(spans[0].traceId), "0".repeat(32));
        const serviceName = request.resourceSpans[0].resource?.attributes.find((a) => a.key === "service.name")?.value.stringValue;
        assert.equal(serviceName, CHECK_SERVICE_NAME);

        const anonymous = eventOf(resources, "event", "no-token");
        assert.equal(anonymous.event.headers.authorization, undefined);
        assert.equal(anonymous.event.body, event.body, "the same request, only without the token");
    });

    it("never moves the alias when the check fails: the alias depends on the verdict", () => {
        const run = failingProgram("broken");
        const types = run.resources.map((r) => r.type);
        assert.equal(types.filter((t) => t === "aws:lambda/invocation:Invocation").length, 0, "the failed check is not in the state, so the next up runs it again");
        assert.equal(types.filter((t) => t === "aws:lambda/alias:Alias").length, 0, "no alias registered: it waits on the verdict");
        assert.equal(types.filter((t) => t === "aws:lambda/functionUrl:FunctionUrl").length, 0);
        assert.equal(run.failedCreates.filter((f) => f.name === "broken-check").length, 1, "the check's create failed, so the provider stored nothing");
        const failure = run.errors.find((e) => e.message.includes("pre-traffic check"));
        assert.ok(failure, `the failure surfaced: ${JSON.stringify(run.errors)}`);
        const line = failure.message.slice(failure.message.indexOf("pre-traffic check"));
        assert.doesNotMatch(line, /\n/, "one line");
        assert.match(line, /^pre-traffic check of broken-9f8e7d6c version 7 failed: sent POST \/v1\/traces with one span/);
        assert.match(line, /the bearer token default; answered 500: exporting failed: 403 Forbidden/);
        assert.match(line, /likely: an exporter failed .*answered by the collector/);
        assert.match(line, /read CloudWatch log group \/aws\/lambda\/broken-9f8e7d6c/);
        assert.match(line, /nothing was stored, so fix the cause and run pulumi up again: it re-runs this check on the same version/, "says what to do next");
        assert.ok(!line.includes(MOCK.token), "the token never appears in the message");
    });

    it("fails when the collector accepts a request without a token (auth is off)", () => {
        const run = failingProgram("open");
        assert.equal(run.resources.filter((r) => r.type === "aws:lambda/alias:Alias").length, 0);
        const line = run.errors.map((e) => e.message).find((m) => m.includes("pre-traffic check"));
        assert.match(line ?? "", /no Authorization header \(expected 401\); answered 200 for a request without a token/);
    });

    it("skips the request without a token when allowUnauthenticated, and says so", async () => {
        const config = defaultCollectorConfig().replace(/\n\s+auth:\n\s+authenticator: bearertokenauth\/ingest/, "");
        const { collector, resources } = await build("anon", { collectorConfig: config, allowUnauthenticated: true }, () => adapterResponse(200));
        assert.deepEqual(taskOf(resources, "anon").task.requests.map((r) => r.label), ["token-default"]);
        assert.equal(await value(collector.liveVersion), MOCK.functionVersion);
    });

    it("adapts to a config without a traces pipeline: an empty metrics export to /v1/metrics", async () => {
        const config = defaultCollectorConfig().replace(/\n {4}traces:\n {6}receivers: \[otlp\]\n {6}exporters: \[debug\]/, "");
        assert.ok(!/^ {4}traces:/m.test(config));
        const { collector, resources } = await build("nometrics", { collectorConfig: config });
        const { event } = eventOf(resources, "nometrics", "token-default");
        assert.equal(event.rawPath, "/v1/metrics");
        assert.deepEqual(decodeMetricsRequest(Buffer.from(event.body, "base64")).resourceMetrics.length, 1);
        assert.equal(await value(collector.liveVersion), MOCK.functionVersion);
        assert.match(checkRequestFor(config, "s", 0)?.proves ?? "", /no traces pipeline, so no data went through an exporter/);
    });

    it("lets the alias follow the version unchecked only when preTrafficCheck is false", async () => {
        const { collector, resources } = await build("unchecked", { preTrafficCheck: false });
        assert.equal(resources.filter((r) => r.name === "unchecked-check").length, 0);
        assert.equal(await value(collector.liveVersion), MOCK.functionVersion);
    });
});

describe("when the check runs", () => {
    it("sends the same bytes for the same version, and new ones for a new version", () => {
        const config = defaultCollectorConfig();
        const a = checkRequestFor(config, "fn:7:2026-11-30T04:00:00.000+0000", 1_796_000_000_000)!;
        const again = checkRequestFor(config, "fn:7:2026-11-30T04:00:00.000+0000", 1_796_000_000_000)!;
        const next = checkRequestFor(config, "fn:8:2026-11-30T05:00:00.000+0000", 1_796_003_600_000)!;
        assert.deepEqual(Buffer.from(again.body), Buffer.from(a.body), "an unchanged stack has an unchanged input: no diff, no invoke");
        assert.notDeepEqual(Buffer.from(next.body), Buffer.from(a.body));
    });

    it("a config-only change publishes one new version and runs one check, with the image inputs unchanged", async () => {
        const edited = defaultCollectorConfig().replace("verbosity: basic", "verbosity: detailed");
        const a = await build("cfgv-a");
        const b = await build("cfgv-b", { collectorConfig: edited });
        const of = (rs: readonly RecordedResource[], type: string) => rs.filter((r) => r.type === type);
        assert.deepEqual(only("docker-build:index:Image", b.resources).inputs, only("docker-build:index:Image", a.resources).inputs);
        for (const [prefix, side] of [["cfgv-a", a], ["cfgv-b", b]] as const) {
            assert.equal(of(side.resources, "aws:lambda/function:Function").filter((r) => r.name === `${prefix}-function`).length, 1, "one collector function (the deploy runner is apart)");
            assert.equal(only("aws:lambda/function:Function", side.resources).inputs.publish, true);
            const checks = of(side.resources, "aws:lambda/invocation:Invocation").filter((r) => r.name === `${prefix}-check`);
            assert.equal(checks.length, 1, `one check per version: ${JSON.stringify(side.resources.filter((r) => r.type === "aws:lambda/invocation:Invocation").map((r) => r.name))}`);
            assert.equal(JSON.parse(String(secretInput(checks[0].inputs.input).value)).qualifier, MOCK.functionVersion);
        }
        const config = (rs: readonly RecordedResource[]) => (secretInput(only("aws:lambda/function:Function", rs).inputs.environment).value as { variables: Record<string, string> }).variables.COLLECTOR_CONFIG;
        assert.equal(config(b.resources), edited);
        assert.notEqual(config(a.resources), config(b.resources));
    });
});

describe("dashboard and alarms", () => {
    it("draws only this function's metrics and log group", async () => {
        const { resources } = await build("dash");
        const dashboard = only("aws:cloudwatch/dashboard:Dashboard", resources).inputs;
        assert.equal(dashboard.dashboardName, "dash-9f8e7d6c-collector");
        const body = JSON.parse(String(dashboard.dashboardBody)) as { widgets: { type: string; properties: { metrics?: unknown[][]; query?: string; region: string } }[] };
        const metrics = body.widgets.flatMap((w) => w.properties.metrics ?? []);
        assert.ok(metrics.length >= 8);
        for (const line of metrics) {
            assert.deepEqual(line.slice(0, 1).concat(line.slice(2, 6)), ["AWS/Lambda", "FunctionName", "dash-9f8e7d6c", "Resource", "dash-9f8e7d6c:live"], `the live alias's metrics, not the check's: ${JSON.stringify(line)}`);
        }
        const names = new Set(metrics.map((l) => l[1]));
        for (const name of ["Invocations", "Errors", "Throttles", "Duration", "Url4xxCount", "Url5xxCount"]) assert.ok(names.has(name), name);
        const stats = metrics.filter((l) => l[1] === "Duration").map((l) => (l[6] as { stat: string }).stat);
        assert.deepEqual(stats, ["p50", "p99"]);
        const logs = body.widgets.filter((w) => w.type === "log");
        assert.equal(logs.length, 1);
        assert.match(logs[0].properties.query ?? "", /^SOURCE '\/aws\/lambda\/dash-9f8e7d6c' \| filter @type = "REPORT" and ispresent\(@initDuration\)/);
        assert.ok(body.widgets.every((w) => w.properties.region === "us-west-2"));
        assert.ok(!String(dashboard.dashboardBody).includes("graph-9f8e7d6c"), "no other function's metrics");
    });

    it("alarms on URL 5xx and function errors, notifying the topic given", async () => {
        const topic = "arn:aws:sns:us-west-2:123456789012:collector-alerts";
        const { resources } = await build("alarmed", { alarmTopicArn: topic });
        const alarms = resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm").map((r) => r.inputs);
        assert.deepEqual(alarms.map((a) => a.metricName).sort(), ["Errors", "Url5xxCount"]);
        for (const alarm of alarms) {
            assert.deepEqual(alarm.dimensions, { FunctionName: "alarmed-9f8e7d6c", Resource: "alarmed-9f8e7d6c:live" }, "producer traffic on the alias, not the check's invocations of a version");
            assert.equal(alarm.namespace, "AWS/Lambda");
            assert.deepEqual(alarm.alarmActions, [topic]);
            assert.equal(alarm.treatMissingData, "notBreaching");
        }
    });

    it("creates neither when both are off, and rejects a topic that is not an SNS ARN", async () => {
        const { resources } = await build("quiet", { dashboard: false, alarms: false });
        assert.equal(resources.filter((r) => r.type.startsWith("aws:cloudwatch/") && r.type !== "aws:cloudwatch/logGroup:LogGroup").length, 0);
        assert.throws(() => new lib.LambdaCollector("badtopic", { alarmTopicArn: "alerts" }), (e: Error) => {
            assert.ok(e instanceof pulumi.RunError);
            assert.equal(e.message, "alarmTopicArn: \"alerts\" is not an SNS topic ARN; pass a topic ARN such as arn:aws:sns:us-east-1:123456789012:alerts, or leave it unset");
            return true;
        });
    });
});

describe("the check and named producers", () => {
    it("sends one authenticated request per accepted token, so every producer's token is proven", async () => {
        const recorder = record();
        const c = new lib.LambdaCollector("rotating", { producers: ["old", "new"] });
        await value(c.url);
        await settle();
        assert.deepEqual(taskOf(recorder.resources, "rotating").task.requests.map((r) => r.label), ["token-old", "token-new", "no-token"]);
    });
});
