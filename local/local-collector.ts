// A Lambda on loopback: the function image's own processes under the Lambda Runtime
// Interface Emulator, behind a Function URL stand-in. The collector is the runtime
// (the image's CMD, `<collector> --config=env:COLLECTOR_CONFIG`), the Lambda Web
// Adapter an external extension started from /opt/extensions as Lambda starts it, and
// the environment the one the component renders. Used by `otel-lambda-collector-local`,
// the integration tests and `npm run bench`. See docs/local.md.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import { producerEnvironmentFor } from "../components/shared/tokens/producer-environment";
import { IMAGE } from "../rules/lambda-facts";
import { functionEnvironment, type FunctionSettings } from "./function-environment";
import { startFunctionUrl, type FunctionUrlStandIn } from "./function-url";
import { LogLines, stderrSink, type LogSink } from "./log-lines";
import { childrenOf, isAlive, signalProcess, type TrackedProcess } from "./processes";
import { RieInvoker, type InvokeResult } from "./rie-invoke";
import { makeSandbox, MOUNT_FAILED_STATUS, namespacedCommand, namespaceProblem, removeSandbox } from "./sandbox";

/** The three binaries of the image (local/binaries.ts builds them). */
export interface LocalBinaries {
    readonly collector: string;
    readonly rie: string;
    readonly adapter: string;
}

export interface Producer {
    /** The producer's name (the component's `producers` entry). */
    readonly name: string;
    readonly token: string;
}

export interface LocalCollectorOptions {
    readonly binaries: LocalBinaries;
    /** The collector config (COLLECTOR_CONFIG). */
    readonly config: string;
    /** One token per producer, first = `producerEnvironment`'s. At least one. */
    readonly producers: readonly Producer[];
    /** Extra function environment (`--env`), over the component's. @default {} */
    readonly environment?: Readonly<Record<string, string>>;
    /** The stand-in's port; 0 = any free port. @default 0 */
    readonly port?: number;
    /** Stop (SIGSTOP) the collector and the adapter between requests, as Lambda freezes the environment. @default true */
    readonly freeze?: boolean;
    /** Where the processes' log lines go. @default stderr, prefixed with the process name */
    readonly log?: LogSink;
    /** Function settings Lambda would define (name, memory, timeout, region). */
    readonly function?: Partial<FunctionSettings>;
    /** How long the first request may take (the collector's init), ms. @default 10000, Lambda's init limit */
    readonly initTimeoutMs?: number;
    /**
     * Send a first request (GET /) before returning, so init has run and the cold start
     * is measured. Off: return once the emulator listens; the first invocation inits
     * (to see what that invocation returns, e.g. for a config the collector refuses).
     * @default true
     */
    readonly warmUp?: boolean;
}

export interface LocalCollector {
    /** The stand-in's URL, `http://127.0.0.1:PORT/`. */
    readonly url: string;
    /** From starting the processes to the first answered request through the stand-in, measured by the client, ms (undefined without warmUp). */
    readonly coldStartMs: number | undefined;
    /** The first producer's OTLP exporter variables (as the component's output). */
    readonly producerEnvironment: Record<string, string>;
    /** Every producer's, by name. */
    readonly producerEnvironments: Record<string, Record<string, string>>;
    /** The function environment the processes got. */
    readonly environment: Readonly<Record<string, string>>;
    /** The collector's and the adapter's processes (once init started them). */
    processes(): { collector?: TrackedProcess; adapter?: TrackedProcess };
    /** Invokes the function with an event (JSON text) directly, as `aws lambda invoke` would, through the same freeze. */
    invoke(event: string): Promise<InvokeResult>;
    /** Resolves with one line when a process of the function dies on its own (never after stop()). */
    readonly died: Promise<string>;
    /** Stops every process it started and removes its files. Idempotent. */
    stop(): Promise<void>;
}

/** A one-line reason a local collector could not start, naming what and the fix. */
export class LocalCollectorError extends Error {}

