// One OTLP/HTTP check, shared by the deploy's pre-traffic check and the `verify` CLI:
// what request to send (a small, valid OTLP protobuf export built by the OpenTelemetry
// JS packages, never hand-written protobuf) and how to judge the answer. Nothing here
// does I/O or knows about Pulumi, so both callers and the tests run the same code.
import { createHash } from "node:crypto";
import { SpanKind } from "@opentelemetry/api";
import {
    ProtobufLogsSerializer,
    ProtobufMetricsSerializer,
    ProtobufTraceSerializer,
} from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type IdGenerator } from "@opentelemetry/sdk-trace-base";
import { parseCollectorConfig } from "../rules/config-model";

/** An OTLP signal, as the collector's `service.pipelines` keys name them. */
export type Signal = "traces" | "metrics" | "logs";

/** Default OTLP/HTTP paths (otlpreceiver `traces_url_path` etc., collector v0.151.0 defaults). */
export const DEFAULT_SIGNAL_PATHS: Readonly<Record<Signal, string>> = {
    traces: "/v1/traces",
    metrics: "/v1/metrics",
    logs: "/v1/logs",
};

/** service.name of everything the checks send, so a user can find (or filter) it in the backend. */
export const CHECK_SERVICE_NAME = "otel-lambda-collector-check";

/** A request the checks send: always `POST <path>` with `content-type: application/x-protobuf`. */
export interface CheckRequest {
    readonly signal: Signal;
    /** The URL path, e.g. `/v1/traces`. */
    readonly path: string;
    /** A serialized Export<Signal>ServiceRequest. */
    readonly body: Uint8Array;
    /** What the body holds, as a phrase: "one span (trace 0af7…)". */
    readonly description: string;
    /** What a 200 for this request proves, as a phrase. */
    readonly proves: string;
    /** The span's trace id (hex), when the body holds a span. */
    readonly traceId?: string;
}

export const PROTOBUF_CONTENT_TYPE = "application/x-protobuf";

/**
 * One span, serialized by `@opentelemetry/otlp-transformer`'s ProtobufTraceSerializer
 * (the exporter's own serializer). Deterministic: the same `seed` and `timeMs` give
 * the same bytes, so a deploy that changed nothing sends (and invokes) nothing new.
 * @param seed  any string; the trace and span ids are derived from it
 * @param timeMs  the span's start time, Unix milliseconds; it lasts 1 ms
 */
export function traceCheckRequest(options: { seed: string; timeMs: number; spanName: string; attributes?: Record<string, string>; path?: string }): CheckRequest {
    const digest = createHash("sha256").update(options.seed).digest("hex");
    const ids: IdGenerator = {
        generateTraceId: () => digest.slice(0, 32),
        generateSpanId: () => digest.slice(32, 48),
    };
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ "service.name": CHECK_SERVICE_NAME }),
        idGenerator: ids,
        spanProcessors: [new SimpleSpanProcessor(memory)],
    });
    const span = provider.getTracer(CHECK_SERVICE_NAME).startSpan(options.spanName, {
        kind: SpanKind.CLIENT,
        startTime: options.timeMs,
        attributes: options.attributes,
    });
    span.end(options.timeMs + 1);
    const spans = memory.getFinishedSpans();
    const body = ProtobufTraceSerializer.serializeRequest([...spans]);
    if (body === undefined || spans.length !== 1) {
        throw new Error("the OpenTelemetry serializer produced no trace export request");
    }
    const traceId = spans[0].spanContext().traceId;
    return {
        signal: "traces",
        path: options.path ?? DEFAULT_SIGNAL_PATHS.traces,
        body,
        description: `one span (trace ${traceId}, service.name ${CHECK_SERVICE_NAME})`,
        proves: "the adapter, the collector and its traces pipeline accepted a real span",
        traceId,
    };
}

/**
 * An Export<Signal>ServiceRequest that carries no data points or log records. Used when the config has no traces pipeline: it
 * proves the adapter, the collector, the receiver path and its auth, not the exporters.
 */
export function emptyCheckRequest(signal: Exclude<Signal, "traces">, path?: string): CheckRequest {
    // Serialized by the OTel serializers so the bytes are theirs, not ours.
    const resource = resourceFromAttributes({ "service.name": CHECK_SERVICE_NAME });
    const body = signal === "metrics"
        ? ProtobufMetricsSerializer.serializeRequest({ resource, scopeMetrics: [] })
        : ProtobufLogsSerializer.serializeRequest([]);
    return {
        signal,
        path: path ?? DEFAULT_SIGNAL_PATHS[signal],
        body: body ?? new Uint8Array(),
        description: `an empty ${signal} export request (the config has no traces pipeline)`,
        proves: `the adapter, the collector and its ${signal} receiver answered (the config has no traces pipeline, so no data went through an exporter)`,
    };
}

