// The post-deploy verifier against a loopback OTLP/HTTP receiver that behaves like the
// deployed collector (or like its known failures). The span check uses the real
// OpenTelemetry SDK exporter, configured only by the producer environment the stack
// exports: this is what proves SDKs read that environment as intended.
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { runVerify, VERIFY_SERVICE_NAME, type ProducerEnvironment } from "../../cli/verify";
import { producerEnvironmentFor } from "../../components/producer-environment";

const TOKEN = "Tok-en_0123456789.abcdefghijklmnopqrstuvwxyz~ABCDEFGHIJ";

interface Received {
    readonly path: string;
    readonly authorization: string | undefined;
    readonly contentType: string | undefined;
    readonly body: Buffer;
}

type Mode = "collector" | "open" | "forbidden" | "broken";

/** A receiver on 127.0.0.1 answering like the deployed collector, or like a failure. */
async function receiver(mode: Mode): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
    const received: Received[] = [];
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const body = Buffer.concat(chunks);
            received.push({ path: req.url ?? "", authorization: req.headers.authorization, contentType: req.headers["content-type"], body });
            const reply = (status: number) => {
                res.writeHead(status, { "content-type": "application/x-protobuf" });
                res.end();
            };
            if (mode === "forbidden") return reply(403);
            if (mode === "broken") return reply(502);
            if (req.url !== "/v1/traces") return reply(404);
            if (mode === "collector" && req.headers.authorization !== `Bearer ${TOKEN}`) return reply(401);
            return reply(body.toString() === "x" ? 400 : 200);
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

async function verify(env: NodeJS.ProcessEnv, stackOutput?: () => ProducerEnvironment, argv: string[] = []) {
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

describe("verify", () => {
    it("passes a healthy collector, sending the token exactly as the stack output encodes it", async () => {
        const server = await receiver("collector");
        try {
            const result = await verify(producerEnvironmentFor(server.url, TOKEN));
            assert.equal(result.code, 0, result.out.join("\n"));
            assert.equal(result.out.length, 3);
            assert.ok(result.out.every((l) => l.startsWith("ok    ")), result.out.join("\n"));
            const span = server.received.find((r) => r.body.toString() !== "x");
            assert.ok(span, "the SDK exported a span");
            assert.equal(span.path, "/v1/traces");
            assert.equal(span.authorization, `Bearer ${TOKEN}`, "%20 decoded to a space by the SDK");
            assert.equal(span.contentType, "application/x-protobuf");
            assert.ok(span.body.includes(Buffer.from(VERIFY_SERVICE_NAME)), "an OTLP protobuf payload with the service name");
            assert.match(result.out[2], /look for trace [0-9a-f]{32} /);
        } finally {
            await server.close();
        }
    });

    it("reads the stack output when no OTLP variables are set", async () => {
        const server = await receiver("collector");
        try {
            const result = await verify({}, () => producerEnvironmentFor(server.url, TOKEN), ["--stack", "dev"]);
            assert.equal(result.code, 0, result.out.join("\n"));
        } finally {
            await server.close();
        }
    });

    it("names the cause of a wrong token, a missing permission, an open receiver and a broken collector", async () => {
        const cases: [Mode, string, RegExp][] = [
            ["collector", "wrong-token", /^FAIL  URL, adapter and collector answer: 401: the token is not one the function accepts/],
            ["forbidden", TOKEN, /^FAIL  URL, adapter and collector answer: 403 before the function ran \(no logs\): the URL needs both/],
            ["broken", TOKEN, /^FAIL  URL, adapter and collector answer: 502: the collector is not running/],
        ];
        for (const [mode, token, first] of cases) {
            const server = await receiver(mode);
            try {
                const result = await verify(producerEnvironmentFor(server.url, token));
                assert.equal(result.code, 1);
                assert.match(result.out[0], first);
                assert.deepEqual(result.out.slice(1), ["skip  the other checks: fix the first one, they depend on it"]);
            } finally {
                await server.close();
            }
        }
        const open = await receiver("open");
        try {
            const result = await verify(producerEnvironmentFor(open.url, TOKEN));
            assert.equal(result.code, 1);
            assert.match(result.out[1], /^FAIL  bearer token is enforced: a request without a token reached the receiver/);
        } finally {
            await open.close();
        }
    });

    it("explains where to get the endpoint when it has none", async () => {
        const result = await verify({});
        assert.equal(result.code, 2);
        assert.deepEqual(result.err, ["cannot read the stack output producerEnvironment (pulumi: command not found); run from the project folder with the Pulumi CLI logged in, or set OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_HEADERS"]);
    });
});
