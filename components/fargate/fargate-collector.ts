// FargateCollector: the same collector, tokens and outputs as LambdaCollector, as an
// ECS service on Fargate behind an internal load balancer and an HTTPS API: for
// sustained traffic, scraping, and buffering or retrying through a backend outage
// (docs/outgrowing-lambda.md).
import * as aws from "@pulumi/aws";
import type * as awsx from "@pulumi/awsx";
import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import { TOKENS_ENV_VAR } from "../../rules/lambda-facts";
import { collectorImageArgs, collectorImageOptions, imageUriFor } from "../shared/image/collector-image";
import { imageRepository } from "../shared/image/repository";
import { producerEnvironmentFor } from "../shared/tokens/producer-environment";
import { producerTokens } from "../shared/tokens/producer-tokens";
import { callerSecretsAccess, componentSecret } from "../shared/secrets/secret-store";
import { tokensYamlList } from "../shared/tokens/tokens";
import { tokenField } from "../lambda/validate";
import type { FargateCollectorArgs } from "./args";
import { loadBalancer } from "./load-balancer";
import { network } from "./network";
import { serviceScaling } from "./scaling";
import { collectorService, secretValueFrom, SERVICE_NAME } from "./service";
import { resolveFargateArgs } from "./validate";

/** Pulumi type token of the component. */
export const FARGATE_COLLECTOR_TYPE = "otel-lambda-collector:index:FargateCollector";

const ECS_TASKS_ASSUME_ROLE = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/**
 * The OpenTelemetry Collector as an ECS service on Fargate: an ECR repository and the
 * same image as LambdaCollector, a Secrets Manager secret with the producers' tokens
 * and `environment` values (injected through the task definition's `secrets`), an
 * execution role that may read exactly that secret, a task role with the config's
 * grants (`secretArns`), a log group with retention, the service (awsx
 * FargateService) with the deployment circuit breaker and rollback, an internal
 * Application Load Balancer (awsx) whose health check calls the collector's
 * health_check extension, target-tracking autoscaling, and an HTTPS API Gateway
 * endpoint (optionally on your domain) in front. Outputs have the names and shapes of
 * LambdaCollector's, so a producer moves by re-reading `producerEnvironment`.
 */
export class FargateCollector extends pulumi.ComponentResource {
    /** HTTPS URL producers send to, ending in `/`. */
    public readonly url: pulumi.Output<string>;
    /** OTLP/HTTP endpoint for traces (`<url>v1/traces`). */
    public readonly tracesEndpoint: pulumi.Output<string>;
    /** OTLP/HTTP endpoint for metrics (`<url>v1/metrics`). */
    public readonly metricsEndpoint: pulumi.Output<string>;
    /** OTLP/HTTP endpoint for logs (`<url>v1/logs`). */
    public readonly logsEndpoint: pulumi.Output<string>;
    /** The bearer token of the first producer in `producers` (secret). */
    public readonly ingestToken: pulumi.Output<string>;
    /** Environment for the first producer (secret): OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _COMPRESSION (gzip), _HEADERS. */
    public readonly producerEnvironment: pulumi.Output<Record<string, string>>;
    /** Environment for every producer, keyed by its name in `producers` (secret). */
    public readonly producerEnvironments: pulumi.Output<Record<string, Record<string, string>>>;
    /** URL of the ECR repository holding the collector image. */
    public readonly repositoryUrl: pulumi.Output<string>;
    /** The deployed image as `repository@sha256:...`. */
    public readonly imageUri: pulumi.Output<string>;
    /** Name of the ECS cluster. */
    public readonly clusterName: pulumi.Output<string>;
    /** Name of the ECS service. */
    public readonly serviceName: pulumi.Output<string>;
    /** With `domainName`: the API's regional domain name, for your CNAME record; otherwise undefined. */
    public readonly domainTarget: pulumi.Output<string> | undefined;
    /** The ECS service (awsx component). */
    public readonly service: awsx.ecs.FargateService;
    /** The internal load balancer (awsx component). */
    public readonly loadBalancer: awsx.lb.ApplicationLoadBalancer;
    /** The task role: what the collector itself may do. Attach policies for what your config needs. */
    public readonly taskRole: aws.iam.Role;
    /** The ECR repository holding the collector images. */
    public readonly repository: aws.ecr.Repository;

