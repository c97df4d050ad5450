// Rules that decide whether a collector config can start and serve traffic inside
// the Lambda image at all. Each one prevents a failure the field report found only
// after deploying: a 500 with no detail, an adapter that never becomes ready, or a
// public endpoint anyone can write to.
import {
    COMPONENT_SECTIONS,
    componentType,
    findingAt,
    idList,
    isRecord,
    usedIds,
    type CollectorConfig,
    type ComponentSection,
    type Finding,
} from "./config-model";
import type { DeploymentContext } from "./deployment-context";
import { DEFAULT_OTLP_HTTP_PORT } from "./lambda-facts";

const SIGNALS = new Set(["traces", "metrics", "logs", "profiles"]);

/** Sections are mappings, pipelines are well-formed lists of ids. */
export function checkShape(config: CollectorConfig): Finding[] {
    const findings: Finding[] = [];
    const at = (path: string[], message: string, hint?: string): void => {
        findings.push(findingAt(config, "config-shape", path, message, hint));
    };
    for (const key of Object.keys(config.root)) {
        if (!(COMPONENT_SECTIONS as readonly string[]).includes(key) && key !== "service") {
            // The collector decodes its config strictly and refuses unknown keys at start.
            at([key], "is not a collector config section, so the collector refuses to start", `use only ${[...COMPONENT_SECTIONS, "service"].join(", ")} (define shared anchors inside one of them)`);
        }
    }
    for (const name of COMPONENT_SECTIONS) {
        const value = config.root[name];
        if (value !== undefined && value !== null && !isRecord(value)) {
            at([name], `must be a mapping of component id to settings, not ${describe(value)}`);
            continue;
        }
        for (const [id, settings] of Object.entries(isRecord(value) ? value : {})) {
            // The collector decodes settings into the component's struct: a mapping or nothing.
            if (settings !== null && !isRecord(settings)) {
                at([name, id], `settings must be a mapping (or empty), not ${describe(settings)}, so the collector refuses to start`,
                    typeof settings === "string" && settings.includes("${") ? "an escaped $${...} is not expanded; write ${env:NAME} to take the settings from a variable" : "write the settings as key: value lines under the id");
            }
            const slash = id.indexOf("/");
            if (slash !== -1 && slash === id.length - 1) {
                at([name, id], `id "${id}" has an empty name after "/", which the collector refuses`, `write ${id.slice(0, -1)} or ${id}name`);
            }
        }
    }
    for (const [id, settings] of Object.entries(config.components.receivers)) {
        if (componentType(id) !== "otlp" || (settings !== null && !isRecord(settings))) continue;
        // otlpreceiver's Validate (config.go @v0.159.0 l.72-76): no protocol, or each
        // one turned off with enabled: false, and the collector refuses to start.
        const protocols = isRecord(settings) ? settings.protocols : undefined;
        const on = isRecord(protocols) ? ["grpc", "http"].filter((p) => p in protocols && !(isRecord(protocols[p]) && (protocols[p] as Record<string, unknown>).enabled === false)) : [];
        if (on.length === 0) {
            at(isRecord(settings) && "protocols" in settings ? ["receivers", id, "protocols"] : ["receivers", id],
                "has no protocol turned on, so the collector refuses to start (\"must specify at least one protocol when using the OTLP receiver\")",
                "add protocols: {http: {endpoint: 127.0.0.1:4318}}");
        }
    }
    const service = config.root.service;
    if (!isRecord(service)) {
        if (service === undefined) {
            at(["service"], "is missing", "add service.pipelines naming receivers and exporters");
        } else {
            at(["service"], `must be a mapping, not ${describe(service)}`);
        }
        return findings;
    }
    // `extensions:` with no value is an empty list to the collector.
    if (service.extensions !== undefined && service.extensions !== null && !isStringList(service.extensions)) {
        at(["service", "extensions"], `must be a list of extension ids, not ${describe(service.extensions)}`);
    }
    const declared = service.pipelines;
    if (!isRecord(declared) || Object.keys(declared).length === 0) {
        if (declared === undefined || declared === null) {
            at(["service", "pipelines"], "is missing", "add at least one pipeline such as traces: {receivers: [otlp], exporters: [...]}");
        } else {
            at(["service", "pipelines"], `must be a non-empty mapping of pipeline id to pipeline, not ${describe(declared)}`);
        }
        return findings;
    }
    for (const [id, pipeline] of Object.entries(declared)) {
        const path = ["service", "pipelines", id];
        if (!SIGNALS.has(componentType(id))) {
            at(path, `pipeline type "${componentType(id)}" is not one of traces, metrics, logs, profiles`);
        }
        if (!isRecord(pipeline)) {
            at(path, `must be a mapping with receivers and exporters, not ${describe(pipeline)}`);
            continue;
        }
        for (const key of ["receivers", "processors", "exporters"] as const) {
            const list = pipeline[key];
            if (list === undefined || list === null) {
                if (key !== "processors") {
                    at([...path, key], "is missing", `a pipeline needs at least one of its ${key}`);
                }
            } else if (!isStringList(list)) {
                at([...path, key], `must be a list of component ids, not ${describe(list)}`);
            } else if (list.length === 0 && key !== "processors") {
                at([...path, key], "is empty", `a pipeline needs at least one of its ${key}`);
            }
        }
    }
    return findings;
}

