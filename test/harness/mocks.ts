// One mock engine for every Pulumi test. It records each registered resource and
// fills in the outputs the program reads (digest, repository URL, function URL...),
// so branches that depend on them really run. A call nobody mocked fails the test.
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { unwrapSecret } from "../../policy/engine/wire-format";
import { runDeployTask, type CheckTask, type PruneTask, type RunnerApi } from "../../components/lambda/deploy-runner-code";

export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    /** The resource options the engine received, so tests can see ordering and identity. */
    readonly options: RecordedOptions;
}

/** The parts of a RegisterResourceRequest that resource options set. */
export interface RecordedOptions {
    /** URN of the parent ("" for the stack). */
    readonly parent: string;
    /** URNs of `dependsOn` (a component there is expanded to its children by the SDK). */
    readonly dependsOn: readonly string[];
    /** Each alias, as the URN the SDK computed or the spec it sent. */
    readonly aliases: readonly RecordedAlias[];
    readonly deleteBeforeReplace: boolean;
    readonly retainOnDelete: boolean;
    readonly ignoreChanges: readonly string[];
    readonly replaceOnChanges: readonly string[];
}

export type RecordedAlias =
    | { readonly urn: string }
    | { readonly name?: string; readonly type?: string; readonly parentUrn?: string; readonly noParent?: boolean; readonly stack?: string; readonly project?: string };

