// A collector build has the components its manifest compiled in and no others: a
// config naming any other type stops the collector at start ("unknown type"), which
// in Lambda is a 500 on every request. This checks a config against a custom build's
// component list (the project's `lambda` distribution); it does not judge whether a
// type exists at all, which is the contrib catalogue's question.
import { COMPONENT_SECTIONS, componentType, findingAt, isRecord, type CollectorConfig, type Finding } from "./config-model";
import type { DeploymentContext } from "./deployment-context";

const RULE = "component-not-in-distribution";

/** Every component id whose type the distribution lacks, and every `${scheme:...}` whose provider it lacks. */
export function checkDistributionComponents(config: CollectorConfig, context: DeploymentContext): Finding[] {
    const distribution = context.distributionComponents;
    if (!distribution) {
        return [];
    }
    const hint = (what: string) => `set distribution to contrib, or ${distribution.howToAdd.replace("its module", `the ${what}'s module`)}`;
    const findings: Finding[] = [];
    for (const section of COMPONENT_SECTIONS) {
        const allowed = distribution[section];
        for (const id of Object.keys(config.components[section])) {
            const type = componentType(id);
            if (!allowed.has(type)) {
                const kind = section.slice(0, -1);
                findings.push(findingAt(config, RULE, [section, id],
                    `${kind} type "${type}" is not in the ${distribution.name} distribution, so the collector would refuse to start ("unknown type"); it has ${[...allowed].join(", ") || "none"}`,
                    hint(kind)));
            }
        }
    }
    for (const { path, scheme } of schemeReferences(config.raw, [])) {
        if (!distribution.providers.has(scheme)) {
            findings.push(findingAt(config, RULE, path,
                `references \${${scheme}:...}, but the ${distribution.name} distribution has no "${scheme}" config provider, so the collector would refuse to start; it has ${[...distribution.providers].join(", ")}`,
                hint("provider")));
        }
    }
    return findings;
}

/**
 * The URI schemes of `${scheme:...}` references in string values, skipping escaped
 * `$${...}`. A scheme is two or more characters, as confmap requires
 * (`[A-Za-z][A-Za-z0-9+.-]+`; confmap/expand.go, core at the pinned release), so `${NAME}` is no scheme.
 * `${NAME:-x}` is left out: confmap reads it as an unsupported scheme in any build,
 * which is not this rule's question.
 */
function* schemeReferences(value: unknown, path: string[]): Generator<{ path: string[]; scheme: string }> {
    if (typeof value === "string") {
        for (const match of value.matchAll(/(\$*)\$\{([A-Za-z][A-Za-z0-9+.-]+):(?!-)/g)) {
            if (match[1].length % 2 === 0) {
                yield { path, scheme: match[2] };
            }
        }
    } else if (Array.isArray(value)) {
        for (const [i, item] of value.entries()) yield* schemeReferences(item, [...path, String(i)]);
    } else if (isRecord(value)) {
        for (const [key, item] of Object.entries(value)) yield* schemeReferences(item, [...path, key]);
    }
}
