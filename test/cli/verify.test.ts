// The post-deploy verifier against loopback OTLP/HTTP receivers that behave like the
// deployed collector (or like its known failures), one test per way the old verify could
// be fooled. The SDK check uses the real OpenTelemetry exporter.
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { fetchErrorText, pulumiErrorText, runVerify, tracesUrlOf, VERIFY_SERVICE_NAME, type ProducerEnvironment } from "../../cli/verify";
import { producerEnvironmentFor } from "../../components/shared/tokens/producer-environment";
import { decodeTraceRequest, encodeTraceResponse } from "../harness/otlp-decoder";

const TOKEN = "Tok-en_0123456789.abcdefghijklmnopqrstuvwxyz~ABCDEFGHIJ";

interface Received {
    readonly path: string;
    readonly authorization: string | undefined;
    readonly contentType: string | undefined;
    readonly contentEncoding: string | undefined;
    readonly body: Buffer;
}

type Mode = "collector" | "partial" | "partial-sdk" | "open" | "forbidden" | "broken";

/** A receiver on 127.0.0.1 answering like the deployed collector, or like a failure. */
async function receiver(mode: Mode): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
    const received: Received[] = [];
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const raw = Buffer.concat(chunks);
            // Like the collector's confighttp server, which decodes gzip by default.
            const body = req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw;
            received.push({ path: req.url ?? "", authorization: req.headers.authorization, contentType: req.headers["content-type"], contentEncoding: req.headers["content-encoding"], body });
            const reply = (status: number, payload: Uint8Array | string = "") => {
                res.writeHead(status, { "content-type": typeof payload === "string" ? "text/plain" : "application/x-protobuf" });
                res.end(payload);
            };
            if (mode === "forbidden") return reply(403, '{"Message":"Forbidden"}');
            if (mode === "broken") return reply(502, "Bad Gateway");
            if (req.url !== "/v1/traces") return reply(404, "404 page not found");
            if (mode !== "open" && req.headers.authorization !== `Bearer ${TOKEN}`) return reply(401, "Unauthorized");
            try {
                decodeTraceRequest(body);
            } catch {
                return reply(400, "proto: cannot parse invalid wire-format data");
            }
            const rejects = mode === "partial" || (mode === "partial-sdk" && body.includes(Buffer.from(VERIFY_SERVICE_NAME)));
            return reply(200, encodeTraceResponse(rejects ? { partialSuccess: { rejectedSpans: 1, errorMessage: "span rejected by filter" } } : {}));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}/`,
        received,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}

async function verify(env: NodeJS.ProcessEnv, stackOutput?: (stack: string | undefined) => ProducerEnvironment, argv: string[] = []) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runVerify(argv, {
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        env,
        stackOutput: stackOutput ?? (() => {
            throw new Error("pulumi: command not found");
        }),
    });
    return { code, out, err };
}

async function withServer<T>(mode: Mode, run: (server: Awaited<ReturnType<typeof receiver>>) => Promise<T>): Promise<T> {
    const server = await receiver(mode);
    try {
        return await run(server);
    } finally {
        await server.close();
    }
}

describe("verify", () => {
    it("passes a healthy collector, prints the one endpoint first, and reports first and warm latency", () => withServer("collector", async (server) => {
        const result = await verify(producerEnvironmentFor(server.url, TOKEN));
        assert.equal(result.code, 0, result.out.join("\n"));
        assert.equal(result.out[0], `endpoint  ${server.url}v1/traces  (from OTEL_EXPORTER_OTLP_ENDPOINT in the shell)`);
        assert.match(result.out[1], /^token {5}Authorization: Bearer Tok-…\(\d+ chars\)$/);
        assert.ok(!result.out.join("\n").includes(TOKEN), "the token is never printed");
        const checks = result.out.filter((l) => /^(ok|FAIL)/.test(l));
        assert.equal(checks.length, 4, result.out.join("\n"));
        assert.ok(checks.every((l) => l.startsWith("ok  ")), result.out.join("\n"));
        assert.match(checks[0], /^ok {4}a span is accepted: 200, 0 rejected \(first request \d+ ms; a cold start if the function was idle\)$/);
        assert.match(checks[1], /^ok {4}a warm request is accepted: 200, 0 rejected \(\d+ ms\)$/);
        assert.match(checks[2], /^ok {4}the token is enforced: 401 for the same request with no Authorization header$/);
        assert.match(checks[3], /look for trace [0-9a-f]{32} /);
        assert.match(result.out[result.out.length - 1], /^latency {3}first \d+ ms, warm \d+ ms$/);
        assert.ok(server.received.every((r) => r.path === "/v1/traces"));
        const sdk = server.received.find((r) => r.body.includes(Buffer.from(VERIFY_SERVICE_NAME)));
        assert.ok(sdk, "the SDK exported a span");
        assert.equal(sdk.authorization, `Bearer ${TOKEN}`, "%20 decoded to a space by the SDK's header parser");
        assert.equal(sdk.contentType, "application/x-protobuf");
        assert.equal(sdk.contentEncoding, "gzip", "producerEnvironment asks for gzip, and the SDK sends it");
    }));

    it("checks the full traces URL a stack hands out for a receiver on a custom path", () => withServer("collector", async (server) => {
        const env = producerEnvironmentFor(server.url, TOKEN, { traces: "/v1/traces", metrics: "/custom/metrics", logs: "/v1/logs" });
        assert.equal(env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT, `${server.url.replace(/\/$/, "")}/custom/metrics`);
        // The stack's base endpoint answers 404 (nothing there); the per-signal traces URL is the one to check.
        const stack = { ...producerEnvironmentFor(`${server.url}elsewhere`, TOKEN), OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${server.url}v1/traces` };
        const result = await verify({}, () => stack);
        assert.equal(result.code, 0, result.out.join("\n"));
        assert.equal(result.out[0], `endpoint  ${server.url}v1/traces  (from the selected stack)`);
    }));

    it("cannot be redirected by the shell's per-signal OTLP variables (endpoint, headers, timeout)", () => withServer("collector", (server) => withServer("collector", async (elsewhere) => {
        const env = {
            ...producerEnvironmentFor(server.url, TOKEN),
            OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${elsewhere.url}v1/traces`,
            OTEL_EXPORTER_OTLP_TRACES_HEADERS: "authorization=Bearer%20wrong",
            OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: "1",
        };
        const saved = { ...process.env };
        Object.assign(process.env, env); // the SDK reads process.env itself: the real shell case
        try {
            const result = await verify(env);
            assert.equal(result.code, 0, result.out.join("\n"));
            assert.equal(elsewhere.received.length, 0, "nothing went to the other endpoint");
            assert.ok(server.received.length >= 4);
            assert.ok(result.out.includes("note      ignoring OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_HEADERS, OTEL_EXPORTER_OTLP_TRACES_TIMEOUT from the shell: verify checks only the endpoint above"), result.out.join("\n"));
            assert.ok(server.received.every((r) => r.authorization === undefined || r.authorization === `Bearer ${TOKEN}`));
            assert.equal(process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, "the shell's variables are put back");
        } finally {
            for (const k of Object.keys(env)) delete process.env[k];
            Object.assign(process.env, saved);
        }
    })));

    it("lets an explicit --stack win over OTEL_EXPORTER_OTLP_ENDPOINT, and says so", () => withServer("collector", (stackServer) => withServer("collector", async (shellServer) => {
        const asked: (string | undefined)[] = [];
        const result = await verify(producerEnvironmentFor(shellServer.url, TOKEN), (stack) => {
            asked.push(stack);
            return producerEnvironmentFor(stackServer.url, TOKEN);
        }, ["--stack", "prod"]);
        assert.equal(result.code, 0, result.out.join("\n"));
        assert.deepEqual(asked, ["prod"]);
        assert.equal(result.out[0], `endpoint  ${stackServer.url}v1/traces  (from stack prod)`);
        assert.match(result.out[2], /^note {6}ignoring OTEL_EXPORTER_OTLP_COMPRESSION, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS, OTEL_EXPORTER_OTLP_PROTOCOL from the shell/);
        assert.equal(shellServer.received.length, 0);
    })));

    it("fails an export answered with a partial success that rejected the span", () => withServer("partial", async (server) => {
        const result = await verify(producerEnvironmentFor(server.url, TOKEN));
        assert.equal(result.code, 1);
        assert.match(result.out.find((l) => l.startsWith("FAIL")) ?? "", /^FAIL {2}a span is accepted: 200 with a partial success that rejected 1 spans: span rejected by filter; /);
    }));

    it("fails the SDK check on a partial success too", () => withServer("partial-sdk", async (server) => {
        // This server rejects only the SDK's span (service.name of verify), so the
        // checks before pass and the SDK check is the one that must see the rejection.
        const result = await verify(producerEnvironmentFor(server.url, TOKEN));
        assert.equal(result.code, 1);
        assert.match(result.out.find((l) => l.startsWith("FAIL")) ?? "",
            /^FAIL {2}the OpenTelemetry SDK exporter \(given this URL and headers\) exports a span: 200 with a partial success: \{"rejectedSpans":1,"errorMessage":"span rejected by filter"\}$/);
    }));

    it("shows Pulumi's own error text when the stack output cannot be read", async () => {
        const result = await verify({}, () => {
            const error = new Error("Command failed: pulumi stack output producerEnvironment --show-secrets --json") as Error & { stderr: string };
            error.stderr = "error: getting stack configuration: passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables\n";
            throw error;
        }, ["--stack", "prod"]);
        assert.equal(result.code, 2);
        assert.equal(result.err.length, 1);
        assert.match(result.err[0], /^cannot read the stack output producerEnvironment of stack prod: error: getting stack configuration: passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables; run from the project folder/);
    });

    it("says no header was sent when none was, instead of blaming the token", () => withServer("collector", async (server) => {
        const result = await verify({ OTEL_EXPORTER_OTLP_ENDPOINT: server.url });
        assert.equal(result.code, 1);
        assert.equal(result.out[1], "token     none: no Authorization header is sent");
        const fail = result.out.find((l) => l.startsWith("FAIL")) ?? "";
        assert.match(fail, /^FAIL {2}a span is accepted: 401: Unauthorized; no Authorization header was sent, and the collector requires one/);
        assert.doesNotMatch(fail, /token differs/);
        assert.ok(server.received.every((r) => r.authorization === undefined));
    }));

    it("posts to the endpoint as is when it already ends in /v1/traces", () => withServer("collector", async (server) => {
        const result = await verify({ OTEL_EXPORTER_OTLP_ENDPOINT: `${server.url}v1/traces`, OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${TOKEN}` });
        assert.equal(result.code, 0, result.out.join("\n"));
        assert.match(result.out[0], /\/v1\/traces {2}\(from OTEL_EXPORTER_OTLP_ENDPOINT in the shell; it already ends in \/v1\/traces, used as is\)$/);
        assert.ok(server.received.every((r) => r.path === "/v1/traces"), server.received.map((r) => r.path).join(","));
        assert.equal(tracesUrlOf("https://x.example/"), "https://x.example/v1/traces");
        assert.equal(tracesUrlOf("https://x.example/v1/traces/"), "https://x.example/v1/traces");
    }));

    it("names the cause of a wrong token, a missing permission, an open receiver and a broken collector", async () => {
        const cases: [Mode, string, RegExp][] = [
            ["collector", "wrong-token", /^FAIL {2}a span is accepted: 401: Unauthorized; the token sent is not one the collector accepts .*answered by the collector's authenticator/],
            ["forbidden", TOKEN, /^FAIL {2}a span is accepted: 403: \{"Message":"Forbidden"\}; the URL refused the request: .*answered by the Function URL \(the function did not run, so there are no logs\)/],
            ["broken", TOKEN, /^FAIL {2}a span is accepted: 502: Bad Gateway; the adapter could not reach the collector/],
        ];
        for (const [mode, token, first] of cases) {
            await withServer(mode, async (server) => {
                const result = await verify(producerEnvironmentFor(server.url, token));
                assert.equal(result.code, 1);
                const checks = result.out.filter((l) => /^(ok|FAIL|skip)/.test(l));
                assert.match(checks[0], first);
                assert.deepEqual(checks.slice(1), ["skip  the other checks: fix the first one, they depend on it"]);
            });
        }
        await withServer("open", async (server) => {
            const result = await verify(producerEnvironmentFor(server.url, TOKEN));
            assert.equal(result.code, 1);
            assert.match(result.out.find((l) => l.startsWith("FAIL")) ?? "", /^FAIL {2}the token is enforced: 200 for a request without a token: .*the receiver has no authenticator/);
        });
    });

    it("explains where to get the endpoint when it has none", async () => {
        const result = await verify({});
        assert.equal(result.code, 2);
        assert.equal(result.err.length, 1);
        assert.match(result.err[0], /^cannot read the stack output producerEnvironment: pulumi: command not found; run from the project folder with the Pulumi CLI logged in/);
    });

    it("names the real cause when the Pulumi CLI is not installed, not \"null\"", async () => {
        // The genuine error execFileSync throws for a missing command: stderr is null.
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "verify-nopath-"));
        try {
            const missing = () => execFileSync("pulumi", ["stack", "output"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { PATH: empty } });
            const result = await verify({}, () => JSON.parse(missing()) as ProducerEnvironment);
            assert.equal(result.code, 2);
            assert.equal(result.err.length, 1);
            assert.match(result.err[0], /^cannot read the stack output producerEnvironment: pulumi: command not found \(ENOENT\); install the Pulumi CLI .*or set OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_HEADERS$/);
            assert.ok(!/null/.test(result.err[0]), result.err[0]);
        } finally {
            fs.rmSync(empty, { recursive: true, force: true });
        }
        assert.equal(pulumiErrorText(Object.assign(new Error("spawnSync pulumi EACCES"), { code: "EACCES", syscall: "spawnSync pulumi", path: "pulumi", stderr: null })), "pulumi: cannot be run (EACCES)");
        assert.equal(pulumiErrorText(Object.assign(new Error("Command failed: pulumi"), { stderr: null, status: 1 })), "no output");
    });

    it("rejects an endpoint with leading or trailing whitespace, naming the variable and echoing the value", async () => {
        for (const endpoint of [" https://abc.lambda-url.eu-west-1.on.aws/", "https://abc.lambda-url.eu-west-1.on.aws/ ", "https://abc.lambda-url.eu-west-1.on.aws/\n"]) {
            for (const result of [await verify({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }), await verify({}, () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }), ["--stack", "dev"])]) {
                assert.equal(result.code, 2);
                assert.deepEqual(result.out, [], "nothing is sent");
                assert.equal(result.err.length, 1);
                assert.ok(result.err[0].startsWith("OTEL_EXPORTER_OTLP_ENDPOINT ("), result.err[0]);
                assert.ok(result.err[0].includes(`"${endpoint}" has leading or trailing whitespace; remove it`), result.err[0]);
            }
        }
    });

    it("says why a request got no answer: the cause's code and address, or the timeout", async () => {
        const closed = await receiver("collector");
        await closed.close();
        const refused = await verify({ OTEL_EXPORTER_OTLP_ENDPOINT: closed.url });
        assert.equal(refused.code, 1);
        const port = new URL(closed.url).port;
        assert.match(refused.out.find((l) => l.startsWith("FAIL")) ?? "", new RegExp(`^FAIL {2}a span is accepted: no answer from http://127\\.0\\.0\\.1:${port}/v1/traces \\(fetch failed: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\)$`));
        // Port 9 is on the fetch standard's bad-port list: no connection is even tried.
        const bad = await verify({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9" });
        assert.match(bad.out.find((l) => l.startsWith("FAIL")) ?? "", /\(fetch failed: bad port\)$/);
        // The shapes undici and AbortSignal.timeout give, without depending on DNS or a slow network.
        const notFound = Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("getaddrinfo ENOTFOUND collector.invalid"), { code: "ENOTFOUND", hostname: "collector.invalid" }) });
        assert.equal(fetchErrorText(notFound, 30_000), "fetch failed: getaddrinfo ENOTFOUND collector.invalid");
        const bare = Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(""), { code: "UND_ERR_SOCKET" }) });
        assert.equal(fetchErrorText(bare, 30_000), "fetch failed: UND_ERR_SOCKET");
        const aggregate = Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new AggregateError([Object.assign(new Error("connect ECONNREFUSED ::1:4318"), { code: "ECONNREFUSED" }), Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4318"), { code: "ECONNREFUSED" })], ""), { code: "ECONNREFUSED" }) });
        assert.equal(fetchErrorText(aggregate, 30_000), "fetch failed: connect ECONNREFUSED ::1:4318; connect ECONNREFUSED 127.0.0.1:4318");
        // fetch rejects with the signal's reason: for AbortSignal.timeout, a DOMException named TimeoutError.
        const timedOut = new DOMException("The operation was aborted due to timeout", "TimeoutError");
        assert.equal(fetchErrorText(timedOut, 30_000), "timeout after 30000 ms");
    });

    it("treats --help as success and a --stack without a value as a usage error naming the flag", async () => {
        const help = await verify({}, undefined, ["--help"]);
        assert.equal(help.code, 0);
        assert.match(help.out[0], /^usage: verify \[--stack NAME\]/);
        const missing = await verify({}, undefined, ["--stack"]);
        assert.equal(missing.code, 2);
        assert.match(missing.err[0], /^--stack needs a value; usage: verify/);
        const empty = await verify({}, undefined, ["--stack", ""]);
        assert.equal(empty.code, 2);
        assert.match(empty.err[0], /^--stack needs a stack name/);
    });
});

