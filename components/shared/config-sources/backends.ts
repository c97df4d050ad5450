// Ready-made collector configs for common backends, each derived from the default
// config so the receiver, auth and Lambda-safe settings are written once.
import * as pulumi from "@pulumi/pulumi";
import { parseDocument } from "yaml";
import { defaultCollectorConfig } from "./default-config";
import { cleanRunError } from "../run-error";
import { configText } from "./config-text";
import { printableLine } from "../../../rules/printable";
import { argumentsProblems, type ArgumentSpec } from "../arg-types";

/** A collector config and the environment its `${env:...}` references need. */
export interface BackendConfig {
    readonly collectorConfig: string;
    readonly environment: Record<string, pulumi.Input<string>>;
}

export interface HoneycombBackendArgs {
    /** Honeycomb ingest API key (keep it secret). */
    readonly apiKey: pulumi.Input<string>;
    /** @default "https://api.honeycomb.io" (use https://api.eu1.honeycomb.io for the EU) */
    readonly endpoint?: string;
    /** Dataset for metrics; Honeycomb needs one named for OTLP metrics. @default "otel-metrics" */
    readonly metricsDataset?: string;
    /** The Lambda function's timeout in seconds; the exporter's timeout and retries end inside it. @default 30 */
    readonly functionTimeoutSeconds?: number;
}

export interface OtlpHttpBackendArgs {
    /** Base URL of any OTLP/HTTP backend, e.g. https://otlp.example.com (the exporter appends /v1/<signal>). */
    readonly endpoint: string;
    /** Request headers, e.g. an API key. Values stay secret: they are passed as environment variables, which LambdaCollector keeps secret. */
    readonly headers?: Record<string, pulumi.Input<string>>;
    /**
     * Allow a plain http:// endpoint although `headers` are set (they are sent in
     * clear text). For a backend on a private network only.
     * @default false
     */
    readonly allowInsecure?: boolean;
    /** The Lambda function's timeout in seconds; the exporter's timeout and retries end inside it. @default 30 */
    readonly functionTimeoutSeconds?: number;
}

/**
 * Settings every preset exporter carries, derived from the function timeout `t`
 * (seconds). Lambda freezes the process after the response, so nothing may be
 * queued (sending_queue off), and an export and its retries must end inside the
 * invocation, or the retry dies with the function (rule retry-exceeds-timeout):
 * - exporter `timeout` = min(5, floor(t / 3)) s, at least 1 s (500 ms when t = 1 s):
 *   one attempt takes at most a third of the invocation, and never all of it;
 * - `retry_on_failure.max_elapsed_time` = floor(t / 2) s, at least 1 s: the retry
 *   budget ends by half the invocation, leaving the rest for the last attempt;
 * - `initial_interval` = min(5, max_elapsed_time) s and `max_interval` =
 *   min(30, max_elapsed_time) s: the collector refuses a max_elapsed_time shorter than
 *   either (configretry backoff.go @v0.159.0 l.12-22; their defaults are 5s and 30s,
 *   generated_config.go l.66-68), so they are bounded by the budget;
 * - t < 3 s: retries are off (`enabled: false`): no budget fits beside an attempt.
 * t = 30 (the default) gives timeout 5s, max_elapsed_time 15s, initial_interval 5s, max_interval 15s.
 */
export function lambdaSafeExporter(functionTimeoutSeconds = 30): Record<string, unknown> {
    return lambdaSafeExporterFor("functionTimeoutSeconds", functionTimeoutSeconds);
}

function lambdaSafeExporterFor(field: string, functionTimeoutSeconds = 30): Record<string, unknown> {
    const t = functionTimeoutSeconds;
    if (!Number.isSafeInteger(t) || t < 1) {
        throw new pulumi.RunError(`${field}: ${JSON.stringify(t) ?? String(t)} is not a whole number of seconds of at least 1; pass the function's timeout`);
    }
    const attempt = Math.max(1, Math.min(5, Math.floor(t / 3)));
    return {
        timeout: t === 1 ? "500ms" : `${attempt}s`,
        sending_queue: { enabled: false },
        retry_on_failure: t < 3 ? { enabled: false } : retryWithin(Math.max(1, Math.floor(t / 2))),
    };
}

/** Retries for at most `budget` seconds, with intervals the collector accepts beside that budget. */
function retryWithin(budget: number): Record<string, unknown> {
    return { enabled: true, initial_interval: `${Math.min(5, budget)}s`, max_interval: `${Math.min(30, budget)}s`, max_elapsed_time: `${budget}s` };
}

/** The default config: telemetry is printed to the function's CloudWatch logs. */

export function debugBackend(): BackendConfig {
    return { collectorConfig: defaultCollectorConfig(), environment: {} };
}

