// Invoking the function through the Runtime Interface Emulator, one invocation at a
// time, with the result shaped as Lambda's Invoke API returns it.
//
// RIE's invoke endpoint (aws-lambda-runtime-interface-emulator internal/lambda/rie/http.go,
// handlers.go @bef5c4b, the module version local/binaries.ts builds):
// - `POST /2015-03-31/functions/function/invocations`, the body passed to the runtime unchanged;
// - two invocations at once crash it: the second fails to reserve ("ReserveFailed:
//   AlreadyReserved") and dereferences a nil reservation (rapidcore/server.go, Invoke,
//   "panic: runtime error: invalid memory address", seen here). Lambda instead runs a
//   second request in another execution environment; here requests wait their turn;
// - a timeout is answered 200 with the text `Task timed out after N.00 seconds`, where
//   Lambda's payload is a JSON error; {@link lambdaResult} rewrites it to Lambda's shape.
import * as http from "node:http";

export const RIE_INVOKE_PATH = "/2015-03-31/functions/function/invocations";

/** What one invocation returned: the function's payload as Lambda's Invoke API gives it. */
export interface InvokeResult {
    /** RIE's HTTP status (200 for a response, 502 for an init or runtime failure). */
    readonly status: number;
    /** The response payload (the adapter's response event, or a Lambda error payload). */
    readonly payload: Buffer;
    /** Set when the payload is an error (Lambda's `X-Amz-Function-Error: Unhandled`). */
    readonly functionError: boolean;
}

/**
 * RIE's timeout text as Lambda's error payload. ASSUMPTION: Lambda reports a timeout of
 * a container-image function as `{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: <id> Error: Task timed out after N.NN seconds"}`;
 * the shape is the Invoke API's error payload either way.
 */
export function lambdaResult(status: number, payload: Buffer, requestId: string): InvokeResult {
    const text = payload.toString("utf8");
    const timeout = /^Task timed out after [\d.]+ seconds$/.exec(text.trim());
    if (timeout) {
        return { status, functionError: true, payload: Buffer.from(JSON.stringify({ errorType: "Sandbox.Timedout", errorMessage: `RequestId: ${requestId} Error: ${timeout[0]}` })) };
    }
    let functionError = status !== 200;
    try {
        const parsed = JSON.parse(text) as unknown;
        functionError ||= typeof parsed === "object" && parsed !== null && "errorType" in parsed;
    } catch {
        functionError = true;
    }
    return { status, payload, functionError };
}

/** Calls RIE's invoke endpoint one invocation at a time, in the order asked. */
export class RieInvoker {
    private queue: Promise<unknown> = Promise.resolve();
    private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

    /** @param address RIE's `--runtime-interface-emulator-address`, `127.0.0.1:PORT` */
    constructor(private readonly address: string) {}

    /**
     * Invokes with `payload` after every earlier invocation finished. `around` runs just
     * before and just after the invocation, inside the turn (the freeze thaws and stops
     * the processes there).
     */
    invoke(payload: string, requestId: string, around: { before?: () => void; after?: () => void } = {}): Promise<InvokeResult> {
        const run = async (): Promise<InvokeResult> => {
            around.before?.();
            try {
                return await this.post(payload, requestId);
            } finally {
                around.after?.();
            }
        };
        const turn = this.queue.then(run, run);
        this.queue = turn.catch(() => undefined);
        return turn;
    }

    close(): void {
        this.agent.destroy();
    }

    private post(payload: string, requestId: string): Promise<InvokeResult> {
        const [host, port] = this.address.split(":");
        return new Promise((resolve, reject) => {
            const request = http.request({
                host,
                port: Number(port),
                path: RIE_INVOKE_PATH,
                method: "POST",
                agent: this.agent,
                headers: { "content-type": "application/json", "x-amzn-requestid": requestId },
            }, (response) => {
                const chunks: Buffer[] = [];
                response.on("data", (c: Buffer) => chunks.push(c));
                response.on("end", () => resolve(lambdaResult(response.statusCode ?? 0, Buffer.concat(chunks), requestId)));
                response.on("error", reject);
            });
            request.on("error", reject);
            request.end(payload);
        });
    }
}
