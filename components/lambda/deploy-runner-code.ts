// The code of the deploy runner: a small Node.js Lambda function that the deploy
// invokes (aws.lambda.Invocation) to check a new collector version and, once the live
// alias moved, to prune old versions. It runs the check itself and throws when the
// check fails, so the Invocation's create ends in a Lambda function error.
//
// Why a function error: terraform-provider-aws internal/service/lambda/invocation.go
// (bridged by @pulumi/aws 7.48.0; read at the provider's main branch, commit 0133e9e)
// returns from `invoke` on `output.FunctionError != nil` before `d.SetId`/`d.Set("result")`,
// so a failed create stores nothing and the next `pulumi up` creates (so invokes) again.
// A collector's HTTP error behind the Lambda Web Adapter is a *successful* invocation
// whose `result` the provider stores and never reads again (ReadWithoutTimeout is
// schema.NoopContext): judged in the program, it would fail every later run until a
// new version is published. Here an HTTP-level failure and a function error of the
// collector both become the runner's function error, and a passed check is stored
// and never judged again.
//
// Every function in this file is self-contained (no imports, no closures over module
// scope): the Lambda handler is their source text (Function.prototype.toString), and
// the tests run the same functions against a fake Lambda API.

/** What the runner needs from AWS; the handler binds it to the SDK of the Node.js runtime. */
export interface RunnerApi {
    invoke(functionName: string, qualifier: string, payload: string): Promise<{ functionError?: string; payload: string }>;
    listVersions(functionName: string): Promise<string[]>;
    aliasVersion(functionName: string, alias: string): Promise<string | undefined>;
    environmentOf(functionName: string, qualifier: string): Promise<Record<string, string>>;
    deleteVersion(functionName: string, qualifier: string): Promise<void>;
    policyStatementIds(functionName: string): Promise<string[]>;
    removeStatement(functionName: string, statementId: string): Promise<void>;
    deleteSecret(arn: string): Promise<void>;
    sleep(ms: number): Promise<void>;
}

/** One request of a check: a Function URL event and what must come back. */
export interface RunnerRequest {
    /** Names the request in messages: `the bearer token "web"`, `no Authorization header`. */
    readonly label: string;
    /** The Function URL event (payload 2.0) as JSON. */
    readonly event: string;
    readonly expect: "accepted" | "unauthorized";
    /** What was sent, as a phrase for the failure line. */
    readonly sent: string;
}

/** The check task. `causes` maps an answer kind to its likely causes (components/shared/otlp/otlp-check.ts writes them). */
export interface CheckTask {
    readonly action: "check";
    readonly functionName: string;
    readonly qualifier: string;
    readonly aliasName: string;
    readonly logGroupName: string;
    readonly requests: readonly RunnerRequest[];
    /** Keys: an HTTP status ("500"), "backend-<status>" and "backend" (the backend's answer passed through), "aws-denied", "default", "open" (200 without a token), "partial", "malformed", "timeout", "exit", "function-error", "throttled", "invoke-error". */
    readonly causes: Readonly<Record<string, string>>;
    /** What a pass proves, as a phrase for the summary. */
    readonly proves: string;
}

/** The prune task: keep the newest `keep` versions and the alias's, delete the rest with the component secrets only they read. */
export interface PruneTask {
    readonly action: "prune";
    readonly functionName: string;
    readonly aliasName: string;
    readonly keep: number;
    /** ARN prefix of the component's own secrets; only those are ever deleted. */
    readonly secretArnPrefix?: string;
    /** The environment variable holding a version's secret ARN. */
    readonly secretArnVariable: string;
    /** Statement ids the AWS provider adds to the unqualified function on URL creation. */
    readonly providerStatementIds: readonly string[];
}

