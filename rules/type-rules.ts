// Types and units of the settings the rules read, as the collector decodes them:
// mapstructure with WeaklyTypedInput false (confmap/internal/decoder.go @v0.151.0
// l.54-75). A bool field takes only a YAML bool (true/True/TRUE/false/False/FALSE;
// go-yaml v3.0.4 resolve.go l.52-54), so `enabled: yes` or `enabled: "false"` stops
// the collector. A time.Duration field takes a Go duration string
// (time.ParseDuration) or a bare integer, which is nanoseconds
// (StringToTimeDurationHookFunc only converts strings; decodeInt takes the number).
import { findingAt, isRecord, type CollectorConfig, type Finding } from "./config-model";
import { durationSeconds } from "./freeze-rules";

/** Setting names that are time.Duration fields in the components the rules read. */
export const DURATION_KEYS: ReadonlySet<string> = new Set([
    "max_elapsed_time", "initial_interval", "max_interval", "timeout", "flush_timeout", "decision_wait", "wait_duration",
    "interval", "collection_interval", "metrics_flush_interval", "max_stale", "read_timeout", "write_timeout",
    "idle_timeout", "read_header_timeout", "initial_delay",
]);

const SECTIONS = ["receivers", "processors", "exporters", "extensions", "connectors"] as const;

/** A Go duration: an optional sign, then one or more number+unit pairs, or a bare "0". */
const GO_DURATION = /^[-+]?(0|((\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/;

function* settings(config: CollectorConfig): Generator<{ path: string[]; key: string; value: unknown }> {
    function* walk(value: unknown, path: string[]): Generator<{ path: string[]; key: string; value: unknown }> {
        if (Array.isArray(value)) {
            for (const [i, item] of value.entries()) yield* walk(item, [...path, String(i)]);
        } else if (isRecord(value)) {
            for (const [key, item] of Object.entries(value)) {
                yield { path: [...path, key], key, value: item };
                yield* walk(item, [...path, key]);
            }
        }
    }
    for (const section of SECTIONS) {
        for (const [id, body] of Object.entries(config.components[section])) {
            yield* walk(body, [section, id]);
        }
    }
}

/** config-value-type: `enabled` is a YAML bool; a duration string parses as a Go duration. */
export function checkValueTypes(config: CollectorConfig): Finding[] {
    const findings: Finding[] = [];
    for (const { path, key, value } of settings(config)) {
        if (key === "enabled" && value !== null && typeof value !== "boolean") {
            findings.push(findingAt(config, "config-value-type", path,
                `is ${JSON.stringify(value)}, but the collector takes only true or false here (YAML 1.2: not yes/no/on/off, not quoted), so it refuses to start`,
                `write enabled: ${/^(y|yes|on|true|1)$/i.test(String(value)) ? "true" : "false"}`));
        } else if (DURATION_KEYS.has(key) && typeof value === "string" && !GO_DURATION.test(value)) {
            findings.push(findingAt(config, "config-value-type", path,
                `"${value}" is not a Go duration${/^\d+$/.test(value) ? " (time: missing unit in duration)" : ""}, so the collector refuses to start`,
                `write a number with a unit, e.g. ${/^\d+$/.test(value) ? `${value}s` : "30s, 500ms or 1m30s"}`));
        }
    }
    findings.push(...retryIntervalFindings(config));
    return findings;
}

/**
 * retry_on_failure's defaults (configretry/generated_config.go @v0.159.0 l.66-68):
 * initial_interval 5s, max_interval 30s.
 */
const RETRY_DEFAULTS = { initial_interval: 5, max_interval: 30 } as const;

/**
 * A positive retry_on_failure.max_elapsed_time shorter than initial_interval or
 * max_interval (defaults included): configretry's Validate refuses it, whether or not
 * retries are enabled (backoff.go @v0.159.0 l.12-22: "'max_elapsed_time' must not be
 * less than 'max_interval'"), so the collector refuses to start.
 */
function retryIntervalFindings(config: CollectorConfig): Finding[] {
    const findings: Finding[] = [];
    for (const { path, key, value } of settings(config)) {
        if (key !== "retry_on_failure" || !isRecord(value)) continue;
        const elapsed = durationSeconds(value.max_elapsed_time);
        if (elapsed === undefined || elapsed <= 0) continue;
        for (const bound of ["initial_interval", "max_interval"] as const) {
            const given = value[bound];
            const seconds = given === undefined || given === null ? RETRY_DEFAULTS[bound] : durationSeconds(given);
            if (seconds === undefined || elapsed >= seconds) continue;
            const shown = given === undefined || given === null ? `the default ${RETRY_DEFAULTS[bound]}s` : JSON.stringify(given);
            findings.push(findingAt(config, "config-value-type", [...path, "max_elapsed_time"],
                `${JSON.stringify(value.max_elapsed_time)} is shorter than ${bound} (${shown}), which the collector refuses ("'max_elapsed_time' must not be less than '${bound}'"), so it does not start`,
                `set ${bound} to at most ${JSON.stringify(value.max_elapsed_time)}, or raise max_elapsed_time`));
            break;
        }
    }
    return findings;
}

/** duration-unit (advisory): a bare number in a duration setting is nanoseconds. */
export function checkDurationUnits(config: CollectorConfig): Finding[] {
    const findings: Finding[] = [];
    for (const { path, key, value } of settings(config)) {
        if (DURATION_KEYS.has(key) && typeof value === "number" && value !== 0) {
            findings.push(findingAt(config, "duration-unit", path,
                `${value} is ${value} nanoseconds: the collector reads a bare number in a duration as nanoseconds, not seconds`,
                `write ${value}s (or ${value}ms) if that is what you mean`));
        }
    }
    return findings;
}
