// The LambdaCollector resource graph under mocks: what each child receives.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { dependsOn, dependsOnNames, installMocks, MOCK, only, record, secretInput, settle, value, type RecordedResource } from "../../harness/mocks";
import { defaultCollectorConfig } from "../../../components/shared/config-sources/default-config";
import { collectorImageOptions, IMAGE_TARGET, PINNED_IMAGES } from "../../../components/shared/image/collector-image";

// Imported after the mocks, as a program would be.
type Module = typeof import("../../../components/lambda/lambda-collector");
let lib: Module;
let collector: InstanceType<Module["LambdaCollector"]>;
let own: RecordedResource[];
let imageOptions: pulumi.CustomResourceOptions | undefined;

before(async () => {
    await installMocks();
    lib = await import("../../../components/lambda/lambda-collector");
    const recorder = record();
    collector = new lib.LambdaCollector("collector", {}, {
        // Observes the options the component gives its children (mocks do not see options).
        transformations: [(args) => {
            if (args.type === "docker-build:index:Image") imageOptions = args.opts;
            return undefined;
        }],
    });
    await value(collector.url);
    await settle();
    own = [...recorder.resources];
});

describe("LambdaCollector children", () => {
    it("creates exactly the expected resources", () => {
        const counts = new Map<string, number>();
        for (const r of own) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
        assert.deepEqual(Object.fromEntries([...counts].sort()), {
            "aws:cloudwatch/dashboard:Dashboard": 1,
            // The collector's and the deploy runner's.
            "aws:cloudwatch/logGroup:LogGroup": 2,
            "aws:cloudwatch/metricAlarm:MetricAlarm": 2,
            "aws:ecr/lifecyclePolicy:LifecyclePolicy": 1,
            "aws:ecr/repository:Repository": 1,
            "aws:iam/role:Role": 2,
            // The collector's log access; the runner's log access and its own access.
            "aws:iam/rolePolicy:RolePolicy": 3,
            "aws:lambda/alias:Alias": 1,
            "aws:lambda/function:Function": 2,
            "aws:lambda/functionUrl:FunctionUrl": 1,
            // The check and the pruning.
            "aws:lambda/invocation:Invocation": 2,
            "otel-lambda-collector:index:DeployRunner": 1,
            "aws:lambda/permission:Permission": 2,
            "docker-build:index:Image": 1,
            "otel-lambda-collector:index:LambdaCollector": 1,
            "random:index/randomId:RandomId": 1,
            "random:index/randomPassword:RandomPassword": 1,
        });
    });

    it("builds one linux/arm64 image, pushed, through the BuildKit path", () => {
        const image = only("docker-build:index:Image", own).inputs;
        assert.deepEqual(image.platforms, ["linux/arm64"]);
        assert.equal(image.push, true);
        // exec:true would shell out to buildx, which adds a provenance attestation
        // and so an image index that Lambda rejects.
        assert.equal(image.exec, false);
        assert.equal(image.exports, undefined, "exports with push fails the provider's Check");
        assert.equal(image.buildOnPreview, false);
        assert.deepEqual(image.tags, [`${MOCK.repositoryUrl}:otelcol-${PINNED_IMAGES.collector.version}`]);
        assert.equal(image.target, IMAGE_TARGET);
        // Only the ECR push target: base-image registries use the host's docker login.
        assert.deepEqual(image.registries, [{ address: MOCK.repositoryUrl, username: "AWS", password: MOCK.registryPassword }]);
    });

    it("builds from the pinned base images on registries without anonymous pull limits", () => {
        const image = only("docker-build:index:Image", own).inputs;
        assert.deepEqual(image.buildArgs, {
            COLLECTOR_IMAGE: `ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:${PINNED_IMAGES.collector.version}`,
            ALPINE_IMAGE: `public.ecr.aws/docker/library/alpine:${PINNED_IMAGES.alpine.version}`,
            ADAPTER_IMAGE: `public.ecr.aws/awsguru/aws-lambda-adapter:${PINNED_IMAGES.adapter.version}`,
        }, "versions come from collector/Dockerfile; edit them there");
    });

    it("points the build context at the packaged collector folder, relative to the project", () => {
        const image = only("docker-build:index:Image", own).inputs as { context: { location: string }; dockerfile: { location: string } };
        assert.equal(path.isAbsolute(image.context.location), false, "an absolute path differs between machines and forces rebuilds");
        assert.equal(image.context.location, "collector");
        assert.equal(image.dockerfile.location, "collector/Dockerfile");
        assert.ok(fs.existsSync(path.resolve(image.context.location, "Dockerfile")));
        // Docker reads the Dockerfile by location even though .dockerignore excludes it
        // (test/collector/build-context.test.ts proves the context itself is empty).
        assert.equal(fs.readFileSync(path.resolve(image.context.location, ".dockerignore"), "utf8").split("\n").filter((l) => l.trim() && !l.startsWith("#")).join(","), "*");
    });

    it("retains the pushed image when the Image resource is deleted or replaced", () => {
        // The provider deletes the pushed manifest on delete; a replace with an unchanged
        // digest would pull the running function's image. The ECR lifecycle rule and
        // forceDelete clean up instead.
        assert.equal(imageOptions?.retainOnDelete, true);
        assert.equal(imageOptions?.parent, collector);
        assert.deepEqual(collectorImageOptions(collector), { parent: collector, retainOnDelete: true });
        const repository = only("aws:ecr/repository:Repository", own).inputs;
        assert.equal(repository.forceDelete, true);
        const rule = JSON.parse(String(only("aws:ecr/lifecyclePolicy:LifecyclePolicy", own).inputs.policy)) as { rules: { action: { type: string } }[] };
        assert.equal(rule.rules[0].action.type, "expire");
    });

    it("runs the function from the pushed digest, as an arm64 image", () => {
        const fn = only("aws:lambda/function:Function", own).inputs;
        assert.equal(fn.imageUri, `${MOCK.repositoryUrl}@${MOCK.digest}`);
        assert.equal(fn.packageType, "Image");
        assert.deepEqual(fn.architectures, ["arm64"]);
        assert.equal(fn.memorySize, 512);
        assert.equal(fn.timeout, 30);
        assert.equal(fn.name, "collector-9f8e7d6c");
        assert.equal(fn.role, "arn:aws:iam::123456789012:role/collector-role-1a2b3c4");
    });

    it("passes the config and the token through the environment, as a secret, and nothing else", () => {
        const environment = secretInput(only("aws:lambda/function:Function", own).inputs.environment);
        assert.equal(environment.secret, true, "the token must not reach the function's configuration in plain text");
        const variables = (environment.value as { variables: Record<string, string> }).variables;
        assert.deepEqual(Object.keys(variables).sort(), ["COLLECTOR_CONFIG", "COLLECTOR_INGEST_TOKENS"]);
        assert.equal(variables.COLLECTOR_CONFIG, defaultCollectorConfig());
        // A YAML flow list, which `tokens: ${env:COLLECTOR_INGEST_TOKENS}` reads as a list.
        assert.equal(variables.COLLECTOR_INGEST_TOKENS, `["${MOCK.token}"]`);
    });

    it("makes a public, buffered Function URL on the live alias, with both invoke permissions on that alias", () => {
        const url = only("aws:lambda/functionUrl:FunctionUrl", own).inputs;
        assert.equal(url.authorizationType, "NONE");
        assert.equal(url.invokeMode, "BUFFERED");
        assert.equal(url.functionName, "collector-9f8e7d6c");
        assert.equal(url.qualifier, lib.LIVE_ALIAS_NAME);
        const permissions = own.filter((r) => r.type === "aws:lambda/permission:Permission").map((r) => r.inputs);
        const byAction = Object.fromEntries(permissions.map((p) => [String(p.action), p]));
        assert.deepEqual(byAction["lambda:InvokeFunctionUrl"], {
            function: "collector-9f8e7d6c", qualifier: "live", action: "lambda:InvokeFunctionUrl", principal: "*",
            functionUrlAuthType: "NONE", statementId: lib.URL_PERMISSION_STATEMENT_IDS.invokeFunctionUrl,
        });
        assert.deepEqual(byAction["lambda:InvokeFunction"], {
            function: "collector-9f8e7d6c", qualifier: "live", action: "lambda:InvokeFunction", principal: "*",
            invokedViaFunctionUrl: true, statementId: lib.URL_PERMISSION_STATEMENT_IDS.invokeFunction,
        });
    });

    it("uses statement ids that cannot collide with the ones the AWS provider adds", () => {
        const ids = own.filter((r) => r.type === "aws:lambda/permission:Permission").map((r) => String(r.inputs.statementId));
        assert.equal(new Set(ids).size, 2);
        for (const id of ids) {
            assert.ok(!["FunctionURLAllowPublicAccess", "FunctionURLAllowInvokeAction"].includes(id), id);
            assert.match(id, /^[a-zA-Z0-9_-]{1,100}$/, "Lambda's statement id pattern");
        }
    });

    it("generates a token of at least 256 bits from a header-safe alphabet", () => {
        const password = only("random:index/randomPassword:RandomPassword", own).inputs;
        assert.equal(password.special, true);
        const special = String(password.overrideSpecial);
        // Unreserved in URLs and allowed by RFC 6750's b64token: no escaping anywhere.
        assert.match(special, /^[-._~]+$/);
        assert.notEqual(password.upper, false);
        assert.notEqual(password.lower, false);
        assert.notEqual(password.numeric, false);
        const alphabet = 26 + 26 + 10 + new Set(special).size;
        const bits = Number(password.length) * Math.log2(alphabet);
        assert.ok(bits >= 256, `token entropy ${bits.toFixed(0)} bits`);
    });

    it("keeps the token and the producer environment secret", async () => {
        assert.equal(await pulumi.isSecret(collector.ingestToken), true);
        assert.equal(await pulumi.isSecret(collector.producerEnvironment), true);
        assert.equal(await value(collector.ingestToken), MOCK.token);
    });

    it("exports endpoints and a producer environment a standard OTLP SDK reads", async () => {
        assert.equal(await value(collector.url), MOCK.functionUrl);
        assert.equal(await value(collector.tracesEndpoint), `${MOCK.functionUrl}v1/traces`);
        assert.equal(await value(collector.metricsEndpoint), `${MOCK.functionUrl}v1/metrics`);
        assert.equal(await value(collector.logsEndpoint), `${MOCK.functionUrl}v1/logs`);
        assert.deepEqual(await value(collector.producerEnvironment), {
            OTEL_EXPORTER_OTLP_ENDPOINT: MOCK.functionUrl.replace(/\/$/, ""),
            OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
            OTEL_EXPORTER_OTLP_COMPRESSION: "gzip",
            OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${MOCK.token}`,
        });
        assert.equal(await value(collector.imageUri), `${MOCK.repositoryUrl}@${MOCK.digest}`);
        assert.equal(await value(collector.functionArn), "arn:aws:lambda:us-west-2:123456789012:function:collector-9f8e7d6c");
    });

    it("names the log group after the function and keeps 14 days", () => {
        const group = only("aws:cloudwatch/logGroup:LogGroup", own).inputs;
        assert.equal(group.name, "/aws/lambda/collector-9f8e7d6c");
        assert.equal(group.retentionInDays, 14);
    });

    it("creates the log group before the function, so Lambda never creates it first without retention", () => {
        const group = only("aws:cloudwatch/logGroup:LogGroup", own);
        // By type and name: the logs policy attachment is also named "collector-logs".
        assert.ok(dependsOn(only("aws:lambda/function:Function", own), group), "the function waits for its log group");
    });

    it("gives the role Lambda's trust and log writes to its own log group only, not AWSLambdaBasicExecutionRole", () => {
        const role = only("aws:iam/role:Role", own).inputs;
        assert.deepEqual(JSON.parse(String(role.assumeRolePolicy)), {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
        });
        assert.equal(own.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment").length, 0, "no managed policy that writes to every log group");
        const logs = own.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "collector-logs")!;
        const group = "arn:aws:logs:us-west-2:123456789012:log-group:/aws/lambda/collector-9f8e7d6c";
        assert.deepEqual(JSON.parse(String(logs.inputs.policy)).Statement, [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [group, `${group}:*`] }]);
        assert.ok(dependsOnNames(only("aws:lambda/function:Function", own)).includes("collector-logs"), "the function waits for its log access");
    });

    it("scans images on push and keeps the newest ten", () => {
        const repo = only("aws:ecr/repository:Repository", own).inputs;
        assert.deepEqual(repo.imageScanningConfiguration, { scanOnPush: true });
        assert.equal(repo.forceDelete, true);
        const policy = JSON.parse(String(only("aws:ecr/lifecyclePolicy:LifecyclePolicy", own).inputs.policy));
        assert.deepEqual(policy.rules[0].selection, { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 });
        assert.deepEqual(policy.rules[0].action, { type: "expire" });
    });
});

describe("LambdaCollector arguments", () => {
    it("uses a caller's token instead of generating one, and keeps it secret", async () => {
        const recorder = record();
        const c = new lib.LambdaCollector("given", { ingestToken: "caller-token-0123456789abcdefghijklmnopqrstuvwxyz", functionName: "given-fn" });
        assert.equal(await value(c.ingestToken), "caller-token-0123456789abcdefghijklmnopqrstuvwxyz");
        assert.equal(await pulumi.isSecret(c.ingestToken), true);
        await settle();
        const mine = recorder.resources;
        assert.equal(mine.filter((r) => r.type.startsWith("random:")).length, 0);
        assert.equal(only("aws:lambda/function:Function", mine).inputs.name, "given-fn");
    });

    it("builds for x86_64 when asked, on both the image and the function", async () => {
        const recorder = record();
        const c = new lib.LambdaCollector("amd", { architecture: "x86_64", memorySize: 1024, timeout: 60, logRetentionDays: 30, keepImages: 3 });
        await value(c.url);
        await settle();
        const mine = recorder.resources;
        assert.deepEqual(only("docker-build:index:Image", mine).inputs.platforms, ["linux/amd64"]);
        const fn = only("aws:lambda/function:Function", mine).inputs;
        assert.deepEqual(fn.architectures, ["x86_64"]);
        assert.equal(fn.memorySize, 1024);
        assert.equal(fn.timeout, 60);
        assert.equal(only("aws:cloudwatch/logGroup:LogGroup", mine).inputs.retentionInDays, 30);
        const policy = JSON.parse(String(only("aws:ecr/lifecyclePolicy:LifecyclePolicy", mine).inputs.policy));
        assert.equal(policy.rules[0].selection.countNumber, 3);
    });

    it("logs in to the repository's registry through the component's own AWS provider", async () => {
        const provider = new aws.Provider("eu", { region: "eu-west-1" });
        const recorder = record();
        const c = new lib.LambdaCollector("eu-collector", {}, { providers: { aws: provider } });
        await value(c.url);
        await settle();
        const logins = recorder.calls.filter((call) => call.token === "aws:ecr/getAuthorizationToken:getAuthorizationToken");
        assert.equal(logins.length, 1);
        assert.equal(logins[0].inputs.registryId, MOCK.account);
        assert.match(logins[0].provider ?? "", /pulumi:providers:aws::eu::/);
    });

    it("points every output at the receiver's own paths when the config sets a custom *_url_path", async () => {
        const custom = defaultCollectorConfig().replace("endpoint: 127.0.0.1:4318\n", "endpoint: 127.0.0.1:4318\n        traces_url_path: /ingest/traces\n");
        assert.match(custom, /traces_url_path: \/ingest\/traces/);
        const c = new lib.LambdaCollector("paths", { collectorConfig: custom });
        assert.equal(await value(c.tracesEndpoint), `${MOCK.functionUrl}ingest/traces`);
        assert.equal(await value(c.metricsEndpoint), `${MOCK.functionUrl}v1/metrics`);
        const env = await value(c.producerEnvironment);
        assert.equal(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, `${MOCK.functionUrl}ingest/traces`);
        assert.equal(env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT, undefined, "only the signal whose path differs");
        assert.equal(env.OTEL_EXPORTER_OTLP_ENDPOINT, MOCK.functionUrl.replace(/\/$/, ""));
    });

    it("changes only the function, not the image, when only the config changes", async () => {
        const recorder = record();
        const a = new lib.LambdaCollector("cfg-a", {});
        const edited = defaultCollectorConfig().replace("verbosity: basic", "verbosity: detailed");
        assert.notEqual(edited, defaultCollectorConfig());
        const b = new lib.LambdaCollector("cfg-b", { collectorConfig: edited });
        await Promise.all([value(a.url), value(b.url)]);
        await settle();
        // Two components registered together: each is told apart by its name.
        const added = recorder.resources;
        const imageA = only("docker-build:index:Image", added.filter((r) => r.name.startsWith("cfg-a")));
        const imageB = only("docker-build:index:Image", added.filter((r) => r.name.startsWith("cfg-b")));
        assert.deepEqual(imageB.inputs, imageA.inputs);
        const envOf = (prefix: string) => (secretInput(only("aws:lambda/function:Function", added.filter((r) => r.name.startsWith(prefix))).inputs.environment)
            .value as { variables: Record<string, string> }).variables.COLLECTOR_CONFIG;
        assert.notEqual(envOf("cfg-b"), envOf("cfg-a"));
        assert.equal(envOf("cfg-b"), edited);
    });
});