/** Every id a pipeline or authenticator names is defined (and, for extensions, enabled). */
export function checkReferences(config: CollectorConfig): Finding[] {
    const findings: Finding[] = [];
    const defined = (name: ComponentSection): Set<string> => new Set(Object.keys(config.components[name]));
    const receivers = defined("receivers");
    const processors = defined("processors");
    const exporters = defined("exporters");
    const extensions = defined("extensions");
    const connectors = defined("connectors");
    const missing = (path: string[], kind: string, id: string, where: string): void => {
        findings.push(findingAt(config, "undefined-component", path, `${kind} "${id}" is not defined`, `add it under ${where} or remove it from this list`));
    };
    for (const [id, pipeline] of Object.entries(config.pipelines)) {
        const base = ["service", "pipelines", id];
        for (const r of pipeline.receivers) {
            if (!receivers.has(r) && !connectors.has(r)) missing([...base, "receivers"], "receiver", r, "receivers (or connectors)");
        }
        for (const p of pipeline.processors) {
            if (!processors.has(p)) missing([...base, "processors"], "processor", p, "processors");
        }
        for (const e of pipeline.exporters) {
            if (!exporters.has(e) && !connectors.has(e)) missing([...base, "exporters"], "exporter", e, "exporters (or connectors)");
        }
    }
    const service = config.root.service;
    const enabled = new Set(isRecord(service) ? idList(service.extensions) : []);
    for (const ext of enabled) {
        if (!extensions.has(ext)) missing(["service", "extensions"], "extension", ext, "extensions");
    }
    for (const name of ["receivers", "exporters"] as const) {
        for (const [id, settings] of Object.entries(config.components[name])) {
            for (const { path, authenticator } of authenticators(settings, [name, id])) {
                if (!extensions.has(authenticator)) {
                    missing(path, "authenticator extension", authenticator, "extensions");
                } else if (!enabled.has(authenticator)) {
                    findings.push(findingAt(config, "undefined-component", path,
                        `authenticator "${authenticator}" is defined but not enabled, so the collector fails to start`, "add it to service.extensions"));
                }
            }
        }
    }
    return findings;
}

/** Every `${env:NAME}` without a default names a variable the function defines. */
export function checkEnvironmentReferences(config: CollectorConfig, context: DeploymentContext): Finding[] {
    const keys = context.environmentKeys;
    if (!keys) {
        return [];
    }
    const findings: Finding[] = [];
    // The text as written: resolution has already replaced the references.
    for (const { path, value } of stringLeaves(config.raw, [])) {
        for (const name of envReferences(value)) {
            if (!keys.has(name)) {
                findings.push(findingAt(config, "undefined-env-var", path,
                    `references \${env:${name}}, which the function environment does not define; the collector only logs a warning and uses an empty string, which usually fails its config validation (a 500 on every request, with no detail) or sends an empty credential`,
                    `set it in the component's environment (a secret belongs in a secret config value), or write \${env:${name}:-} if empty is intended`));
            }
        }
    }
    return findings;
}

/**
 * The adapter's port is served by an OTLP/HTTP receiver that a pipeline uses, on an
 * endpoint the adapter reaches: it connects to 127.0.0.1:AWS_LWA_PORT. The endpoint
 * goes unchanged to Go's net.Listen("tcp", endpoint) (confignet.go @v0.151.0
 * l.112-119); the default is localhost:4318 (otlpreceiver/factory.go l.42-55).
 */
