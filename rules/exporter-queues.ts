// Which collector exporters queue by default. This is the single place that knows;
// the rules read it. Facts were checked against the collector's Go source (core and
// contrib factories, `createDefaultConfig`) up to v0.159.0; see
// README.md ("Exporter queue facts").
// An exporter type on no list here is treated as queued unless its queue is
// explicitly disabled: most exporters are built on exporterhelper, whose
// sending_queue is enabled by default.

/** The collector version the lists below were checked against. */
export const QUEUE_FACTS_VERSION = "v0.159.0";

/** New type names and the old names the collector still accepts for them (v0.144+). */
export const TYPE_ALIASES: Readonly<Record<string, string>> = {
    otlp_grpc: "otlp",
    otlp_http: "otlphttp",
};

/**
 * Exporters with no sending queue at all: their config has no `sending_queue`
 * (nop: empty config; logging: removed in v0.111, queue always off; file: a buffered
 * writer flushed on an interval, not a queue; awsxray and awsemf: exporterhelper
 * without WithQueue).
 */
export const NO_QUEUE: ReadonlySet<string> = new Set(["nop", "logging", "file", "awsxray", "awsemf"]);

/**
 * Exporters whose sending queue is on by default (`configoptional.Some`, or
 * `NewDefaultQueueConfig()` before v0.142), read in their factories. Others not
 * listed anywhere here are assumed to be the same.
 */
export const QUEUE_ON_BY_DEFAULT: ReadonlySet<string> = new Set(["otlp", "otlphttp", "kafka", "elasticsearch", "otelarrow", "signozclickhousemetrics"]);

/**
 * Exporters whose queue exists but is off by default (`configoptional.Default`): any
 * `sending_queue` mapping without `enabled: false` turns it on. debug: off since
 * v0.140 (on, size 1, in v0.136-v0.139); prometheus, opensearch, awss3 and the top
 * level of loadbalancing: off.
 */
export const QUEUE_OFF_BY_DEFAULT: ReadonlySet<string> = new Set(["debug", "prometheus", "opensearch", "awss3", "loadbalancing"]);

/**
 * Exporters that queue under another key than `sending_queue`, on by default unless
 * noted: prometheusremotewrite (`remote_write_queue`, enabled by default);
 * jaeger_storage_exporter (`queue`, off by default).
 */
export const OTHER_QUEUE_KEYS: Readonly<Record<string, { key: string; onByDefault: boolean }>> = {
    prometheusremotewrite: { key: "remote_write_queue", onByDefault: true },
    jaeger_storage_exporter: { key: "queue", onByDefault: false },
};

/** The canonical type of an exporter type name (`otlp_http` → `otlphttp`). */
export function canonicalType(type: string): string {
    return TYPE_ALIASES[type] ?? type;
}
