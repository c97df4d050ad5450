// OpenTelemetry's own protobuf codec for OTLP, as the tests' independent decoder: the
// protobufjs static module generated from opentelemetry-proto and shipped in
// @opentelemetry/otlp-transformer 0.213.0 (build/src/generated/root.js), installed under
// the alias otlp-protobufjs-decoder. The code under test serializes with the current
// otlp-transformer, which no longer ships a request decoder.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const root = require("otlp-protobufjs-decoder/build/src/generated/root") as GeneratedRoot;

interface Codec<T> {
    decode(bytes: Uint8Array): T;
    encode(message: unknown): { finish(): Uint8Array };
    toObject(message: T, options: { longs: typeof String; bytes: typeof String }): Record<string, unknown>;
}

export interface KeyValue {
    key: string;
    value: { stringValue?: string };
}

export interface DecodedTraceRequest {
    resourceSpans: {
        resource?: { attributes: KeyValue[] };
        scopeSpans: { scope?: { name: string }; spans: { name: string; traceId: Uint8Array; spanId: Uint8Array; attributes: KeyValue[] }[] }[];
    }[];
}

interface GeneratedRoot {
    opentelemetry: {
        proto: {
            collector: {
                trace: { v1: { ExportTraceServiceRequest: Codec<DecodedTraceRequest>; ExportTraceServiceResponse: Codec<unknown> } };
                metrics: { v1: { ExportMetricsServiceRequest: Codec<{ resourceMetrics: unknown[] }> } };
                logs: { v1: { ExportLogsServiceRequest: Codec<{ resourceLogs: unknown[] }> } };
            };
        };
    };
}

const collector = root.opentelemetry.proto.collector;

export function decodeTraceRequest(bytes: Uint8Array): DecodedTraceRequest {
    return collector.trace.v1.ExportTraceServiceRequest.decode(bytes);
}

export function decodeMetricsRequest(bytes: Uint8Array): { resourceMetrics: unknown[] } {
    return collector.metrics.v1.ExportMetricsServiceRequest.decode(bytes);
}

/** An ExportTraceServiceResponse as the collector encodes one, e.g. with a partial success. */
export function encodeTraceResponse(message: { partialSuccess?: { rejectedSpans?: number; errorMessage?: string } }): Uint8Array {
    return collector.trace.v1.ExportTraceServiceResponse.encode(message).finish();
}

/** Hex of a bytes field. */
export function hex(bytes: Uint8Array): string {
    return Buffer.from(bytes).toString("hex");
}
