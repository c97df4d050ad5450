// Config resolution as the collector's confmap does it at core v0.151.0, so that the
// rules judge the configuration the collector will run, not the text the user wrote.
// Pure: no I/O; values the caller does not know (and every remote provider) come out
// as "unknown", and the caller decides whether that matters.
//
// Sources (quoted in docs and in /work notes "confmap.md"; line numbers at the tag):
// - open-telemetry/opentelemetry-collector @v0.151.0 confmap/expand.go l.19-225
//   (findURI: innermost `${` before the first `}`; odd `$` run escapes; whole-value
//   references keep the provider's type, embedded ones splice its string form;
//   at most 1000 passes; a `$` inside a URI is an error; scheme regex
//   `[A-Za-z][A-Za-z0-9+.-]+`, no scheme means `env:`).
// - confmap/resolver.go l.166-208 (documents merged raw, then every leaf expanded,
//   then `$$` → `$` in values only; keys are never expanded) and l.270-275 (unknown
//   scheme: `scheme "X" is not supported`).
// - confmap/provider/envprovider/provider.go l.40-81 (`NAME[:-default]`, split at the
//   first `:-`; name `^[a-zA-Z_][a-zA-Z0-9_]*$`; unset without default = empty; set
//   but empty = empty, the default is NOT used) and confmap/provider.go l.159-178
//   (NewRetrievedFromYAML: YAML-parse, a string keeps its verbatim text, invalid YAML
//   is the verbatim string).
// - contrib confmap/provider/secretsmanagerprovider/provider.go (@9ff8b21; returns a
//   string, never YAML-parsed; `:-default` only for an empty selector), aesprovider
//   (string), s3provider (a map only; cannot be embedded).
// - CHANGELOG @v0.151.0 l.1530/l.1448: bare `$NAME` is not expanded since v0.107.
import { isScalar, parseDocument } from "yaml";
import { isRecord } from "./config-model";
import { PROVIDER_SCHEMES } from "./catalogue";

/**
 * The environment a config resolves in. `undefined`: nothing is known (every
 * variable's value is unknown). A record: a key that is absent is unset; a key whose
 * value is `undefined` is set to a value not known here (a secret or an Output).
 */
export type ResolveEnvironment = Readonly<Record<string, string | undefined>> | undefined;

export interface ResolveOptions {
    /** True when the environment lists only some variables: an absent one is unknown, not unset. */
    readonly partial?: boolean;
}

/** Why a value could not be resolved offline. */
export type UnknownCause = "unknown-value" | "remote";

/** A value the resolver cannot know: an unknown variable, or a provider read at start-up. */
export class UnknownValue {
    constructor(
        /** The reference as written, e.g. `${env:DBG}` or `${s3://b.s3.r.amazonaws.com/k}`. */
        readonly reference: string,
        readonly cause: UnknownCause,
    ) {}
}

/** A problem resolution found, at the path of the value holding the reference. */
export interface ResolutionProblem {
    readonly rule: "config-reference" | "bare-env-reference" | "config-not-checkable" | "config-value-unknown" | "provider-access";
    readonly path: readonly string[];
    readonly message: string;
    readonly hint?: string;
    /** The unknown reference, for config-not-checkable and config-value-unknown. */
    readonly reference?: string;
}

export interface Resolution {
    readonly root: Record<string, unknown>;
    readonly problems: readonly ResolutionProblem[];
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]+):([\s\S]*)$/;
const ENV_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MAX_PASSES = 1000;
/** No real value gets near this; a self-referencing one reaches it in about 20 passes. */
const MAX_EXPANDED_LENGTH = 1024 * 1024;

/** Keys inside an exporter's settings that some rule reads; an unknown value there makes the component not checkable. */
const RULE_READ_KEYS: ReadonlySet<string> = new Set([
    "sending_queue", "enabled", "batch", "storage", "batcher", "remote_write_queue", "protocol", "otlp",
    "retry_on_failure", "max_elapsed_time",
]);
const COMPONENT_SECTIONS: ReadonlySet<string> = new Set(["receivers", "processors", "exporters", "extensions", "connectors"]);

/**
 * Resolves every `${...}` reference in `root` (a parsed config) in `environment`,
 * returning the resolved tree and the problems: invalid references (the collector
 * refuses to start), bare `$NAME` (never expanded), and values whose structure cannot
 * be known offline (the component holding them is not checkable).
 */
