// The one entry point every consumer uses: the component at preview, the policy
// pack and the lint CLI all run the registry's rules through here.
import { parseCollectorConfig, type CollectorConfig, type Finding } from "./config-model";
import type { DeploymentContext } from "./deployment-context";
import { canRun, RULES, ruleOf, type Rule, type Severity } from "./registry";

/** A finding with its rule's severity, as every consumer reports it. */
export interface RuleFinding extends Finding {
    readonly severity: Severity;
}

/** Parses `text` and runs every rule the context allows; a parse failure is the only finding then. */
export function checkCollectorConfigText(text: string, context: DeploymentContext = {}): RuleFinding[] {
    const parsed = parseCollectorConfig(text);
    return parsed.ok ? checkCollectorConfig(parsed.config, context) : [withSeverity(parsed.finding)];
}

/** Runs `rules` (default: all) over a parsed config, in registry order and document order within each rule. */
export function checkCollectorConfig(config: CollectorConfig, context: DeploymentContext = {}, rules: readonly Rule[] = RULES): RuleFinding[] {
    return rules.filter((rule) => canRun(rule, context)).flatMap((rule) => rule.check(config, context).map(withSeverity));
}

/** A finding with the severity its rule has in the registry. */
export function withSeverity(finding: Finding): RuleFinding {
    return { ...finding, severity: ruleOf(finding.rule).severity };
}