/** The name part of a URN (`urn:pulumi:stack::project::type$type::name`). */
export function urnName(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

/** The type part of a URN: the resource's own type, the last of a `parent$child` chain. */
export function urnType(urn: string): string {
    const qualifiedType = urn.slice(0, urn.lastIndexOf("::"));
    const chain = qualifiedType.slice(qualifiedType.lastIndexOf("::") + 2);
    return chain.slice(chain.lastIndexOf("$") + 1);
}

/** True when `r` waits for `other`, matched by type and name (children of one component may share a name). */
export function dependsOn(r: RecordedResource, other: RecordedResource): boolean {
    return r.options.dependsOn.some((urn) => urnType(urn) === other.type && urnName(urn) === other.name);
}

/** The names of the resources `r` was told to wait for with `dependsOn`. */
export function dependsOnNames(r: RecordedResource): string[] {
    return r.options.dependsOn.map(urnName);
}

export const MOCK = {
    account: "123456789012",
    repositoryUrl: "123456789012.dkr.ecr.us-west-2.amazonaws.com/collector-images-1a2b3c4",
    digest: "sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
    functionUrl: "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-west-2.on.aws/",
    token: "Mock-Token_0123456789.abcdefghijklmnopqrstuvwxyz~ABCD",
    registryPassword: "mock-ecr-password",
    functionVersion: "7",
    lastModified: "2026-11-30T04:00:00.000+0000",
    apiEndpoint: "https://a1b2c3d4e5.execute-api.us-west-2.amazonaws.com",
    loadBalancerArn: "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/collector-lb/0123456789abcdef",
    targetGroupArn: "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/collector-lb/fedcba9876543210",
    listenerArn: "arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/app/collector-lb/0123456789abcdef/1122334455667788",
} as const;

/** Facts of the mocked account a test may change (and put back). */
export const account = {
    /** Lambda's "Concurrent executions" quota the Service Quotas data source answers; undefined: the call is refused. */
    concurrencyQuota: 1000 as number | undefined,
    /** Customer-managed KMS key of a caller's secret, by secret ARN (getSecret's kmsKeyId). */
    secretKmsKeys: {} as Record<string, string>,
    /** Versions the function has before the deploy, for the version pruning. */
    versions: ["1", "2", "3", "4", "5", "6", "7"] as string[],
    /** What the pruning did in the last run: deleted versions and secrets, removed statements. */
    pruned: [] as { deletedVersions: string[]; deletedSecrets: string[]; removedStatements: string[] }[],
};

/** Creates that failed as the provider's would (a function error of the invoked function): nothing is stored. */
export const failedCreates: { type: string; name: string; message: string }[] = [];

/**
 * The generated token the mock gives a RandomPassword: MOCK.token, except that a
 * later generation of a rotated producer (`<name>-token-<producer>.g<n>`) gets its
 * own, so tests can tell the old token from the new one.
 */
export function mockTokenOf(resourceName: string): string {
    const generation = /\.g([0-9]+)$/.exec(resourceName)?.[1];
    return generation === undefined ? MOCK.token : `${MOCK.token.slice(0, -(generation.length + 1))}G${generation}`;
}

/**
 * Answers an aws.lambda.Invocation: gets the parsed event (the `input`) and returns the
 * `result` string, i.e. the raw payload the function returned.
 */
export type InvocationResponder = (event: Record<string, unknown>, inputs: Record<string, unknown>) => string;

/** The response event the Lambda Web Adapter returns for an HTTP answer (ApiGatewayV2httpResponse). */
export function adapterResponse(status: number, body: Uint8Array | string = new Uint8Array(), contentType = "application/x-protobuf"): string {
    const binary = typeof body !== "string";
    return JSON.stringify({
        statusCode: status,
        headers: { "content-type": contentType, "date": "Mon, 30 Nov 2026 04:00:00 GMT" },
        multiValueHeaders: {},
        ...((binary ? body.length : body.length) > 0 ? { body: binary ? Buffer.from(body).toString("base64") : body } : {}),
        isBase64Encoded: binary,
        cookies: [],
    });
}

/**
 * The default responder: a healthy collector behind the adapter. 200 with an empty
 * ExportTraceServiceResponse (zero bytes) when the event carries an Authorization
 * header, 401 without one.
 */
export const healthyCollector: InvocationResponder = (event) => {
    const headers = (event.headers ?? {}) as Record<string, string>;
    return headers.authorization ? adapterResponse(200) : adapterResponse(401, "Unauthorized", "text/plain; charset=utf-8");
};

/** The responder in force; a test may swap it (and put it back) for the resources it registers. */
export const invocations: { respond: InvocationResponder } = { respond: healthyCollector };

export interface MockOptions {
    /** Run as a preview: outputs the mock leaves out are unknown. */
    readonly preview?: boolean;
    /** Leave the generated token out of the mock state, so at preview it is unknown. */
    readonly unknownToken?: boolean;
    /** Project name (the namespace of its config). @default "otel-lambda-collector" */
    readonly project?: string;
    /** Outputs of the stacks a StackReference may name, by stack name. */
    readonly stackReferences?: Record<string, { outputs: Record<string, unknown>; secretOutputNames: string[] }>;
    /** How aws.lambda.Invocation resources answer. @default {@link healthyCollector} (or `invocations.respond`) */
    readonly invocation?: InvocationResponder;
}

/**
 * Every resource registered in this process. Prefer {@link record}, which gives a
 * test only what it registered itself.
 */
export const resources: RecordedResource[] = [];

/** What one test registered: the resources and calls since its {@link record}. */
export interface Recorder {
    readonly resources: readonly RecordedResource[];
    readonly calls: readonly RecordedCall[];
}

/**
 * Starts a recorder of its own for one test: it sees only the resources and calls
 * registered after this call, so tests in one file need no name-prefix filters.
 */
export function record(): Recorder {
    const fromResource = resources.length;
    const fromCall = calls.length;
    return {
        get resources() {
            return resources.slice(fromResource);
        },
        get calls() {
            return calls.slice(fromCall);
        },
    };
}

export interface RecordedCall {
    readonly token: string;
    readonly inputs: Record<string, unknown>;
    readonly provider?: string;
}
export const calls: RecordedCall[] = [];

/** Installs the mocks; call before importing any program that registers resources. */
export async function installMocks(options: MockOptions = {}): Promise<void> {
    await pulumi.runtime.setMocks({
        newResource(args: pulumi.runtime.MockResourceArgs) {
            const recordedOptions = pendingOptions ?? EMPTY_OPTIONS;
            pendingOptions = undefined;
            resources.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown>, options: recordedOptions });
            if (args.type === "aws:lambda/invocation:Invocation" && runnerTask(args.inputs) !== undefined) {
                return runTask(args, options);
            }
            return { id: `${args.name}-id`, state: { ...args.inputs, ...computedOutputs(args, options) } };
        },
        call(args: pulumi.runtime.MockCallArgs) {
            calls.push({ token: args.token, inputs: args.inputs as Record<string, unknown>, provider: args.provider });
            if (args.token === "aws:ecr/getAuthorizationToken:getAuthorizationToken") {
                return { userName: "AWS", password: MOCK.registryPassword, proxyEndpoint: `https://${MOCK.account}.dkr.ecr.us-west-2.amazonaws.com` };
            }
            if (args.token === "aws:index/getRegion:getRegion") {
                return { id: "us-west-2", region: "us-west-2", name: "us-west-2", endpoint: "ec2.us-west-2.amazonaws.com", description: "US West (Oregon)" };
            }
            if (args.token === "aws:servicequotas/getServiceQuota:getServiceQuota") {
                // The "Concurrent executions" quota (1,000 per region for a new account).
                if (account.concurrencyQuota === undefined) throw new Error("AccessDeniedException: not authorized to perform servicequotas:GetServiceQuota");
                return { ...args.inputs, id: "lambda/L-B99A9384", value: account.concurrencyQuota, adjustable: true, defaultValue: 1000, globalQuota: false };
            }
            if (args.token === "aws:secretsmanager/getSecret:getSecret") {
                const arn = String(args.inputs.arn);
                // An AWS-managed key (empty kmsKeyId) unless the test names a customer key for this ARN.
                return { arn, id: arn, name: arn.split(":").pop(), kmsKeyId: account.secretKmsKeys[arn] ?? "" };
            }
            throw new Error(`mock call not implemented: ${args.token}`);
        },
    }, options.project ?? "otel-lambda-collector", "dev", options.preview ?? false);
    captureResourceOptions();
}