/** Starts the function on loopback and returns once the first request was answered. */
export async function startLocalCollector(options: LocalCollectorOptions): Promise<LocalCollector> {
    const { collector, rie: rieBinary, adapter } = options.binaries;
    for (const [name, file] of Object.entries({ collector, rie: rieBinary, adapter })) {
        try {
            fs.accessSync(file, fs.constants.X_OK);
        } catch {
            throw new LocalCollectorError(`the ${name} binary ${file} is missing or not executable; build it with \`npm run -s real:build\` (or give its path)`);
        }
    }
    if (options.producers.length === 0) throw new LocalCollectorError("no producer: give at least one producer token");
    const environment = functionEnvironment({
        config: options.config,
        tokens: options.producers.map((p) => p.token),
        environment: options.environment ?? {},
        function: options.function,
    });
    const adapterPort = Number(environment.AWS_LWA_PORT ?? IMAGE.adapterPort);
    if (!(await portIsFree(adapterPort))) {
        throw new LocalCollectorError(`127.0.0.1:${adapterPort} (AWS_LWA_PORT, where the adapter sends each request to the collector) is in use by another process; stop it (another otel-lambda-collector-local?) and start again`);
    }
    const rieAddress = `127.0.0.1:${await freePort()}`;
    const runtimeApi = `127.0.0.1:${await freePort()}`;
    const logs = new LogLines(options.log ?? stderrSink);
    const sandbox = makeSandbox(options.binaries);
    const fifoStreams = (["collector", "adapter"] as const).map((source) => {
        // Opened read-write and non-blocking: the open never waits for a writer, and the
        // stream never ends while a process reopens it.
        const fd = fs.openSync(sandbox.fifos[source], fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
        const socket = new net.Socket({ fd, readable: true, writable: false });
        logs.follow(source, socket);
        return socket;
    });

    const { command, args } = namespacedCommand(sandbox, [
        options.binaries.rie,
        "--runtime-interface-emulator-address", rieAddress,
        "--runtime-api-address", runtimeApi,
        // The image's CMD, through the wrapper that only redirects its output.
        sandbox.bootstrap, `--config=env:${IMAGE.configVariable}`,
    ]);
    const started = performance.now();
    // Its own process group: a Ctrl-C in the terminal reaches this process, which stops
    // the others in order, instead of all of them at once.
    const rie: ChildProcess = spawn(command, args, { env: environment, stdio: ["ignore", "pipe", "pipe"], detached: true });
    logs.follow("rie", rie.stdout!);
    logs.follow("rie", rie.stderr!);

    let stopping = false;
    let tracked: { collector?: TrackedProcess; adapter?: TrackedProcess } = {};
    const track = (): typeof tracked => {
        if (rie.pid === undefined) return tracked;
        const stale = !tracked.collector || !tracked.adapter || !isAlive(tracked.collector) || !isAlive(tracked.adapter);
        if (stale) {
            const children = childrenOf(rie.pid);
            const realCollector = realpath(options.binaries.collector);
            const realAdapter = realpath(options.binaries.adapter);
            tracked = {
                collector: children.find((c) => c.exe === realCollector) ?? (tracked.collector && isAlive(tracked.collector) ? tracked.collector : undefined),
                adapter: children.find((c) => c.exe === realAdapter) ?? (tracked.adapter && isAlive(tracked.adapter) ? tracked.adapter : undefined),
            };
        }
        return tracked;
    };
    const freeze = options.freeze ?? true;
    const each = (signal: NodeJS.Signals) => {
        const { collector, adapter } = track();
        for (const p of [collector, adapter]) if (p) signalProcess(p, signal);
    };
    const invoker = new RieInvoker(rieAddress);
    const around = freeze ? { before: () => each("SIGCONT"), after: () => { if (!stopping) each("SIGSTOP"); } } : {};

    let reportDeath: (line: string) => void = () => undefined;
    const died = new Promise<string>((resolve) => {
        reportDeath = resolve;
    });
    const exitOf = (code: number | null, signal: NodeJS.Signals | null) => signal ? `signal ${signal}` : `exit status ${code}`;
    const rieExit = new Promise<string>((resolve) => {
        rie.on("exit", (code, signal) => {
            if (code === MOUNT_FAILED_STATUS || /unshare|mount/.test(logs.last("rie", 1).join(""))) {
                resolve(namespaceProblem(logs.last("rie", 3).join("\n")));
            } else {
                resolve(`the Runtime Interface Emulator exited (${exitOf(code, signal)}); last lines: ${logs.last("rie", 3).join(" | ") || "(none)"}`);
            }
        });
        rie.on("error", (error) => resolve(`cannot start \`${command}\` (${error.message}); install util-linux (unshare)`));
    });
    void rieExit.then((line) => {
        if (!stopping) reportDeath(line);
    });
    // A runtime or extension that dies is reaped by RIE, not by this process: watch its pid.
    const watch = setInterval(() => {
        if (stopping) return;
        for (const source of ["collector", "adapter"] as const) {
            const p = tracked[source];
            if (p && !isAlive(p)) {
                tracked = { ...tracked, [source]: undefined };
                const status = /exit(ed)?( with)?( error)?:? ?(status|code) ?(-?\d+)|signal: ?(\w+)/i.exec(logs.last("rie", 5).join("\n"));
                reportDeath(`the ${source} (pid ${p.pid}) exited${status ? ` (${status[0]})` : ""}; last lines: ${logs.last(source, 3).join(" | ") || "(none)"}`);
            }
        }
    }, 250);
    watch.unref();

    let standIn: FunctionUrlStandIn | undefined;
    const stop = once(async () => {
        stopping = true;
        clearInterval(watch);
        await standIn?.close();
        invoker.close();
        const { collector, adapter } = track();
        const all = [collector, adapter].filter((p): p is TrackedProcess => p !== undefined);
        for (const p of all) signalProcess(p, "SIGCONT");
        for (const p of all) signalProcess(p, "SIGTERM");
        if (rie.exitCode === null && rie.signalCode === null) rie.kill("SIGTERM");
        await Promise.race([Promise.all([rieExit, waitGone(all)]), delay(3000)]);
        // Anything still there (RIE does not always wait for its children) is killed.
        for (const p of all) signalProcess(p, "SIGKILL");
        if (rie.exitCode === null && rie.signalCode === null) rie.kill("SIGKILL");
        await Promise.race([rieExit, delay(1000)]);
        for (const s of fifoStreams) s.destroy();
        removeSandbox(sandbox);
    });

    try {
        standIn = await startFunctionUrl(options.port ?? 0, (event, requestId) => invoker.invoke(event, requestId, around));
        const warmUp = options.warmUp ?? true;
        const first = await Promise.race([
            listening(rieAddress).then(() => warmUp ? firstAnswer(standIn!.url) : { status: 0 }),
            rieExit.then((line) => Promise.reject(new LocalCollectorError(line))),
            died.then((line) => Promise.reject(new LocalCollectorError(line))),
            delay(options.initTimeoutMs ?? 10_000).then(() => Promise.reject(new LocalCollectorError(
                `the function did not answer within ${((options.initTimeoutMs ?? 10_000) / 1000).toFixed(0)} s (Lambda's init limit): the adapter never saw the collector ready on 127.0.0.1:${adapterPort} (AWS_LWA_PORT); is the config's OTLP/HTTP receiver on that port? last collector line: ${logs.reason("collector") ?? "(none)"}`))),
        ]);
        const coldStartMs = warmUp ? Math.round(performance.now() - started) : undefined;
        if (first.status === 502) {
            // The collector's last lines travel through its FIFO; let them arrive.
            await delay(100);
            throw new LocalCollectorError(initFailure(logs));
        }
        const url = standIn.url;
        return {
            url,
            coldStartMs,
            producerEnvironment: producerEnvironmentFor(url, options.producers[0].token),
            producerEnvironments: Object.fromEntries(options.producers.map((p) => [p.name, producerEnvironmentFor(url, p.token)])),
            environment,
            processes: () => ({ ...track() }),
            invoke: async (event: string) => {
                const requestId = cryptoId();
                const result = await invoker.invoke(event, requestId, around);
                if (result.status !== 502 || result.payload.length > 0) return result;
                // RIE answers an init failure with an empty 502; Lambda's Invoke returns an
                // error payload naming it. Rebuild that from RIE's own log line.
                await delay(50);
                // RIE then retries init in the invoke phase and fails again on its own state
                // ("ErrAgentNameCollision"); Lambda reports the init failure.
                const recent = [...logs.last("rie", 20)].reverse();
                const failure = recent.find((l) => /Init failed/.test(l)) ?? recent.find((l) => /Invoke failed/.test(l)) ?? "";
                const reason = /error=(.*)$/.exec(failure)?.[1]?.trim() ?? "the function's init failed";
                const errorType = /Runtime exited/.test(reason) ? "Runtime.ExitError" : "Runtime.Unknown";
                return { ...result, payload: Buffer.from(JSON.stringify({ errorType, errorMessage: `RequestId: ${requestId} Error: ${reason}` })) };
            },
            died,
            stop,
        };
    } catch (error) {
        await stop();
        throw error;
    }
}

/** The one line for a function whose init failed: the collector's own reason when it gave one. */
function initFailure(logs: LogLines): string {
    const reason = logs.reason("collector");
    return reason
        ? `the collector did not start: ${reason}`
        : `the function's init failed; last lines: ${[...logs.last("rie"), ...logs.last("adapter")].join(" | ") || "(none)"}`;
}

/** GET / through the stand-in (the adapter's readiness path; the collector answers 404). */
function firstAnswer(url: string): Promise<{ status: number }> {
    return new Promise((resolve, reject) => {
        const request = http.get(url, { agent: false }, (response) => {
            response.resume();
            response.on("end", () => resolve({ status: response.statusCode ?? 0 }));
        });
        request.on("error", reject);
    });
}

/** Resolves once something accepts connections on `address` (RIE starts its server after it parsed its flags). */
async function listening(address: string): Promise<void> {
    const [host, port] = address.split(":");
    for (;;) {
        const accepted = await new Promise<boolean>((resolve) => {
            const socket = net.connect(Number(port), host, () => {
                socket.destroy();
                resolve(true);
            });
            socket.on("error", () => resolve(false));
        });
        if (accepted) return;
        await delay(5);
    }
}

/** True when nothing listens on 127.0.0.1:`port`. */
export function portIsFree(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const server = net.createServer();
        server.once("error", () => resolve(false));
        server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

async function waitGone(processes: readonly TrackedProcess[]): Promise<void> {
    while (processes.some(isAlive)) await delay(20);
}

function delay(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function realpath(file: string): string {
    try {
        return fs.realpathSync(file);
    } catch {
        return file;
    }
}

function cryptoId(): string {
    return globalThis.crypto.randomUUID();
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
    let result: Promise<T> | undefined;
    return () => (result ??= fn());
}
