import { otlpHeadersFor } from "./tokens";

/**
 * The standard OTLP exporter variables for a producer of a collector at `url`
 * (ending in `/` or not) with bearer `token`. The endpoint has no trailing slash
 * because SDKs append `/v1/<signal>`. The header value is percent-encoded so the
 * JS, Java, Python, Go and .NET SDKs all decode exactly `Bearer <token>`
 * (see otlpHeadersFor).
 */
export function producerEnvironmentFor(url: string, token: string): Record<string, string> {
    return {
        OTEL_EXPORTER_OTLP_ENDPOINT: url.replace(/\/+$/, ""),
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
        OTEL_EXPORTER_OTLP_HEADERS: otlpHeadersFor(token),
    };
}