const EMPTY_OPTIONS: RecordedOptions = { parent: "", dependsOn: [], aliases: [], deleteBeforeReplace: false, retainOnDelete: false, ignoreChanges: [], replaceOnChanges: [] };
let pendingOptions: RecordedOptions | undefined;

// Pulumi's mock monitor hands `newResource` only the type, name and inputs. The
// request it receives also carries the resource options (dependsOn, aliases...), so
// read them there: the monitor calls `newResource` synchronously, before its first
// await, which makes a single pending slot enough.
function captureResourceOptions(): void {
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: RegisterRequest, cb: unknown): unknown; __optionsCaptured?: boolean };
    if (monitor.__optionsCaptured) return;
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: RegisterRequest, cb: unknown) => {
        pendingOptions = {
            parent: req.getParent(),
            dependsOn: req.getDependenciesList(),
            aliases: [
                ...req.getAliasurnsList().map((urn) => ({ urn })),
                ...req.getAliasesList().map((a) => {
                    if (a.getUrn()) return { urn: a.getUrn() };
                    const spec = a.getSpec();
                    return spec
                        ? { name: spec.getName() || undefined, type: spec.getType() || undefined, parentUrn: spec.getParenturn() || undefined, noParent: spec.getNoparent() || undefined, stack: spec.getStack() || undefined, project: spec.getProject() || undefined }
                        : {};
                }),
            ],
            deleteBeforeReplace: req.getDeletebeforereplace(),
            retainOnDelete: req.getRetainondelete() ?? false,
            ignoreChanges: req.getIgnorechangesList(),
            replaceOnChanges: req.getReplaceonchangesList(),
        };
        return original(req, cb);
    };
    monitor.__optionsCaptured = true;
}

type RegisterRequest = import("@pulumi/pulumi/proto/resource_pb").RegisterResourceRequest;

/** The deploy runner's task an Invocation carries, when its input is one. */
function runnerTask(inputs: Record<string, unknown>): (CheckTask | PruneTask) | undefined {
    const input = unwrapSecret(inputs.input);
    if (typeof input !== "string") return undefined;
    const parsed = JSON.parse(input) as { action?: unknown };
    return parsed.action === "check" || parsed.action === "prune" ? parsed as CheckTask | PruneTask : undefined;
}

/**
 * Runs the deploy runner's real code (components/lambda/deploy-runner-code.ts) against a fake
 * Lambda API whose collector answers with the responder in force. A thrown check is
 * what the provider does on a function error: the create fails and nothing is stored
 * (terraform-provider-aws internal/service/lambda/invocation.go returns before d.SetId).
 */
