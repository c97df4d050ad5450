// A producer: reads the endpoint and token of a collector deployed by another stack
// and gives them to a Lambda function as the standard OTLP exporter variables, which
// every OpenTelemetry SDK reads. The token stays a secret all the way.
//
//   pulumi config set collectorStack <org>/otel-lambda-collector/dev
//   (with a local backend the organization is "organization")
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const collector = new pulumi.StackReference(config.require("collectorStack"));

// Secret on the collector stack, so secret here: it carries the bearer token.
const producerEnvironment = collector.requireOutput("producerEnvironment") as pulumi.Output<Record<string, string>>;

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
    // Replace with your instrumented code; the SDK picks the exporter settings up from
    // the environment. This producer is a Lambda function too, so it freezes after
    // each response: use a simple span processor, or forceFlush() before returning.
    code: new pulumi.asset.AssetArchive({
        "index.js": new pulumi.asset.StringAsset("exports.handler = async () => ({ statusCode: 200 });\n"),
    }),
    environment: {
        variables: producerEnvironment.apply((env) => ({ ...env, OTEL_SERVICE_NAME: "producer-example" })),
    },
});

export const producerFunctionName = producer.name;
// Not secret: safe to show where the telemetry goes.
export const collectorTracesEndpoint = collector.requireOutput("tracesEndpoint");
