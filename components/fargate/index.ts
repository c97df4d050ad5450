// The Fargate runtime's public names (re-exported by components/index.ts).
export { FargateCollector, FARGATE_COLLECTOR_TYPE } from "./fargate-collector";
export { FARGATE_DEFAULTS, ScaleOn, type FargateCollectorArgs } from "./args";
export { defaultFargateConfig, fargateBackend, fargatePreset, type FargatePresetOptions } from "./presets";