export function resolveConfig(root: Readonly<Record<string, unknown>>, environment: ResolveEnvironment, options: ResolveOptions = {}): Resolution {
    const problems: ResolutionProblem[] = [];
    const resolved = resolveMap(root, [], { environment, partial: options.partial === true }, problems);
    return { root: resolved, problems };
}

interface Known {
    readonly environment: ResolveEnvironment;
    readonly partial: boolean;
}

function resolveMap(map: Readonly<Record<string, unknown>>, path: string[], known: Known, problems: ResolutionProblem[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(map)) {
        const here = [...path, key];
        // koanf flattens maps to leaves; a non-empty map is recursed, anything else
        // (scalars, lists, empty maps) is one leaf, expanded as a whole.
        out[key] = isRecord(value) && Object.keys(value).length > 0
            ? resolveMap(value, here, known, problems)
            : resolveLeaf(value, here, known, problems);
    }
    return out;
}

interface Expansion extends Known {
    /** What a provider needs at start-up that the config cannot show (IAM permissions, a key variable). */
    readonly needs: Map<string, { message: string; hint: string }>;
}

function resolveLeaf(value: unknown, path: string[], known: Known, problems: ResolutionProblem[]): unknown {
    const ctx: Expansion = { ...known, needs: new Map() };
    const report = (): void => {
        for (const need of ctx.needs.values()) problems.push({ rule: "provider-access", path, ...need });
    };
    for (const bare of bareReferences(value, path)) {
        problems.push({
            rule: "bare-env-reference",
            path: bare.path,
            message: `"$${bare.name}" is sent as the literal text "$${bare.name}": the collector has not expanded bare $NAME since v0.107`,
            hint: `write \${env:${bare.name}} to use the variable, or $$${bare.name} for a literal dollar sign`,
        });
    }
    let current = value;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
        const step = expandValue(current, ctx);
        if (step.error) {
            problems.push({ rule: "config-reference", path, message: step.error.message, hint: step.error.hint });
            return value;
        }
        if (!step.changed) {
            report();
            return settle(unescape(current), value, path, problems);
        }
        current = step.value;
        if (typeof current === "object" && current !== null && tooLarge(current)) {
            problems.push({ rule: "config-reference", path, message: "a variable's value refers back to itself and grows without bound, so the collector never finishes resolving its config", hint: "remove the reference cycle" });
            return value;
        }
    }
    problems.push({
        rule: "config-reference",
        path,
        message: "too many recursive expansions: a variable's value refers back to itself, so the collector refuses to start",
        hint: "remove the reference cycle",
    });
    return value;
}

/**
 * Reports every unknown inside a resolved leaf and replaces it with the text as
 * written. An unknown is harmless where it is a scalar no rule reads (a credential,
 * a header); where it gives a component its structure or a value a rule reads, the
 * component is not checkable.
 */
function settle(resolved: unknown, written: unknown, path: string[], problems: ResolutionProblem[]): unknown {
    const seen = new Set<string>();
    const visit = (value: unknown, at: string[]): unknown => {
        if (value instanceof UnknownValue) {
            if (isStructural(at) && !seen.has(value.reference)) {
                seen.add(value.reference);
                problems.push(notCheckable(value, at));
            }
            return typeof written === "string" && at.length === path.length ? written : value.reference;
        }
        if (Array.isArray(value)) {
            return value.map((item, i) => visit(item, [...at, String(i)]));
        }
        if (isRecord(value)) {
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v, [...at, k])]));
        }
        return value;
    };
    return visit(resolved, path);
}

function notCheckable(value: UnknownValue, at: string[]): ResolutionProblem {
    const where = componentOf(at);
    if (value.cause === "remote") {
        return {
            rule: "config-not-checkable",
            path: at,
            reference: value.reference,
            message: `${where} takes its value from ${value.reference}, which the collector reads only when it starts, so it cannot be checked offline`,
            hint: "write these settings into the config itself (a credential alone may stay in a provider)",
        };
    }
    return {
        rule: "config-value-unknown",
        path: at,
        reference: value.reference,
        message: `${where} takes its value from ${value.reference}, whose value is not known here, so it cannot be checked`,
        hint: "make the value known: --env NAME=VALUE or --env-vars-file for the lint, a plain string rather than an Output in the component's environment",
    };
}

function componentOf(path: readonly string[]): string {
    if (COMPONENT_SECTIONS.has(path[0]) && path.length >= 2) {
        return `${path[0].replace(/s$/, "")} "${path[1]}"`;
    }
    return path.slice(0, 3).join(".") || "the config";
}

