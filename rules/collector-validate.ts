// collector-validate: what the real collector's `validate` command said about a config,
// as a finding at the config path its error names. The rules stay pure: the command is
// run outside rules/ (components/shared/collector-validate.ts, for the lint's --collector and
// the component's validateWith) and its outcome arrives in the deployment context.
//
// `validate` resolves the config, decodes every section strictly, runs every config's
// Validate() and builds the pipeline graph (otelcol/command_validate.go, collector.go
// DryRun). Its errors name the place in three forms, all read here:
// - "receivers::otlp: must specify ..." / "service::pipelines::traces: must have ..."
//   (xconfmap.Validate and otelcol/config.go join the path with "::");
// - "'exporters' error reading configuration for \"debug\": ... 'debugexporter.Config'
//   has invalid keys: verbosty" and "'service.telemetry.metrics' ... has invalid keys:
//   address" (confmap's decoder: quoted mapstructure field paths, Go type names in between);
// - "connector \"forward\" used as exporter ..." (service/internal/graph: a kind and an id).
import { findingAt, type CollectorConfig, type Finding } from "./config-model";
import type { DeploymentContext } from "./deployment-context";

/** The outcome of one `<collector> validate --config=...` run. */
export interface CollectorValidation {
    /** The binary as the user gave it (the lint's --collector, the component's validateWith). */
    readonly binary: string;
    /** The collector's error, as it printed it (bounded); undefined when validate passed. */
    readonly error?: string;
}

const SECTIONS = ["receivers", "processors", "exporters", "extensions", "connectors", "service"];
/** The longest collector error a finding repeats; past this it is cut with "...". */
export const MAX_ERROR_CHARS = 800;

export function checkCollectorValidation(config: CollectorConfig, context: DeploymentContext): Finding[] {
    const validation = context.collectorValidation;
    if (!validation || validation.error === undefined) return [];
    const words = collectorWords(validation.error);
    return [findingAt(config, "collector-validate", validateErrorPath(validation.error), `${validation.binary} validate refuses this config: ${words}`,
        "fix what the collector names (the path and line point at it); this is what the function would log at cold start")];
}

/** The error as one line: "Error: " dropped, whitespace runs (line breaks included) made one space, cut at MAX_ERROR_CHARS. */
export function collectorWords(error: string): string {
    const line = error.replace(/^\s*Error:\s*/, "").replace(/\s+/g, " ").trim();
    return line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS)}...` : line;
}

/** The config path an error of `validate` names, as segments; [] (the whole config) when it names none. */
export function validateErrorPath(error: string): string[] {
    const text = error.replace(/^\s*Error:\s*/, "");
    // "receivers::otlp: ..." / "service::pipelines: pipeline \"profiles\": ..."
    const joined = /^([a-z_]+(?:::[^\s:]+(?:::[^\s:]+)*)?):\s/.exec(text);
    if (joined && SECTIONS.includes(joined[1].split("::")[0]) && joined[1].includes("::")) {
        const path = joined[1].split("::");
        const pipeline = /^pipeline "([^"]+)"/.exec(text.slice(joined[0].length));
        return pipeline && path.join(".") === "service.pipelines" ? [...path, pipeline[1]] : path;
    }
    const decoded = decoderPath(text);
    if (decoded.length > 0) return decoded;
    const named = /\b(receiver|processor|exporter|connector|extension) "([^"]+)"/.exec(text);
    return named ? [`${named[1]}s`, named[2]] : [];
}

/**
 * The path of confmap's nested decoding errors: quoted field paths in order, each
 * followed by "decoding failed" or "error reading configuration for \"ID\"" while the
 * error goes deeper; the first quoted name followed by anything else is where it is.
 */
function decoderPath(text: string): string[] {
    const path: string[] = [];
    const quoted = /'([^']*)'/g;
    for (let match = quoted.exec(text); match; match = quoted.exec(text)) {
        const name = match[1];
        const after = text.slice(match.index + match[0].length);
        if (path.length === 0 && !SECTIONS.includes(name.split(".")[0])) return [];
        // A Go type (debugexporter.Config, migration.MetricsConfigV030) or '' names no field.
        if (name !== "" && !/[A-Z]/.test(name)) path.push(...fieldSegments(name));
        const component = /^ error reading configuration for "([^"]+)"/.exec(after);
        if (component) {
            path.push(component[1]);
            continue;
        }
        if (/^ decoding failed/.test(after)) continue;
        const invalid = /^ has invalid keys: ([^\s,]+)/.exec(after);
        if (invalid) return [...path, invalid[1]];
        const unknownType = /^ unknown type: "[^"]*" for id: "([^"]+)"/.exec(after);
        if (unknownType) return [...path, unknownType[1]];
        return path;
    }
    return path;
}

/** `service.pipelines[traces]` → service, pipelines, traces; `readers[0]` → readers, 0. */
function fieldSegments(name: string): string[] {
    return [...name.matchAll(/\[([^\]]*)\]|[^.[\]]+/g)].map((m) => m[1] ?? m[0]);
}
