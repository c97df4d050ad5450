// A token reaches every producer SDK intact: the value written into
// OTEL_EXPORTER_OTLP_HEADERS decodes to exactly `Bearer <token>` under the JS SDK's
// real parser (here, for any valid token), and under the real Node.js, Python, Java and
// Go SDKs sending to the real collector (test/local/producers.integration.ts). .NET has
// no toolchain on the test machines: its decoder stays a reimplementation that cites
// the SDK source it follows.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseKeyPairsIntoRecord } from "@opentelemetry/core";
import fc from "fast-check";
import {
    encodeHeaderToken,
    MIN_TOKEN_LENGTH,
    otlpHeadersFor,
    producersProblems,
    tokenProblem,
    tokensYamlList,
} from "../../../components/shared/tokens/tokens";
import { parse } from "yaml";
import { B64TOKEN_ALPHABET } from "../../harness/tokens";

/** Decodes %XX runs as UTF-8 bytes; `plus` turns `+` into a space; `strict` throws on a malformed escape. */
function percentDecode(value: string, options: { plus: boolean; strict: boolean }): string {
    const bytes: number[] = [];
    for (let i = 0; i < value.length; i++) {
        const c = value[i];
        if (c === "%") {
            const hex = value.slice(i + 1, i + 3);
            if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
                bytes.push(parseInt(hex, 16));
                i += 2;
                continue;
            }
            if (options.strict) {
                throw new Error(`malformed escape at ${i}`);
            }
        }
        if (c === "+" && options.plus) {
            bytes.push(0x20);
            continue;
        }
        bytes.push(...new TextEncoder().encode(c));
    }
    return new TextDecoder().decode(new Uint8Array(bytes));
}