/** True when a value at `path` decides structure or a setting some rule reads. */
export function isStructural(path: readonly string[]): boolean {
    const [section] = path;
    if (section === "service") {
        return path.length <= 1 || path[1] === "pipelines" || path[1] === "extensions";
    }
    if (!COMPONENT_SECTIONS.has(section)) {
        return path.length <= 1;
    }
    if (path.length <= 2) {
        return true;
    }
    if (section === "extensions" || section === "processors" || section === "connectors") {
        return false;
    }
    if (section === "receivers") {
        // The rules read which protocols an OTLP receiver has, and its http endpoint,
        // auth and enabled flag; a gRPC endpoint or a scraper setting they never read.
        return path[2] === "protocols" && (path.length <= 4 || (path[3] === "http" && ["endpoint", "auth", "enabled"].includes(path[4])));
    }
    return path.slice(2).some((key) => RULE_READ_KEYS.has(key));
}

interface Step {
    readonly value: unknown;
    readonly changed: boolean;
    readonly error?: { message: string; hint?: string };
}

/** One expansion pass over a value (confmap/expand.go expandValue). */
function expandValue(value: unknown, ctx: Expansion): Step {
    if (typeof value === "string") {
        return expandString(value, ctx);
    }
    if (Array.isArray(value)) {
        let changed = false;
        const out: unknown[] = [];
        for (const item of value) {
            const step = expandValue(item, ctx);
            if (step.error) return step;
            changed ||= step.changed;
            out.push(step.value);
        }
        return { value: out, changed };
    }
    if (isRecord(value) && !(value instanceof UnknownValue)) {
        let changed = false;
        const out: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value)) {
            const step = expandValue(item, ctx);
            if (step.error) return step;
            changed ||= step.changed;
            out[key] = step.value;
        }
        return { value: out, changed };
    }
    return { value, changed: false };
}

function expandString(input: string, ctx: Expansion): Step {
    if (!input.includes("${") || !input.includes("}")) {
        return { value: input, changed: false };
    }
    const uri = findURI(input);
    if (uri === "") {
        return { value: input, changed: false };
    }
    const retrieved = retrieve(uri, ctx);
    if ("error" in retrieved) {
        return { value: input, changed: false, error: retrieved.error };
    }
    if (uri === input) {
        return { value: retrieved.value, changed: true };
    }
    if (retrieved.value instanceof UnknownValue && retrieved.text !== undefined) {
        // Part of the string is unknown, so all of it is.
        return { value: retrieved.value, changed: true };
    }
    if (retrieved.text === undefined) {
        return {
            value: input, changed: false,
            error: { message: `${uri} returns a value without a string form (a map), which cannot be embedded in a string, so the collector refuses to start`, hint: `make ${uri} the whole value` },
        };
    }
    const spliced = input.split(uri).join(retrieved.text);
    if (spliced.length > MAX_EXPANDED_LENGTH) {
        // A value that refers to itself more than once doubles on every pass.
        return { value: input, changed: false, error: { message: `${uri} expands without bound (over ${MAX_EXPANDED_LENGTH} characters), so the collector never finishes resolving its config`, hint: "remove the reference cycle" } };
    }
    return { value: spliced, changed: true };
}

/** confmap/expand.go findURI: the innermost unescaped `${...}`, or "" when none. */
export function findURI(input: string): string {
    const closeIndex = input.indexOf("}");
    if (closeIndex === -1) {
        return "";
    }
    const remaining = input.slice(closeIndex + 1);
    const openIndex = input.slice(0, closeIndex + 1).lastIndexOf("${");
    if (openIndex < 0) {
        return remaining.includes("}") ? findURI(remaining) : "";
    }
    let count = 0;
    for (let i = openIndex - 1; i >= 0 && input[i] === "$"; i--) count++;
    return count % 2 === 1 ? "" : input.slice(openIndex, closeIndex + 1);
}

type Retrieved = { value: unknown; text?: string } | { error: { message: string; hint?: string } };