async function runTask(args: pulumi.runtime.MockResourceArgs, options: MockOptions): Promise<{ id: string; state: Record<string, unknown> }> {
    const task = runnerTask(args.inputs)!;
    const respond = options.invocation ?? invocations.respond;
    const environments: Record<string, Record<string, string>> = {};
    const api: RunnerApi = {
        invoke: async (functionName, qualifier, payload) => ({ payload: respond(JSON.parse(payload) as Record<string, unknown>, { ...args.inputs, functionName, qualifier }) }),
        listVersions: async () => ["$LATEST", ...account.versions],
        aliasVersion: async () => MOCK.functionVersion,
        environmentOf: async (_fn, qualifier) => environments[qualifier] ?? { COLLECTOR_SECRET_ARN: `arn:aws:secretsmanager:us-west-2:${MOCK.account}:secret:fn/collector-secrets-v${qualifier}-AbCdEf` },
        deleteVersion: async () => undefined,
        policyStatementIds: async () => ["FunctionURLAllowPublicAccess", "SomeoneElses"],
        removeStatement: async () => undefined,
        deleteSecret: async () => undefined,
        sleep: async () => undefined,
    };
    try {
        const result = await runDeployTask(task, api);
        if (task.action === "prune") account.pruned.push(result as (typeof account.pruned)[number]);
        return { id: `${args.name}-id`, state: { ...args.inputs, result: JSON.stringify(result) } };
    } catch (err) {
        const error = err as Error;
        const message = `invoking Lambda Function (${String(args.inputs.functionName)}): ${JSON.stringify({ errorType: error.name, errorMessage: error.message, trace: [] })}`;
        failedCreates.push({ type: args.type, name: args.name, message });
        throw new Error(message);
    }
}

function computedOutputs(args: pulumi.runtime.MockResourceArgs, options: MockOptions): Record<string, unknown> {
    switch (args.type) {
        case "aws:ecr/repository:Repository":
            return { name: `${args.name}-1a2b3c4`, repositoryUrl: MOCK.repositoryUrl, registryId: MOCK.account };
        case "docker-build:index:Image":
            return { digest: MOCK.digest, ref: `${MOCK.repositoryUrl}:tag@${MOCK.digest}` };
        case "aws:iam/role:Role":
            return { name: `${args.name}-1a2b3c4`, arn: `arn:aws:iam::${MOCK.account}:role/${args.name}-1a2b3c4` };
        case "aws:lambda/function:Function": {
            const arn = `arn:aws:lambda:us-west-2:${MOCK.account}:function:${String(args.inputs.name)}`;
            // With publish, the provider reports the newest published version.
            return args.inputs.publish
                ? { arn, version: MOCK.functionVersion, qualifiedArn: `${arn}:${MOCK.functionVersion}`, lastModified: MOCK.lastModified }
                : { arn, version: "$LATEST", qualifiedArn: `${arn}:$LATEST`, lastModified: MOCK.lastModified };
        }
        case "aws:lambda/alias:Alias":
            return { arn: `arn:aws:lambda:us-west-2:${MOCK.account}:function:${String(args.inputs.functionName)}:${String(args.inputs.name)}` };
        case "aws:lambda/invocation:Invocation": {
            const input = unwrapSecret(args.inputs.input);
            // At preview the event is unknown (the version is), and the provider would not invoke.
            if (typeof input !== "string") return {};
            const respond = options.invocation ?? invocations.respond;
            return { result: respond(JSON.parse(String(input)) as Record<string, unknown>, args.inputs) };
        }
        case "aws:cloudwatch/logGroup:LogGroup":
            // The provider's log group ARN ends in `:*`.
            return { arn: `arn:aws:logs:us-west-2:${MOCK.account}:log-group:${String(args.inputs.name)}:*` };
        case "aws:lambda/functionUrl:FunctionUrl":
            return { functionUrl: MOCK.functionUrl };
        case "random:index/randomPassword:RandomPassword":
            // The provider marks `result` secret (additionalSecretOutputs); so does the mock.
            return options.unknownToken ? {} : { result: pulumi.secret(mockTokenOf(args.name)) };
        case "aws:secretsmanager/secret:Secret":
            return { arn: `arn:aws:secretsmanager:us-west-2:${MOCK.account}:secret:${args.name}-AbCdEf` };
        case "aws:secretsmanager/secretVersion:SecretVersion":
            return { versionId: "11111111-2222-3333-4444-555555555555" };
        // awsx components are remote: the mock answers for the whole component, with
        // the outputs the program reads (as plain values where the SDK would give resources).
        case "awsx:ec2:DefaultVpc":
            return { vpcId: "vpc-0a1b2c3d", publicSubnetIds: ["subnet-0a", "subnet-0b", "subnet-0c"], privateSubnetIds: [] };
        case "awsx:lb:ApplicationLoadBalancer":
            return {
                loadBalancer: { arn: MOCK.loadBalancerArn, arnSuffix: "app/collector-lb/0123456789abcdef", dnsName: "internal-collector-lb.us-west-2.elb.amazonaws.com" },
                defaultTargetGroup: { arn: MOCK.targetGroupArn, arnSuffix: "targetgroup/collector-lb/fedcba9876543210", port: 4318 },
                listeners: [{ arn: MOCK.listenerArn, port: 80, protocol: "HTTP" }],
            };
        case "awsx:ecs:FargateService":
            return { service: { name: String(args.inputs.name) }, taskDefinition: undefined };
        case "aws:apigatewayv2/api:Api":
            return { apiEndpoint: MOCK.apiEndpoint };
        case "aws:apigatewayv2/domainName:DomainName":
            return { domainNameConfiguration: { ...(args.inputs.domainNameConfiguration as object), targetDomainName: "d-abc123.execute-api.us-west-2.amazonaws.com" } };
        case "aws:ecs/cluster:Cluster":
            return { name: `${args.name}-1a2b3c4`, arn: `arn:aws:ecs:us-west-2:${MOCK.account}:cluster/${args.name}-1a2b3c4` };
        case "random:index/randomId:RandomId":
            return { hex: "9f8e7d6c" };
        case "pulumi:pulumi:StackReference": {
            const stack = options.stackReferences?.[String(args.inputs.name)];
            if (!stack) {
                throw new Error(`no mocked stack ${String(args.inputs.name)}`);
            }
            return { outputs: stack.outputs, secretOutputNames: stack.secretOutputNames };
        }
        default:
            return {};
    }
}