const SDK_DECODERS: Record<string, (headers: string) => Record<string, string>> = {
    /** The real parser: @opentelemetry/core parseKeyPairsIntoRecord, which otlp-exporter-base uses for the env variable. */
    js: (headers) => parseKeyPairsIntoRecord(headers),
    /**
     * opentelemetry-dotnet (63d9cd17) OtlpExporterOptionsExtensions.cs: Uri.UnescapeDataString
     * over the whole string first (so `%2C` splits), then split on "," and the first "=", trimmed.
     */
    dotnet: (headers) => {
        const result: Record<string, string> = {};
        for (const pair of percentDecode(headers, { plus: false, strict: false }).split(",")) {
            const at = pair.indexOf("=");
            if (at === -1) throw new Error("Headers provided in an invalid format.");
            result[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
        }
        return result;
    },
};

/** The decoded `authorization` header, whatever case the SDK gives the name. */
function authorization(decoded: Record<string, string>): string | undefined {
    return Object.entries(decoded).find(([name]) => name.toLowerCase() === "authorization")?.[1];
}

const B64TOKEN_CHARS = B64TOKEN_ALPHABET.split("");
/** Any token the validation accepts: b64token characters, then optional `=` padding. */
const validToken = fc.tuple(
    fc.array(fc.constantFrom(...B64TOKEN_CHARS), { minLength: MIN_TOKEN_LENGTH, maxLength: 128 }),
    fc.integer({ min: 0, max: 2 }),
).map(([chars, padding]) => chars.join("") + "=".repeat(padding));

describe("OTEL_EXPORTER_OTLP_HEADERS for a token", () => {
    for (const [sdk, decode] of Object.entries(SDK_DECODERS)) {
        it(`decodes to exactly "Bearer <token>" in the ${sdk} SDK, for every valid token`, () => {
            fc.assert(fc.property(validToken, (token) => {
                assert.equal(tokenProblem("ingestToken", token), undefined);
                assert.equal(authorization(decode(otlpHeadersFor(token))), `Bearer ${token}`);
            }), { numRuns: 300 });
        });
    }

    it("encodes the issue's base64 token so Java no longer turns + into a space", () => {
        const token = "Zm9v+YmFy/YmF6cXV4+cXV1eA" + "Zm9v+YmFy/YmF6cXV4+cXV1eA==";
        assert.equal(tokenProblem("ingestToken", token), undefined);
        assert.equal(encodeHeaderToken("a+b/c="), "a%2Bb%2Fc%3D");
        for (const [sdk, decode] of Object.entries(SDK_DECODERS)) {
            assert.equal(authorization(decode(otlpHeadersFor(token))), `Bearer ${token}`, sdk);
        }
        // The old form, the token written as is, is what broke it: the real Java SDK
        // decodes + as a space (test/local/producers.integration.ts shows the 401).
    });

    it("keeps the generated tokens' alphabet literal: no escaping needed", () => {
        const generated = "Mock-Token_0123456789.abcdefghijklmnopqrstuvwxyz~ABCD";
        assert.equal(otlpHeadersFor(generated), `authorization=Bearer%20${generated}`);
    });
});

describe("a given token", () => {
    const cases: [string, string, string][] = [
        ["an empty token", "", "ingestToken: the given token is 0 characters long; use at least 32 (or leave it unset to get a generated 48-character token)"],
        ["a one-character token", "x", "ingestToken: the given token is 1 character long; use at least 32 (or leave it unset to get a generated 48-character token)"],
        ["a comma, which every SDK splits on", "a,b=c".padEnd(40, "x"),
            "ingestToken: the given token (40 characters) has \",\" at position 2, which some OpenTelemetry SDK or the HTTP header would alter; use only letters, digits and - . _ ~ + / (with = only as trailing padding)"],
        ["a percent sign, which SDKs decode", "abc%20def".padEnd(40, "x"),
            "ingestToken: the given token (40 characters) has \"%\" at position 4, which some OpenTelemetry SDK or the HTTP header would alter; use only letters, digits and - . _ ~ + / (with = only as trailing padding)"],
        ["a space", "abc def".padEnd(40, "x"),
            "ingestToken: the given token (40 characters) has a space at position 4, which some OpenTelemetry SDK or the HTTP header would alter; use only letters, digits and - . _ ~ + / (with = only as trailing padding)"],
        ["a newline", "abcdef\n".padEnd(40, "x"),
            "ingestToken: the given token (40 characters) has a control character (U+000A) at position 7, which some OpenTelemetry SDK or the HTTP header would alter; use only letters, digits and - . _ ~ + / (with = only as trailing padding)"],
        ["an = inside, not as padding", "abc=def".padEnd(40, "x"),
            "ingestToken: the given token (40 characters) has \"=\" at position 4, which some OpenTelemetry SDK or the HTTP header would alter; use only letters, digits and - . _ ~ + / (with = only as trailing padding)"],
        ["a dollar sign, which the collector's config expansion reads", "abc${env:X}".padEnd(40, "x"),
            "ingestToken: the given token (40 characters) has \"$\" at position 4, which some OpenTelemetry SDK or the HTTP header would alter; use only letters, digits and - . _ ~ + / (with = only as trailing padding)"],
    ];
    for (const [name, token, expected] of cases) {
        it(`is rejected with ${name}, without echoing the token`, () => {
            const problem = tokenProblem("ingestToken", token);
            assert.equal(problem, expected);
            if (token.length >= 8) {
                assert.ok(!problem.includes(token.slice(0, 8)), "the token is not printed");
            }
        });
    }
});

describe("the collector's token list", () => {
    it("is a YAML flow list of strings, as the collector's env provider parses it", () => {
        fc.assert(fc.property(fc.array(validToken, { minLength: 1, maxLength: 5 }), (tokens) => {
            assert.deepEqual(parse(tokensYamlList(tokens)), tokens);
        }), { numRuns: 100 });
        // A token of digits stays a string, not an int.
        assert.deepEqual(parse(tokensYamlList(["0".repeat(32)])), ["0".repeat(32)]);
    });

    it("never has an empty entry", () => {
        assert.equal(tokensYamlList(["", "a".repeat(32), ""]), `["${"a".repeat(32)}"]`);
        assert.throws(() => tokensYamlList([""]));
    });
});

describe("producer names", () => {
    it("accepts lower-case names and rejects the rest, one line each", () => {
        assert.deepEqual(producersProblems("producers", ["default", "ci-2024"]), []);
        assert.deepEqual(producersProblems("producers", []), [
            "producers: is empty; name at least one producer (the default is [\"default\"]), since a collector nobody can send to is useless",
        ]);
        assert.deepEqual(producersProblems("producers", ["Web App", "a", "a"]), [
            "producers: \"Web App\" is not a producer name; use 1-32 lower-case letters, digits and hyphens, starting with a letter or digit",
            "producers: \"a\" is listed twice; each producer name gets its own token, so list it once",
        ]);
    });
});