/** Runs one task; throws (a function error) on a failed check, with one line that says what to do. */
export async function runDeployTask(task: CheckTask | PruneTask, api: RunnerApi): Promise<Record<string, unknown>> {
    const oneLine = (text: string) => text.replace(/\s+/g, " ").replace(/"/g, "'").trim();
    const shorten = (text: string, limit = 160) => {
        const flat = oneLine(text.replace(/[^\x20-\x7E]+/g, " "));
        return flat.length > limit ? `${flat.slice(0, limit)}...` : flat || "(empty)";
    };
    const failure = (message: string) => {
        const error = new Error(oneLine(message));
        error.name = "PreTrafficCheckFailed";
        // The Node.js runtime sends error.stack as the payload's `trace`; one line, no frames.
        error.stack = "";
        return error;
    };
    if (task.action === "prune") {
        const versions = (await api.listVersions(task.functionName)).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
        const live = await api.aliasVersion(task.functionName, task.aliasName);
        const kept = new Set(versions.slice(0, Math.max(1, task.keep)));
        if (live !== undefined) kept.add(live);
        const keptSecrets = new Set<string>();
        for (const v of ["$LATEST", ...kept]) {
            const arn = (await api.environmentOf(task.functionName, v))[task.secretArnVariable];
            if (arn) keptSecrets.add(arn);
        }
        const deletedVersions: string[] = [];
        const orphanSecrets = new Set<string>();
        for (const v of versions.filter((x) => !kept.has(x))) {
            const arn = (await api.environmentOf(task.functionName, v))[task.secretArnVariable];
            await api.deleteVersion(task.functionName, v);
            deletedVersions.push(v);
            if (arn && task.secretArnPrefix && arn.startsWith(task.secretArnPrefix) && !keptSecrets.has(arn)) orphanSecrets.add(arn);
        }
        for (const arn of orphanSecrets) await api.deleteSecret(arn);
        const present = await api.policyStatementIds(task.functionName);
        const removedStatements = present.filter((id) => task.providerStatementIds.includes(id));
        for (const id of removedStatements) await api.removeStatement(task.functionName, id);
        return { kept: [...kept].sort((a, b) => Number(a) - Number(b)), deletedVersions, deletedSecrets: [...orphanSecrets], removedStatements };
    }

    const where = `pre-traffic check of ${task.functionName} version ${task.qualifier}`;
    const next = `; the alias ${task.aliasName} did not move and nothing was stored, so fix the cause and run pulumi up again: it re-runs this check on the same version (docs/deploys.md, When the check fails)`;
    const fail = (request: RunnerRequest, outcome: string, causes: string) =>
        failure(`${where} failed: sent ${request.sent}; answered ${outcome}; likely: ${causes}; read CloudWatch log group ${task.logGroupName}${next}`);
    const cause = (key: string) => task.causes[key] ?? task.causes.default ?? "";
    // One request at a time: after the first cold start the others reuse that
    // execution environment, so the check takes one unit of the function's concurrency.
    for (const request of task.requests) {
        let answer: { functionError?: string; payload: string } | undefined;
        for (let attempt = 1; answer === undefined; attempt++) {
            try {
                answer = await api.invoke(task.functionName, task.qualifier, request.event);
            } catch (err) {
                const name = String((err as { name?: string }).name ?? "");
                if (/TooManyRequests|Throttl/i.test(name) && attempt < 4) {
                    await api.sleep(2000 * attempt);
                    continue;
                }
                throw fail(request, `${name || "an error"} from lambda:Invoke: ${shorten(String((err as Error).message ?? err))}`,
                    cause(/TooManyRequests|Throttl/i.test(name) ? "throttled" : "invoke-error"));
            }
        }
        let parsed: Record<string, unknown> | undefined;
        try {
            const value = JSON.parse(answer.payload) as unknown;
            parsed = typeof value === "object" && value !== null ? value as Record<string, unknown> : undefined;
        } catch {
            parsed = undefined;
        }
        if (answer.functionError !== undefined || (parsed && (typeof parsed.errorType === "string" || typeof parsed.errorMessage === "string"))) {
            const type = String(parsed?.errorType ?? answer.functionError ?? "unknown");
            const text = String(parsed?.errorMessage ?? "");
            const key = /timed? ?out|Timedout/i.test(`${type} ${text}`) ? "timeout" : /ExitError|exited/i.test(`${type} ${text}`) ? "exit" : "function-error";
            throw fail(request, `function error ${type}: ${shorten(text)}`, cause(key));
        }
        if (!parsed || typeof parsed.statusCode !== "number") {
            throw fail(request, `not a Function URL response: ${shorten(answer.payload)}`, cause("malformed"));
        }
        const status = parsed.statusCode;
        const raw = typeof parsed.body === "string" ? parsed.body : "";
        const body = parsed.isBase64Encoded === true ? Buffer.from(raw, "base64") : Buffer.from(raw, "utf8");
        if (request.expect === "unauthorized") {
            if (status === 401) continue;
            throw fail(request, status === 200 ? `200 for a request without a token: ${shorten(body.toString("utf8"))}` : `${status}: ${shorten(body.toString("utf8"))}`,
                status === 200 ? cause("open") : cause(String(status)));
        }
        if (status !== 200) {
            // The collector passes its backend's answer through (otlphttp exporter error:
            // "... request to <url> responded with HTTP Status Code N"), so the body says
            // which side answered; AWS denials name the missing action.
            const text = body.toString("utf8");
            const backend = /responded with HTTP Status Code (\d{3})/.exec(text);
            const key = backend ? (task.causes[`backend-${backend[1]}`] !== undefined ? `backend-${backend[1]}` : "backend")
                : /not authorized to perform|AccessDenied/i.test(text) ? "aws-denied" : String(status);
            throw fail(request, `${status}: ${shorten(text)}`, cause(key));
        }
        // A fully accepted export answers an Export<Signal>ServiceResponse without
        // partial_success: proto3 encodes that empty message as zero bytes (and JSON as {}).
        // Anything else carries a partial success, which the OTLP spec makes a 200 too.
        const text = body.toString("utf8").trim();
        if (body.length !== 0 && text !== "{}") {
            throw fail(request, `200 with a partial success (${body.length} bytes): ${shorten(text)}`, cause("partial"));
        }
    }
    const tokens = task.requests.filter((r) => r.expect === "accepted").length;
    const anonymous = task.requests.some((r) => r.expect === "unauthorized");
    return {
        passed: true,
        summary: `${where} passed: ${task.proves} (${tokens} token${tokens === 1 ? "" : "s"})${anonymous ? "; without a token it answered 401" : "; the request without a token was skipped (allowUnauthenticated)"}`,
    };
}

/** The runner's AWS API over the SDK v3 clients the Node.js Lambda runtimes include. */
export function sdkRunnerApi(): RunnerApi {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lambda = require("@aws-sdk/client-lambda");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const secrets = require("@aws-sdk/client-secrets-manager");
    const client = new lambda.LambdaClient({});
    const secretsClient = new secrets.SecretsManagerClient({});
    const notFound = (err: unknown) => /ResourceNotFound/.test(String((err as { name?: string }).name));
    return {
        async invoke(functionName, qualifier, payload) {
            const out = await client.send(new lambda.InvokeCommand({ FunctionName: functionName, Qualifier: qualifier, Payload: Buffer.from(payload) }));
            return { functionError: out.FunctionError, payload: Buffer.from(out.Payload ?? []).toString("utf8") };
        },
        async listVersions(functionName) {
            const versions: string[] = [];
            let marker: string | undefined;
            do {
                const out = await client.send(new lambda.ListVersionsByFunctionCommand({ FunctionName: functionName, Marker: marker }));
                for (const v of out.Versions ?? []) versions.push(String(v.Version));
                marker = out.NextMarker;
            } while (marker);
            return versions;
        },
        async aliasVersion(functionName, alias) {
            try {
                return String((await client.send(new lambda.GetAliasCommand({ FunctionName: functionName, Name: alias }))).FunctionVersion);
            } catch (err) {
                if (notFound(err)) return undefined;
                throw err;
            }
        },
        async environmentOf(functionName, qualifier) {
            const out = await client.send(new lambda.GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: qualifier }));
            return out.Environment?.Variables ?? {};
        },
        async deleteVersion(functionName, qualifier) {
            await client.send(new lambda.DeleteFunctionCommand({ FunctionName: functionName, Qualifier: qualifier }));
        },
        async policyStatementIds(functionName) {
            try {
                const out = await client.send(new lambda.GetPolicyCommand({ FunctionName: functionName }));
                return (JSON.parse(out.Policy ?? "{}").Statement ?? []).map((s: { Sid?: string }) => String(s.Sid));
            } catch (err) {
                if (notFound(err)) return [];
                throw err;
            }
        },
        async removeStatement(functionName, statementId) {
            try {
                await client.send(new lambda.RemovePermissionCommand({ FunctionName: functionName, StatementId: statementId }));
            } catch (err) {
                if (!notFound(err)) throw err;
            }
        },
        async deleteSecret(arn) {
            // A recovery window, so a secret deleted by mistake can be restored for 7 days.
            await secretsClient.send(new secrets.DeleteSecretCommand({ SecretId: arn, RecoveryWindowInDays: 7 }));
        },
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    };
}

/** The handler module's source: the two functions above and an `exports.handler` that joins them. */
export function runnerSource(): string {
    return [
        "// Generated by otel-lambda-collector (components/lambda/deploy-runner-code.ts).",
        `const runDeployTask = ${runDeployTask.toString()};`,
        `const sdkRunnerApi = ${sdkRunnerApi.toString()};`,
        "exports.handler = async (task) => runDeployTask(task, sdkRunnerApi());",
        "",
    ].join("\n");
}