/** Which signal and path a config's OTLP/HTTP receiver serves, traces first; undefined if none. */
export function checkTargetOf(configText: string): { signal: Signal; path: string } | undefined {
    const parsed = parseCollectorConfig(configText);
    if (!parsed.ok) return undefined;
    const { pipelines, components } = parsed.config;
    for (const signal of ["traces", "metrics", "logs"] as const) {
        for (const [id, pipeline] of Object.entries(pipelines)) {
            if (id.split("/")[0] !== signal) continue;
            for (const receiver of pipeline.receivers) {
                if (receiver.split("/")[0] !== "otlp") continue;
                const http = httpProtocolOf(components.receivers[receiver]);
                if (http === undefined) continue;
                const custom = http[`${signal}_url_path`];
                return { signal, path: typeof custom === "string" && custom.startsWith("/") ? custom : DEFAULT_SIGNAL_PATHS[signal] };
            }
        }
    }
    return undefined;
}

function httpProtocolOf(settings: unknown): Record<string, unknown> | undefined {
    const protocols = (settings as { protocols?: unknown } | null)?.protocols;
    if (typeof protocols !== "object" || protocols === null || !("http" in protocols)) return undefined;
    const http = (protocols as { http?: unknown }).http;
    // `http:` with no settings is valid YAML null: the receiver runs with defaults.
    return typeof http === "object" && http !== null ? http as Record<string, unknown> : {};
}

/** The request a config's check sends: a span when it has a traces pipeline. */
export function checkRequestFor(configText: string, seed: string, timeMs: number): CheckRequest | undefined {
    const target = checkTargetOf(configText);
    if (target === undefined) return undefined;
    return target.signal === "traces"
        ? traceCheckRequest({ seed, timeMs, spanName: "otel-lambda-collector pre-traffic check", path: target.path })
        : emptyCheckRequest(target.signal, target.path);
}

/** An HTTP answer from the collector (through the Function URL, or the adapter's response event). */
export interface OtlpAnswer {
    readonly status: number;
    readonly contentType?: string;
    readonly body: Uint8Array;
}

/** What a check expects: the export accepted, or refused for lack of a token. */
export type Expectation = "accepted" | "unauthorized";

/** How the request reached the collector; it changes what a 403 can mean. */
export type Route = "function-url" | "direct-invoke";

export interface Verdict {
    readonly ok: boolean;
    /** One clause: "200, 0 rejected" or "500: <body excerpt>". */
    readonly outcome: string;
    /** For a failure, the causes that fit this status, from the field report; else "". */
    readonly causes: string;
}

/** Context a verdict needs to say what was sent. */
export interface SentRequest {
    readonly signal: Signal;
    /** Whether an Authorization header was sent at all. */
    readonly tokenSent: boolean;
    readonly route: Route;
}

/**
 * Judges one answer. "accepted" needs 200 and an Export<Signal>ServiceResponse whose
 * partial_success rejected nothing: a collector that rejected the span answers 200 too
 * (OTLP spec, "Partial Success"). "unauthorized" needs 401.
 */
export function judgeAnswer(answer: OtlpAnswer, expect: Expectation, sent: SentRequest): Verdict {
    if (expect === "unauthorized") {
        if (answer.status === 401) return { ok: true, outcome: "401", causes: "" };
        if (answer.status === 200) {
            return {
                ok: false,
                outcome: `200 for a request without a token: ${excerpt(answer)}`,
                causes: "the receiver has no authenticator, so anyone who knows the URL can send telemetry: add `auth: {authenticator: bearertokenauth/...}` to the otlp receiver's http protocol, or set allowUnauthenticated if that is intended",
            };
        }
        return failure(answer, sent);
    }
    if (answer.status !== 200) return failure(answer, sent);
    const partial = partialSuccessOf(answer, sent.signal);
    if (partial === "undecodable") {
        return { ok: false, outcome: `200, but the body is not an OTLP Export${capital(sent.signal)}ServiceResponse: ${excerpt(answer)}`, causes: "something other than the collector's OTLP receiver answered on this path" };
    }
    if (partial.rejected > 0 || partial.message !== "") {
        const what = sent.signal === "traces" ? "spans" : sent.signal === "metrics" ? "data points" : "log records";
        return {
            ok: false,
            outcome: `200 with a partial success that rejected ${partial.rejected} ${what}${partial.message ? `: ${partial.message}` : ""}`,
            causes: "the collector accepted the request but dropped its data (a processor or exporter refused it); read the error message and the function's logs",
        };
    }
    return { ok: true, outcome: `200, 0 rejected`, causes: "" };
}