export function checkAdapterPort(config: CollectorConfig, context: DeploymentContext): Finding[] {
    const port = context.adapterPort;
    if (port === undefined) {
        return [];
    }
    const http = usedOtlpHttpReceivers(config);
    if (http.length === 0) {
        return [findingAt(config, "adapter-port", ["receivers"],
            "no pipeline uses an OTLP receiver with an http protocol, so the Lambda Web Adapter never sees the collector ready",
            `add receivers.otlp.protocols.http.endpoint: 127.0.0.1:${port} and use it in a pipeline`)];
    }
    const problems = http.map((r) => ({ receiver: r, problem: endpointProblem(r.endpoint, port) }));
    if (problems.some((p) => p.problem === undefined)) {
        return [];
    }
    return problems.map(({ receiver, problem }) => findingAt(config, "adapter-port",
        receiver.endpoint === undefined || receiver.endpoint === null ? receiver.path : [...receiver.path, "endpoint"],
        (problem as { message: string }).message, (problem as { hint: string }).hint));
}

/** Hosts on which a listener is reachable at 127.0.0.1: the loopback address, localhost (resolved to 127.0.0.1 first), and every interface. */
const REACHABLE_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "0.0.0.0", "", "::"]);

/**
 * Why the adapter on 127.0.0.1:`port` cannot reach a receiver listening on
 * `endpoint`, or undefined when it can. Follows Go's net.SplitHostPort: IPv6 needs
 * brackets, a URL has "too many colons", no colon is "missing port".
 */
export function endpointProblem(endpoint: unknown, port: number): { message: string; hint: string } | undefined {
    const fix = `set endpoint: 127.0.0.1:${port} (or 0.0.0.0:${port})`;
    const never = "so the Lambda Web Adapter never sees the collector ready";
    if (endpoint === undefined || endpoint === null) {
        return port === DEFAULT_OTLP_HTTP_PORT ? undefined : {
            message: `listens on the default localhost:${DEFAULT_OTLP_HTTP_PORT}, but the Lambda Web Adapter forwards requests to AWS_LWA_PORT ${port}, ${never}`,
            hint: fix,
        };
    }
    if (typeof endpoint !== "string") {
        return { message: `is ${JSON.stringify(endpoint)}, not a "host:port" string; the collector refuses it (expected type 'string')`, hint: fix };
    }
    let host: string;
    let portText: string;
    if (endpoint.startsWith("[")) {
        const close = endpoint.indexOf("]");
        if (close === -1 || endpoint[close + 1] !== ":") {
            return { message: `"${endpoint}" is not host:port (missing port or "]"), so the collector cannot listen`, hint: fix };
        }
        host = endpoint.slice(1, close);
        portText = endpoint.slice(close + 2);
    } else {
        const colon = endpoint.lastIndexOf(":");
        if (colon === -1) {
            return { message: `"${endpoint}" has no port (Go: "missing port in address"), so the collector fails to start`, hint: fix };
        }
        host = endpoint.slice(0, colon);
        portText = endpoint.slice(colon + 1);
        if (host.includes(":")) {
            return { message: `"${endpoint}" is not host:port (Go: "too many colons in address"; a URL scheme does not belong here), so the collector fails to start`, hint: fix };
        }
    }
    if (!/^\d+$/.test(portText) || Number(portText) !== port) {
        return {
            message: /^\d+$/.test(portText)
                ? `listens on port ${Number(portText)}, but the Lambda Web Adapter forwards requests to AWS_LWA_PORT ${port}, so it never sees the collector ready`
                : `"${endpoint}" has port "${portText}", not the number ${port} the Lambda Web Adapter forwards to (AWS_LWA_PORT), ${never}`,
            hint: `set the port to ${port}`,
        };
    }
    if (!REACHABLE_HOSTS.has(host)) {
        return {
            message: `listens on ${host} only, but the Lambda Web Adapter connects to 127.0.0.1, ${never}`,
            hint: fix,
        };
    }
    return undefined;
}

/** Used OTLP/HTTP receivers have an authenticator, when the context requires one. */
export function checkReceiverAuth(config: CollectorConfig, context: DeploymentContext): Finding[] {
    if (!context.requireReceiverAuth) {
        return [];
    }
    return usedOtlpHttpReceivers(config)
        .filter((r) => !r.authenticated)
        .map((r) => findingAt(config, "unauthenticated-receiver", r.path,
            "has no auth.authenticator, and the Function URL is public, so anyone who learns the URL can send telemetry to your backend",
            "add auth: {authenticator: bearertokenauth/...} or opt in explicitly with allowUnauthenticated"));
}

interface HttpReceiver {
    readonly path: string[];
    /** The endpoint as configured (undefined or null: the default localhost:4318). */
    readonly endpoint: unknown;
    /** The port of a literal host:port endpoint, the default's when unset; undefined otherwise. */
    readonly port: number | undefined;
    readonly authenticated: boolean;
}

