// Ready-made collector configs for common backends, each derived from the default
// config so the receiver, auth and Lambda-safe settings are written once.
import * as pulumi from "@pulumi/pulumi";
import { parseDocument } from "yaml";
import { defaultCollectorConfig } from "./default-config";

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
}

export interface OtlpHttpBackendArgs {
    /** Base URL of any OTLP/HTTP backend, e.g. https://otlp.example.com (the exporter appends /v1/<signal>). */
    readonly endpoint: string;
    /** Request headers, e.g. an API key. Values stay secret: they are passed as environment variables. */
    readonly headers?: Record<string, pulumi.Input<string>>;
}

/**
 * Settings every preset exporter carries. Lambda freezes the process after the
 * response, so nothing may be queued, and a retry must end inside the function's
 * 30-second default timeout.
 */
const LAMBDA_SAFE_EXPORTER = {
    timeout: "5s",
    sending_queue: { enabled: false },
    retry_on_failure: { enabled: true, max_elapsed_time: "15s" },
} as const;

/** The default config: telemetry is printed to the function's CloudWatch logs. */
export function debugBackend(): BackendConfig {
    return { collectorConfig: defaultCollectorConfig(), environment: {} };
}

export function honeycombBackend(args: HoneycombBackendArgs): BackendConfig {
    const endpoint = httpsUrl("honeycombEndpoint", args.endpoint ?? "https://api.honeycomb.io");
    const dataset = args.metricsDataset ?? "otel-metrics";
    if (!/^[^\s"'\\]{1,128}$/.test(dataset)) {
        throw new pulumi.RunError(`honeycombMetricsDataset: "${dataset}" is not a usable dataset name; use up to 128 characters without spaces or quotes`);
    }
    const team = { "x-honeycomb-team": "${env:HONEYCOMB_API_KEY}" };
    return {
        collectorConfig: withExporters({
            "otlphttp/honeycomb": { endpoint, headers: team, ...LAMBDA_SAFE_EXPORTER },
            "otlphttp/honeycomb-metrics": { endpoint, headers: { ...team, "x-honeycomb-dataset": dataset }, ...LAMBDA_SAFE_EXPORTER },
        }, { traces: "otlphttp/honeycomb", metrics: "otlphttp/honeycomb-metrics", logs: "otlphttp/honeycomb" }),
        environment: { HONEYCOMB_API_KEY: pulumi.secret(args.apiKey) },
    };
}

export function otlpHttpBackend(args: OtlpHttpBackendArgs): BackendConfig {
    const endpoint = httpUrl("otlpEndpoint", args.endpoint);
    const headers: Record<string, string> = {};
    const environment: Record<string, pulumi.Input<string>> = {};
    for (const [name, value] of Object.entries(args.headers ?? {})) {
        if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
            throw new pulumi.RunError(`otlpHeaders.${name}: is not a valid HTTP header name; use letters, digits and hyphens`);
        }
        const variable = `OTLP_HEADER_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
        if (variable in environment) {
            throw new pulumi.RunError(`otlpHeaders.${name}: maps to ${variable}, like another header; remove one of them`);
        }
        headers[name] = `\${env:${variable}}`;
        environment[variable] = pulumi.secret(value);
    }
    const exporter = { endpoint, ...(Object.keys(headers).length > 0 ? { headers } : {}), ...LAMBDA_SAFE_EXPORTER };
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

function httpsUrl(field: string, value: string): string {
    const url = httpUrl(field, value);
    if (!url.startsWith("https://")) {
        throw new pulumi.RunError(`${field}: "${value}" must use https; the API key would otherwise cross the network in clear text`);
    }
    return url;
}

function httpUrl(field: string, value: string): string {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        throw new pulumi.RunError(`${field}: "${value}" is not a URL; use the backend's base URL, e.g. https://otlp.example.com`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw new pulumi.RunError(`${field}: "${value}" must be an http(s) URL; OTLP/HTTP is the only protocol this exporter speaks`);
    }
    return value.replace(/\/+$/, "");
}