function retrieve(reference: string, ctx: Expansion): Retrieved {
    const environment = ctx.environment;
    const inner = reference.slice(2, -1);
    const uri = inner.includes(":") ? inner : `env:${inner}`;
    const match = SCHEME.exec(uri);
    const refuses = "so the collector refuses to start";
    if (!match) {
        const legacyDefault = /^([A-Za-z_][A-Za-z0-9_]*):-/.exec(inner);
        return {
            error: {
                message: `${reference} is not a valid reference (invalid uri "${uri}"), ${refuses}`,
                hint: legacyDefault ? `write \${env:${legacyDefault[1]}:-...}: a default needs the env: scheme` : "write ${env:NAME} or ${scheme:value} with a scheme of at least two characters",
            },
        };
    }
    const [, scheme, opaque] = match;
    if (opaque.includes("$")) {
        return { error: { message: `${reference}: the uri "${uri}" contains unsupported characters ('$'), ${refuses}`, hint: "remove the $ from the reference (nested references are expanded first; their values must not contain $)" } };
    }
    if (!PROVIDER_SCHEMES.has(scheme)) {
        const lower = scheme.toLowerCase();
        const hint = PROVIDER_SCHEMES.has(lower)
            ? `schemes are case-sensitive: write \${${lower}:${opaque}}`
            : /^[A-Za-z_][A-Za-z0-9_]*$/.test(scheme) && opaque.startsWith("-")
                ? `write \${env:${scheme}:${opaque}}: a default needs the env: scheme`
                : `use one of the distribution's providers: ${[...PROVIDER_SCHEMES].join(", ")}`;
        return { error: { message: `${reference}: scheme "${scheme}" is not supported by otelcol-contrib, ${refuses}`, hint } };
    }
    switch (scheme) {
        case "env":
            return retrieveEnv(reference, opaque, environment, ctx.partial);
        case "yaml":
            return fromYaml(opaque);
        case "secretsmanager": {
            const cut = opaque.indexOf(":-");
            const selector = cut === -1 ? opaque : opaque.slice(0, cut);
            if (selector === "" && cut !== -1) {
                return { value: opaque.slice(cut + 2), text: opaque.slice(cut + 2) };
            }
            if (selector === "" || selector.startsWith("#")) {
                return { error: { message: `${reference} names no secret (an empty secret id, e.g. from an unset variable), so Secrets Manager refuses the call and the collector does not start`, hint: "set the variable that names the secret, or give a default with :-" } };
            }
            ctx.needs.set(reference, {
                message: `${reference} is read from Secrets Manager when the collector starts, with the function's role (the LambdaCollector role has only basic execution permissions); without access the collector does not start`,
                hint: `allow secretsmanager:GetSecretValue on ${selector.split("#")[0]} for the function's role (the component exposes it as role)`,
            });
            return { value: new UnknownValue(reference, "remote"), text: "" };
        }
        case "s3":
            ctx.needs.set(reference, {
                message: `${reference} is read from S3 when the collector starts, with the function's role; without s3:GetObject the collector does not start`,
                hint: "allow s3:GetObject on that object for the function's role (the component exposes it as role)",
            });
            return { value: new UnknownValue(reference, "remote") };
        case "aes":
            ctx.needs.set(reference, {
                message: `${reference} is decrypted with the key in OTEL_AES_CREDENTIAL_PROVIDER when the collector starts; without it the collector does not start`,
                hint: "set OTEL_AES_CREDENTIAL_PROVIDER (base64 AES key) in the function's environment",
            });
            return { value: new UnknownValue(reference, "remote"), text: "" };
        case "file":
            // The function image holds the collector, the adapter and the CA roots
            // (collector/Dockerfile), nothing else: no file of the user's is there.
            ctx.needs.set(reference, {
                message: `${reference} is read from the function image's file system when the collector starts, and the image holds only the collector, the adapter and the CA roots; unless that file is one of them the collector does not start`,
                hint: "carry the value in the config or the function environment (${env:NAME}, collectorEnvironment) instead of a file",
            });
            return { value: new UnknownValue(reference, "remote"), text: "" };
        case "http":
        case "https":
            ctx.needs.set(reference, {
                message: `${reference} is fetched over the network at every cold start: the collector does not start while that server is down or slow, and each cold start waits for it${scheme === "http" ? "; over http the response, and anything secret in it, crosses the network in clear" : ""}`,
                hint: "carry the value in the config or the function environment instead, or keep it in Secrets Manager (${secretsmanager:...}), which the component can grant",
            });
            return { value: new UnknownValue(reference, "remote"), text: "" };
        default:
            // googlesecretmanager: read at start-up with Google credentials, which a
            // Lambda function does not have unless the user provides them.
            ctx.needs.set(reference, {
                message: `${reference} is read from the ${scheme} provider when the collector starts; a Lambda function has no credentials for it unless you provide them, and without them the collector does not start`,
                hint: "keep the value in AWS Secrets Manager (${secretsmanager:...}) or the function environment instead",
            });
            return { value: new UnknownValue(reference, "remote"), text: "" };
    }
}

