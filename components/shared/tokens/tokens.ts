// Bearer tokens: which characters a token may have, how it is written into
// OTEL_EXPORTER_OTLP_HEADERS so every SDK decodes it back to itself, and how the
// accepted tokens reach the collector's bearertokenauth `tokens:` list.
//
// The decoding rules of each SDK are in test/components/shared/tokens.test.ts (the JS SDK's
// real parser; faithful reimplementations for Java, Python, Go and .NET, each citing
// its source file and tag).

/**
 * Characters a bearer token may contain: RFC 6750 §2.1 `b64token`
 * (`1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`). That set has no
 * `,` (every SDK splits OTEL_EXPORTER_OTLP_HEADERS on it, and .NET even after
 * decoding `%2C`), no `;` (the JS SDK drops what follows), no `%` and no `$` (the
 * collector's config expansion reads `${` and `$$`), no space and no quote, so a
 * token from it survives the header, the env variable, every SDK decoder and the
 * YAML list the collector reads.
 */
export const TOKEN_PATTERN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** The token alphabet as users read it in an error. */
export const TOKEN_ALPHABET = "letters, digits and - . _ ~ + / (with = only as trailing padding)";
/** Shortest token accepted: 32 characters of even a hex alphabet is 128 bits. */
export const MIN_TOKEN_LENGTH = 32;
/** Longest token accepted: keeps room in Lambda's 4 KB environment for the config. */
export const MAX_TOKEN_LENGTH = 512;
/**
 * Special characters of a generated token. Unreserved in URLs and part of b64token,
 * so a generated token needs no escaping anywhere.
 */
export const GENERATED_TOKEN_SPECIALS = "-._~";

/**
 * A one-line problem with a given token, naming `field`, or undefined when it is
 * fine. The token itself is never echoed: only its length and the first offending
 * character with its position.
 */
export function tokenProblem(field: string, token: string): string | undefined {
    if (token.length < MIN_TOKEN_LENGTH) {
        return `${field}: the given token is ${token.length} character${token.length === 1 ? "" : "s"} long; use at least ${MIN_TOKEN_LENGTH} (or leave it unset to get a generated 48-character token)`;
    }
    if (token.length > MAX_TOKEN_LENGTH) {
        return `${field}: the given token is ${token.length} characters long; use at most ${MAX_TOKEN_LENGTH}`;
    }
    if (!TOKEN_PATTERN.test(token)) {
        const at = offendingIndex(token);
        return `${field}: the given token (${token.length} characters) has ${describeCharacter(token[at])} at position ${at + 1}, which some OpenTelemetry SDK or the HTTP header would alter; use only ${TOKEN_ALPHABET}`;
    }
    return undefined;
}

function offendingIndex(token: string): number {
    const padding = /=*$/.exec(token)?.[0].length ?? 0;
    for (let i = 0; i < token.length; i++) {
        const inPadding = i >= token.length - padding;
        if (!/[A-Za-z0-9\-._~+/]/.test(token[i]) && !(inPadding && token[i] === "=")) {
            return i;
        }
    }
    return 0;
}

function describeCharacter(c: string): string {
    if (c === " ") return "a space";
    const code = c.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) return `a control character (U+${code.toString(16).toUpperCase().padStart(4, "0")})`;
    if (code > 0x7e) return `a non-ASCII character (U+${code.toString(16).toUpperCase().padStart(4, "0")})`;
    return `"${c}"`;
}

/**
 * The token as written after `Bearer%20` in OTEL_EXPORTER_OTLP_HEADERS: every byte
 * outside RFC 3986 unreserved (`A-Z a-z 0-9 - . _ ~`) percent-encoded. `+` must be
 * `%2B` because opentelemetry-java decodes with java.net.URLDecoder, which turns a
 * literal `+` into a space; `/` and `=` are encoded too, which every SDK decodes.
 */
export function encodeHeaderToken(token: string): string {
    return Array.from(new TextEncoder().encode(token), (byte) => {
        const c = String.fromCharCode(byte);
        return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    }).join("");
}

/** The OTEL_EXPORTER_OTLP_HEADERS value carrying `token`. */
export function otlpHeadersFor(token: string): string {
    // `%20`, not a space: a literal space is accepted by opentelemetry-python only on
    // its "liberal" path, which then skips unquoting the rest of the value.
    return `authorization=Bearer%20${encodeHeaderToken(token)}`;
}

/**
 * The tokens as the YAML flow list that `tokens: ${env:COLLECTOR_INGEST_TOKENS}`
 * reads. A whole-value env reference is YAML-parsed by the collector (confmap
 * NewRetrievedFromYAML, collector v0.151.0), so `["a","b"]` becomes a list of two
 * strings; every entry is double-quoted so a token of digits stays a string.
 * Empty entries are dropped: an empty token would be the expected value
 * `"Bearer "` (or `""` with `scheme: ""`, which an empty header matches).
 */
export function tokensYamlList(tokens: readonly string[]): string {
    const entries = tokens.filter((t) => t !== "");
    if (entries.length === 0) {
        // Unreachable through the component (at least one producer); a list with an
        // empty entry must never be written instead.
        throw new Error("no bearer token to accept");
    }
    return `[${entries.map((t) => JSON.stringify(t)).join(",")}]`;
}

/** A producer name: becomes part of Pulumi resource names and the key of `producerEnvironments`. */
export const PRODUCER_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** One-line problems with a `producers` list, naming `field`. */
export function producersProblems(field: string, producers: readonly string[]): string[] {
    const problems: string[] = [];
    if (producers.length === 0) {
        problems.push(`${field}: is empty; name at least one producer (the default is ["default"]), since a collector nobody can send to is useless`);
    }
    const seen = new Set<string>();
    for (const name of producers) {
        if (typeof name !== "string" || !PRODUCER_NAME_PATTERN.test(name)) {
            problems.push(`${field}: ${JSON.stringify(name)} is not a producer name; use 1-32 lower-case letters, digits and hyphens, starting with a letter or digit`);
        } else if (seen.has(name)) {
            problems.push(`${field}: "${name}" is listed twice; each producer name gets its own token, so list it once`);
        }
        seen.add(name);
    }
    return problems;
}
