// The collector stack: read the stack config, build one LambdaCollector, export
// what producers and other stacks need. The output names are a stable contract
// (STACK_OUTPUT_NAMES in components/index.ts; a test compares).
import { LambdaCollector } from "./components";
import * as pulumi from "@pulumi/pulumi";
import { readStackConfig, withStackKeys } from "./stack-config";

const collector = withStackKeys(new pulumi.Config().name, () => new LambdaCollector("collector", readStackConfig()));

export const url = collector.url;
export const tracesEndpoint = collector.tracesEndpoint;
export const metricsEndpoint = collector.metricsEndpoint;
export const logsEndpoint = collector.logsEndpoint;
export const ingestToken = collector.ingestToken;
export const producerEnvironment = collector.producerEnvironment;
export const producerEnvironments = collector.producerEnvironments;
export const functionName = collector.functionName;
export const functionArn = collector.functionArn;
export const liveVersion = collector.liveVersion;
export const repositoryUrl = collector.repositoryUrl;
export const imageUri = collector.imageUri;
