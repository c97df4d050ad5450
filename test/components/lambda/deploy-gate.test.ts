// The deploy gate's safeguards under mocks (issue 19): a failed check stores nothing
// and says what to do, secrets are immutable per content, every permission the config
// needs is granted before the function and its check run, caller secrets are granted
// as AWS matches them, old versions are pruned, reserved concurrency fits the quota.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { runDeployTask, type CheckTask, type RunnerApi } from "../../../components/lambda/deploy-runner-code";
import { reservedConcurrencyQuotaProblem } from "../../../components/lambda/concurrency";
import { defaultCollectorConfig } from "../../../components/shared/config-sources/default-config";
import { grantedSecretArns, secretReadPolicy } from "../../../components/shared/secrets/secret-store";
import { checkCollectorConfigText } from "../../../rules/check";
import { editDefaultConfig } from "../../harness/component";
import { account, adapterResponse, dependsOnNames, installMocks, MOCK, only, record, secretInput, settle, value, type RecordedResource } from "../../harness/mocks";

type Module = typeof import("../../../components/lambda/lambda-collector");
let lib: Module;

before(async () => {
    await installMocks();
    lib = await import("../../../components/lambda/lambda-collector");
});

async function build(name: string, args: ConstructorParameters<Module["LambdaCollector"]>[1] = {}): Promise<readonly RecordedResource[]> {
    const recorder = record();
    const collector = new lib.LambdaCollector(name, args);
    await value(collector.url);
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 100));
    return recorder.resources;
}

const named = (rs: readonly RecordedResource[], name: string) => {
    const found = rs.find((r) => r.name === name);
    assert.ok(found, `${name} registered`);
    return found;
};

/** A fake Lambda API whose collector answers `answers` in turn. */
function fakeApi(answers: (() => { functionError?: string; payload: string })[]): RunnerApi & { invoked: number } {
    const api = {
        invoked: 0,
        invoke: async () => answers[api.invoked++ % answers.length](),
        listVersions: async () => [],
        aliasVersion: async () => undefined,
        environmentOf: async () => ({}),
        deleteVersion: async () => undefined,
        policyStatementIds: async () => [],
        removeStatement: async () => undefined,
        deleteSecret: async () => undefined,
        sleep: async () => undefined,
    };
    return api;
}

const task: CheckTask = {
    action: "check", functionName: "fn", qualifier: "8", aliasName: "live", logGroupName: "/aws/lambda/fn",
    requests: [
        { label: "token-web", event: "{}", expect: "accepted", sent: "POST /v1/traces and the bearer token web" },
        { label: "no-token", event: "{}", expect: "unauthorized", sent: "POST /v1/traces and no Authorization header" },
    ],
    causes: { default: "config or env", 401: "token wiring", open: "no authenticator", partial: "dropped", exit: "collector exited", timeout: "timed out", throttled: "concurrency in use" },
    proves: "one span went through",
};

