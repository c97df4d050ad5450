// unknown-config-key: keys the pinned collector does not decode, in the sections the
// rules read. The collector decodes every section strictly: confmap's decoder sets
// ErrorUnused (confmap/internal/decoder.go), so one unknown key stops it with
// "'<section>' has invalid keys: <key>" before anything starts. Component settings
// beyond the ones listed here are not modelled; `--collector` (the real `validate`)
// sees them all.
//
// The key lists are the mapstructure tags at opentelemetry-collector v0.159.0 (the
// newest tag the project could read; the pin is 0.161.0), each confirmed against the
// lean 0.161.0 build's `validate` (test/collector/validate-differential.integration.ts):
// service/config.go (Config), service/pipelines/config.go (PipelineConfig),
// service/telemetry/otelconftelemetry/config.go (Config) and
// internal/migration/v0.3.0.go (MetricsConfigV030, TracesConfigV030 with otelconf
// v0.25.0's MeterProvider/TracerProvider squashed in, LogsConfigV030),
// receiver/otlpreceiver/config.go (Config, Protocols).
import { componentType, findingAt, isRecord, type CollectorConfig, type Finding } from "./config-model";
import { editDistance } from "./edit-distance";

interface Section {
    readonly path: readonly string[];
    readonly keys: readonly string[];
    /** Removed keys with the replacement to name in the hint. */
    readonly removed?: Readonly<Record<string, string>>;
}

const TELEMETRY_SECTIONS: readonly Section[] = [
    { path: ["service"], keys: ["telemetry", "extensions", "pipelines"] },
    { path: ["service", "telemetry"], keys: ["logs", "metrics", "traces", "resource"] },
    {
        path: ["service", "telemetry", "metrics"],
        keys: ["level", "readers", "views"],
        removed: {
            // Removed with the v0.2.0 telemetry schema (migration/v0.3.0.go: only level survives the fallback).
            address: "readers: [{pull: {exporter: {prometheus: {host: localhost, port: 8888}}}}]",
        },
    },
    { path: ["service", "telemetry", "traces"], keys: ["level", "propagators", "processors", "limits", "sampler"] },
    {
        path: ["service", "telemetry", "logs"],
        keys: ["level", "development", "encoding", "disable_caller", "disable_stacktrace", "sampling", "output_paths", "error_output_paths", "initial_fields", "processors", "disable_zap_resource"],
    },
];

const PIPELINE_KEYS = ["receivers", "processors", "exporters"];
const OTLP_RECEIVER_KEYS = ["protocols"];
const OTLP_PROTOCOLS = ["grpc", "http"];

/** unknown-config-key over service, its telemetry, each pipeline, and each OTLP receiver's top level and protocols. */
export function checkConfigKeys(config: CollectorConfig): Finding[] {
    const findings: Finding[] = [];
    const check = (path: readonly string[], value: unknown, known: readonly string[], removed: Readonly<Record<string, string>> = {}): void => {
        if (!isRecord(value)) return;
        for (const key of Object.keys(value)) {
            if (known.includes(key)) continue;
            const where = [...path, key];
            const replacement = removed[key];
            if (replacement !== undefined) {
                findings.push(findingAt(config, "unknown-config-key", where,
                    `"${key}" was removed from ${path.join(".")}, and the collector refuses an unknown key ("has invalid keys: ${key}"), so it does not start`,
                    `write ${replacement} instead`));
                continue;
            }
            const near = closestName(key, known);
            findings.push(findingAt(config, "unknown-config-key", where,
                `"${key}" is not a key of ${path.join(".")}, and the collector refuses an unknown key ("has invalid keys: ${key}"), so it does not start`,
                near !== undefined ? `did you mean "${near}"? The keys are ${known.join(", ")}` : `use only ${known.join(", ")}`));
        }
    };
    for (const section of TELEMETRY_SECTIONS) {
        check(section.path, valueAt(config.root, section.path), section.keys, section.removed);
    }
    const service = config.root.service;
    const pipelines = isRecord(service) ? service.pipelines : undefined;
    for (const [id, pipeline] of Object.entries(isRecord(pipelines) ? pipelines : {})) {
        check(["service", "pipelines", id], pipeline, PIPELINE_KEYS);
    }
    for (const [id, settings] of Object.entries(config.components.receivers)) {
        if (componentType(id) !== "otlp" || !isRecord(settings)) continue;
        check(["receivers", id], settings, OTLP_RECEIVER_KEYS);
        check(["receivers", id, "protocols"], settings.protocols, OTLP_PROTOCOLS);
    }
    return findings;
}

/** The known key nearest `key` by spelling (at most 2 edits away), or undefined. */
function closestName(key: string, known: readonly string[]): string | undefined {
    const ranked = known.map((name) => ({ name, d: editDistance(key, name) })).sort((a, b) => a.d - b.d);
    return ranked.length > 0 && ranked[0].d <= 2 ? ranked[0].name : undefined;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
    let value = root;
    for (const key of path) {
        if (!isRecord(value)) return undefined;
        value = value[key];
    }
    return value;
}