/**
 * A loopback server that misbehaves in one way, after answering the first `healthy`
 * requests like a collector: `answer` writes the misbehaving answer. Counts the body
 * bytes it managed to write, so a test can see that verify stopped reading.
 */
async function misbehaving(answer: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void, healthy = 0) {
    let n = 0;
    const sockets = new Set<import("node:net").Socket>();
    const server = http.createServer((req, res) => {
        req.resume();
        req.on("end", () => {
            n += 1;
            if (n <= healthy) {
                const ok = req.headers.authorization !== undefined;
                res.writeHead(ok ? 200 : 401, { "content-type": "application/x-protobuf" });
                res.end(ok ? encodeTraceResponse({}) : "");
                return;
            }
            answer(req, res, n);
        });
    });
    server.on("connection", (s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        requests: () => n,
        close: () => new Promise<void>((resolve) => {
            for (const s of sockets) s.destroy();
            server.close(() => resolve());
        }),
    };
}

async function verifyAgainst(server: { url: string }, limits?: Parameters<typeof runVerify>[1]["limits"], headers = `authorization=Bearer%20${TOKEN}`) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runVerify([], {
        out: (l) => out.push(l), err: (l) => err.push(l),
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: server.url, OTEL_EXPORTER_OTLP_HEADERS: headers },
        stackOutput: () => {
            throw new Error("not used");
        },
        limits,
    });
    return { code, out, err, all: [...out, ...err].join("\n") };
}

