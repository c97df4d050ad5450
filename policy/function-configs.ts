// Finds collector configs in a Lambda function's environment, by content rather
// than by variable name, so the pack protects stacks built without our component.
import { isRecord, parseCollectorConfig, type CollectorConfig, type Finding } from "../rules/config-model";
import { readKnown, unwrapSecret } from "./engine/wire-format";

export interface FoundConfig {
    /** The environment variable holding it. */
    readonly key: string;
    readonly config: CollectorConfig;
}

export interface FunctionConfigs {
    /** Every environment variable name the function sets (names are never unknown). */
    readonly environmentKeys: ReadonlySet<string>;
    readonly configs: readonly FoundConfig[];
    /** Values that look like collector configs but do not parse. */
    readonly invalid: readonly { readonly key: string; readonly finding: Finding }[];
}

/**
 * The collector configs in a function's `environment.variables`. When it finds none
 * but some value is unknown at preview, it rethrows the engine's error: that value
 * might be the config, so the function is "not yet checkable", never a pass.
 */
export function collectorConfigsOf(props: unknown): FunctionConfigs {
    let unknown: Error | undefined;
    const noteUnknown = (error: Error): void => {
        unknown ??= error;
    };
    const variables = readKnown(() => {
        const environment = unwrapSecret(isRecord(props) ? unwrapSecret(props.environment) : undefined);
        return unwrapSecret(isRecord(environment) ? environment.variables : undefined);
    }, noteUnknown);
    const configs: FoundConfig[] = [];
    const invalid: { key: string; finding: Finding }[] = [];
    const entries: Record<string, unknown> = isRecord(variables) ? variables : {};
    const keys = Object.keys(entries);
    for (const key of keys) {
        const value = unwrapSecret(readKnown(() => entries[key], noteUnknown));
        if (typeof value !== "string" || !value.includes("pipelines")) {
            continue;
        }
        const parsed = parseCollectorConfig(value);
        if (parsed.ok) {
            if (looksLikeCollectorConfig(parsed.config.root)) {
                configs.push({ key, config: parsed.config });
            }
        } else if (/^\s*service\s*:/m.test(value)) {
            // Unparsable, but written as a collector config: report it rather than skip it.
            invalid.push({ key, finding: parsed.finding });
        }
    }
    if (unknown && configs.length === 0 && invalid.length === 0) {
        throw unknown;
    }
    return { environmentKeys: new Set(keys), configs, invalid };
}

/**
 * A collector config, even a malformed one: a `service` section with `pipelines`,
 * or a `service` section beside receivers or exporters. Malformed pipelines are
 * then reported by the shape rule instead of the value being skipped.
 */
function looksLikeCollectorConfig(root: Readonly<Record<string, unknown>>): boolean {
    if (!("service" in root)) {
        return false;
    }
    return (isRecord(root.service) && "pipelines" in root.service) || "receivers" in root || "exporters" in root;
}
