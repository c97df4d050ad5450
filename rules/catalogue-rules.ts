// Rules that judge component types against the pinned distribution's catalogue:
// a type the distribution lacks makes otelcol-contrib refuse to start (every request
// then gets a 500 with no detail), and a receiver that is not pushed to collects
// nothing between invocations.
import {
    CATALOGUE_VERSION,
    catalogueEntry,
    COMPONENT_KINDS,
    namesOf,
    OTHER_DISTRIBUTION_TYPES,
    PENDING_RENAMES,
    receiverEntry,
    REMOVED_TYPES,
    type ComponentKind,
} from "./catalogue";
import { componentType, findingAt, usedIds, type CollectorConfig, type ComponentSection, type Finding } from "./config-model";
import { editDistance } from "./edit-distance";

const DISTRIBUTION = `otelcol-contrib ${CATALOGUE_VERSION}`;
const SECTION_OF: Readonly<Record<ComponentKind, ComponentSection>> = {
    receiver: "receivers", processor: "processors", exporter: "exporters", extension: "extensions", connector: "connectors",
};

/** unknown-component-type: every component type exists in the distribution, under this kind. */
export function checkComponentTypes(config: CollectorConfig): Finding[] {
    const findings: Finding[] = [];
    for (const kind of COMPONENT_KINDS) {
        const section = SECTION_OF[kind];
        for (const id of Object.keys(config.components[section])) {
            const type = componentType(id);
            if (catalogueEntry(kind, type) || PENDING_RENAMES.some((r) => r.kind === kind && r.snakeCaseType === type)) {
                // A snake_case rename that may or may not have landed by this version is
                // not refused here: the catalogue cannot prove it missing.
                continue;
            }
            const problem = unknownType(kind, type);
            findings.push(findingAt(config, "unknown-component-type", [section, id], problem.message, problem.hint));
        }
    }
    return findings;
}

/** Why `type` is not a `kind` of the distribution, and the likely fix. */
export function unknownType(kind: ComponentKind, type: string): { message: string; hint: string } {
    const refuses = "so the collector refuses to start";
    const removed = REMOVED_TYPES.find((r) => r.kind === kind && r.type === type);
    if (removed) {
        return {
            message: `${kind} type "${type}" was removed from otelcol-contrib in ${removed.removedIn}, ${refuses}`,
            hint: removed.replacement ? `use ${removed.replacement} instead` : `remove it; it has no replacement in ${DISTRIBUTION}`,
        };
    }
    const other = OTHER_DISTRIBUTION_TYPES.find((o) => o.kind === kind && o.type === type);
    if (other) {
        return {
            message: `${kind} type "${type}" belongs to another distribution (${other.distribution}) and is not in ${DISTRIBUTION}, ${refuses}`,
            hint: `remove it${suggestion(kind, type, "; did you mean")}`,
        };
    }
    const elsewhere = COMPONENT_KINDS.find((k) => k !== kind && catalogueEntry(k, type));
    if (elsewhere) {
        return {
            message: `"${type}" is ${withArticle(elsewhere)} in ${DISTRIBUTION}, not ${withArticle(kind)}, ${refuses}`,
            hint: `define it under ${SECTION_OF[elsewhere]}`,
        };
    }
    const guess = suggestion(kind, type, "did you mean");
    return {
        message: type === ""
            ? `${withArticle(kind)} id needs a type before the "/", ${refuses}`
            : `${kind} type "${type}" is not in ${DISTRIBUTION}, ${refuses}`,
        hint: guess ? guess : `use ${withArticle(kind)} type of ${DISTRIBUTION} (see the catalogue in rules/catalogue/)`,
    };
}

/** "a receiver", "an exporter": the kind with its indefinite article (every kind's sound follows its first letter). */
function withArticle(kind: ComponentKind): string {
    return `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind}`;
}

/** ` did you mean "x"?` for the nearest names by edit distance, or "" when none is close. */
function suggestion(kind: ComponentKind, type: string, lead: string): string {
    if (type === "") {
        return "";
    }
    const limit = Math.max(1, Math.min(3, Math.floor(type.length / 3)));
    let best: string[] = [];
    let bestDistance = limit + 1;
    for (const name of namesOf(kind)) {
        const d = editDistance(type.toLowerCase(), name);
        if (d < bestDistance) {
            best = [name];
            bestDistance = d;
        } else if (d === bestDistance) {
            best.push(name);
        }
    }
    return best.length === 0 ? "" : `${lead} ${best.slice(0, 3).map((n) => `"${n}"`).join(" or ")}?`;
}

/** non-push-receiver (advisory): a used receiver that scrapes, polls, reads files or consumes. */
export function checkNonPushReceivers(config: CollectorConfig): Finding[] {
    const used = usedIds(config, "receivers");
    const findings: Finding[] = [];
    for (const id of Object.keys(config.components.receivers)) {
        const entry = receiverEntry(componentType(id));
        if (!entry || entry.push !== false || !used.has(id)) {
            continue;
        }
        const how = entry.pushNote ?? "is not pushed to";
        findings.push(findingAt(config, "non-push-receiver", ["receivers", id],
            `${componentType(id)} ${how}, but Lambda runs the collector only while a request is in flight and freezes it between requests, so it collects at best during invocations and misses everything in between`,
            "collect this data with a persistent collector; in Lambda, receive pushed OTLP only"));
    }
    return findings;
}