describe("verify against misbehaving servers", () => {
    it("does not count a 200 whose body is not OTLP as accepted (JSON without OTLP fields, an empty HTML page, undecodable protobuf)", async () => {
        const bodies: [string, string | Uint8Array][] = [["application/json", '{"status":"ok"}'], ["text/html", "<html></html>"], ["application/x-protobuf", new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff])]];
        for (const [contentType, body] of bodies) {
            const server = await misbehaving((_q, res) => {
                res.writeHead(200, { "content-type": contentType });
                res.end(body);
            });
            try {
                const result = await verifyAgainst(server);
                assert.equal(result.code, 1, contentType);
                assert.match(result.out.find((l) => l.startsWith("FAIL")) ?? "", /^FAIL {2}a span is accepted: 200, but the body is not an OTLP ExportTracesServiceResponse/, contentType);
            } finally {
                await server.close();
            }
        }
    });

    it("reads at most maxBodyBytes of a huge body, and stops the server's writes", async () => {
        let written = 0;
        const total = 256 * 1024 * 1024;
        const server = await misbehaving((_q, res) => {
            res.writeHead(502, { "content-type": "text/plain" });
            const chunk = Buffer.alloc(64 * 1024, 0x61);
            const pump = () => {
                while (written < total) {
                    written += chunk.length;
                    if (!res.write(chunk)) return void res.once("drain", pump);
                }
                res.end();
            };
            res.on("close", () => (written = Math.min(written, total)));
            pump();
        });
        try {
            const result = await verifyAgainst(server, { maxBodyBytes: 16 * 1024 });
            assert.equal(result.code, 1);
            assert.match(result.out.find((l) => l.startsWith("FAIL")) ?? "", /^FAIL {2}a span is accepted: 502: a{200}…; the adapter could not reach the collector/);
            assert.ok(written < total, `the server wrote ${written} of ${total} bytes: verify stopped reading`);
        } finally {
            await server.close();
        }
    });

    it("reports a partial success with 0 rejected and a message as a warning, not data loss", async () => {
        const server = await misbehaving((req, res) => {
            res.writeHead(req.headers.authorization ? 200 : 401, { "content-type": "application/x-protobuf" });
            res.end(req.headers.authorization ? encodeTraceResponse({ partialSuccess: { rejectedSpans: 0, errorMessage: "2 attributes truncated" } }) : "");
        });
        try {
            const result = await verifyAgainst(server);
            assert.equal(result.code, 0, result.all);
            assert.ok(result.out.includes("warn  the collector accepted everything with a warning: 2 attributes truncated"), result.all);
            assert.match(result.out.find((l) => l.includes("SDK exporter")) ?? "", /^ok {4}.*accepted with a warning/);
        } finally {
            await server.close();
        }
    });

    it("reports a redirect as an answer naming where it points, not a detached-buffer error", async () => {
        for (const status of [301, 302, 307, 308]) {
            const server = await misbehaving((_q, res) => {
                res.writeHead(status, { location: "https://elsewhere.example/v1/traces" });
                res.end();
            });
            try {
                const result = await verifyAgainst(server);
                assert.equal(result.code, 1);
                const line = result.out.find((l) => l.startsWith("FAIL")) ?? "";
                assert.match(line, new RegExp(`^FAIL {2}a span is accepted: ${status}: \\(empty body\\); the endpoint redirects to https://elsewhere\\.example/v1/traces`));
                assert.doesNotMatch(result.all, /detached|ArrayBuffer/);
            } finally {
                await server.close();
            }
        }
    });

    it("names a Lambda throttle at reservedConcurrency instead of the collector's memory limiter", async () => {
        const server = await misbehaving((_q, res) => {
            res.writeHead(429, { "content-type": "application/json", "x-amzn-errortype": "TooManyRequestsException" });
            res.end('{"Message":"Rate Exceeded.","Reason":"ReservedFunctionConcurrentInvocationLimitExceeded"}');
        });
        try {
            const result = await verifyAgainst(server);
            const line = result.out.find((l) => l.startsWith("FAIL")) ?? "";
            assert.match(line, /reserved concurrency \(the reservedConcurrency setting\) \(answered by the Lambda service \(the function did not run\)\)/);
            assert.doesNotMatch(line, /memory/);
        } finally {
            await server.close();
        }
    });

    it("stops at its overall deadline when a server stalls after its first answer", async () => {
        const server = await misbehaving(() => undefined, 1);
        try {
            const result = await verifyAgainst(server, { firstRequestMs: 5_000, requestMs: 5_000, deadlineMs: 400 });
            assert.equal(result.code, 1);
            assert.match(result.all, /a warm request is accepted: no answer \(verify's overall deadline of 400 ms passed while waiting\)/);
            assert.match(result.all, /the token is enforced: no answer \(not sent: verify's overall deadline of 400 ms passed\)/);
            assert.match(result.all, /SDK exporter.*: not run: verify's overall deadline of 400 ms passed/);
            assert.equal(server.requests(), 2, "nothing is sent after the deadline");
        } finally {
            await server.close();
        }
    });

    it("refuses a header value with CR/LF without printing the token, and never prints a token a server echoes", async () => {
        const server = await misbehaving((req, res) => {
            res.writeHead(401, { "content-type": "application/x-protobuf" });
            res.end(`scheme or token does not match: ${req.headers.authorization}`);
        });
        try {
            const crlf = await verifyAgainst(server, undefined, `authorization=Bearer%20${TOKEN}%0D%0Ax-injected:%201`);
            assert.equal(crlf.code, 2);
            assert.match(crlf.err[0], /^OTEL_EXPORTER_OTLP_HEADERS \(from OTEL_EXPORTER_OTLP_ENDPOINT in the shell\): the value of header authorization \(Bearer Tok-…\(\d+ chars\)\) has a line break/);
            assert.ok(!crlf.all.includes(TOKEN.slice(8)), crlf.all);
            assert.equal(server.requests(), 0, "nothing was sent");
            const echoed = await verifyAgainst(server);
            assert.equal(echoed.code, 1);
            assert.ok(!echoed.all.includes(TOKEN.slice(8)), echoed.all);
            assert.match(echoed.all, /does not match: Bearer Tok-…\(\d+ chars\)/);
            assert.match(echoed.all, /COLLECTOR_INGEST_TOKENS/);
            assert.doesNotMatch(echoed.all, /COLLECTOR_INGEST_TOKEN\b/, "the 401 advice names the variable the config reads");
        } finally {
            await server.close();
        }
    });

    it("refuses, before sending anything, an endpoint with credentials or a query, and headers an SDK would drop or misread, never printing a password", async () => {
        const server = await misbehaving((_req, res) => {
            res.writeHead(200, { "content-type": "application/x-protobuf" });
            res.end();
        });
        try {
            const at = new URL(server.url);
            const cases: [string, string, RegExp][] = [
                [`http://user:pw-0123456789@${at.host}/`, `authorization=Bearer%20${TOKEN}`, /carries a user name or password \(not shown\)/],
                [`${server.url}/ok?x=1`, `authorization=Bearer%20${TOKEN}`, /has a query or fragment/],
                [server.url, "garbage-no-equals", /entry 1 has no "name=value" form/],
                [server.url, "authorization=Bearer%2", /has a "%" not followed by two hex digits/],
                [server.url, `authorization=Bearer%20${TOKEN},Authorization=Bearer%20other`, /"Authorization" is given twice/],
            ];
            for (const [endpoint, headers, says] of cases) {
                const err: string[] = [];
                const code = await runVerify([], { out: () => undefined, err: (l) => err.push(l), env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_HEADERS: headers }, stackOutput: () => { throw new Error("not used"); } });
                assert.equal(code, 2, `${endpoint} ${headers}: ${err.join("\n")}`);
                assert.equal(err.length, 1);
                assert.match(err[0], says);
                assert.ok(!err[0].includes("pw-0123456789") && !err[0].includes(TOKEN.slice(8)), err[0]);
            }
            assert.equal(server.requests(), 0, "nothing was sent");
        } finally {
            await server.close();
        }
    });

    it("says when the collector passed on its backend's 401, instead of blaming the producer's token", async () => {
        const server = await misbehaving((_q, res) => {
            res.writeHead(401, { "content-type": "application/x-protobuf" });
            res.end("Permanent error: error exporting items, request to https://api.honeycomb.io:443/v1/traces responded with HTTP Status Code 401, Message=unknown API key, Details=[]");
        });
        try {
            const result = await verifyAgainst(server);
            const line = result.out.find((l) => l.startsWith("FAIL")) ?? "";
            assert.match(line, /refused the exporter's credentials.*answered by the exporter's backend, passed through by the collector as 401/);
            assert.doesNotMatch(line, /token sent is not one/);
        } finally {
            await server.close();
        }
    });
});
