// The package's public API, by name. Everything else is internal.
export { LambdaCollector, LAMBDA_COLLECTOR_TYPE } from "./lambda-collector";
export { DEFAULTS, SecretStore, type BaseImages, type LambdaCollectorArgs } from "./args";
export { Distribution } from "./lambda-distribution";
export { defaultCollectorConfig } from "./default-config";
export {
    debugBackend,
    honeycombBackend,
    otlpHttpBackend,
    type BackendConfig,
    type HoneycombBackendArgs,
    type OtlpHttpBackendArgs,
} from "./backends";
export { Architecture } from "../rules/lambda-facts";
/** Names of the component's outputs that the stack program exports: a stable contract for StackReferences. */
export const STACK_OUTPUT_NAMES = [
    "url", "tracesEndpoint", "metricsEndpoint", "logsEndpoint", "ingestToken", "producerEnvironment", "producerEnvironments",
    "functionName", "functionArn", "liveVersion", "repositoryUrl", "imageUri",
] as const;
export { FargateCollector, FARGATE_COLLECTOR_TYPE, FARGATE_DEFAULTS, ScaleOn, type FargateCollectorArgs, defaultFargateConfig, fargateBackend, fargatePreset, type FargatePresetOptions } from "./fargate";
export { Runtime } from "../rules/runtimes";
export { SHARED_OUTPUT_NAMES, RUNTIME_OUTPUT_NAMES } from "./stack-outputs";