/** OTLP receivers with an enabled http protocol that at least one pipeline uses. */
export function usedOtlpHttpReceivers(config: CollectorConfig): HttpReceiver[] {
    const used = usedIds(config, "receivers");
    const result: HttpReceiver[] = [];
    for (const [id, settings] of Object.entries(config.components.receivers)) {
        if (componentType(id) !== "otlp" || !used.has(id) || !isRecord(settings) || !isRecord(settings.protocols)) {
            continue;
        }
        if (!("http" in settings.protocols)) {
            continue;
        }
        const http = settings.protocols.http;
        if (isRecord(http) && http.enabled === false) {
            // configoptional's enabled field (gate on since v0.138) turns the protocol off.
            continue;
        }
        const endpoint = isRecord(http) ? http.endpoint : undefined;
        const auth = isRecord(http) ? http.auth : undefined;
        result.push({
            path: ["receivers", id, "protocols", "http"],
            endpoint,
            port: endpointPort(endpoint),
            authenticated: isRecord(auth) && typeof auth.authenticator === "string" && auth.authenticator !== "",
        });
    }
    return result;
}

/** The port of a `host:port` endpoint; the OTLP default when unset; undefined when not literal. */
function endpointPort(endpoint: unknown): number | undefined {
    if (endpoint === undefined || endpoint === null) {
        return DEFAULT_OTLP_HTTP_PORT;
    }
    if (typeof endpoint !== "string") {
        return undefined;
    }
    const match = /:(\d+)$/.exec(endpoint);
    return match ? Number(match[1]) : undefined;
}

function authenticators(value: unknown, path: string[]): { path: string[]; authenticator: string }[] {
    if (!isRecord(value)) {
        return [];
    }
    const found: { path: string[]; authenticator: string }[] = [];
    for (const [key, child] of Object.entries(value)) {
        if (key === "auth" && isRecord(child) && typeof child.authenticator === "string") {
            found.push({ path: [...path, "auth", "authenticator"], authenticator: child.authenticator });
        } else {
            found.push(...authenticators(child, [...path, key]));
        }
    }
    return found;
}

/**
 * Environment variables a string needs without a fallback: `${env:NAME}` and the
 * legacy `${NAME}`, but not `${env:NAME:-default}` or the escaped `$${env:NAME}`.
 * A default may itself hold references (`${env:A:-${env:B}}`), which count.
 */
export function envReferences(value: string): string[] {
    const names: string[] = [];
    let i = 0;
    while (i < value.length) {
        const start = value.indexOf("${", i);
        if (start === -1) {
            break;
        }
        let dollars = 0;
        while (start - dollars - 1 >= 0 && value[start - dollars - 1] === "$") dollars++;
        const end = closingBrace(value, start + 2);
        if (end === -1) {
            break;
        }
        if (dollars % 2 === 0) {
            const inner = value.slice(start + 2, end);
            const match = /^(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(:-([\s\S]*))?$/.exec(inner);
            if (match && match[2] === undefined) {
                names.push(match[1]);
            } else if (match?.[3] !== undefined) {
                names.push(...envReferences(match[3]));
            } else if (!match) {
                // Another provider's reference, such as ${secretsmanager:${env:ARN}#key}:
                // confmap expands the inner ${env:...} first, so it must be defined. The
                // outer value is a credential fetched at start, not structure to check.
                names.push(...envReferences(inner));
            }
        }
        i = end + 1;
    }
    return names;
}

/** Index of the `}` closing a `${` whose body starts at `from`, allowing nesting; -1 if none. */
function closingBrace(value: string, from: number): number {
    let depth = 1;
    for (let i = from; i < value.length; i++) {
        if (value.startsWith("${", i)) {
            depth++;
            i++;
        } else if (value[i] === "}" && --depth === 0) {
            return i;
        }
    }
    return -1;
}

function* stringLeaves(value: unknown, path: string[]): Generator<{ path: string[]; value: string }> {
    if (typeof value === "string") {
        yield { path, value };
    } else if (Array.isArray(value)) {
        for (const [i, item] of value.entries()) yield* stringLeaves(item, [...path, String(i)]);
    } else if (isRecord(value)) {
        for (const [key, item] of Object.entries(value)) yield* stringLeaves(item, [...path, key]);
    }
}

function isStringList(value: unknown): value is string[] {
    return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function describe(value: unknown): string {
    if (Array.isArray(value)) return "a list";
    if (value === null) return "empty";
    return `a ${typeof value} (${JSON.stringify(value)})`;
}
