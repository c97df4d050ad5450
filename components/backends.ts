// Ready-made collector configs for common backends, each derived from the default
// config so the receiver, auth and Lambda-safe settings are written once.
import * as pulumi from "@pulumi/pulumi";
import { parseDocument } from "yaml";
import { defaultCollectorConfig } from "./default-config";
import { cleanRunError } from "./environment";

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
    /** Request headers, e.g. an API key. Values stay secret: they are passed as environment variables. */
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
 * - exporter `timeout` = min(5, floor(t / 3)) s, at least 1 s: one attempt takes
 *   at most a third of the invocation;
 * - `retry_on_failure.max_elapsed_time` = floor(t / 2) s, at least 1 s: the retry
 *   budget ends by half the invocation, leaving the rest for the last attempt;
 * - `initial_interval` = min(5, that budget) s and `max_interval` = the budget: the
 *   collector refuses a `max_elapsed_time` below either (defaults 5s and 30s): "invalid
 *   configuration: ...retry_on_failure: 'max_elapsed_time' must not be less than
 *   'max_interval'" at start (go.opentelemetry.io/collector/config/configretry v1.67.0,
 *   backoff.go validateMaxElapsedTime, the module of collector 0.161.0; found by
 *   running the presets on the real collector, test/local/backends.integration.ts);
 * - t < 3 s: retries are off (`enabled: false`): no budget fits beside an attempt.
 * t = 30 (the default) gives timeout 5s, initial_interval 5s, max_interval 15s and max_elapsed_time 15s.
 */
export function lambdaSafeExporter(functionTimeoutSeconds = 30): Record<string, unknown> {
    const t = functionTimeoutSeconds;
    if (!Number.isInteger(t) || t < 1) {
        throw new pulumi.RunError(`functionTimeoutSeconds: ${JSON.stringify(t)} is not a whole number of seconds of at least 1; pass the function's timeout`);
    }
    const attempt = Math.max(1, Math.min(5, Math.floor(t / 3)));
    const budget = Math.max(1, Math.floor(t / 2));
    return {
        timeout: `${attempt}s`,
        sending_queue: { enabled: false },
        retry_on_failure: t < 3
            ? { enabled: false }
            : { enabled: true, initial_interval: `${Math.min(5, budget)}s`, max_interval: `${budget}s`, max_elapsed_time: `${budget}s` },
    };
}

/** The default config: telemetry is printed to the function's CloudWatch logs. */
export function debugBackend(): BackendConfig {
    return { collectorConfig: defaultCollectorConfig(), environment: {} };
}

export function honeycombBackend(args: HoneycombBackendArgs): BackendConfig {
    const endpoint = checkedEndpoint("honeycombEndpoint", args.endpoint ?? "https://api.honeycomb.io", {
        secretHeaders: true,
        httpsOnly: "the API key would otherwise cross the network in clear text",
    });
    const dataset = args.metricsDataset ?? "otel-metrics";
    if (!/^[^\s"'\\]{1,128}$/.test(dataset)) {
        throw new pulumi.RunError(`honeycombMetricsDataset: "${dataset}" is not a usable dataset name; use up to 128 characters without spaces or quotes`);
    }
    const safe = lambdaSafeExporter(args.functionTimeoutSeconds);
    const team = { "x-honeycomb-team": "${env:HONEYCOMB_API_KEY}" };
    return {
        collectorConfig: withExporters({
            "otlphttp/honeycomb": { endpoint, headers: team, ...safe },
            "otlphttp/honeycomb-metrics": { endpoint, headers: { ...team, "x-honeycomb-dataset": dataset }, ...safe },
        }, { traces: "otlphttp/honeycomb", metrics: "otlphttp/honeycomb-metrics", logs: "otlphttp/honeycomb" }),
        environment: { HONEYCOMB_API_KEY: checkedSecret("honeycombApiKey", args.apiKey) },
    };
}

export function otlpHttpBackend(args: OtlpHttpBackendArgs): BackendConfig {
    const safe = lambdaSafeExporter(args.functionTimeoutSeconds);
    const endpoint = checkedEndpoint("otlpEndpoint", args.endpoint, { secretHeaders: Object.keys(args.headers ?? {}).length > 0, allowInsecure: args.allowInsecure });
    const headers: Record<string, string> = {};
    const environment: Record<string, pulumi.Input<string>> = {};
    for (const [name, value] of Object.entries(args.headers ?? {})) {
        const nameProblem = headerNameProblem(`otlpHeaders.${name}`, name);
        if (nameProblem) {
            throw new pulumi.RunError(nameProblem);
        }
        const variable = `OTLP_HEADER_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
        if (variable in environment) {
            throw new pulumi.RunError(`otlpHeaders.${name}: maps to ${variable}, like another header; remove one of them`);
        }
        headers[name] = `\${env:${variable}}`;
        environment[variable] = checkedSecret(`otlpHeaders.${name}`, value);
    }
    const exporter = { endpoint, ...(Object.keys(headers).length > 0 ? { headers } : {}), ...safe };
    return {
        collectorConfig: withExporters({ "otlphttp/backend": exporter }, { traces: "otlphttp/backend", metrics: "otlphttp/backend", logs: "otlphttp/backend" }),
        environment,
    };
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
        return `${field}: ${JSON.stringify(value)} is not a URL; use the backend's base URL, e.g. https://otlp.example.com`;
    }
    const scheme = url.protocol.toLowerCase();
    if (scheme !== "https:" && scheme !== "http:") {
        return `${field}: ${JSON.stringify(value)} must be an http(s) URL; OTLP/HTTP is the only protocol this exporter speaks`;
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
        return `${field}: ${JSON.stringify(value)} uses plain http while the exporter sends secret headers, which would cross the network in clear text; use https, or set allowInsecureBackend to true if the network is private`;
    }
    return undefined;
}

/**
 * A one-line problem with a secret value (an API key, a header value), or
 * undefined. Never echoes the value. Surrounding space is an error, never trimmed
 * (a pasted key often carries it). An empty value would be sent as an empty
 * credential; a control character breaks the HTTP header; `$` is read by the
 * collector's config expansion (`${...}`, `$$`), which would alter the value.
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
    const dollar = value.indexOf("$");
    if (dollar !== -1) {
        return `${field}: the ${value.length}-character secret has "$" at position ${dollar + 1}, which the collector's config expansion would read as \${...} or $$; such a secret cannot be passed through the config`;
    }
    return undefined;
}

/** A one-line problem with an HTTP header name, or undefined. */
export function headerNameProblem(field: string, name: string): string | undefined {
    return /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name) ? undefined : `${field}: is not a valid HTTP header name; use letters, digits and hyphens`;
}

function checkedEndpoint(field: string, value: string, options: Parameters<typeof endpointProblem>[2]): string {
    const problem = endpointProblem(field, value, options);
    if (problem) {
        throw new pulumi.RunError(problem);
    }
    return value;
}

/** A secret that is a plain string is checked now; one known only later, once known. */
function checkedSecret(field: string, value: pulumi.Input<string>): pulumi.Output<string> {
    if (typeof value === "string") {
        const problem = secretValueProblem(field, value);
        if (problem) {
            throw new pulumi.RunError(problem);
        }
    }
    return pulumi.secret(pulumi.output(value).apply((known) => {
        const problem = secretValueProblem(field, known);
        if (problem) {
            throw cleanRunError(problem);
        }
        return known;
    }));
}
