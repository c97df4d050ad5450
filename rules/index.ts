// The rules library: what the component, the policy pack and the CLIs import.
export { checkCollectorConfig, checkCollectorConfigText, withSeverity, type RuleFinding } from "./check";
export { findingText, formatFinding, isRecord, parseCollectorConfig, type CollectorConfig, type Finding, type ParseResult } from "./config-model";
export type { DeploymentContext } from "./deployment-context";
export { canRun, RULES, ruleOf, type ComponentAction, type PolicyScope, type Rule, type Severity } from "./registry";
export { DEFAULT_RUNTIME, RUNTIMES, Runtime } from "./runtimes";