/** Resolves an Output in a test (unknown values resolve to undefined). */
export function value<T>(output: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> {
    return new Promise((resolve) => {
        pulumi.output(output).apply((v) => resolve(v));
    });
}

/** Whether `r` belongs to a component's deploy runner (components/lambda/deploy-runner.ts), not to the collector itself. */
export function isRunnerPart(r: RecordedResource): boolean {
    return r.options.parent.includes("$otel-lambda-collector:index:DeployRunner::");
}

/** The one recorded resource of `type`, the deploy runner's own left out (fails unless there is exactly one). */
export function only(type: string, among: readonly RecordedResource[] = resources): RecordedResource {
    const found = among.filter((r) => r.type === type && !isRunnerPart(r));
    if (found.length !== 1) {
        throw new Error(`expected exactly one ${type}, found ${found.length}`);
    }
    return found[0];
}

/** Waits until registrations started so far have reached the mock monitor. */
export async function settle(): Promise<void> {
    for (let i = 0; i < 10; i++) {
        await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
}

export { projectRoot } from "./paths";

/** Loads a stack's Pulumi.<stack>.yaml into the runtime config, as `pulumi up` would. */
export function loadStackConfig(file: string): void {
    const doc = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
    const config: Record<string, string> = {};
    for (const [key, raw] of Object.entries(doc.config ?? {})) {
        if (typeof raw === "object" && raw !== null && "secure" in raw) {
            throw new Error(`${file}: ${key} is encrypted; tests run without the passphrase`);
        }
        config[key] = typeof raw === "string" ? raw : JSON.stringify(raw);
    }
    pulumi.runtime.setAllConfig(config);
}

/**
 * A recorded input that may be a secret: the mock engine receives a secret property
 * as the wire format's wrapper. Returns whether it was secret, and its value.
 */
export function secretInput(input: unknown): { secret: boolean; value: unknown } {
    const value = unwrapSecret(input);
    return { secret: value !== input, value };
}
