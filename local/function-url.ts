// The Function URL stand-in: an HTTP server on 127.0.0.1 that does what a Lambda
// Function URL (AuthType NONE, invoke mode BUFFERED) does with a request: it turns it
// into a payload-2.0 event, invokes the function, and turns the response event back
// into HTTP. A request above Lambda's 6 MB invoke payload limit is answered 413
// without invoking.
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { functionUrlRequestEvent, httpResponseOf, INVOKE_PAYLOAD_LIMIT_BYTES } from "./function-url-event";
import type { InvokeResult } from "./rie-invoke";

/** Invokes the function with one event (JSON text) and returns what it answered. */
export type Invoke = (event: string, requestId: string) => Promise<InvokeResult>;

export interface FunctionUrlStandIn {
    /** `http://127.0.0.1:PORT/`, ending in `/` like a real Function URL. */
    readonly url: string;
    readonly port: number;
    close(): Promise<void>;
}

/** A one-line reason the stand-in could not listen, naming the port and the fix. */
export class ListenError extends Error {}

/**
 * Starts the stand-in on 127.0.0.1:`port` (0 = any free port).
 * @throws ListenError when the port is taken or not allowed.
 */
export async function startFunctionUrl(port: number, invoke: Invoke): Promise<FunctionUrlStandIn> {
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let refused = false;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > INVOKE_PAYLOAD_LIMIT_BYTES) {
                if (!refused) {
                    refused = true;
                    tooLarge(res);
                }
                return;
            }
            chunks.push(chunk);
        });
        req.on("end", () => {
            if (refused) return;
            const headers: [string, string][] = [];
            for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
            const event = functionUrlRequestEvent({
                method: req.method ?? "GET",
                target: req.url ?? "/",
                headers,
                body: Buffer.concat(chunks),
                sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, "") ?? "127.0.0.1",
                timeMs: Date.now(),
                domainName: req.headers.host ?? `127.0.0.1:${(server.address() as AddressInfo).port}`,
            });
            const payload = JSON.stringify(event);
            // Lambda measures the event, so a base64 body reaches the limit sooner than its bytes.
            if (Buffer.byteLength(payload) > INVOKE_PAYLOAD_LIMIT_BYTES) {
                tooLarge(res);
                return;
            }
            const requestId = (event.requestContext as { requestId: string }).requestId ?? randomUUID();
            invoke(payload, requestId).then((result) => {
                const answer = result.functionError
                    ? httpResponseOf(Buffer.from("{}"))
                    : httpResponseOf(result.payload);
                res.writeHead(answer.status, { ...answer.headers, "x-amzn-requestid": requestId });
                res.end(answer.body);
            }, (error: Error) => {
                res.writeHead(502, { "content-type": "application/json", "x-amzn-requestid": requestId });
                res.end(JSON.stringify({ Message: `the function could not be invoked: ${error.message}` }));
            });
        });
    });
    // Keep-alive like the URL's front end; the requests still reach the function one at a time.
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
        server.once("error", (error: NodeJS.ErrnoException) => reject(new ListenError(error.code === "EADDRINUSE"
            ? `--port: 127.0.0.1:${port} is in use; choose another port, or 0 for any free one`
            : `--port: cannot listen on 127.0.0.1:${port} (${error.code ?? error.message}); choose another port, or 0 for any free one`)));
        server.listen(port, "127.0.0.1", () => resolve());
    });
    const actual = (server.address() as AddressInfo).port;
    return {
        url: `http://127.0.0.1:${actual}/`,
        port: actual,
        close: () => new Promise((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}

function tooLarge(res: http.ServerResponse): void {
    // ASSUMPTION: the body text; 413 is what a Function URL answers above the limit.
    res.writeHead(413, { "content-type": "application/json", connection: "close" });
    res.end(JSON.stringify({ Message: `Request must be smaller than ${INVOKE_PAYLOAD_LIMIT_BYTES} bytes for the InvokeFunction operation` }));
}
