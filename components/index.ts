// The package's public API, by name. Everything else is internal.
export { LambdaCollector, LAMBDA_COLLECTOR_TYPE } from "./lambda/lambda-collector";
export { DEFAULTS, RotationPhase, SecretStore, type BaseImages, type LambdaCollectorArgs, type TokenRotation } from "./lambda/args";
export { Distribution } from "./lambda/distribution";
export { defaultCollectorConfig } from "./shared/config-sources/default-config";
export {
    debugBackend,
    honeycombBackend,
    otlpHttpBackend,
    type BackendConfig,
    type HoneycombBackendArgs,
    type OtlpHttpBackendArgs,
} from "./shared/config-sources/backends";
export { Architecture } from "../rules/lambda-facts";
/**
 * Names of the outputs the stack program exports, every runtime's: the shared ones
 * (SHARED_OUTPUT_NAMES, the producers' contract) then each runtime's own
 * (RUNTIME_OUTPUT_NAMES), which are undefined, so absent, in the other runtime's stacks.
 */
export const STACK_OUTPUT_NAMES = [
    "runtime", "url", "tracesEndpoint", "metricsEndpoint", "logsEndpoint", "ingestToken", "producerEnvironment", "producerEnvironments",
    "repositoryUrl", "imageUri", "functionName", "functionArn", "liveVersion", "clusterName", "serviceName", "domainTarget",
] as const;
export { FargateCollector, FARGATE_COLLECTOR_TYPE, FARGATE_DEFAULTS, ScaleOn, type FargateCollectorArgs, defaultFargateConfig, fargateBackend, fargatePreset, type FargatePresetOptions } from "./fargate";
export { Runtime } from "../rules/runtimes";
export { SHARED_OUTPUT_NAMES, RUNTIME_OUTPUT_NAMES } from "./stack-outputs";