function retrieveEnv(reference: string, opaque: string, environment: ResolveEnvironment, partial: boolean): Retrieved {
    const cut = opaque.indexOf(":-");
    const name = cut === -1 ? opaque : opaque.slice(0, cut);
    const fallback = cut === -1 ? undefined : opaque.slice(cut + 2);
    if (!ENV_NAME.test(name)) {
        return {
            error: {
                message: `${reference}: environment variable "${name}" has invalid name: must match regex ^[a-zA-Z_][a-zA-Z0-9_]*$, so the collector refuses to start`,
                hint: name === "" ? "name the variable: ${env:NAME}" : "use letters, digits and underscores, not starting with a digit",
            },
        };
    }
    const listed = environment !== undefined && Object.prototype.hasOwnProperty.call(environment, name);
    if (environment === undefined || (listed && environment[name] === undefined) || (!listed && partial)) {
        return { value: new UnknownValue(reference, "unknown-value"), text: "" };
    }
    const set = Object.prototype.hasOwnProperty.call(environment, name);
    // Set but empty stays empty: the env provider uses the default only when unset.
    const text = set ? environment[name] as string : fallback ?? "";
    return fromYaml(text);
}

/** confmap.NewRetrievedFromYAML: the parsed value, or the verbatim text for strings and invalid YAML. */
export function fromYaml(text: string): { value: unknown; text: string } {
    try {
        const doc = parseDocument(text, { uniqueKeys: true, merge: true, prettyErrors: false, schema: "core" });
        if (doc.errors.length > 0) {
            return { value: text, text };
        }
        const contents = doc.contents;
        if (contents === null || (isScalar(contents) && (contents.value === null))) {
            return { value: null, text };
        }
        if (isScalar(contents) && typeof contents.value === "string") {
            return { value: text, text };
        }
        return { value: doc.toJS({ maxAliasCount: 100 }) as unknown, text };
    } catch {
        return { value: text, text };
    }
}

/** confmap/resolver.go escapeDollarSigns: `$$` → `$` in every string value. */
function unescape(value: unknown): unknown {
    if (typeof value === "string") {
        return value.split("$$").join("$");
    }
    if (Array.isArray(value)) {
        return value.map(unescape);
    }
    if (isRecord(value) && !(value instanceof UnknownValue)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescape(v)]));
    }
    return value;
}

/** Bare `$NAME` (an odd run of `$` before a name, not before `{`) in the strings of a leaf as written. */
function bareReferences(value: unknown, path: string[]): { path: string[]; name: string }[] {
    if (typeof value === "string") {
        const found: { path: string[]; name: string }[] = [];
        for (const match of value.matchAll(/(\$+)([A-Za-z_][A-Za-z0-9_]*)/g)) {
            const before = match.index ?? 0;
            if (before > 0 && value[before - 1] === "$") continue;
            if (match[1].length % 2 === 1) {
                found.push({ path, name: match[2] });
            }
        }
        return found;
    }
    if (Array.isArray(value)) {
        return value.flatMap((item, i) => bareReferences(item, [...path, String(i)]));
    }
    if (isRecord(value)) {
        return Object.entries(value).flatMap(([k, v]) => bareReferences(v, [...path, k]));
    }
    return [];
}

/** True when a value has more nodes than any real config (a self-referencing structure doubling on each pass). */
function tooLarge(value: unknown): boolean {
    let budget = 20_000;
    const stack: unknown[] = [value];
    while (stack.length > 0) {
        const node = stack.pop();
        if (--budget < 0) return true;
        if (Array.isArray(node)) stack.push(...node);
        else if (isRecord(node) && !(node instanceof UnknownValue)) stack.push(...Object.values(node));
    }
    return false;
}

/** True when no string value in `value` contains a `$` (nothing for resolution to change). */
export function hasNoReferences(value: unknown): boolean {
    if (typeof value === "string") return !value.includes("$");
    if (Array.isArray(value)) return value.every(hasNoReferences);
    if (isRecord(value)) return Object.values(value).every(hasNoReferences);
    return true;
}
