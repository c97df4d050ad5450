// What counts as a collector config, decided on the parsed value (never on text
// patterns): shared by the policy pack (which looks through a function's whole
// environment) and the lint's pre-commit mode (which looks through staged files).
import { isMap, isScalar, parseDocument } from "yaml";
import { COMPONENT_SECTIONS, parseCollectorConfig, type CollectorConfig, type Finding } from "./config-model";

/** Top-level keys that make a mapping a collector config. */
export const COLLECTOR_SECTIONS: readonly string[] = [...COMPONENT_SECTIONS, "service"];

export type Detection =
    | { readonly kind: "config"; readonly config: CollectorConfig }
    /** Written as a collector config (its recoverable part has collector sections), but it does not parse. */
    | { readonly kind: "broken"; readonly finding: Finding }
    | { readonly kind: "not-config"; readonly reason: string };

/**
 * Decides whether `text` is a collector config. A text that parses to a mapping with
 * at least one collector section (receivers, processors, exporters, extensions,
 * connectors, service) is one. A text that does not parse is "broken" when the parser's
 * recovered document is such a mapping, else not a config. With `always`, the text is
 * treated as a config whatever it holds (the image's config variable).
 */
export function detectCollectorConfig(text: string, always = false): Detection {
    const parsed = parseCollectorConfig(text);
    if (always) {
        return parsed.ok ? { kind: "config", config: parsed.config } : { kind: "broken", finding: parsed.finding };
    }
    if (parsed.ok) {
        return Object.keys(parsed.config.root).some((key) => COLLECTOR_SECTIONS.includes(key))
            ? { kind: "config", config: parsed.config }
            : { kind: "not-config", reason: "a mapping without collector sections" };
    }
    let recovered: unknown;
    try {
        recovered = parseDocument(text, { prettyErrors: false, schema: "core" }).contents;
    } catch {
        recovered = undefined;
    }
    const keys = isMap(recovered) ? recovered.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : "")) : [];
    return keys.some((key) => COLLECTOR_SECTIONS.includes(key))
        ? { kind: "broken", finding: parsed.finding }
        : { kind: "not-config", reason: parsed.finding.rule === "config-syntax" ? "not valid YAML, and no collector sections" : "not a mapping" };
}