describe("a failed check never wedges the stack", () => {
    it("fails the runner's own invocation (a function error, so the provider stores nothing) for an HTTP-level failure", async () => {
        const failure = await runDeployTask(task, fakeApi([() => ({ payload: adapterResponse(500, "exporting failed: 403 Forbidden", "text/plain") })])).catch((e: Error) => e);
        assert.ok(failure instanceof Error, "thrown, so Lambda reports FunctionError");
        assert.equal(failure.name, "PreTrafficCheckFailed");
        assert.equal(failure.stack, "", "no frames in the payload's trace");
        assert.doesNotMatch(failure.message, /[\n"]/, "one line, no quote to escape in the provider's JSON");
        assert.match(failure.message, /^pre-traffic check of fn version 8 failed: sent POST \/v1\/traces and the bearer token web; answered 500: exporting failed: 403 Forbidden; likely: config or env; read CloudWatch log group \/aws\/lambda\/fn; the alias live did not move and nothing was stored, so fix the cause and run pulumi up again: it re-runs this check on the same version/);
    });

    it("treats a function error of the collector the same way as an HTTP-level failure", async () => {
        const failure = await runDeployTask(task, fakeApi([() => ({ functionError: "Unhandled", payload: JSON.stringify({ errorType: "Runtime.ExitError", errorMessage: "exit status 1" }) })])).catch((e: Error) => e);
        assert.ok(failure instanceof Error);
        assert.equal(failure.name, "PreTrafficCheckFailed");
        assert.match(failure.message, /answered function error Runtime.ExitError: exit status 1; likely: collector exited; .*run pulumi up again/);
    });

    it("fails on a partial success, on 200 without a token, and passes only on 200-empty then 401", async () => {
        const partial = await runDeployTask(task, fakeApi([() => ({ payload: adapterResponse(200, new Uint8Array([10, 4, 8, 1, 18, 0])) })])).catch((e: Error) => e);
        assert.match(String((partial as Error).message), /answered 200 with a partial success \(6 bytes\)/);
        const open = await runDeployTask(task, fakeApi([() => ({ payload: adapterResponse(200) })])).catch((e: Error) => e);
        assert.match(String((open as Error).message), /no Authorization header; answered 200 for a request without a token: .*likely: no authenticator/);
        const ok = fakeApi([() => ({ payload: adapterResponse(200) }), () => ({ payload: adapterResponse(401, "Unauthorized", "text/plain") })]);
        const passed = await runDeployTask(task, ok);
        assert.equal(passed.passed, true);
        assert.equal(ok.invoked, 2, "one request at a time: the check takes one unit of the function's concurrency");
    });

    it("retries a throttled invoke, then names the reserved concurrency", async () => {
        const throttled = Object.assign(new Error("Rate exceeded"), { name: "TooManyRequestsException" });
        const api = fakeApi([]);
        api.invoke = async () => { api.invoked++; throw throttled; };
        const failure = await runDeployTask(task, api).catch((e: Error) => e);
        assert.equal(api.invoked, 4, "three retries");
        assert.match(String((failure as Error).message), /TooManyRequestsException from lambda:Invoke: Rate exceeded; likely: concurrency in use/);
    });

    it("the alias waits for a check that passed; a passed check's result is stored and never judged again", async () => {
        const rs = await build("gate");
        const check = named(rs, "gate-check");
        assert.equal(check.inputs.functionName, "gate-9f8e7d6c-deploy");
        assert.ok(dependsOnNames(only("aws:lambda/alias:Alias", rs)).includes("gate-check"));
        assert.equal(only("aws:lambda/alias:Alias", rs).inputs.functionVersion, MOCK.functionVersion);
    });
});

describe("secrets are checked with their version", () => {
    const envOf = (rs: readonly RecordedResource[]) => (secretInput(only("aws:lambda/function:Function", rs).inputs.environment).value as { variables: Record<string, string> }).variables;
    const keeperOf = (rs: readonly RecordedResource[], name: string) => {
        const keepers = secretInput(named(rs, `${name}-secrets-generation`).inputs.keepers);
        const content = secretInput((keepers.value as Record<string, unknown>).content);
        return { secret: keepers.secret || content.secret, value: content.value };
    };

    it("gives each content its own secret, named after a generation id the content replaces, kept on delete", async () => {
        const a = await build("sm-a", { secretStore: "secretsmanager", environment: { API_KEY: "first-key-value" }, collectorConfig: editDefaultConfig("verbosity: basic", "verbosity: basic\n    # ${env:API_KEY}") });
        const b = await build("sm-b", { secretStore: "secretsmanager", environment: { API_KEY: "second-key-value" }, collectorConfig: editDefaultConfig("verbosity: basic", "verbosity: basic\n    # ${env:API_KEY}") });
        const secret = only("aws:secretsmanager/secret:Secret", a);
        assert.equal(secret.options.retainOnDelete, true, "an older version may still read it");
        assert.equal(only("aws:secretsmanager/secretVersion:SecretVersion", a).options.retainOnDelete, true);
        assert.equal(secret.inputs.name, "sm-a-9f8e7d6c/collector-secrets-9f8e7d6c", "<function>/collector-secrets-<generation>");
        assert.equal(envOf(a).COLLECTOR_SECRET_ARN, "arn:aws:secretsmanager:us-west-2:123456789012:secret:sm-a-secrets-AbCdEf", "the version reads the secret of its own content");
        const [ka, kb] = [keeperOf(a, "sm-a"), keeperOf(b, "sm-b")];
        assert.equal(ka.secret, true, "the digest is secret in state");
        assert.notEqual(ka.value, kb.value, "new content, new generation id, so a new secret");
        assert.ok(!String(ka.value).includes("first-key-value"));
        const same = await build("sm-a2", { secretStore: "secretsmanager", environment: { API_KEY: "first-key-value" }, collectorConfig: editDefaultConfig("verbosity: basic", "verbosity: basic\n    # ${env:API_KEY}") });
        assert.notEqual(keeperOf(same, "sm-a2").value, undefined);
    });

    it("lets the role read every secret of the component (a rollback target reads its own), and nothing else", async () => {
        const rs = await build("sm-read", { secretStore: "secretsmanager" });
        const policy = JSON.parse(String(named(rs, "sm-read-secret-read").inputs.policy)) as { Statement: { Action: string; Resource: string }[] };
        assert.deepEqual(policy.Statement, [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "arn:aws:secretsmanager:us-west-2:123456789012:secret:sm-read-9f8e7d6c/collector-secrets-*" }]);
        assert.ok(dependsOnNames(only("aws:lambda/function:Function", rs)).includes("sm-read-secret-read"));
    });
});

describe("every permission the collector needs is granted before it runs", () => {
    const xray = editDefaultConfig(/exporters: \[debug\]/, "exporters: [debug, awsxray]").replace("exporters:\n", "exporters:\n  awsxray:\n    region: us-west-2\n");

    it("grants what the config's AWS exporters need, and the function and the check wait for it and for the caller's policies", async () => {
        const rs = await build("grants", { collectorConfig: xray, policies: { extra: "arn:aws:iam::123456789012:policy/extra" } });
        const policy = JSON.parse(String(named(rs, "grants-config-access").inputs.policy)) as { Statement: { Action: unknown; Resource: unknown }[] };
        assert.deepEqual(policy.Statement.map((s) => [s.Action, s.Resource]), [["xray:PutTraceSegments", "*"]]);
        assert.equal(named(rs, "grants-policy-extra").inputs.policyArn, "arn:aws:iam::123456789012:policy/extra");
        for (const waiter of [only("aws:lambda/function:Function", rs), named(rs, "grants-check")]) {
            const deps = dependsOnNames(waiter);
            assert.ok(deps.includes("grants-config-access"), `${waiter.name} waits for the config's grant`);
            assert.ok(deps.includes("grants-policy-extra"), `${waiter.name} waits for the caller's policy`);
        }
        assert.ok(dependsOnNames(named(rs, "grants-check")).includes("grants-runner-access"), "the runner may invoke before it is invoked");
    });

    it("reports (advisory) a permission the role does not visibly have, and nothing once it is granted", () => {
        const findings = checkCollectorConfigText(xray).filter((f) => f.rule === "aws-permission");
        assert.deepEqual(findings.map((f) => [f.path, f.severity]), [["exporters.awsxray", "advisory"]]);
        assert.match(findings[0].message, /needs xray:PutTraceSegments on \*/);
        assert.deepEqual(checkCollectorConfigText(xray, { grantedActions: new Set(["xray:PutTraceSegments"]) }).filter((f) => f.rule === "aws-permission"), []);
        assert.deepEqual(checkCollectorConfigText(defaultCollectorConfig()).filter((f) => f.rule === "aws-permission"), [], "the default config needs nothing");
    });
});

describe("caller secrets", () => {
    const arn = "arn:aws:secretsmanager:us-west-2:123456789012:secret:datadog";

    it("grants a partial ARN with the suffix wildcard, and a customer key's kms:Decrypt only via Secrets Manager", async () => {
        assert.deepEqual(grantedSecretArns(arn), [arn, `${arn}-??????`]);
        account.secretKmsKeys[arn] = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        try {
            const rs = await build("callers", { secretArns: [arn] });
            const policy = JSON.parse(String(named(rs, "callers-caller-secrets").inputs.policy)) as { Statement: unknown[] };
            assert.deepEqual(policy, secretReadPolicy(grantedSecretArns(arn), [account.secretKmsKeys[arn]]));
            assert.deepEqual(policy.Statement[1], {
                Effect: "Allow", Action: "kms:Decrypt", Resource: account.secretKmsKeys[arn],
                Condition: { StringEquals: { "kms:ViaService": ["secretsmanager.us-west-2.amazonaws.com"] } },
            });
        } finally {
            delete account.secretKmsKeys[arn];
        }
    });
});

describe("leftovers and hygiene", () => {
    it("prunes versions beyond keepVersions (keeping the live one), the secrets only they read, and the provider's URL statements, after the alias moved", async () => {
        account.pruned.length = 0;
        const rs = await build("prune", { keepVersions: 3 });
        const prune = named(rs, "prune-prune");
        assert.ok(dependsOnNames(prune).includes("prune-live"), "only once the alias moved");
        const input = JSON.parse(String(prune.inputs.input)) as { keep: number };
        assert.equal(input.keep, 3);
        assert.deepEqual(account.pruned[0].deletedVersions, ["4", "3", "2", "1"]);
        assert.deepEqual(account.pruned[0].removedStatements, ["FunctionURLAllowPublicAccess"], "only the provider's own statement ids");
        assert.equal(account.pruned[0].deletedSecrets.length, 0, "no component secret without secretStore secretsmanager");
    });
});

describe("concurrency", () => {
    it("refuses a reservation the account's quota cannot hold, in one line", () => {
        assert.equal(reservedConcurrencyQuotaProblem(950, 1000), "reservedConcurrency: 950 is more than this account can reserve: its concurrency quota in this region is 1000 and Lambda keeps 100 unreserved, so at most 900 (less what other functions reserve); lower it, or request a higher \"Concurrent executions\" quota (Service Quotas, L-B99A9384)");
        assert.match(reservedConcurrencyQuotaProblem(1, 50) ?? "", /^reservedConcurrency: 1 cannot be reserved: this account's concurrency quota in this region is 50/);
        assert.equal(reservedConcurrencyQuotaProblem(900, 1000), undefined);
    });

    it("keeps the value when the quota holds it or cannot be read", async () => {
        account.concurrencyQuota = undefined;
        try {
            const rs = await build("noquota", { reservedConcurrency: 950 });
            assert.equal(only("aws:lambda/function:Function", rs).inputs.reservedConcurrentExecutions, 950);
        } finally {
            account.concurrencyQuota = 1000;
        }
        const fits = await build("fits", { reservedConcurrency: 20 });
        assert.equal(only("aws:lambda/function:Function", fits).inputs.reservedConcurrentExecutions, 20);
    });
});
