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
import { parseCollectorConfig } from "../../../rules/config-model";
import { diagnose, diagnosisText, headerOf, safeExcerpt, scrubSecrets, type Answerer } from "./answer-diagnosis";

// OpenTelemetry's own protobuf reader (the one its response deserializers use); the
// package has no `exports` map, so its build path is the import.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ProtobufReader } = require("@opentelemetry/otlp-transformer/build/src/common/protobuf/protobuf-reader") as typeof import("@opentelemetry/otlp-transformer/build/src/common/protobuf/protobuf-reader");

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

/**
 * The path each signal is served on by the config's OTLP/HTTP receivers (the first
 * otlp receiver with an http protocol in a pipeline of that signal): its
 * `<signal>_url_path`, else the default. A signal no receiver serves keeps the default.
 */
export function signalPathsOf(configText: string): Record<Signal, string> {
    const paths: Record<Signal, string> = { ...DEFAULT_SIGNAL_PATHS };
    const parsed = parseCollectorConfig(configText);
    if (!parsed.ok) return paths;
    const { pipelines, components } = parsed.config;
    for (const signal of ["traces", "metrics", "logs"] as const) {
        const receiver = Object.entries(pipelines)
            .filter(([id]) => id.split("/")[0] === signal)
            .flatMap(([, p]) => p.receivers)
            .find((r) => r.split("/")[0] === "otlp" && httpProtocolOf(components.receivers[r]) !== undefined);
        const custom = receiver === undefined ? undefined : httpProtocolOf(components.receivers[receiver])?.[`${signal}_url_path`];
        if (typeof custom === "string" && custom.startsWith("/")) paths[signal] = custom;
    }
    return paths;
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
    /** Response headers (any case); the diagnosis reads x-amzn-ErrorType and Location. */
    readonly headers?: Readonly<Record<string, string>>;
    /** The body, already bounded by the caller. */
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
    /** For a failure: the cause, who answered and the next step (components/shared/otlp/answer-diagnosis.ts); else "". */
    readonly causes: string;
    /** Who answered a failure, when the answer shows it. */
    readonly who?: Answerer;
    /** A passing answer's warning: a partial success that rejected nothing but carries a message. */
    readonly warning?: string;
}

/** Context a verdict needs to say what was sent. */
export interface SentRequest {
    readonly signal: Signal;
    /** Whether an Authorization header was sent at all. */
    readonly tokenSent: boolean;
    readonly route: Route;
    /** Values never to print (the token sent); redacted wherever an answer echoes them. */
    readonly secrets?: readonly string[];
}

/**
 * Judges one answer. "accepted" needs 200 with an OTLP Export<Signal>ServiceResponse
 * (protobuf, or JSON, by content type) whose partial_success rejected nothing: a
 * collector that rejected the span answers 200 too (OTLP spec, "Partial Success"); a
 * partial success that rejected nothing but has an error_message is a warning, not a
 * failure (same section). "unauthorized" needs 401. Every failure is diagnosed by
 * components/shared/otlp/answer-diagnosis.ts.
 */
export function judgeAnswer(answer: OtlpAnswer, expect: Expectation, sent: SentRequest): Verdict {
    if (expect === "unauthorized") {
        if (answer.status === 401) return { ok: true, outcome: "401", causes: "" };
        if (answer.status === 200) {
            return {
                ok: false,
                outcome: `200 for a request without a token: ${excerpt(answer, sent.secrets)}`,
                causes: "the receiver has no authenticator, so anyone who knows the URL can send telemetry: add `auth: {authenticator: bearertokenauth/...}` to the otlp receiver's http protocol, or set allowUnauthenticated if that is intended",
                who: "collector",
            };
        }
        return failure(answer, sent);
    }
    if (answer.status !== 200) return failure(answer, sent);
    const partial = partialSuccessOf(answer, sent.signal);
    if (typeof partial === "string") {
        return {
            ok: false,
            outcome: `200, but the body is not an OTLP Export${capital(sent.signal)}ServiceResponse (${partial}): ${excerpt(answer, sent.secrets)}`,
            causes: "something other than the collector's OTLP receiver answered on this path (a proxy, a web server or a catch-all route); the data did not reach the collector. Next: use the endpoint from the stack output producerEnvironment",
            who: "unknown",
        };
    }
    if (partial.rejected > 0) {
        const what = sent.signal === "traces" ? "spans" : sent.signal === "metrics" ? "data points" : "log records";
        return {
            ok: false,
            outcome: `200 with a partial success that rejected ${partial.rejected} ${what}${partial.message ? `: ${scrubSecrets(partial.message, sent.secrets)}` : ""}`,
            causes: "the collector accepted the request but dropped its data (a processor or exporter refused it); read the error message and the function's logs",
            who: "collector",
        };
    }
    if (partial.message !== "") {
        return { ok: true, outcome: "200, 0 rejected", causes: "", warning: `the collector accepted everything with a warning: ${scrubSecrets(partial.message, sent.secrets)}` };
    }
    return { ok: true, outcome: `200, 0 rejected`, causes: "" };
}

