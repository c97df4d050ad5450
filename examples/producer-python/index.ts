// A Python producer: app/handler.py, instrumented with the OpenTelemetry Python SDK,
// built into a Lambda container image with the SDK bundled (seed 002's shape; the
// image's pip install picks protobuf's native wheel for Lambda's platform) and sending
// its spans to a collector deployed by another stack, read through a StackReference.
//
//   pulumi config set collectorStack <org>/otel-lambda-collector/dev
//   pulumi config set producerName <name>   # optional: one named producer's token
import * as aws from "@pulumi/aws";
import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";

type ProducerEnvironment = Record<string, string>;

/**
 * The OTLP export budget in SECONDS: the Python SDK reads OTEL_EXPORTER_OTLP_TIMEOUT as
 * seconds (opentelemetry-exporter-otlp-proto-http 1.45.0; default 10), where the JS SDK
 * reads milliseconds. Above the collector's cold start (about 4 s at 512 MB).
 */
export const DEFAULT_EXPORT_TIMEOUT_S = 15;
/** The function's timeout, in seconds: above the export budget plus the handler's own work. */
export const DEFAULT_FUNCTION_TIMEOUT_S = 30;
/** What the handler keeps back from the function's remaining time (app/handler.py FLUSH_MARGIN_S). */
const FLUSH_MARGIN_S = 1;

/** Fails naming the stack key unless the function outlives the export. */
export function checkTimeouts(exportTimeoutS: number, functionTimeout: number): void {
    if (!(exportTimeoutS > 0) || exportTimeoutS > 900) {
        throw new Error(`collector-producer-python:exportTimeoutS: ${exportTimeoutS} is not a number of SECONDS between 0 and 900 (Python reads OTEL_EXPORTER_OTLP_TIMEOUT in seconds); use e.g. ${DEFAULT_EXPORT_TIMEOUT_S}`);
    }
    if (!Number.isInteger(functionTimeout) || functionTimeout <= exportTimeoutS + FLUSH_MARGIN_S) {
        throw new Error(`collector-producer-python:functionTimeout: ${functionTimeout} s leaves no room for an export of exportTimeoutS ${exportTimeoutS} s; use a whole number of seconds above ${Math.ceil(exportTimeoutS + FLUSH_MARGIN_S)}, e.g. ${DEFAULT_FUNCTION_TIMEOUT_S}`);
    }
}

const config = new pulumi.Config();
const collectorStack = config.require("collectorStack");
const producerName = config.get("producerName");
const exportTimeoutS = config.getNumber("exportTimeoutS") ?? DEFAULT_EXPORT_TIMEOUT_S;
const functionTimeout = config.getNumber("functionTimeout") ?? DEFAULT_FUNCTION_TIMEOUT_S;
checkTimeouts(exportTimeoutS, functionTimeout);

const collector = new pulumi.StackReference(collectorStack);

// Secret on the collector stack, so secret here: it carries the bearer token.
const producerEnvironment: pulumi.Output<ProducerEnvironment> = producerName === undefined
    ? collector.requireOutput("producerEnvironment") as pulumi.Output<ProducerEnvironment>
    : pulumi.secret((collector.requireOutput("producerEnvironments") as pulumi.Output<Record<string, ProducerEnvironment>>)
        .apply((environments) => {
            const found = environments?.[producerName];
            if (!found) {
                throw new Error(`collector-producer-python:producerName: "${producerName}" is not a producer of ${collectorStack} (its producerEnvironments has ${Object.keys(environments ?? {}).join(", ") || "no names"}); set one of those names, or remove producerName to use producerEnvironment`);
            }
            return found;
        }));

const repository = new aws.ecr.Repository("producer-python", { forceDelete: true });
const auth = aws.ecr.getAuthorizationTokenOutput({ registryId: repository.registryId });
const image = new dockerBuild.Image("producer-python", {
    context: { location: "./app" },
    dockerfile: { location: "./app/Dockerfile" },
    // The function's architecture below: an image for the other one fails at start.
    platforms: [dockerBuild.Platform.Linux_amd64],
    push: true,
    tags: [pulumi.interpolate`${repository.repositoryUrl}:producer`],
    registries: [{ address: repository.repositoryUrl, username: auth.userName, password: auth.password }],
});

const role = new aws.iam.Role("producer-python", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
});
new aws.iam.RolePolicyAttachment("producer-python-logs", {
    role: role.name,
    policyArn: aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole,
});

const producer = new aws.lambda.Function("producer-python", {
    packageType: "Image",
    // repository@digest: Lambda rejects a reference that carries a tag and a digest.
    imageUri: pulumi.interpolate`${repository.repositoryUrl}@${image.digest}`,
    architectures: ["x86_64"],
    role: role.arn,
    memorySize: 256,
    // Above OTEL_EXPORTER_OTLP_TIMEOUT: the handler flushes before it returns.
    timeout: functionTimeout,
    environment: {
        variables: producerEnvironment.apply((env) => ({
            ...env,
            OTEL_EXPORTER_OTLP_TIMEOUT: String(exportTimeoutS),
            OTEL_SERVICE_NAME: producerName ?? "producer-python-example",
        })),
    },
});

export const producerFunctionName = producer.name;
export const collectorTracesEndpoint = collector.requireOutput("tracesEndpoint");
