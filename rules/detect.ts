// What counts as a collector config, decided on the parsed value (never on text
// patterns): shared by the policy pack (which looks through a function's whole
// environment) and the lint's pre-commit mode (which looks through staged files).
import { isMap, isScalar, parseDocument } from "yaml";
import { COMPONENT_SECTIONS, isRecord, parseCollectorConfig, type CollectorConfig, type Finding } from "./config-model";
import { editDistance } from "./edit-distance";

/** Top-level keys that make a mapping a collector config. */
export const COLLECTOR_SECTIONS: readonly string[] = [...COMPONENT_SECTIONS, "service"];

/**
 * Keys of the `service` section that, written at the top level, show a collector config
 * with its nesting lost (`pipelines:` one indent too far left).
 */
const SERVICE_KEYS_AT_TOP: readonly string[] = ["pipelines"];

export type Detection =
    | { readonly kind: "config"; readonly config: CollectorConfig }
    /** Written as a collector config (its recoverable part has collector sections), but it does not parse. */
    | { readonly kind: "broken"; readonly finding: Finding }
    | { readonly kind: "not-config"; readonly reason: string };


/**
 * A key that is a collector section misspelt: `receiver`, `exporter`, `servce`, `Processors`.
 * Up to 2 edits for the long section names, 1 for `service` (7 letters), so that short
 * unrelated words (`services` of docker-compose is handled by its own signal) stay apart.
 */
export function nearCollectorSection(key: string): string | undefined {
    const lower = key.toLowerCase();
    if (lower.length > 30) return undefined;
    for (const section of COLLECTOR_SECTIONS) {
        if (editDistance(lower, section) <= (section.length >= 9 ? 2 : 1)) return section;
    }
    return SERVICE_KEYS_AT_TOP.includes(lower) ? "service" : undefined;
}

/**
 * A strong sign that a mapping is another well-known format, so a near-collector key in
 * it is a coincidence: GitHub/Gitea workflows (`jobs`, `on`), Pulumi.yaml (`runtime`),
 * Kubernetes manifests (`apiVersion` + `kind`), docker-compose (`services` whose entries
 * have `image` or `build`), Bitbucket Pipelines (`pipelines` of `default`/`branches`/...,
 * or a top-level `image`). Returns the format's name, for the skip reason.
 */
function otherFormat(root: Readonly<Record<string, unknown>>): string | undefined {
    const has = (key: string) => Object.prototype.hasOwnProperty.call(root, key);
    if (has("jobs") || (has("on") && has("name"))) return "a CI workflow (jobs, on)";
    if (has("runtime") && has("name")) return "a Pulumi project file (name, runtime)";
    if (has("apiVersion") && has("kind")) return "a Kubernetes manifest (apiVersion, kind)";
    const services = root.services;
    if (isRecord(services) && Object.values(services).some((s) => isRecord(s) && ("image" in s || "build" in s))) {
        return "a docker-compose file (services with image or build)";
    }
    const pipelines = root.pipelines;
    const bitbucket = ["default", "branches", "pull-requests", "custom", "tags"];
    if (has("image") || (isRecord(pipelines) && Object.keys(pipelines).length > 0 && Object.keys(pipelines).every((k) => bitbucket.includes(k)))) {
        return "a Bitbucket Pipelines file (image, pipelines.default/branches)";
    }
    return undefined;
}

/** Why a mapping with these top-level keys is a collector config, or why not. */
function classify(root: Readonly<Record<string, unknown>>): { config: true } | { config: false; reason: string } {
    const keys = Object.keys(root);
    if (keys.some((key) => COLLECTOR_SECTIONS.includes(key))) return { config: true };
    if (!keys.some((key) => nearCollectorSection(key) !== undefined)) return { config: false, reason: "a mapping without collector sections" };
    const other = otherFormat(root);
    return other === undefined ? { config: true } : { config: false, reason: other };
}

/**
 * Decides whether `text` is a collector config. A text that parses to a mapping is one
 * when it has a collector section (receivers, processors, exporters, extensions,
 * connectors, service), or a misspelt one (`receiver`, `servce`; see
 * nearCollectorSection) or a top-level `pipelines`, unless it is plainly another format
 * (see otherFormat); a misspelt config is then reported by config-shape rather than
 * skipped. A text that does not parse is "broken" when the parser's recovered document
 * is such a mapping, else not a config. With `always`, the text is treated as a config
 * whatever it holds (the image's config variable).
 */
export function detectCollectorConfig(text: string, always = false): Detection {
    const parsed = parseCollectorConfig(text);
    if (always) {
        return parsed.ok ? { kind: "config", config: parsed.config } : { kind: "broken", finding: parsed.finding };
    }
    if (parsed.ok) {
        const decided = classify(parsed.config.root);
        return decided.config ? { kind: "config", config: parsed.config } : { kind: "not-config", reason: decided.reason };
    }
    let recovered: unknown;
    try {
        recovered = parseDocument(text, { prettyErrors: false, schema: "core" }).toJS({ maxAliasCount: 100 });
    } catch {
        recovered = undefined;
    }
    if (!isRecord(recovered)) {
        // The recovered document may not convert (a bad alias); its top-level keys still tell.
        let contents: unknown;
        try {
            contents = parseDocument(text, { prettyErrors: false, schema: "core" }).contents;
        } catch {
            contents = undefined;
        }
        const keys = isMap(contents) ? contents.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : "")) : [];
        recovered = isMap(contents) ? Object.fromEntries(keys.map((k) => [k, null])) : undefined;
    }
    const decided = isRecord(recovered) ? classify(recovered) : { config: false as const, reason: "" };
    return decided.config
        ? { kind: "broken", finding: parsed.finding }
        : { kind: "not-config", reason: parsed.finding.rule === "config-syntax" ? "not valid YAML, and no collector sections" : "not a mapping" };
}
