/**
 * The standard OTLP exporter variables for a producer of a collector at `url`
 * (ending in `/` or not) with bearer `token`. The endpoint has no trailing slash
 * because SDKs append `/v1/<signal>`; the space after "Bearer" is percent-encoded as
 * the variable's W3C-baggage format requires.
 */
export function producerEnvironmentFor(url: string, token: string): Record<string, string> {
    return {
        OTEL_EXPORTER_OTLP_ENDPOINT: url.replace(/\/+$/, ""),
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
        OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${token}`,
    };
}
