// The collector stack: read the stack config, build one LambdaCollector, export
// what producers and other stacks need. The output names are a stable contract.
import { LambdaCollector } from "./components/lambda-collector";
import { readStackConfig } from "./components/stack-config";

const collector = new LambdaCollector("collector", readStackConfig());

export const url = collector.url;
export const tracesEndpoint = collector.tracesEndpoint;
export const metricsEndpoint = collector.metricsEndpoint;
export const logsEndpoint = collector.logsEndpoint;
export const ingestToken = collector.ingestToken;
export const producerEnvironment = collector.producerEnvironment;
export const functionName = collector.functionName;
export const functionArn = collector.functionArn;
export const repositoryUrl = collector.repositoryUrl;
export const imageUri = collector.imageUri;
