import { DEFAULT_SIGNAL_PATHS, type Signal } from "../otlp/otlp-check";
import { otlpHeadersFor } from "./tokens";

/**
 * The standard OTLP exporter variables for a producer of a collector at `url`
 * (ending in `/` or not) with bearer `token`:
 * - OTEL_EXPORTER_OTLP_ENDPOINT without a trailing slash, because SDKs append `/v1/<signal>`;
 * - OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT, the full URL, for each signal whose receiver
 *   path (`paths`, from the config's otlp receiver `<signal>_url_path`) is not the
 *   default: SDKs use a per-signal endpoint as is (OTLP exporter spec, "Endpoint URLs
 *   for OTLP/HTTP"), so a custom path is reached without a 404;
 * - OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf;
 * - OTEL_EXPORTER_OTLP_COMPRESSION=gzip: a Function URL refuses requests over 6 MB
 *   with 413, and a binary body travels base64-encoded in the event (4/3 larger), so
 *   about 4.5 MB of protobuf is the ceiling; gzip keeps a batch far below it. The
 *   receiver decodes gzip by default (confighttp `defaultCompressionAlgorithms`,
 *   open-telemetry/opentelemetry-collector config/confighttp/compression.go, v0.151.0
 *   to main @934999f);
 * - OTEL_EXPORTER_OTLP_HEADERS, percent-encoded so the JS, Java, Python, Go and .NET
 *   SDKs all decode exactly `Bearer <token>` (see otlpHeadersFor).
 */
export function producerEnvironmentFor(url: string, token: string, paths: Readonly<Record<Signal, string>> = DEFAULT_SIGNAL_PATHS): Record<string, string> {
    const base = url.replace(/\/+$/, "");
    const perSignal = (["traces", "metrics", "logs"] as const)
        .filter((signal) => paths[signal] !== DEFAULT_SIGNAL_PATHS[signal])
        .map((signal) => [`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`, `${base}${paths[signal]}`] as const);
    return {
        OTEL_EXPORTER_OTLP_ENDPOINT: base,
        ...Object.fromEntries(perSignal),
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
        OTEL_EXPORTER_OTLP_COMPRESSION: "gzip",
        OTEL_EXPORTER_OTLP_HEADERS: otlpHeadersFor(token),
    };
}