const HONEYCOMB_ARGS: ArgumentSpec = {
    kinds: { apiKey: "input-string", endpoint: "plain-string", metricsDataset: "plain-string", functionTimeoutSeconds: "plain-number" },
    required: ["apiKey"],
    examples: { apiKey: "pulumi.secret(\"<your ingest key>\")", endpoint: "\"https://api.eu1.honeycomb.io\"", metricsDataset: "\"otel-metrics\"", functionTimeoutSeconds: "30" },
};

const OTLP_HTTP_ARGS: ArgumentSpec = {
    kinds: { endpoint: "plain-string", headers: "input-string-record", allowInsecure: "plain-boolean", functionTimeoutSeconds: "plain-number" },
    required: ["endpoint"],
    examples: { endpoint: "\"https://otlp.example.com\"", headers: "{\"x-api-key\": pulumi.secret(\"...\")}", functionTimeoutSeconds: "30" },
};

/** Longest Honeycomb dataset name the preset accepts (Honeycomb's documented limit is 255 characters; 128 leaves room in headers). */
export const MAX_DATASET_LENGTH = 128;

/**
 * A one-line problem with a Honeycomb metrics dataset name, or undefined: 1-128
 * characters, no whitespace, quote or backslash, no control character. Echoes the
 * value (it is no secret), escaped so it stays one line.
 */