function failure(answer: OtlpAnswer, sent: SentRequest): Verdict {
    return { ok: false, outcome: `${answer.status}: ${excerpt(answer)}`, causes: causesFor(answer.status, sent) };
}

/** Causes that fit a status, after the field report's troubleshooting. */
export function causesFor(status: number, sent: SentRequest): string {
    switch (status) {
        case 400:
            return "the receiver could not decode a valid OTLP protobuf export: something between the caller and the collector changed the body, or the path is served by another receiver";
        case 401:
            return sent.tokenSent
                ? "token wiring: the token sent differs from the one the collector's bearertokenauth reads (${env:COLLECTOR_INGEST_TOKEN}); the header name is case-insensitive, the token is not"
                : "no Authorization header was sent, and the collector requires one: set OTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer%20<token> (the stack output producerEnvironment has it)";
        case 403:
            return sent.route === "function-url"
                ? "refused by the Function URL before the function ran (no logs): the alias needs both lambda:InvokeFunctionUrl and lambda:InvokeFunction (InvokedViaFunctionUrl) permissions"
                : "an authenticator in the config refused the request (the Function URL is not involved in a direct invoke)";
        case 404:
            return "no OTLP/HTTP receiver serves this path: the pipeline's receiver is not otlp with an http protocol, or it sets a custom *_url_path";
        case 413:
            return "the body was too large for the receiver or the Function URL (6 MB payload limit)";
        case 429:
        case 503:
            return "the collector refused for backpressure (memory_limiter, or an exporter whose queue is full); the same request may pass on retry";
        case 502:
            return "the adapter could not reach the collector: it is not listening on AWS_LWA_PORT (4318), or it exited after start; read the log group";
        case 504:
            return "the request timed out inside the function: an exporter waited on an unreachable backend (network, VPC, wrong endpoint); read the log group";
        default:
            return status >= 500
                ? "config or env: an exporter failed synchronously (backend rejected the data or its API key, an unset ${env:...}), or the collector is not running; read the log group"
                : `unexpected status ${status}`;
    }
}

type Partial = { rejected: number; message: string } | "undecodable";

function partialSuccessOf(answer: OtlpAnswer, signal: Signal): Partial {
    if (answer.body.length === 0) return { rejected: 0, message: "" };
    if ((answer.contentType ?? "").includes("json")) {
        try {
            const parsed = JSON.parse(Buffer.from(answer.body).toString("utf8")) as { partialSuccess?: Record<string, unknown> };
            const p = parsed.partialSuccess ?? {};
            const rejected = Number(p.rejectedSpans ?? p.rejectedDataPoints ?? p.rejectedLogRecords ?? 0);
            return { rejected: Number.isFinite(rejected) ? rejected : 0, message: typeof p.errorMessage === "string" ? p.errorMessage : "" };
        } catch {
            return "undecodable";
        }
    }
    try {
        // The exporters' own response deserializers (@opentelemetry/otlp-transformer).
        if (signal === "traces") {
            const p = ProtobufTraceSerializer.deserializeResponse(answer.body).partialSuccess;
            return { rejected: Number(p?.rejectedSpans ?? 0), message: p?.errorMessage ?? "" };
        }
        if (signal === "metrics") {
            const p = ProtobufMetricsSerializer.deserializeResponse(answer.body).partialSuccess;
            return { rejected: Number(p?.rejectedDataPoints ?? 0), message: p?.errorMessage ?? "" };
        }
        const p = ProtobufLogsSerializer.deserializeResponse(answer.body).partialSuccess;
        return { rejected: Number(p?.rejectedLogRecords ?? 0), message: p?.errorMessage ?? "" };
    } catch {
        return "undecodable";
    }
}

/** At most 160 printable characters of a body; protobuf Status messages become their text. */
export function excerpt(answer: Pick<OtlpAnswer, "body">, limit = 160): string {
    if (answer.body.length === 0) return "(empty body)";
    const text = Buffer.from(answer.body).toString("utf8");
    // A google.rpc.Status in protobuf: keep the printable runs (its message field).
    const printable = text.replace(/[^\x20-\x7E]+/g, " ").replace(/\s+/g, " ").trim();
    if (printable === "") return `(${answer.body.length} bytes of binary)`;
    return printable.length > limit ? `${printable.slice(0, limit)}…` : printable;
}

function capital(signal: Signal): string {
    return signal[0].toUpperCase() + signal.slice(1);
}
