// Finds collector configs in a Lambda function's environment by parsing every value
// (never by text patterns), so the pack protects stacks built without our component
// and a config cannot be written so that the pack overlooks it. What counts as a
// collector config is decided in rules/detect.ts and documented in docs/policy-pack.md:
// - the value of the image's config variable (IMAGE.configVariable), always;
// - any other value that parses as YAML to a mapping with a collector section
//   (receivers, processors, exporters, extensions, connectors, service);
// - a value that does not parse but whose recoverable part is such a mapping is
//   reported as a broken config (config-syntax), never skipped.
import { isRecord, type CollectorConfig, type Finding } from "../rules/config-model";
import { detectCollectorConfig } from "../rules/detect";
import { IMAGE } from "../rules/lambda-facts";
import { readKnown, unwrapSecret } from "./engine/wire-format";

export interface FoundConfig {
    /** The environment variable holding it. */
    readonly key: string;
    readonly config: CollectorConfig;
}

export interface FunctionConfigs {
    /** Every environment variable name the function sets (names are never unknown). */
    readonly environmentKeys: ReadonlySet<string>;
    /** The function's environment values, secrets unwrapped; `undefined` for a value unknown at preview. */
    readonly environment: Readonly<Record<string, string | undefined>>;
    /** Names whose values the engine does not know yet (unknown at preview). */
    readonly unknownKeys: ReadonlySet<string>;
    /** The engine's error for the first unknown value: rethrown where an unknown value decides the verdict. */
    readonly unknownError?: Error;
    readonly configs: readonly FoundConfig[];
    /** Values written as collector configs that do not parse. */
    readonly invalid: readonly { readonly key: string; readonly finding: Finding }[];
}

/**
 * The collector configs in a function's `environment.variables`. Rethrows the
 * engine's unknown-value error (the policy SDK's "can't run during preview") when the
 * image's config variable is unknown, or when no config is found but some value is
 * unknown: that value might be the config, so the function is "not yet checkable",
 * never a pass.
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
    const environment: Record<string, string | undefined> = {};
    const unknownKeys = new Set<string>();
    let configUnknown = false;
    for (const key of Object.keys(entries)) {
        let wasUnknown = false;
        const value = unwrapSecret(readKnown(() => entries[key], (error) => {
            wasUnknown = true;
            noteUnknown(error);
        }));
        if (wasUnknown) {
            unknownKeys.add(key);
            environment[key] = undefined;
            configUnknown ||= key === IMAGE.configVariable;
            continue;
        }
        if (typeof value !== "string") {
            environment[key] = value === undefined || value === null ? undefined : String(value);
            continue;
        }
        environment[key] = value;
        const detected = detectCollectorConfig(value, key === IMAGE.configVariable);
        if (detected.kind === "config") {
            configs.push({ key, config: detected.config });
        } else if (detected.kind === "broken") {
            invalid.push({ key, finding: detected.finding });
        }
    }
    if (unknown && (configUnknown || (configs.length === 0 && invalid.length === 0))) {
        throw unknown;
    }
    return { environmentKeys: new Set(Object.keys(entries)), environment, unknownKeys, unknownError: unknown, configs, invalid };
}
