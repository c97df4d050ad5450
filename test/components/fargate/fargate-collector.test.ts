// The FargateCollector resource graph under mocks. awsx's FargateService,
// ApplicationLoadBalancer and DefaultVpc are remote components: the mock engine sees
// each as one resource of its component type with its inputs, so those inputs are
// what is asserted (image by digest, environment without secrets, secrets from
// Secrets Manager, ports, health check, circuit breaker, scaling, HTTPS door).
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, MOCK, only, record, secretInput, settle, value, type RecordedResource } from "../../harness/mocks";
import { defaultFargateConfig } from "../../../components/fargate/presets";
import { producerEnvironmentFor } from "../../../components/shared/tokens/producer-environment";

type Module = typeof import("../../../components");
let lib: Module;
let collector: InstanceType<Module["FargateCollector"]>;
let own: RecordedResource[];

interface Container {
    image: string;
    environment: { name: string; value: string }[];
    secrets: { name: string; valueFrom: string }[];
    portMappings: { containerPort: number; targetGroup?: { arn: string } }[];
    healthCheck: { command: string[] };
}

before(async () => {
    await installMocks();
    lib = await import("../../../components");
    const recorder = record();
    collector = new lib.FargateCollector("collector", { environment: { BACKEND_KEY: pulumi.secret("backend-secret-value-0123456789") } });
    await value(collector.producerEnvironment);
    await settle();
    own = [...recorder.resources];
});

const service = (): Record<string, unknown> => only("awsx:ecs:FargateService", own).inputs;
const container = (): Container => (service().taskDefinitionArgs as { container: Container }).container;

