// LambdaCollector: the OpenTelemetry Collector as a Lambda function behind a public
// Function URL, with the collector itself enforcing a bearer token.
import * as aws from "@pulumi/aws";
import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { GENERATED_TOKEN_LENGTH, type LambdaCollectorArgs } from "./args";
import { collectorImageArgs, collectorImageOptions, imageUriFor } from "./collector-image";
import { functionEnvironment } from "./environment";
import { producerEnvironmentFor } from "./producer-environment";
import { resolveArgs } from "./validate";

/** Pulumi type token of the component. */
export const LAMBDA_COLLECTOR_TYPE = "otel-lambda-collector:index:LambdaCollector";
/** Statement ids of our two Function URL permissions, distinct from the ones the AWS provider adds itself. */
export const URL_PERMISSION_STATEMENT_IDS = {
    invokeFunctionUrl: "OtelCollectorPublicUrlInvokeFunctionUrl",
    invokeFunction: "OtelCollectorPublicUrlInvokeFunction",
} as const;
/**
 * The function tag that records an explicit `allowUnauthenticated`, so the policy
 * pack does not block a public collector its owner chose on purpose.
 */
export const ALLOW_UNAUTHENTICATED_TAG = "otel-lambda-collector/allow-unauthenticated";

/**
 * The OpenTelemetry Collector in AWS Lambda: an ECR repository and image, an IAM role,
 * a log group, the function, a public Function URL with both permissions it needs,
 * and a bearer token the collector enforces.
 */
export class LambdaCollector extends pulumi.ComponentResource {
    /** Function URL, ending in `/`. */
    public readonly url: pulumi.Output<string>;
    /** OTLP/HTTP endpoint for traces (`<url>v1/traces`). */
    public readonly tracesEndpoint: pulumi.Output<string>;
    /** OTLP/HTTP endpoint for metrics (`<url>v1/metrics`). */
    public readonly metricsEndpoint: pulumi.Output<string>;
    /** OTLP/HTTP endpoint for logs (`<url>v1/logs`). */
    public readonly logsEndpoint: pulumi.Output<string>;
    /** The bearer token producers send (secret). */
    public readonly ingestToken: pulumi.Output<string>;
    /**
     * Environment for OTLP producers (secret, it holds the token):
     * OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_EXPORTER_OTLP_HEADERS.
     */
    public readonly producerEnvironment: pulumi.Output<Record<string, string>>;
    /** Name of the Lambda function. */
    public readonly functionName: pulumi.Output<string>;
    /** ARN of the Lambda function. */
    public readonly functionArn: pulumi.Output<string>;
    /** URL of the ECR repository holding the collector image. */
    public readonly repositoryUrl: pulumi.Output<string>;
    /** The deployed image as `repository@sha256:...`. */
    public readonly imageUri: pulumi.Output<string>;
    /** The Lambda function running the collector. */
    public readonly function: aws.lambda.Function;
    /** The function's execution role (basic execution only); attach policies to it for what your config needs. */
    public readonly role: aws.iam.Role;
    /** The ECR repository holding the collector images. */
    public readonly repository: aws.ecr.Repository;

    /**
     * @throws pulumi.RunError at construction, listing every invalid argument and every
     *   collector-config finding whose rule the registry marks "fail", one line each.
     */
    constructor(name: string, args: LambdaCollectorArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
        super(LAMBDA_COLLECTOR_TYPE, name, {}, opts);
        const { settings, warnings } = resolveArgs(name, args);
        for (const warning of warnings) {
            pulumi.log.warn(warning, this);
        }
        const tags = args.tags ?? {};

        const token = args.ingestToken !== undefined
            ? pulumi.secret(args.ingestToken)
            : new random.RandomPassword(`${name}-ingest-token`, {
                length: GENERATED_TOKEN_LENGTH,
                // Characters allowed unescaped in an Authorization header and in
                // OTEL_EXPORTER_OTLP_HEADERS (RFC 6750 b64token, URL-unreserved).
                special: true,
                overrideSpecial: "-._~",
            }, { parent: this }).result;

        const functionName = settings.functionName ?? new random.RandomId(`${name}-function-suffix`, {
            byteLength: 4,
        }, { parent: this }).hex.apply((hex) => `${name}-${hex}`);

        const repository = new aws.ecr.Repository(`${name}-images`, {
            imageScanningConfiguration: { scanOnPush: true },
            forceDelete: settings.forceDeleteRepository,
            tags,
        }, { parent: this });
        new aws.ecr.LifecyclePolicy(`${name}-images`, {
            repository: repository.name,
            policy: JSON.stringify({
                rules: [{
                    rulePriority: 1,
                    description: `Keep the newest ${settings.keepImages} images`,
                    selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: settings.keepImages },
                    action: { type: "expire" },
                }],
            }),
        }, { parent: this });

