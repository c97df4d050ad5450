// The one entry point every consumer uses: the component at preview, the policy
// pack and the lint CLI all run exactly these rules.
import { parseCollectorConfig, type CollectorConfig, type Finding } from "./config-model";
import { checkBatchProcessors, checkBufferingProcessors, checkQueuedExporters, checkRetryBudget } from "./lambda-rules";
import {
    checkAdapterPort,
    checkEnvironmentReferences,
    checkReceiverAuth,
    checkReferences,
    checkShape,
    type DeploymentContext,
} from "./structure-rules";

export type { DeploymentContext } from "./structure-rules";

/** Parses `text` and runs every rule; a parse failure is the only finding then. */
export function checkCollectorConfigText(text: string, context: DeploymentContext = {}): Finding[] {
    const parsed = parseCollectorConfig(text);
    return parsed.ok ? checkCollectorConfig(parsed.config, context) : [parsed.finding];
}

/** Runs every rule over a parsed config, in document order within each rule. */
export function checkCollectorConfig(config: CollectorConfig, context: DeploymentContext = {}): Finding[] {
    return [
        ...checkShape(config),
        ...checkReferences(config),
        ...checkEnvironmentReferences(config, context),
        ...checkAdapterPort(config, context),
        ...checkReceiverAuth(config, context),
        ...checkBatchProcessors(config),
        ...checkQueuedExporters(config),
        ...checkBufferingProcessors(config),
        ...checkRetryBudget(config, context),
    ];
}

/**
 * Rules whose verdict belongs to the policy pack: the component only warns about
 * them, so a stack can still be evaluated and the pack can block it.
 */
export const LAMBDA_SAFETY_RULES: ReadonlySet<string> = new Set(["no-batch-processor", "no-queued-exporter"]);