    /**
     * @throws pulumi.RunError at construction, listing every invalid argument and every
     *   collector-config finding whose rule the registry marks "fail" for runtime fargate.
     */
    constructor(name: string, args: FargateCollectorArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
        super(FARGATE_COLLECTOR_TYPE, name, {}, opts);
        const { settings, warnings } = resolveFargateArgs(args);
        for (const warning of warnings) {
            pulumi.log.warn(warning, this);
        }
        const tags = args.tags ?? {};

        // The same tokens and rotation as LambdaCollector: `used` is each producer's
        // current token, `accepted` every token the collector accepts (both during a rotation).
        const tokens = producerTokens(name, settings.producers, settings.producerTokens, settings.tokenRotation, (producer) => tokenField(args, settings, producer), this);
        const tokenOf = tokens.used;
        const acceptedTokens: pulumi.Output<string[]> = pulumi.secret(pulumi.all(tokens.accepted.map((t) => t.token)));
        const token = tokenOf[settings.producers[0]];

        const repository = imageRepository(name, { forceDelete: settings.forceDeleteRepository, keepImages: settings.keepImages, tags }, this);
        // The same build as LambdaCollector's contrib image: one image for both runtimes.
        const image = new dockerBuild.Image(`${name}-image`, collectorImageArgs({
            repositoryUrl: repository.repositoryUrl,
            registryId: repository.registryId,
            parent: this,
            architecture: settings.architecture,
            baseImages: settings.baseImages,
            buildOnPreview: settings.buildOnPreview,
            distribution: "contrib",
        }), collectorImageOptions(this));
        const imageUri = imageUriFor(repository.repositoryUrl, image);

        // The execution role is ECS's (pull the image, write logs, read the secret); the
        // task role is the collector's own and gets only what the config reads.
        const executionRole = new aws.iam.Role(`${name}-execution`, { assumeRolePolicy: ECS_TASKS_ASSUME_ROLE, tags }, { parent: this });
        const executionAccess = new aws.iam.RolePolicyAttachment(`${name}-execution`, {
            role: executionRole.name,
            policyArn: aws.iam.ManagedPolicy.AmazonECSTaskExecutionRolePolicy,
        }, { parent: this });
        const taskRole = new aws.iam.Role(`${name}-task`, { assumeRolePolicy: ECS_TASKS_ASSUME_ROLE, tags }, { parent: this });
        const callerSecrets = callerSecretsAccess(name, taskRole, settings.secretArns, this);

        // Every secret value in one secret; the tokens as the YAML list the config reads.
        const storedValues: Record<string, pulumi.Input<string>> = {
            ...settings.environment,
            [TOKENS_ENV_VAR]: acceptedTokens.apply(tokensYamlList),
        };
        // Named after the component (the secret-name prefix a Lambda collector takes from its
        // function): new content is a new secret, and a task definition revision that a
        // rollback returns to still names the secret it ran with (retainOnDelete).
        const store = componentSecret(name, { values: pulumi.all(storedValues), functionName: name, role: executionRole, kmsKeyArn: settings.secretKmsKeyArn, tags }, this);
        const secrets = Object.fromEntries(Object.keys(storedValues).map((key) => [key, secretValueFrom(store.secret.arn, key, store.version.versionId)]));

        const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
            name: `/ecs/${name}`,
            retentionInDays: settings.logRetentionDays,
            tags,
        }, { parent: this });

        const net = network(name, tags, this);
        const front = loadBalancer(name, { network: net, domainName: settings.domainName, certificateArn: settings.certificateArn, tags }, this);
        const cluster = new aws.ecs.Cluster(`${name}-cluster`, {
            settings: [{ name: "containerInsights", value: "enabled" }],
            tags,
        }, { parent: this });
        const service = collectorService(name, {
            cluster,
            network: net,
            targetGroup: front.loadBalancer.defaultTargetGroup,
            imageUri,
            collectorConfig: settings.collectorConfig,
            secrets,
            executionRoleArn: executionRole.arn,
            taskRoleArn: taskRole.arn,
            logGroupName: logGroup.name,
            architecture: settings.architecture,
            cpu: settings.cpu,
            memory: settings.memory,
            desiredCount: settings.desiredCount,
            tags,
        }, {
            parent: this,
            // The tasks read the secret and write logs as they start.
            dependsOn: [logGroup, executionAccess, store.readAccess, ...(callerSecrets ? [callerSecrets] : [])],
        });
        serviceScaling(name, {
            clusterName: cluster.name,
            serviceName: SERVICE_NAME,
            minCount: settings.minCount,
            maxCount: settings.maxCount,
            scaleOn: settings.scaleOn,
            scaleTarget: settings.scaleTarget,
            requestsLabel: pulumi.all([front.loadBalancer.loadBalancer, front.loadBalancer.defaultTargetGroup])
                .apply(([lb, tg]) => pulumi.interpolate`${lb.arnSuffix}/${tg.arnSuffix}`),
            tags,
        }, { parent: this, dependsOn: [service] });

        this.url = front.url;
        this.tracesEndpoint = pulumi.interpolate`${this.url}v1/traces`;
        this.metricsEndpoint = pulumi.interpolate`${this.url}v1/metrics`;
        this.logsEndpoint = pulumi.interpolate`${this.url}v1/logs`;
        this.ingestToken = pulumi.secret(token);
        this.producerEnvironment = pulumi.secret(pulumi.all([this.url, token]).apply(([url, value]) => producerEnvironmentFor(url, value)));
        this.producerEnvironments = pulumi.secret(pulumi.all([this.url, acceptedTokens]).apply(([url, values]) =>
            Object.fromEntries(settings.producers.map((producer, i) => [producer, producerEnvironmentFor(url, values[i])]))));
        this.repositoryUrl = repository.repositoryUrl;
        this.imageUri = imageUri;
        this.clusterName = cluster.name;
        this.serviceName = pulumi.output(SERVICE_NAME);
        this.domainTarget = front.domainTarget;
        this.service = service;
        this.loadBalancer = front.loadBalancer;
        this.taskRole = taskRole;
        this.repository = repository;
        this.registerOutputs({
            url: this.url,
            tracesEndpoint: this.tracesEndpoint,
            metricsEndpoint: this.metricsEndpoint,
            logsEndpoint: this.logsEndpoint,
            ingestToken: this.ingestToken,
            producerEnvironment: this.producerEnvironment,
            producerEnvironments: this.producerEnvironments,
            repositoryUrl: this.repositoryUrl,
            imageUri: this.imageUri,
            clusterName: this.clusterName,
            serviceName: this.serviceName,
            domainTarget: this.domainTarget,
        });
    }
}