describe("FargateCollector children", () => {
    it("creates exactly the expected resources", () => {
        const counts = new Map<string, number>();
        for (const r of own) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
        assert.deepEqual(Object.fromEntries([...counts].sort()), {
            "aws:apigatewayv2/api:Api": 1,
            "aws:apigatewayv2/integration:Integration": 1,
            "aws:apigatewayv2/route:Route": 1,
            "aws:apigatewayv2/stage:Stage": 1,
            "aws:apigatewayv2/vpcLink:VpcLink": 1,
            "aws:appautoscaling/policy:Policy": 1,
            "aws:appautoscaling/target:Target": 1,
            "aws:cloudwatch/logGroup:LogGroup": 1,
            "aws:ec2/securityGroup:SecurityGroup": 3,
            "aws:ecr/lifecyclePolicy:LifecyclePolicy": 1,
            "aws:ecr/repository:Repository": 1,
            "aws:ecs/cluster:Cluster": 1,
            "aws:iam/role:Role": 2,
            "aws:iam/rolePolicy:RolePolicy": 1,
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 1,
            "aws:secretsmanager/secret:Secret": 1,
            "aws:secretsmanager/secretVersion:SecretVersion": 1,
            "awsx:ec2:DefaultVpc": 1,
            "awsx:ecs:FargateService": 1,
            "awsx:lb:ApplicationLoadBalancer": 1,
            "docker-build:index:Image": 1,
            "otel-lambda-collector:index:FargateCollector": 1,
            "random:index/randomId:RandomId": 1,
            "random:index/randomPassword:RandomPassword": 1,
        });
    });

    it("runs the image by digest, the same contrib target LambdaCollector builds", () => {
        assert.equal(container().image, `${MOCK.repositoryUrl}@${MOCK.digest}`);
        assert.equal(only("docker-build:index:Image", own).inputs.target, "contrib");
    });

    it("puts only the config in the container environment, and every secret in `secrets` from Secrets Manager at a pinned version", () => {
        assert.deepEqual(container().environment.map((e) => e.name), ["COLLECTOR_CONFIG"]);
        assert.equal(container().environment[0].value, defaultFargateConfig());
        const inputs = JSON.stringify(service());
        assert.ok(!inputs.includes(MOCK.token), "no token in the service's inputs");
        assert.ok(!inputs.includes("backend-secret-value-0123456789"), "no environment secret in the service's inputs");
        const arn = `arn:aws:secretsmanager:us-west-2:${MOCK.account}:secret:collector-secrets-AbCdEf`;
        assert.deepEqual(container().secrets, [
            { name: "BACKEND_KEY", valueFrom: `${arn}:BACKEND_KEY::11111111-2222-3333-4444-555555555555` },
            { name: "COLLECTOR_INGEST_TOKENS", valueFrom: `${arn}:COLLECTOR_INGEST_TOKENS::11111111-2222-3333-4444-555555555555` },
        ]);
        const stored = secretInput(only("aws:secretsmanager/secretVersion:SecretVersion", own).inputs.secretString);
        assert.equal(stored.secret, true);
        assert.deepEqual(JSON.parse(stored.value as string), { BACKEND_KEY: "backend-secret-value-0123456789", COLLECTOR_INGEST_TOKENS: JSON.stringify([MOCK.token]) });
    });

    it("lets only the execution role read the component's secret", () => {
        const policy = only("aws:iam/rolePolicy:RolePolicy", own).inputs;
        assert.equal(policy.role, "collector-execution-id");
        assert.match(String(policy.policy), /secretsmanager:GetSecretValue/);
        const roles = own.filter((r) => r.type === "aws:iam/role:Role").map((r) => JSON.parse(String(r.inputs.assumeRolePolicy)).Statement[0].Principal.Service);
        assert.deepEqual(roles, ["ecs-tasks.amazonaws.com", "ecs-tasks.amazonaws.com"]);
        const task = service().taskDefinitionArgs as { executionRole: { roleArn: string }; taskRole: { roleArn: string } };
        assert.match(task.executionRole.roleArn, /role\/collector-execution/);
        assert.match(task.taskRole.roleArn, /role\/collector-task/);
    });

    it("serves OTLP on 4318 through the load balancer's target group, health on 13133", () => {
        const ports = container().portMappings;
        assert.deepEqual(ports.map((p) => p.containerPort), [4318, 13133]);
        assert.equal(ports[0].targetGroup?.arn, MOCK.targetGroupArn);
        assert.match(container().healthCheck.command.join(" "), /127\.0\.0\.1:13133\//);
    });

    it("rolls out with the deployment circuit breaker and rollback, at full strength", () => {
        assert.deepEqual(service().deploymentCircuitBreaker, { enable: true, rollback: true });
        assert.equal(service().deploymentMinimumHealthyPercent, 100);
        assert.equal(service().desiredCount, 2);
        assert.notEqual(service().continueBeforeSteadyState, true, "awsx waits for steady state, so pulumi up reports a rollback");
    });

    it("logs to its own CloudWatch log group with retention", () => {
        assert.equal(only("aws:cloudwatch/logGroup:LogGroup", own).inputs.retentionInDays, 14);
        assert.deepEqual((service().taskDefinitionArgs as { logGroup: unknown }).logGroup, { existing: { name: "/ecs/collector" } });
    });

    it("health-checks targets against the health_check extension on an internal load balancer", () => {
        const alb = only("awsx:lb:ApplicationLoadBalancer", own).inputs as Record<string, any>;
        assert.equal(alb.internal, true);
        assert.deepEqual(alb.listener, { port: 80, protocol: "HTTP" });
        assert.equal(alb.defaultTargetGroup.port, 4318);
        assert.equal(alb.defaultTargetGroup.targetType, "ip");
        assert.equal(alb.defaultTargetGroup.healthCheck.port, "13133");
        assert.equal(alb.defaultTargetGroup.healthCheck.path, "/");
        assert.equal(alb.defaultTargetGroup.healthCheck.matcher, "200");
        assert.equal(alb.securityGroups.length, 1, "its own security group, not awsx's open default");
    });

    it("lets traffic flow one way: VPC link → load balancer :80 → tasks :4318 and :13133", () => {
        const groups = Object.fromEntries(own.filter((r) => r.type === "aws:ec2/securityGroup:SecurityGroup").map((r) => [r.name, r.inputs as Record<string, any>]));
        assert.deepEqual(groups["collector-lb"].ingress.map((i: any) => [i.fromPort, i.securityGroups]), [[80, ["collector-link-id"]]]);
        assert.deepEqual(groups["collector-tasks"].ingress.map((i: any) => [i.fromPort, i.securityGroups]), [[4318, ["collector-lb-id"]], [13133, ["collector-lb-id"]]]);
        const network = service().networkConfiguration as { securityGroups: string[]; assignPublicIp: boolean };
        assert.deepEqual(network.securityGroups, ["collector-tasks-id"]);
    });

    it("serves producers over HTTPS from API Gateway, privately integrated with the load balancer's listener", async () => {
        const integration = only("aws:apigatewayv2/integration:Integration", own).inputs;
        assert.equal(integration.connectionType, "VPC_LINK");
        assert.equal(integration.integrationUri, MOCK.listenerArn);
        assert.equal(only("aws:apigatewayv2/stage:Stage", own).inputs.name, "$default");
        assert.equal(only("aws:apigatewayv2/route:Route", own).inputs.routeKey, "$default");
        assert.equal(await value(collector.url), `${MOCK.apiEndpoint}/`);
        assert.match(await value(collector.url), /^https:\/\//);
    });

    it("scales between minCount and maxCount on average CPU", () => {
        const target = only("aws:appautoscaling/target:Target", own).inputs;
        assert.deepEqual([target.minCapacity, target.maxCapacity, target.scalableDimension], [2, 6, "ecs:service:DesiredCount"]);
        assert.equal(target.resourceId, "service/collector-cluster-1a2b3c4/otel-collector");
        const policy = only("aws:appautoscaling/policy:Policy", own).inputs as Record<string, any>;
        assert.equal(policy.targetTrackingScalingPolicyConfiguration.targetValue, 60);
        assert.equal(policy.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType, "ECSServiceAverageCPUUtilization");
    });

    it("gives producers the same outputs, by name and shape, as LambdaCollector", async () => {
        const environment = await value(collector.producerEnvironment);
        // The very function LambdaCollector uses, with this URL: only the endpoint differs.
        assert.deepEqual(environment, producerEnvironmentFor(`${MOCK.apiEndpoint}/`, MOCK.token));
        assert.equal(environment.OTEL_EXPORTER_OTLP_ENDPOINT, MOCK.apiEndpoint);
        assert.deepEqual(Object.keys(await value(collector.producerEnvironments)), ["default"]);
        assert.equal(await value(collector.tracesEndpoint), `${MOCK.apiEndpoint}/v1/traces`);
        for (const secret of [collector.ingestToken, collector.producerEnvironment, collector.producerEnvironments] as pulumi.Output<unknown>[]) {
            assert.equal(await pulumi.isSecret(secret), true);
        }
        for (const name of lib.SHARED_OUTPUT_NAMES.filter((n) => n !== "runtime")) {
            assert.ok(pulumi.Output.isInstance((collector as unknown as Record<string, unknown>)[name]), name);
        }
    });
});

describe("FargateCollector options", () => {
    it("answers on your domain with your certificate, and closes the execute-api URL", async () => {
        const recorder = record();
        const c = new lib.FargateCollector("domain", { domainName: "otel.example.com", certificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/abc-123" });
        await value(c.url);
        await settle();
        const domain = only("aws:apigatewayv2/domainName:DomainName", recorder.resources).inputs as Record<string, any>;
        assert.equal(domain.domainName, "otel.example.com");
        assert.equal(domain.domainNameConfiguration.certificateArn, "arn:aws:acm:us-west-2:123456789012:certificate/abc-123");
        assert.equal(only("aws:apigatewayv2/api:Api", recorder.resources).inputs.disableExecuteApiEndpoint, true);
        assert.equal(await value(c.url), "https://otel.example.com/");
        assert.equal(await value(c.domainTarget!), "d-abc123.execute-api.us-west-2.amazonaws.com");
    });

    it("scales on requests per task with the load balancer's resource label", async () => {
        const recorder = record();
        const c = new lib.FargateCollector("requests", { scaleOn: "requests", scaleTarget: 3000, minCount: 1, desiredCount: 1, maxCount: 4 });
        await value(c.url);
        await settle();
        const spec = (only("aws:appautoscaling/policy:Policy", recorder.resources).inputs as Record<string, any>).targetTrackingScalingPolicyConfiguration;
        assert.equal(spec.targetValue, 3000);
        assert.deepEqual(spec.predefinedMetricSpecification, {
            predefinedMetricType: "ALBRequestCountPerTarget",
            resourceLabel: "app/collector-lb/0123456789abcdef/targetgroup/collector-lb/fedcba9876543210",
        });
    });

    const cases: [string, Record<string, unknown>, RegExp][] = [
        ["a task size Fargate refuses", { taskCpu: 256, taskMemory: 4096 }, /^taskMemory: 4096 MiB is not a memory Fargate accepts with 256 CPU units; use 512-2048 MiB/m],
        ["a CPU Fargate has not", { taskCpu: 300 }, /^taskCpu: 300 is not a Fargate task CPU/m],
        ["desiredCount outside min and max", { desiredCount: 9, maxCount: 6 }, /^desiredCount: 9 is outside minCount 2 to maxCount 6/m],
        ["minCount above maxCount", { minCount: 5, maxCount: 3, desiredCount: 4 }, /^minCount: 5 is above maxCount 3/m],
        ["a domain without its certificate", { domainName: "otel.example.com" }, /^domainName: needs certificateArn/m],
        ["a CPU target above 100", { scaleTarget: 150 }, /^scaleTarget: 150 is not a whole number of percent CPU between 1 and 100/m],
        ["an argument it does not have", { memorySize: 512 }, /^memorySize: is not an argument of FargateCollector/m],
        ["a receiver the load balancer cannot reach", { collectorConfig: defaultFargateConfig().replace("0.0.0.0:4318", "localhost:4318") }, /container-listener|listens on localhost only/],
        ["no health_check extension", { collectorConfig: defaultFargateConfig().replace("bearertokenauth/ingest, health_check", "bearertokenauth/ingest") }, /health_check is not listed in service\.extensions/],
    ];
    for (const [title, args, expected] of cases) {
        it(`refuses ${title} with one line naming the field`, () => {
            assert.throws(() => new lib.FargateCollector(`bad-${title.replace(/\W+/g, "-")}`, args as never), (error: Error) => {
                assert.ok(pulumi.RunError.isInstance(error));
                assert.match(error.message, expected);
                assert.ok(!error.message.includes("    at "), "no stack trace");
                return true;
            });
        });
    }

    it("accepts a batch processor, which Lambda's rules forbid", () => {
        // The default Fargate config has one in every pipeline; nothing is refused or warned.
        assert.doesNotThrow(() => new lib.FargateCollector("batched", {}));
    });
});