export function datasetProblem(field: string, dataset: string): string | undefined {
    if (dataset.length === 0 || dataset.length > MAX_DATASET_LENGTH) {
        return `${field}: the ${dataset.length}-character name is not a usable dataset name; use 1 to ${MAX_DATASET_LENGTH} characters`;
    }
    const bad = /[\s"'\\\u0000-\u001f\u007f]/.exec(dataset);
    if (bad) {
        return `${field}: ${JSON.stringify(dataset)} has ${JSON.stringify(bad[0])} at position ${bad.index + 1}, which a dataset name cannot carry; use up to ${MAX_DATASET_LENGTH} characters without spaces, quotes or backslashes`;
    }
    return undefined;
}

/**
 * Honeycomb: traces and logs to the API key's environment, metrics to
 * `metricsDataset`. Every value reaches the collector as typed: the endpoint and the
 * dataset are written escaped (components/shared/config-sources/config-text.ts), the API key is carried in
 * the function environment (HONEYCOMB_API_KEY), which LambdaCollector escapes the same way.
 * Errors: one `RunError` line naming `honeycombBackend.<argument>`.
 */
export function honeycombBackend(args: HoneycombBackendArgs): BackendConfig {
    fail(argumentsProblems("honeycombBackend", HONEYCOMB_ARGS, args));
    const endpoint = args.endpoint ?? "https://api.honeycomb.io";
    const dataset = args.metricsDataset ?? "otel-metrics";
    fail([
        endpointProblem("honeycombBackend.endpoint", endpoint, {
            secretHeaders: true,
            httpsOnly: "the API key would otherwise cross the network in clear text",
        }),
        datasetProblem("honeycombBackend.metricsDataset", dataset),
        typeof args.apiKey === "string" ? secretValueProblem("honeycombBackend.apiKey", args.apiKey) : undefined,
    ]);
    const safe = lambdaSafeExporterFor("honeycombBackend.functionTimeoutSeconds", args.functionTimeoutSeconds);
    const team = { "x-honeycomb-team": "${env:HONEYCOMB_API_KEY}" };
    return {
        collectorConfig: withExporters({
            "otlphttp/honeycomb": { endpoint: configText(endpoint), headers: team, ...safe },
            "otlphttp/honeycomb-metrics": { endpoint: configText(endpoint), headers: { ...team, "x-honeycomb-dataset": configText(dataset) }, ...safe },
        }, { traces: "otlphttp/honeycomb", metrics: "otlphttp/honeycomb-metrics", logs: "otlphttp/honeycomb" }),
        environment: { HONEYCOMB_API_KEY: checkedSecret("honeycombBackend.apiKey", args.apiKey) },
    };
}

/**
 * Any OTLP/HTTP backend. The endpoint is written escaped; each header value is carried
 * in its own variable `OTLP_HEADER_<NAME>` (upper case, other characters `_`),
 * escaped, so it reaches the collector as typed and stays out of the config text.
 * Errors: one `RunError` line naming `otlpHttpBackend.<argument>`.
 */
export function otlpHttpBackend(args: OtlpHttpBackendArgs): BackendConfig {
    fail(argumentsProblems("otlpHttpBackend", OTLP_HTTP_ARGS, args));
    const given = args.headers ?? {};
    const headers: Record<string, string> = {};
    const environment: Record<string, pulumi.Input<string>> = {};
    const problems: (string | undefined)[] = [
        endpointProblem("otlpHttpBackend.endpoint", args.endpoint, { secretHeaders: Object.keys(given).length > 0, allowInsecure: args.allowInsecure }),
    ];
    for (const [name, value] of Object.entries(given)) {
        // A name with spaces or punctuation is quoted, so the message still starts with
        // a field the stack program can map to its key (otlpHeaders).
        const field = /^[A-Za-z0-9_-]+$/.test(name) ? `otlpHttpBackend.headers.${name}` : `otlpHttpBackend.headers[${JSON.stringify(name)}]`;
        const nameProblem = headerNameProblem(field, name);
        if (nameProblem) {
            problems.push(nameProblem);
            continue;
        }
        const variable = headerVariable(name);
        if (variable in environment) {
            problems.push(`${field}: maps to ${variable}, like another header; remove one of them`);
            continue;
        }
        problems.push(typeof value === "string" ? secretValueProblem(field, value) : undefined);
        // Header names are map keys, which the collector never expands: written as they are.
        headers[name] = `\${env:${variable}}`;
        environment[variable] = checkedSecret(field, value);
    }
    fail(problems);
    const safe = lambdaSafeExporterFor("otlpHttpBackend.functionTimeoutSeconds", args.functionTimeoutSeconds);
    const exporter = { endpoint: configText(args.endpoint), ...(Object.keys(headers).length > 0 ? { headers } : {}), ...safe };
    return {
        collectorConfig: withExporters({ "otlphttp/backend": exporter }, { traces: "otlphttp/backend", metrics: "otlphttp/backend", logs: "otlphttp/backend" }),
        environment,
    };
}

/** The environment variable that carries header `name`'s value. */
export function headerVariable(name: string): string {
    return `OTLP_HEADER_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** Throws one RunError listing every problem, one line each. */
function fail(problems: readonly (string | undefined)[]): void {
    const found = problems.filter((p): p is string => p !== undefined);
    if (found.length > 0) {
        throw new pulumi.RunError(found.map(oneLine).join("\n"));
    }
}

/** A line break inside an echoed value escaped, so each problem stays one line. */
function oneLine(problem: string): string {
    return printableLine(problem);
}

/** The default config with its exporters replaced and each pipeline pointed at one of them. */
function withExporters(exporters: Record<string, object>, route: Record<"traces" | "metrics" | "logs", string>): string {
    const doc = parseDocument(defaultCollectorConfig());
    doc.setIn(["exporters"], doc.createNode(exporters));
    for (const [signal, exporter] of Object.entries(route)) {
        const list = doc.createNode([exporter], { flow: true });
        doc.setIn(["service", "pipelines", signal, "exporters"], list);
    }
    return doc.toString({ lineWidth: 0 });
}

/** A path the exporter would double: it appends /v1/<signal> to the base URL. */
const SIGNAL_SUFFIX = /\/v1(\/(traces|metrics|logs|profiles))?\/?$/i;

/**
 * A one-line problem with a backend base URL as a user wrote it, or undefined.
 * The value is taken as written: surrounding space is an error, never trimmed.
 * The scheme is case-insensitive (`HTTPS://` is https). Credentials in the URL
 * would land in the non-secret config; a query or fragment would end up before the
 * `/v1/<signal>` the exporter appends; a `/v1/<signal>` path would be doubled.
 * `secretHeaders`: the exporter sends API keys, which plain http exposes, so http is
 * refused unless `allowInsecure`.
 */
export function endpointProblem(field: string, value: string, options: { secretHeaders: boolean; allowInsecure?: boolean; httpsOnly?: string }): string | undefined {
    if (value !== value.trim()) {
        return `${field}: ${JSON.stringify(value)} has space around it; remove it (the URL is used exactly as written)`;
    }
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        const port = /^[a-z]+:\/\/[^/]*:([0-9]+)(?:\/|$)/i.exec(value)?.[1];
        return port !== undefined && Number(port) > 65535
            ? `${field}: ${JSON.stringify(value)} has port ${port}, above the highest port 65535; give the backend's port`
            : `${field}: ${JSON.stringify(value)} is not a URL; use the backend's base URL, e.g. https://otlp.example.com`;
    }
    const scheme = url.protocol.toLowerCase();
    if (scheme !== "https:" && scheme !== "http:") {
        return `${field}: ${JSON.stringify(value)} must be an http(s) URL; OTLP/HTTP is the only protocol this exporter speaks`;
    }
    // The exporter parses the endpoint with Go's net/url, which refuses characters the
    // WHATWG parser quietly rewrites (a backslash becomes "/"), so judge the text as typed:
    // RFC 3986 characters only, and a host between "//" and the path.
    const stray = /[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/.exec(value);
    if (stray) {
        return `${field}: ${JSON.stringify(value)} has ${JSON.stringify(stray[0])} at position ${stray.index + 1}, which is not allowed in a URL, so the collector refuses it ("endpoint must be a valid URL"); percent-encode it or remove it`;
    }
    if (!/^[a-z]+:\/\/[^/?#]/i.test(value)) {
        return `${field}: ${JSON.stringify(value)} has no host after "//"; give the backend's base URL, e.g. https://otlp.example.com`;
    }
    // The WHATWG parser accepts port 0 (and drops a default port); no backend listens on 0.
    const port = /^[a-z]+:\/\/(?:[^/@]*@)?(?:\[[^\]]*\]|[^/:]*):([0-9]*)(?:\/|$)/i.exec(value)?.[1];
    if (port !== undefined && (port === "" || Number(port) === 0)) {
        return `${field}: ${JSON.stringify(value)} has ${port === "" ? "an empty port" : `port ${port}`}, on which no backend listens; give a port from 1 to 65535, or none for the scheme's default`;
    }
    if (url.username !== "" || url.password !== "" || /^[a-z]+:\/\/[^/]*@/i.test(value)) {
        return `${field}: ${JSON.stringify(url.host)} URL carries a user name or password, which would be stored in the non-secret config; remove it and send credentials as a secret header`;
    }
    if (value.includes("?") || value.includes("#")) {
        return `${field}: ${JSON.stringify(value)} has a query or fragment, which the exporter would put before the /v1/<signal> it appends; remove it`;
    }
    if (SIGNAL_SUFFIX.test(url.pathname)) {
        return `${field}: ${JSON.stringify(value)} ends in ${SIGNAL_SUFFIX.exec(url.pathname)?.[0]}; drop it and give the base URL: the exporter appends /v1/<signal> itself`;
    }
    if (value.endsWith("/")) {
        return `${field}: ${JSON.stringify(value)} ends in "/"; drop the trailing slash (write ${JSON.stringify(value.replace(/\/+$/, ""))}): the URL is used exactly as written, and the exporter appends /v1/<signal>`;
    }
    const badEscape = /%(?![0-9A-Fa-f]{2})/.exec(value);
    if (badEscape) {
        return `${field}: ${JSON.stringify(value)} has "%" at position ${badEscape.index + 1} without two hex digits after it, which is not a valid percent-encoding; write a literal % as %25`;
    }
    if (scheme === "http:" && options.httpsOnly) {
        return `${field}: ${JSON.stringify(value)} must use https; ${options.httpsOnly}`;
    }
    if (scheme === "http:" && options.secretHeaders && !options.allowInsecure) {
        return `${field}: ${JSON.stringify(value)} uses plain http while the exporter sends secret headers, which would cross the network in clear text; use https, or set allowInsecure to true if the network is private`;
    }
    return undefined;
}

/**
 * A one-line problem with a secret value (an API key, a header value), or
 * undefined. Never echoes the value. Surrounding space is an error, never trimmed
 * (a pasted key often carries it). An empty value would be sent as an empty
 * credential; a control character breaks the HTTP header. A `$` is fine: the
 * preset escapes it (components/shared/config-sources/config-text.ts).
 */
export function secretValueProblem(field: string, value: string): string | undefined {
    if (value === "") {
        return `${field}: is empty; set the secret value (pulumi config set --secret ...)`;
    }
    const control = [...value].findIndex((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
    if (control !== -1) {
        return `${field}: the ${value.length}-character secret has a control character (U+${value.charCodeAt(control).toString(16).toUpperCase().padStart(4, "0")}) at position ${control + 1}, which an HTTP header cannot carry; remove it (a pasted newline?)`;
    }
    if (value !== value.trim()) {
        return `${field}: the ${value.length}-character secret has space around it; remove it (the value is used exactly as written, never trimmed)`;
    }
    return undefined;
}

/** A one-line problem with an HTTP header name, or undefined. */
export function headerNameProblem(field: string, name: string): string | undefined {
    return /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name) ? undefined : `${field}: is not a valid HTTP header name; use letters, digits and hyphens`;
}

/**
 * A secret, checked by the caller when a plain string; one known only later is
 * checked once known. LambdaCollector escapes it for the collector's config
 * resolution (it is read through `${env:...}`), so it reaches the exporter as typed.
 */
function checkedSecret(field: string, value: pulumi.Input<string>): pulumi.Input<string> {
    if (typeof value === "string") {
        // Known now, so LambdaCollector sizes and checks it at preview; it keeps every environment value secret.
        return value;
    }
    return pulumi.secret(pulumi.output(value).apply((known) => {
        const problem = secretValueProblem(field, known);
        if (problem) {
            throw cleanRunError(oneLine(problem));
        }
        return known;
    }));
}
