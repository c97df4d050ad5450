// A loopback OTLP/HTTP receiver for tests: it answers like the deployed collector
// (401 without the right bearer token, 200 otherwise), can be made slow, and decodes
// every accepted ExportTraceServiceRequest with the OTel JS protobuf module, so a test
// asserts on spans and attributes, not on bytes.
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { decodeTraceRequestPlain } from "./otlp-decoder";

export type AttributeValue = string | number | boolean | undefined;

/** One decoded span, with its resource's attributes beside it. */
export interface ReceivedSpan {
    readonly name: string;
    readonly kind: number;
    readonly traceId: string;
    readonly attributes: Readonly<Record<string, AttributeValue>>;
    readonly resource: Readonly<Record<string, AttributeValue>>;
}

export interface ReceiverOptions {
    /** The bearer token to enforce; a request without exactly `Bearer <token>` gets 401. */
    readonly token: string;
    /** Wait this long before answering (a cold-starting collector), in ms. @default 0 */
    readonly delayMs?: number;
    /** Per request, in arrival order, the wait before answering in ms; requests past the list wait `delayMs`. */
    readonly delaysMs?: readonly number[];
    /** Never answer (a hung collector): requests stay open until close(). */
    readonly hang?: boolean;
    /** Answer every request with this status (a throttled or broken collector), after the token check. */
    readonly status?: number;
    /** Check this header instead of `authorization: Bearer <token>` (a backend's API key header). */
    readonly expectHeader?: { readonly name: string; readonly value: string };
    /** Serve HTTPS with this key and certificate (PEM), for exporters that refuse plain http. */
    readonly tls?: { readonly key: string; readonly cert: string };
}

export interface Receiver {
    /** Base URL, e.g. http://127.0.0.1:PORT (no trailing slash, as OTEL_EXPORTER_OTLP_ENDPOINT). */
    readonly url: string;
    /** Spans the receiver answered 200 for while the client was still connected. */
    readonly spans: ReceivedSpan[];
    /** Every request that reached the receiver, with the status it got (or "aborted"). */
    readonly requests: { readonly path: string; readonly authorization?: string; readonly contentEncoding?: string; readonly headers: http.IncomingHttpHeaders; outcome: number | "aborted" | "pending" }[];
    close(): Promise<void>;
}

interface KeyValue { key: string; value?: { stringValue?: string; intValue?: number | string; doubleValue?: number; boolValue?: boolean } }

function attributesOf(list: readonly KeyValue[] | undefined): Record<string, AttributeValue> {
    const out: Record<string, AttributeValue> = {};
    for (const { key, value } of list ?? []) {
        out[key] = value?.stringValue ?? (value?.intValue !== undefined ? Number(value.intValue) : undefined) ?? value?.doubleValue ?? value?.boolValue;
    }
    return out;
}

/** Decodes an OTLP/HTTP protobuf trace export body into spans. */
export function decodeSpans(body: Uint8Array): ReceivedSpan[] {
    const request = decodeTraceRequestPlain(body) as {
        resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: { name: string; kind?: number; traceId: string; attributes?: KeyValue[] }[] }[] }[];
    };
    const spans: ReceivedSpan[] = [];
    for (const rs of request.resourceSpans ?? []) {
        const resource = attributesOf(rs.resource?.attributes);
        for (const ss of rs.scopeSpans ?? []) {
            for (const span of ss.spans ?? []) {
                spans.push({
                    name: span.name,
                    kind: span.kind ?? 0,
                    traceId: Buffer.from(span.traceId, "base64").toString("hex"),
                    attributes: attributesOf(span.attributes),
                    resource,
                });
            }
        }
    }
    return spans;
}

/** Starts a receiver on 127.0.0.1 (an ephemeral port). */
export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
    const spans: ReceivedSpan[] = [];
    const requests: Receiver["requests"] = [];
    const timers = new Set<NodeJS.Timeout>();
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
        const delay = options.delaysMs?.[requests.length] ?? options.delayMs ?? 0;
        const entry: Receiver["requests"][number] = { path: req.url ?? "", authorization: req.headers.authorization, contentEncoding: req.headers["content-encoding"], headers: req.headers, outcome: "pending" };
        requests.push(entry);
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const answer = () => {
                timers.delete(timer);
                if (res.destroyed || req.socket.destroyed) {
                    entry.outcome = "aborted"; // the exporter gave up (its timeout) before the answer
                    return;
                }
                const authorized = options.expectHeader
                    ? req.headers[options.expectHeader.name.toLowerCase()] === options.expectHeader.value
                    : req.headers.authorization === `Bearer ${options.token}`;
                const status = req.url !== "/v1/traces" ? 404 : !authorized ? 401 : options.status ?? 200;
                if (status === 200) {
                    // The collector's otlphttp exporter gzips by default (confighttp compression).
                    const raw = Buffer.concat(chunks);
                    try {
                        spans.push(...decodeSpans(req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw));
                    } catch {
                        entry.outcome = 400;
                        res.writeHead(400).end();
                        return;
                    }
                }
                entry.outcome = status;
                res.writeHead(status, { "content-type": "application/x-protobuf" });
                res.end();
            };
            if (options.hang) return;
            const timer = setTimeout(answer, delay);
            timers.add(timer);
        });
    };
    const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler) : http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
        spans,
        requests,
        close: () => new Promise((resolve) => {
            for (const timer of timers) clearTimeout(timer);
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}
