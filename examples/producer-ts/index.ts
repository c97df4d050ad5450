// A producer: a Node.js Lambda function instrumented with the OpenTelemetry JS SDK
// (./handler), sending its spans to a collector deployed by another stack. The
// collector's endpoint and bearer token reach the function as the standard OTLP
// exporter variables, read through a StackReference; the token stays a secret.
//
//   pulumi config set collectorStack <org>/otel-lambda-collector/dev
//   (with a local backend the organization is "organization")
//   pulumi config set producerName <name>   # optional: one named producer's token
import * as fs from "node:fs";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

type ProducerEnvironment = Record<string, string>;

/**
 * The OTLP export budget, in ms (JS reads OTEL_EXPORTER_OTLP_TIMEOUT as milliseconds;
 * the SDK default is 10000). Above the collector's cold start (about 4 s at 512 MB,
 * double-digit seconds at 128 MB), so the first export after the collector scaled to
 * zero is not cut off.
 */
export const DEFAULT_EXPORT_TIMEOUT_MS = 15_000;
/** The function's timeout, in seconds: above the export budget plus the handler's own work. */
export const DEFAULT_FUNCTION_TIMEOUT_S = 30;
/** What the handler keeps back from the function's remaining time (handler/otel.js FLUSH_MARGIN_MS). */
const FLUSH_MARGIN_MS = 1000;

/**
 * The handler folder as a zip asset, with its node_modules (the SDK is bundled, not a
 * layer). Fails with the command to run when the folder was not prepared, because a
 * zip without node_modules deploys fine and then fails every invocation with
 * "Cannot find module '@opentelemetry/api'".
 */
export function handlerCode(dir: string): pulumi.asset.FileArchive {
    if (!fs.existsSync(path.join(dir, "node_modules", "@opentelemetry", "sdk-trace-node", "package.json"))) {
        throw new Error(`${dir} has no node_modules with the OpenTelemetry SDK; run \`npm ci --omit=dev --prefix handler\` in examples/producer-ts before \`pulumi up\``);
    }
    return new pulumi.asset.FileArchive(dir);
}

/**
 * Picks the environment of producer `name` from the collector stack's
 * `producerEnvironments` (secret, keyed by producer name); fails naming the stack key
 * and the names that exist.
 */
export function namedEnvironment(environments: Record<string, ProducerEnvironment> | undefined, name: string, stack: string): ProducerEnvironment {
    const found = environments?.[name];
    if (!found) {
        const names = Object.keys(environments ?? {});
        throw new Error(`collector-producer:producerName: "${name}" is not a producer of ${stack} (${names.length ? `its producerEnvironments has ${names.join(", ")}` : "it exports no producerEnvironments"}); set one of those names, or remove producerName to use producerEnvironment`);
    }
    return found;
}

/** Fails naming the stack key unless both timeouts are whole numbers and the function outlives the export. */
export function checkTimeouts(exportTimeoutMs: number, functionTimeout: number): void {
    if (!Number.isInteger(exportTimeoutMs) || exportTimeoutMs <= 0) {
        throw new Error(`collector-producer:exportTimeoutMs: ${exportTimeoutMs} is not a positive whole number of milliseconds; use e.g. ${DEFAULT_EXPORT_TIMEOUT_MS}`);
    }
    if (!Number.isInteger(functionTimeout) || functionTimeout * 1000 <= exportTimeoutMs + FLUSH_MARGIN_MS) {
        throw new Error(`collector-producer:functionTimeout: ${functionTimeout} s leaves no room for an export of exportTimeoutMs ${exportTimeoutMs} ms; use a whole number of seconds above ${Math.ceil((exportTimeoutMs + FLUSH_MARGIN_MS) / 1000)}, e.g. ${DEFAULT_FUNCTION_TIMEOUT_S}`);
    }
}

const config = new pulumi.Config();
const collectorStack = config.require("collectorStack");
const producerName = config.get("producerName");
const exportTimeoutMs = config.getNumber("exportTimeoutMs") ?? DEFAULT_EXPORT_TIMEOUT_MS;
const functionTimeout = config.getNumber("functionTimeout") ?? DEFAULT_FUNCTION_TIMEOUT_S;
checkTimeouts(exportTimeoutMs, functionTimeout);

const collector = new pulumi.StackReference(collectorStack);

// Secret on the collector stack, so secret here: it carries the bearer token.
const producerEnvironment: pulumi.Output<ProducerEnvironment> = producerName === undefined
    ? collector.requireOutput("producerEnvironment") as pulumi.Output<ProducerEnvironment>
    : pulumi.secret((collector.requireOutput("producerEnvironments") as pulumi.Output<Record<string, ProducerEnvironment>>)
        .apply((environments) => namedEnvironment(environments, producerName, collectorStack)));

const role = new aws.iam.Role("producer", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
});
new aws.iam.RolePolicyAttachment("producer-logs", {
    role: role.name,
    policyArn: aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole,
});

const producer = new aws.lambda.Function("producer", {
    runtime: aws.lambda.Runtime.NodeJS22dX,
    handler: "index.handler",
    role: role.arn,
    // A zip of ./handler with its node_modules: the SDK is a few small packages, so the
    // zip shape fits (seed 002 recommends a container image for large dependencies).
    code: handlerCode("./handler"),
    // The SDK loads at cold start; Lambda gives CPU in proportion to memory.
    memorySize: 256,
    // Above OTEL_EXPORTER_OTLP_TIMEOUT: the handler flushes before it returns, and a
    // function timeout below the export budget cuts the flush short (and fails the call).
    timeout: functionTimeout,
    environment: {
        variables: producerEnvironment.apply((env) => ({
            ...env,
            OTEL_EXPORTER_OTLP_TIMEOUT: String(exportTimeoutMs),
            OTEL_SERVICE_NAME: producerName ?? "producer-example",
        })),
    },
});

export const producerFunctionName = producer.name;
// Not secret: safe to show where the telemetry goes.
export const collectorTracesEndpoint = collector.requireOutput("tracesEndpoint");