function failure(answer: OtlpAnswer, sent: SentRequest): Verdict {
    const d = diagnose({ status: answer.status, headers: withContentType(answer), body: answer.body }, sent);
    return { ok: false, outcome: `${answer.status}: ${d.excerpt}`, causes: diagnosisText(d), who: d.who };
}

function withContentType(answer: OtlpAnswer): Record<string, string> {
    return { ...(answer.contentType !== undefined ? { "content-type": answer.contentType } : {}), ...answer.headers };
}

type Partial = { rejected: number; message: string } | string;

/**
 * The partial success of an OTLP response, or why the body is not one. The collector
 * answers a protobuf request with `application/x-protobuf` (or JSON for a JSON
 * request): receiver/otlpreceiver/otlphttp.go `writeResponse` (collector v0.151.0 to
 * main @934999f). Any other content type, a body the OpenTelemetry reader cannot walk,
 * or fields an Export<Signal>ServiceResponse does not have, is not the collector's answer.
 */
function partialSuccessOf(answer: OtlpAnswer, signal: Signal): Partial {
    const contentType = (answer.contentType ?? headerOf(answer.headers, "content-type") ?? "").toLowerCase();
    const keys = PARTIAL_KEYS[signal];
    if (contentType.startsWith("application/json")) {
        let parsed: unknown;
        try {
            parsed = JSON.parse(Buffer.from(answer.body).toString("utf8"));
        } catch {
            return "undecodable JSON";
        }
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return "JSON that is not an object";
        const unknown = Object.keys(parsed).filter((k) => k !== "partialSuccess" && k !== "partial_success");
        if (unknown.length > 0) return `JSON with fields an OTLP response does not have: ${unknown.slice(0, 3).join(", ")}`;
        const p = ((parsed as Record<string, unknown>).partialSuccess ?? (parsed as Record<string, unknown>).partial_success ?? {}) as Record<string, unknown>;
        if (typeof p !== "object" || p === null) return "JSON whose partialSuccess is not an object";
        const rejected = Number(p[keys.json] ?? p[keys.snake] ?? 0);
        const message = p.errorMessage ?? p.error_message;
        return { rejected: Number.isFinite(rejected) ? rejected : 0, message: typeof message === "string" ? message : "" };
    }
    if (!contentType.startsWith("application/x-protobuf")) {
        return contentType === "" ? "no content type" : `content type ${contentType.split(";")[0]}`;
    }
    if (answer.body.length === 0) return { rejected: 0, message: "" };
    try {
        // Walk the fields with OpenTelemetry's own protobuf reader; field numbers from
        // opentelemetry-proto collector/<signal>/v1/<signal>_service.proto.
        const top = new ProtobufReader(answer.body);
        let result = { rejected: 0, message: "" };
        while (!top.isAtEnd()) {
            const tag = top.readTag();
            if (tag.fieldNumber !== 1 || tag.wireType !== 2) return `protobuf with field ${tag.fieldNumber}, which an OTLP response does not have`;
            const inner = new ProtobufReader(top.readBytes());
            while (!inner.isAtEnd()) {
                const t = inner.readTag();
                if (t.fieldNumber === 1 && t.wireType === 0) result = { ...result, rejected: inner.readVarint() };
                else if (t.fieldNumber === 2 && t.wireType === 2) result = { ...result, message: inner.readString() };
                else return `protobuf with partial_success field ${t.fieldNumber}, which OTLP does not have`;
            }
        }
        return result;
    } catch {
        return "undecodable protobuf";
    }
}

const PARTIAL_KEYS: Readonly<Record<Signal, { json: string; snake: string }>> = {
    traces: { json: "rejectedSpans", snake: "rejected_spans" },
    metrics: { json: "rejectedDataPoints", snake: "rejected_data_points" },
    logs: { json: "rejectedLogRecords", snake: "rejected_log_records" },
};

/** At most 200 printable characters of a body, secrets redacted, keeping the part that names who answered. */
export function excerpt(answer: Pick<OtlpAnswer, "body">, secrets?: readonly string[]): string {
    return safeExcerpt(answer.body, secrets);
}

function capital(signal: Signal): string {
    return signal[0].toUpperCase() + signal.slice(1);
}
