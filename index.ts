// The collector stack: read the stack config, build the collector for the stack's
// `runtime` (LambdaCollector by default, FargateCollector with runtime fargate) and
// export what producers and other stacks need. The shared output names are a stable
// contract whatever the runtime (SHARED_OUTPUT_NAMES in components/stack-outputs.ts;
// each runtime adds its own, RUNTIME_OUTPUT_NAMES; a test compares).
import { FARGATE_COLLECTOR_TYPE, FargateCollector, LAMBDA_COLLECTOR_TYPE, LambdaCollector } from "./components";
import * as pulumi from "@pulumi/pulumi";
import { readStackConfig, withStackKeys } from "./stack-config";
import { otherRuntimeKeyWarnings, readFargateStackConfig, readRuntime } from "./stack-runtime";

const namespace = new pulumi.Config().name;
const selected = readRuntime();
for (const warning of otherRuntimeKeyWarnings(selected)) {
    pulumi.log.warn(warning);
}
// Each collector is an alias of the other: switching `runtime` keeps the children both
// build under the same name and type (the producers' generated tokens, the ECR
// repository and the image, so no rebuild), and replaces only the rest.
const collector = withStackKeys(namespace, () => selected === "fargate"
    ? new FargateCollector("collector", readFargateStackConfig(), { aliases: [{ type: LAMBDA_COLLECTOR_TYPE }] })
    : new LambdaCollector("collector", readStackConfig(), { aliases: [{ type: FARGATE_COLLECTOR_TYPE }] }));
const lambda = collector instanceof LambdaCollector ? collector : undefined;
const fargate = collector instanceof FargateCollector ? collector : undefined;

export const runtime = selected;
export const url = collector.url;
export const tracesEndpoint = collector.tracesEndpoint;
export const metricsEndpoint = collector.metricsEndpoint;
export const logsEndpoint = collector.logsEndpoint;
export const ingestToken = collector.ingestToken;
export const producerEnvironment = collector.producerEnvironment;
export const producerEnvironments = collector.producerEnvironments;
export const repositoryUrl = collector.repositoryUrl;
export const imageUri = collector.imageUri;
// Each runtime's own outputs; the other runtime's are absent (undefined), never placeholders.
export const functionName = lambda?.functionName;
export const functionArn = lambda?.functionArn;
export const liveVersion = lambda?.liveVersion;
export const clusterName = fargate?.clusterName;
export const serviceName = fargate?.serviceName;
export const domainTarget = fargate?.domainTarget;
