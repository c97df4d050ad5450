// The parsed form of an OpenTelemetry Collector configuration, shared by every
// checker: the component's preview-time validation, the policy pack and the lint CLI.
// Nothing here knows about Lambda; it only turns text into a typed, line-aware model,
// normalised once into components by kind and pipelines.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";

/**
 * One problem found in a collector config. How serious it is belongs to the rule,
 * not the finding: see `rules/registry.ts`.
 */
export interface Finding {
    /** Stable rule id, e.g. `no-batch-processor`; a key of the rule registry. */
    readonly rule: string;
    /** Dotted path to the offending node, e.g. `exporters.otlphttp/honeycomb`. */
    readonly path: string;
    /** What is wrong, as one clause. */
    readonly message: string;
    /** How to fix it, as one clause; rendered after the message. */
    readonly hint?: string;
    /** 1-based line in the config text, when the node has a position. */
    readonly line?: number;
    /** The file of `line`, when several files were merged into one config. */
    readonly file?: string;
    /** For a finding about a `${...}` reference: the reference as written. */
    readonly reference?: string;
}

/** A pipeline as the service section declares it, with malformed lists read as empty. */
export interface Pipeline {
    readonly receivers: readonly string[];
    readonly processors: readonly string[];
    readonly exporters: readonly string[];
}

/** A config that parsed as YAML and has a mapping at its root. */
export interface CollectorConfig {
    /** The config the rules judge: resolved (references expanded) once `resolveCollectorConfig` ran, else as written. */
    readonly root: Readonly<Record<string, unknown>>;
    /** The config as written, before resolution. */
    readonly raw: Readonly<Record<string, unknown>>;
    /** True once references were resolved. */
    readonly resolved: boolean;
    /** Each component section as a map of component id to settings (empty when missing or malformed). */
    readonly components: Readonly<Record<ComponentSection, Readonly<Record<string, unknown>>>>;
    /** `service.pipelines` by pipeline id (malformed pipelines left out). */
    readonly pipelines: Readonly<Record<string, Pipeline>>;
    /**
     * 1-based line of the node at `path`, or of its nearest existing ancestor in the
     * text as written: a value that came from a reference reports the reference's line.
     */
    lineOf(path: readonly string[]): number | undefined;
    /** The file holding the node at `path`, for a config merged from several files. */
    fileOf?(path: readonly string[]): string | undefined;
}

export type ParseResult =
    | { readonly ok: true; readonly config: CollectorConfig }
    | { readonly ok: false; readonly finding: Finding };

/**
 * Configs larger than this are refused before parsing. Lambda caps the whole
 * environment at 4 KB, and hand-written collector configs are a few KB at most;
 * the cap keeps a pathological file from stalling the lint or a policy run.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Top-level sections whose values must be mappings of component id to settings. */
export const COMPONENT_SECTIONS = ["receivers", "processors", "exporters", "extensions", "connectors"] as const;
export type ComponentSection = (typeof COMPONENT_SECTIONS)[number];

export function parseCollectorConfig(text: string): ParseResult {
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > MAX_CONFIG_BYTES) {
        return fail("config-syntax", "", `config is ${bytes} bytes, over the ${MAX_CONFIG_BYTES}-byte limit; a collector config this large is not a hand-written config`);
    }
    const control = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/.exec(text);
    if (control) {
        // The collector's YAML parser refuses these; the JS one would accept them.
        const line = text.slice(0, control.index).split("\n").length;
        const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
        return fail("config-syntax", "", `not valid YAML: control character U+${code} is not allowed; a config must be plain text`, line);
    }
    const lineCounter = new LineCounter();
    // uniqueKeys: the collector rejects duplicate keys, and silently keeping the
    // last one would hide a second `sending_queue` from the rules. merge: the
    // collector applies YAML merge keys (`<<: *defaults`), so the rules must see
    // what they bring in. schema core: the collector's YAML (go-yaml v3) resolves
    // scalars the YAML 1.2 way whatever a %YAML 1.1 directive says, so `yes` and `on`
    // stay strings (go-yaml v3.0.4 resolve.go l.52-54).
    const doc = parseDocument(text, { lineCounter, uniqueKeys: true, merge: true, prettyErrors: false, schema: "core" });
    const firstError = doc.errors[0];
    if (firstError) {
        // An error's offset can sit on the whitespace before the offending token
        // (e.g. the newline ending the previous line); report the token's line.
        let offset = firstError.pos[0];
        while (offset < text.length && /\s/.test(text[offset])) offset++;
        const line = lineCounter.linePos(offset).line;
        // The parser's own wording can name its API ("please use YAML.parseAllDocuments()").
        const reason = firstError.code === "MULTIPLE_DOCS"
            ? "a collector config is one YAML document, but this text has several (a --- line starts another); keep one document, or lint the files with --merge"
            : firstError.code === "RESOURCE_EXHAUSTION"
                // The parser's own limit (the JavaScript stack), not a YAML error: valid
                // YAML nested this deep is still no collector config.
                ? "nested too deep: the YAML parser ran out of stack (an engine limit, not a YAML error); a collector config is a few levels deep, so flatten it"
                : firstError.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
        const prefix = firstError.code === "RESOURCE_EXHAUSTION" ? "" : "not valid YAML: ";
        return fail("config-syntax", "", `${prefix}${reason}`, line > 0 ? line : 1);
    }
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
        return fail("config-syntax", "", "config is empty; a collector config needs at least receivers, exporters and service.pipelines", 1);
    }
    if (!isMap(doc.contents)) {
        const kind = isSeq(doc.contents) ? "a list" : "a single value";
        return fail("config-shape", "", `config is ${kind}, but a collector config must be a mapping with receivers, exporters and service sections`, lineAt(doc.contents, lineCounter));
    }
    let root: unknown;
    try {
        root = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
        // toJS throws on alias bombs ("Excessive alias count"); report, never crash.
        return fail("config-syntax", "", `YAML could not be resolved: ${(err as Error).message}`);
    }
    if (isCyclic(root)) {
        // An anchor inside itself; the collector refuses it ("anchor contains itself").
        return fail("config-syntax", "", "not valid YAML: an anchor is used inside itself, so the config never ends; remove the self-reference");
    }
    const rootMap = root as Record<string, unknown>;
    const config = buildConfig(rootMap, rootMap, false, (path) => {
        for (let n = path.length; n > 0; n--) {
            const line = lineAt(keyNode(doc.getIn(path.slice(0, n - 1), true), path[n - 1]), lineCounter);
            if (line !== undefined) {
                return line;
            }
        }
        return lineAt(doc.contents, lineCounter);
    });
    return { ok: true, config };
}

