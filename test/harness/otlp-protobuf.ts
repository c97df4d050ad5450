// OTLP protobuf messages for tests, decoded and encoded by the OpenTelemetry JS
// project's own generated protobuf module. The current @opentelemetry/otlp-transformer
// writes protobuf by hand and ships no request decoder, so the tests take the
// generated root of an earlier release of the same package (0.215.0, installed under
// the alias otlp-proto-root): the OTLP schema as the OTel JS packages compiled it.

/** The static message API protobufjs generates (its .d.ts declares the root untyped). */
interface MessageType {
    decode(body: Uint8Array): object;
    encode(message: object): { finish(): Uint8Array };
    create(properties: object): object;
    toObject(message: object, options: object): object;
}
interface GeneratedRoot {
    opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: MessageType; ExportTraceServiceResponse: MessageType } } } } };
}
const traceService = (require("otlp-proto-root/build/src/generated/root") as GeneratedRoot).opentelemetry.proto.collector.trace.v1;

/** Plain-object form: ids and bytes as base64 strings, 64-bit numbers as strings. */
const PLAIN = { longs: String, bytes: String, defaults: false } as const;

/** An OTLP/HTTP protobuf ExportTraceServiceRequest body as a plain object. */
export function decodeTraceRequest(body: Uint8Array): Record<string, unknown> {
    return traceService.ExportTraceServiceRequest.toObject(traceService.ExportTraceServiceRequest.decode(body), PLAIN) as Record<string, unknown>;
}

/** An ExportTraceServiceResponse body, with a partial success when `rejectedSpans` is given. */
export function encodeTraceResponse(rejectedSpans?: number, errorMessage = ""): Uint8Array {
    const partialSuccess = rejectedSpans === undefined ? undefined : { rejectedSpans, errorMessage };
    return traceService.ExportTraceServiceResponse.encode(traceService.ExportTraceServiceResponse.create({ partialSuccess })).finish();
}