        const image = new dockerBuild.Image(`${name}-image`, collectorImageArgs({
            repositoryUrl: repository.repositoryUrl,
            registryId: repository.registryId,
            parent: this,
            architecture: settings.architecture,
            baseImages: settings.baseImages,
            buildOnPreview: settings.buildOnPreview,
            distribution: settings.distribution,
        }), collectorImageOptions(this));
        const imageUri = imageUriFor(repository.repositoryUrl, image);

        const role = new aws.iam.Role(`${name}-role`, {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            tags,
        }, { parent: this });
        const logsAccess = new aws.iam.RolePolicyAttachment(`${name}-logs`, {
            role: role.name,
            policyArn: aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole,
        }, { parent: this });

        // Created before the function so Lambda never makes it first without retention.
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
            name: pulumi.interpolate`/aws/lambda/${functionName}`,
            retentionInDays: settings.logRetentionDays,
            tags,
        }, { parent: this });

        const fn = new aws.lambda.Function(`${name}-function`, {
            name: functionName,
            description: "OpenTelemetry Collector behind a Function URL (otel-lambda-collector)",
            packageType: "Image",
            imageUri,
            role: role.arn,
            architectures: [settings.architecture],
            memorySize: settings.memorySize,
            timeout: settings.timeout,
            environment: { variables: functionEnvironment(settings.environment, settings.collectorConfig, token) },
            tags: settings.allowUnauthenticated ? { ...tags, [ALLOW_UNAUTHENTICATED_TAG]: "true" } : tags,
        }, { parent: this, dependsOn: [logGroup, logsAccess] });

        const functionUrl = new aws.lambda.FunctionUrl(`${name}-url`, {
            functionName: fn.name,
            // Public; the collector's bearertokenauth is the gate. IAM auth would need
            // SigV4-signed OTLP, which the OpenTelemetry SDKs do not do.
            authorizationType: "NONE",
            // One response per request; streaming is for server-sent events.
            invokeMode: "BUFFERED",
        }, { parent: this });

        // Since October 2025 a public URL needs both statements; with only the first,
        // every request gets 403 at the URL and the function never runs (no logs).
        new aws.lambda.Permission(`${name}-url-invoke-url`, {
            function: fn.name,
            statementId: URL_PERMISSION_STATEMENT_IDS.invokeFunctionUrl,
            action: "lambda:InvokeFunctionUrl",
            principal: "*",
            functionUrlAuthType: "NONE",
        }, { parent: this, dependsOn: [functionUrl] });
        new aws.lambda.Permission(`${name}-url-invoke-function`, {
            function: fn.name,
            statementId: URL_PERMISSION_STATEMENT_IDS.invokeFunction,
            action: "lambda:InvokeFunction",
            principal: "*",
            invokedViaFunctionUrl: true,
        }, { parent: this, dependsOn: [functionUrl] });

        this.url = functionUrl.functionUrl;
        this.tracesEndpoint = pulumi.interpolate`${this.url}v1/traces`;
        this.metricsEndpoint = pulumi.interpolate`${this.url}v1/metrics`;
        this.logsEndpoint = pulumi.interpolate`${this.url}v1/logs`;
        this.ingestToken = pulumi.secret(token);
        this.producerEnvironment = pulumi.secret(pulumi.all([this.url, token]).apply(([url, value]) => producerEnvironmentFor(url, value)));
        this.functionName = fn.name;
        this.functionArn = fn.arn;
        this.repositoryUrl = repository.repositoryUrl;
        this.imageUri = imageUri;
        this.function = fn;
        this.role = role;
        this.repository = repository;
        this.registerOutputs({
            url: this.url,
            tracesEndpoint: this.tracesEndpoint,
            metricsEndpoint: this.metricsEndpoint,
            logsEndpoint: this.logsEndpoint,
            ingestToken: this.ingestToken,
            producerEnvironment: this.producerEnvironment,
            functionName: this.functionName,
            functionArn: this.functionArn,
            repositoryUrl: this.repositoryUrl,
            imageUri: this.imageUri,
            function: this.function,
            role: this.role,
            repository: this.repository,
        });
    }
}