/** A config model over `root` (what the rules read), `raw` (as written) and a line lookup. */
export function buildConfig(
    root: Readonly<Record<string, unknown>>,
    raw: Readonly<Record<string, unknown>>,
    resolved: boolean,
    lineOf: (path: readonly string[]) => number | undefined,
    fileOf?: (path: readonly string[]) => string | undefined,
): CollectorConfig {
    return {
        root,
        raw,
        resolved,
        components: Object.fromEntries(COMPONENT_SECTIONS.map((name) => [name, isRecord(root[name]) ? root[name] : {}])) as CollectorConfig["components"],
        pipelines: normalisedPipelines(root),
        lineOf,
        fileOf,
    };
}

/** True when a value contains itself (an alias inside its own anchor). */
function isCyclic(value: unknown, ancestors: Set<unknown> = new Set()): boolean {
    if (typeof value !== "object" || value === null) {
        return false;
    }
    if (ancestors.has(value)) {
        return true;
    }
    ancestors.add(value);
    const children = Array.isArray(value) ? value : Object.values(value);
    const cyclic = children.some((child) => isCyclic(child, ancestors));
    ancestors.delete(value);
    return cyclic;
}

/**
 * The node that names `segment` inside `parent`: the key of a mapping entry (so a
 * nested mapping reports the line of its key, not of its first child), or a list item.
 */
function keyNode(parent: unknown, segment: string): unknown {
    if (isMap(parent)) {
        return parent.items.find((pair) => (isScalar(pair.key) ? String(pair.key.value) : undefined) === segment)?.key;
    }
    if (isSeq(parent)) {
        return parent.items[Number(segment)];
    }
    return undefined;
}

function lineAt(node: unknown, counter: LineCounter): number | undefined {
    const range = (node as Node | undefined)?.range;
    if (!range) {
        return undefined;
    }
    return counter.linePos(range[0]).line || undefined;
}

function fail(rule: string, path: string, message: string, line?: number): ParseResult {
    const [statement, hint] = splitHint(message);
    return { ok: false, finding: { rule, path, message: statement, hint, line } };
}

/** Splits "what is wrong; how to fix it" at its last "; " into message and hint. */
function splitHint(text: string): [string, string | undefined] {
    const at = text.lastIndexOf("; ");
    return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 2)];
}

/**
 * A finding at `path` in `config`, with its line. `message` says what is wrong,
 * `hint` how to fix it.
 */
export function findingAt(config: CollectorConfig, rule: string, path: readonly string[], message: string, hint?: string): Finding {
    const file = config.fileOf?.(path);
    return { rule, path: path.join("."), message, hint, line: config.lineOf(path), ...(file !== undefined ? { file } : {}) };
}

/** The type of a component id: `otlphttp/honeycomb` → `otlphttp`. */
export function componentType(id: string): string {
    const slash = id.indexOf("/");
    return slash === -1 ? id : id.slice(0, slash);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `service.pipelines` as a map of pipeline id to pipeline. A malformed section or
 * pipeline is left out (the shape rule reports it), so other rules do not report it twice.
 */
function normalisedPipelines(root: Readonly<Record<string, unknown>>): Record<string, Pipeline> {
    const service = root.service;
    const value = isRecord(service) ? service.pipelines : undefined;
    const result: Record<string, Pipeline> = {};
    for (const [id, pipeline] of Object.entries(isRecord(value) ? value : {})) {
        if (isRecord(pipeline)) {
            result[id] = { receivers: idList(pipeline.receivers), processors: idList(pipeline.processors), exporters: idList(pipeline.exporters) };
        }
    }
    return result;
}

/** Ids of the components of `kind` that at least one pipeline names. */
export function usedIds(config: CollectorConfig, kind: keyof Pipeline): Set<string> {
    return new Set(Object.values(config.pipelines).flatMap((p) => p[kind]));
}

/** A list of component ids, or [] when the value is not a list of strings. */
export function idList(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** The finding's message and hint as one sentence: `<message>; <hint>`. */
export function findingText(finding: Finding): string {
    return finding.hint ? `${finding.message}; ${finding.hint}` : finding.message;
}

/** Renders a finding for people: `collector config: <path>: <message>; <hint> (line N)`. */
export function formatFinding(finding: Finding, source = "collector config"): string {
    const where = finding.path ? `${source}: ${finding.path}` : source;
    const line = finding.line !== undefined ? ` (line ${finding.line})` : "";
    return `${where}: ${findingText(finding)}${line}`;
}
