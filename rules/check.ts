// The one entry point every consumer uses: the component at preview, the policy
// pack and the lint CLI all run the registry's rules through here, on the config as
// the collector resolves it.
import { buildConfig, parseCollectorConfig, type CollectorConfig, type Finding } from "./config-model";
import type { DeploymentContext } from "./deployment-context";
import { canRun, RULES, ruleOf, type Rule, type Severity } from "./registry";
import { resolveConfig, type ResolutionProblem } from "./resolve";

/** A finding with its rule's severity, as every consumer reports it. */
export interface RuleFinding extends Finding {
    readonly severity: Severity;
}

/** Parses `text` and runs every rule the context allows; a parse failure is the only finding then. */
export function checkCollectorConfigText(text: string, context: DeploymentContext = {}): RuleFinding[] {
    const parsed = parseCollectorConfig(text);
    return parsed.ok ? checkCollectorConfig(parsed.config, context) : [withSeverity(parsed.finding)];
}

/**
 * Resolves the config's references in `context.environment` (see rules/resolve.ts),
 * then runs `rules` (default: all) over the resolved config, in registry order and
 * document order within each rule. Resolution's own findings (invalid references,
 * bare $NAME, values that cannot be known) come first, under their rules.
 */
export function checkCollectorConfig(config: CollectorConfig, context: DeploymentContext = {}, rules: readonly Rule[] = RULES): RuleFinding[] {
    const runnable = rules.filter((rule) => canRun(rule, context));
    const { resolved, problems } = resolveCollectorConfig(config, context);
    const wanted = new Set(runnable.map((rule) => rule.id));
    const fromResolution = problems.filter((p) => wanted.has(p.rule)).map((p) => withSeverity(problemFinding(resolved, p)));
    // A value that cannot be known is reported once, as not checkable; what the rules
    // would say about the text standing in for it (or about its section) is not a verdict.
    const unknown = problems.filter((p) => p.rule === "config-value-unknown" || p.rule === "config-not-checkable").map((p) => p.path.join("."));
    const aboutUnknown = (finding: Finding): boolean => unknown.some((u) => related(finding.path, u));
    return [...fromResolution, ...runnable.flatMap((rule) => rule.check(resolved, context).filter((f) => !aboutUnknown(f)).map(withSeverity))];
}

/** The config with its references resolved in the context's environment, and what resolution found. */
export function resolveCollectorConfig(config: CollectorConfig, context: DeploymentContext = {}): { resolved: CollectorConfig; problems: readonly ResolutionProblem[] } {
    if (config.resolved) {
        return { resolved: config, problems: [] };
    }
    const { root, problems } = resolveConfig(config.raw, context.environment, { partial: context.environmentIsPartial });
    return { resolved: buildConfig(root, config.raw, true, config.lineOf, config.fileOf), problems };
}

/** True when one dotted path is the other or lies under it. */
function related(a: string, b: string): boolean {
    return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`) || a === "" || b === "";
}

function problemFinding(config: CollectorConfig, problem: ResolutionProblem): Finding {
    const file = config.fileOf?.(problem.path);
    return {
        rule: problem.rule,
        path: problem.path.join("."),
        message: problem.message,
        hint: problem.hint,
        line: config.lineOf(problem.path),
        ...(file !== undefined ? { file } : {}),
        ...(problem.reference !== undefined ? { reference: problem.reference } : {}),
    };
}

/** A finding with the severity its rule has in the registry. */
export function withSeverity(finding: Finding): RuleFinding {
    return { ...finding, severity: ruleOf(finding.rule).severity };
}
