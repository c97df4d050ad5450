// OpenTelemetry's own protobuf codec for OTLP, as the tests' independent decoder: the
// protobufjs static module generated from opentelemetry-proto and shipped in
// @opentelemetry/otlp-transformer 0.215.0 (build/src/generated/root.js), installed under
// the alias otlp-proto-root. The code under test serializes with the current
// otlp-transformer, which no longer ships a request decoder.
const root = require("otlp-proto-root/build/src/generated/root") as GeneratedRoot;

interface Codec<T> {
    decode(bytes: Uint8Array): T;
    encode(message: unknown): { finish(): Uint8Array };
    toObject(message: T, options: { longs: typeof String; bytes: typeof String; defaults?: boolean }): Record<string, unknown>;
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

/** A trace export request as a plain object: ids and bytes base64, 64-bit numbers as strings. */
export function decodeTraceRequestPlain(bytes: Uint8Array): Record<string, unknown> {
    const type = collector.trace.v1.ExportTraceServiceRequest;
    return type.toObject(type.decode(bytes), { longs: String, bytes: String, defaults: false });
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
