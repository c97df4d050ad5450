// The stack program's config glue (not part of the published library): turns the
// stack's Pulumi config into LambdaCollector arguments. Every key is checked: an
// unknown or misplaced key is an error, never silently ignored.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { debugBackend, headerVariable, honeycombBackend, otlpHttpBackend, type BackendConfig } from "./components/shared/config-sources/backends";
import type { BaseImages, LambdaCollectorArgs, SecretStore, TokenRotation } from "./components/lambda/args";
import { BASE_IMAGE_NAMES } from "./components/shared/image/collector-image";
import type { Distribution } from "./components/lambda/distribution";
import type { Architecture } from "./rules/lambda-facts";
import { configFileProblemOrText } from "./components/shared/config-sources/config-file";
import { editDistance } from "./rules/edit-distance";
import { printable, printableLine } from "./rules/printable";

/** Which keys each backend reads; a key set for another backend is an error. */
const BACKEND_KEYS = {
    debug: [],
    honeycomb: ["honeycombApiKey", "honeycombEndpoint", "honeycombMetricsDataset"],
    otlphttp: ["otlpEndpoint", "otlpHeaders", "allowInsecureBackend"],
} as const satisfies Record<string, readonly string[]>;
type BackendName = keyof typeof BACKEND_KEYS;

const CUSTOM_CONFIG_KEYS = ["collectorConfigFile", "collectorEnvironment"] as const;
const FUNCTION_KEYS = [
    "ingestToken", "producers", "producerTokens", "tokenRotation", "secretStore", "secretArns", "secretKmsKeyArn", "reservedConcurrency",
    "allowUnauthenticated", "memorySize", "timeout", "logRetentionDays", "architecture",
    "functionName", "keepImages", "keepVersions", "forceDeleteRepository", "collectorVersion", "adapterVersion", "buildOnPreview",
    "baseImages", "preTrafficCheck", "dashboard", "alarms", "alarmTopicArn", "distribution", "validateWith",
] as const;
/** Keys of the runtime switch and of the Fargate runtime (stack-runtime.ts reads them). */
export const RUNTIME_KEYS = [
    "runtime", "desiredCount", "minCount", "maxCount", "taskCpu", "taskMemory", "scaleOn", "scaleTarget", "domainName", "certificateArn",
] as const;
/**
 * Keys whose values are credentials or may carry them: they must be set with
 * `pulumi config set --secret`, or they sit in clear text in Pulumi.<stack>.yaml.
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set<string>(["ingestToken", "honeycombApiKey", "otlpHeaders", "producerTokens", "collectorEnvironment"]);
/** Keys read as booleans: exactly `true` or `false`, as Pulumi's getBoolean. */
const BOOLEAN_KEYS = ["allowUnauthenticated", "forceDeleteRepository", "buildOnPreview", "preTrafficCheck", "dashboard", "alarms", "allowInsecureBackend"] as const;
/** Namespaces of providers and Pulumi itself, never taken for a misspelt project name. */
const OTHER_NAMESPACES: ReadonlySet<string> = new Set(["aws", "pulumi", "awsx", "docker", "docker-build", "random", "command", "tls"]);
/** Namespaces whose keys someone reads in this program: Pulumi's and the providers it uses (aws, docker-build, random). */
const READ_NAMESPACES: ReadonlySet<string> = new Set(["aws", "pulumi", "docker-build", "random"]);

/** Every stack config key this program reads (without the project namespace). */
export const STACK_CONFIG_KEYS: ReadonlySet<string> = new Set<string>([
    "backend", ...CUSTOM_CONFIG_KEYS, ...FUNCTION_KEYS, ...Object.values(BACKEND_KEYS).flat(), ...RUNTIME_KEYS,
]);

/**
 * Reads the stack config (namespace = project name) into component arguments.
 * `projectDir` resolves `collectorConfigFile`.
 */
export function readStackConfig(projectDir: string = process.cwd()): LambdaCollectorArgs {
    try {
        return readStackKeys(projectDir);
    } catch (err) {
        // Values are echoed as typed: each line made printable, whatever it holds.
        throw pulumi.RunError.isInstance(err) ? new pulumi.RunError((err as Error).message.split("\n").map(printableLine).join("\n")) : err;
    }
}

function readStackKeys(projectDir: string): LambdaCollectorArgs {
    const config = new pulumi.Config();
    const set = presentKeys(config.name);
    const errors: string[] = [...misspeltNamespaces(config.name)];
    for (const warning of unreadNamespaces(config.name)) {
        pulumi.log.warn(warning);
    }
    for (const key of set) {
        if (!STACK_CONFIG_KEYS.has(key)) {
            errors.push(`${config.name}:${key}: is not a setting of this stack${suggestion(key)}; see the configuration reference in README.md`);
        }
    }
    const configFile = config.get("collectorConfigFile");
    const backendValue = config.get("backend");
    if (configFile !== undefined && backendValue !== undefined) {
        errors.push(`${config.name}:backend: cannot be combined with collectorConfigFile, which is a whole config with its own exporters; remove one of them`);
    }
    const backend = backendValue ?? "debug";
    if (!(backend in BACKEND_KEYS)) {
        errors.push(`${config.name}:backend: "${backend}" is not a backend; use debug, honeycomb or otlphttp (or collectorConfigFile for your own config)`);
    }
    for (const [name, keys] of Object.entries(BACKEND_KEYS)) {
        for (const key of keys) {
            if (set.has(key) && (configFile !== undefined || name !== backend)) {
                errors.push(`${config.name}:${key}: is only read with backend ${name}; remove it or set backend to ${name}`);
            }
        }
    }
    if (set.has("collectorEnvironment") && configFile === undefined) {
        errors.push(`${config.name}:collectorEnvironment: is only read with collectorConfigFile; remove it or set collectorConfigFile`);
    }
    for (const key of set) {
        if (SECRET_KEYS.has(key) && !isSecret(`${config.name}:${key}`)) {
            const raw = config.get(key) ?? "";
            errors.push(`${config.name}:${key}: is stored in plain text in Pulumi.${pulumi.getStack()}.yaml (${raw.length} characters); set it as a secret: pulumi config set --secret ${key} ${secretExample(key)}`);
        }
    }
    for (const key of BOOLEAN_KEYS) {
        const raw = config.get(key);
        if (raw !== undefined && raw !== "true" && raw !== "false") {
            errors.push(`${config.name}:${key}: ${JSON.stringify(raw)} is not true or false; set it with pulumi config set ${key} true|false`);
        }
    }
    if (errors.length > 0) {
        throw new pulumi.RunError(errors.join("\n"));
    }

    if (configFile === "") {
        throw new pulumi.RunError(`${config.name}:collectorConfigFile: is empty; give the path of your collector config relative to the project folder, or remove the key (pulumi config rm collectorConfigFile)`);
    }

    // Read first: the backend presets size their exporter timeout and retries to it.
    const timeout = wholeNumber(config, "timeout", "seconds");
    const source: BackendConfig = configFile !== undefined
        ? customConfig(config, path.resolve(projectDir, configFile), configFile)
        : withStackKeys(config.name, () => backendConfig(config, backend as BackendName, timeout !== undefined && timeout >= 1 ? timeout : undefined));
    // Every value check is the component's (components/lambda/validate.ts): this only reads
    // each key as the argument's type, and withStackKeys names the key in its errors.
    const memorySize = wholeNumber(config, "memorySize", "MB");
    const logRetentionDays = wholeNumber(config, "logRetentionDays", "days");
    const keepImages = wholeNumber(config, "keepImages", "images");
    const keepVersions = wholeNumber(config, "keepVersions", "versions");
    const reservedConcurrency = wholeNumber(config, "reservedConcurrency", "concurrent executions");
    return {
        collectorConfig: source.collectorConfig,
        environment: source.environment,
        // Tokens as typed: the component checks them at preview and keeps them secret.
        ingestToken: config.get("ingestToken"),
        producers: stringList(config, "producers"),
        producerTokens: rawStringMap(config, "producerTokens"),
        tokenRotation: tokenRotation(config),
        secretStore: config.get("secretStore") as SecretStore | undefined,
        secretArns: stringList(config, "secretArns"),
        secretKmsKeyArn: config.get("secretKmsKeyArn"),
        reservedConcurrency,
        allowUnauthenticated: booleanOf(config, "allowUnauthenticated"),
        memorySize,
        timeout,
        logRetentionDays,
        architecture: config.get("architecture") as Architecture | undefined,
        functionName: config.get("functionName"),
        keepImages,
        keepVersions,
        forceDeleteRepository: booleanOf(config, "forceDeleteRepository"),
        collectorVersion: config.get("collectorVersion"),
        adapterVersion: config.get("adapterVersion"),
        buildOnPreview: booleanOf(config, "buildOnPreview"),
        baseImages: baseImages(config),
        preTrafficCheck: booleanOf(config, "preTrafficCheck"),
        dashboard: booleanOf(config, "dashboard"),
        alarms: booleanOf(config, "alarms"),
        alarmTopicArn: config.get("alarmTopicArn"),
        distribution: config.get("distribution") as Distribution | undefined,
        validateWith: config.get("validateWith"),
    };
}

/**
 * Runs `build` (the component, a backend preset) and rewrites its RunError so every
 * argument it names is named as the stack key the user typed (`timeout: ...` becomes
 * `otel-lambda-collector:timeout: ...`, `honeycombBackend.endpoint: ...` becomes
 * `otel-lambda-collector:honeycombEndpoint: ...`). Lines already naming a stack key,
 * and other errors, pass unchanged.
 */
export function withStackKeys<T>(namespace: string, build: () => T): T {
    try {
        return build();
    } catch (err) {
        if (!pulumi.RunError.isInstance(err)) {
            throw err;
        }
        const keyOf = stackKeyNamer(namespace);
        const lines = (err as Error).message.split("\n").map((line) => {
            if (line.startsWith("collector config: ")) {
                return `${keyOf("collectorConfig")}: ${line.slice("collector config: ".length)}`;
            }
            if (line.startsWith("environment: ")) {
                // The size error: each variable's source and each fix name the key instead.
                const named = line.slice("environment: ".length).replace(ARGUMENT_MENTION, (mention) => keyOf(mention) ?? mention);
                const largest = / taking the space: [A-Za-z_][A-Za-z0-9_]* \d+ bytes from ([^,;]+)/.exec(named)?.[1];
                return `${largest ?? keyOf("collectorConfig")}: environment: ${named}`;
            }
            const field = /^([A-Za-z]+(?:\.[A-Za-z0-9_-]+)*)(?=[:[])/.exec(line)?.[1];
            if (field !== undefined) {
                const mapped = stackFieldOf(namespace, field, keyOf);
                if (mapped !== undefined) {
                    return `${mapped}${line.slice(field.length)}`.replace(/\ballowInsecure\b/g, "allowInsecureBackend");
                }
            }
            return line;
        });
        throw new pulumi.RunError(lines.map(printableLine).join("\n"));
    }
}

/** Argument names the environment size error mentions. */
const ARGUMENT_MENTION = /\b(collectorConfig|environment\.[A-Za-z_][A-Za-z0-9_]*|producers|producerTokens|ingestToken|secretStore|tokenRotation)\b/g;

/** The stack key (with namespace) of a component argument, given how this stack was configured. */
function stackKeyNamer(namespace: string): (argument: string) => string {
    const all = pulumi.runtime.allConfig();
    const configFile = all[`${namespace}:collectorConfigFile`];
    const backend = all[`${namespace}:backend`] ?? "debug";
    // The collector config comes from the file the user named, or from the backend preset.
    const configKey = configFile !== undefined ? `${namespace}:collectorConfigFile (${configFile})` : `${namespace}:backend`;
    // In backend mode the environment is the preset's: each variable holds one backend key's value.
    const presetVariables: Record<string, string> = backend === "honeycomb"
        ? { HONEYCOMB_API_KEY: "honeycombApiKey" }
        : Object.fromEntries(Object.keys(safeJson(all[`${namespace}:otlpHeaders`])).map((name) => [headerVariable(name), `otlpHeaders.${name}`]));
    return (argument) => {
        if (argument === "collectorConfig") return configKey;
        if (argument.startsWith("environment.")) {
            const variable = argument.slice("environment.".length);
            return configFile !== undefined ? `${namespace}:collectorEnvironment.${variable}` : `${namespace}:${presetVariables[variable] ?? argument}`;
        }
        return `${namespace}:${ARGUMENT_KEYS[argument] ?? argument}`;
    };
}

/** The stack key a message's leading field names, or undefined when it names none. */
function stackFieldOf(namespace: string, field: string, keyOf: (argument: string) => string): string | undefined {
    if (field.startsWith("environment.")) {
        return keyOf(field);
    }
    for (const [argument, key] of Object.entries(ARGUMENT_KEYS)) {
        if (field === argument || field.startsWith(`${argument}.`)) {
            return `${namespace}:${key}${field.slice(argument.length)}`;
        }
    }
    const head = /^[A-Za-z]+/.exec(field)?.[0] ?? field;
    return STACK_CONFIG_KEYS.has(head) ? `${namespace}:${field}` : undefined;
}

/**
 * A whole decimal number as the user wrote it, or undefined when unset. Read from
 * the raw string, not config.getNumber, which accepts `1m` as 1 and `1,024` as 1.
 * Only what a JavaScript number holds exactly is passed on (never a rounded value);
 * the component checks the range. Errors echo the text as typed.
 */
export function wholeNumber(config: pulumi.Config, key: string, unit: string): number | undefined {
    const raw = config.get(key);
    if (raw === undefined) {
        return undefined;
    }
    const shown = showRaw(raw);
    const example = `pulumi config set ${key} ${exampleOf(key)}`;
    if (!/^[0-9]+$/.test(raw)) {
        throw new pulumi.RunError(`${config.name}:${key}: ${shown} is not a whole number of ${unit}; write digits only, without units, signs, separators or spaces (e.g. ${example})`);
    }
    if (/^0[0-9]/.test(raw)) {
        throw new pulumi.RunError(`${config.name}:${key}: ${shown} starts with 0, which some tools read as octal; write it without leading zeros (${raw.replace(/^0+(?=[0-9])/, "")})`);
    }
    if (!Number.isSafeInteger(Number(raw))) {
        throw new pulumi.RunError(`${config.name}:${key}: ${shown} is larger than ${Number.MAX_SAFE_INTEGER}, the largest whole number kept exactly; give a value within the key's range (e.g. ${example})`);
    }
    return Number(raw);
}

/** A value as typed, for a message: one printable line (rules/printable.ts). */
export function showRaw(raw: string): string {
    return printable(raw);
}

function exampleOf(key: string): string {
    return ({ memorySize: "1024", timeout: "30", logRetentionDays: "14", keepImages: "10", keepVersions: "3", reservedConcurrency: "50" } as Record<string, string>)[key] ?? "1";
}

/** A JSON list of strings from config, or undefined when unset. */
function stringList(config: pulumi.Config, key: string): string[] | undefined {
    const value = jsonOf(config, key, `set it as a list, e.g. pulumi config set --path '${key}[0]' value`);
    if (value === undefined) {
        return undefined;
    }
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
        throw new pulumi.RunError(`${config.name}:${key}: must be a JSON list of strings, e.g. '["web","batch"]', not ${JSON.stringify(value)}`);
    }
    return value as string[];
}

/**
 * `tokenRotation`: an object of producer names to rotations, e.g. set with
 * `pulumi config set --path 'tokenRotation.web.generation' 2` and
 * `pulumi config set --path 'tokenRotation.web.phase' overlap`. The component checks
 * each rotation; this checks the shape, naming the stack key.
 */
function tokenRotation(config: pulumi.Config): Record<string, TokenRotation> | undefined {
    const fix = "set it with pulumi config set --path 'tokenRotation.<producer>.generation' 2 (docs/tokens.md)";
    const value = jsonOf(config, "tokenRotation", fix);
    if (value === undefined) {
        return undefined;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new pulumi.RunError(`${config.name}:tokenRotation: ${showRaw(JSON.stringify(value))} is not an object of producer names; ${fix}`);
    }
    return value as Record<string, TokenRotation>;
}

/**
 * `baseImages`: an object of image references, e.g. set with
 * `pulumi config set --path baseImages.collector <reference>`. The component checks
 * the references; this checks the shape, naming the stack key.
 */
function baseImages(config: pulumi.Config): BaseImages | undefined {
    const value = jsonOf(config, "baseImages", "set it with pulumi config set --path baseImages.collector <image reference>");
    if (value === undefined) {
        return undefined;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new pulumi.RunError(`${config.name}:baseImages: ${JSON.stringify(value)} is not an object; set it with pulumi config set --path baseImages.collector <image reference>`);
    }
    const names: readonly string[] = BASE_IMAGE_NAMES;
    const errors: string[] = [];
    for (const [name, item] of Object.entries(value)) {
        if (!names.includes(name)) {
            errors.push(`${config.name}:baseImages.${name}: is not a base image of the collector image; use ${names.join(", ")}`);
        } else if (typeof item !== "string") {
            errors.push(`${config.name}:baseImages.${name}: must be an image reference string, not ${JSON.stringify(item)}`);
        }
    }
    if (errors.length > 0) {
        throw new pulumi.RunError(errors.join("\n"));
    }
    return value as BaseImages;
}

/**
 * The backend preset's arguments from the stack keys. Values are passed as typed
 * (the preset checks them, naming its arguments, and keeps the secrets secret in the
 * environment it returns); withStackKeys renames its arguments to these keys.
 */
function backendConfig(config: pulumi.Config, backend: BackendName, functionTimeoutSeconds: number | undefined): BackendConfig {
    switch (backend) {
        case "debug":
            return debugBackend();
        case "honeycomb":
            return honeycombBackend({
                apiKey: required(config, "honeycombApiKey", "honeycomb", "<your Honeycomb ingest API key>"),
                endpoint: config.get("honeycombEndpoint"),
                metricsDataset: config.get("honeycombMetricsDataset"),
                functionTimeoutSeconds,
            });
        case "otlphttp":
            return otlpHttpBackend({
                endpoint: required(config, "otlpEndpoint", "otlphttp", "https://otlp.example.com"),
                headers: rawStringMap(config, "otlpHeaders"),
                allowInsecure: booleanOf(config, "allowInsecureBackend"),
                functionTimeoutSeconds,
            });
    }
}

/**
 * Each preset argument and component argument whose stack key has another name. A
 * message naming the argument names the key instead; `environment.<NAME>` is
 * `collectorEnvironment.<NAME>` with a config file, or the backend key whose value
 * the preset put in that variable.
 */
const ARGUMENT_KEYS: Readonly<Record<string, string>> = {
    "honeycombBackend.apiKey": "honeycombApiKey",
    "honeycombBackend.endpoint": "honeycombEndpoint",
    "honeycombBackend.metricsDataset": "honeycombMetricsDataset",
    "honeycombBackend.functionTimeoutSeconds": "timeout",
    "otlpHttpBackend.endpoint": "otlpEndpoint",
    "otlpHttpBackend.headers": "otlpHeaders",
    "otlpHttpBackend.allowInsecure": "allowInsecureBackend",
    "otlpHttpBackend.functionTimeoutSeconds": "timeout",
};

function customConfig(config: pulumi.Config, file: string, given: string): BackendConfig {
    const read = configFileProblemOrText(`${config.name}:collectorConfigFile`, file, given);
    if ("problem" in read) {
        throw new pulumi.RunError(read.problem);
    }
    // Values as typed: the component checks them at preview and keeps every one secret.
    return { collectorConfig: read.text, environment: rawStringMap(config, "collectorEnvironment") ?? {} };
}

/** {@link secretStringMap}'s values as plain strings, for validation only (never passed on). */
function rawStringMap(config: pulumi.Config, key: string): Record<string, string> | undefined {
    const map = secretStringMap(config, key);
    if (map === undefined) {
        return undefined;
    }
    return jsonOf(config, key, "") as Record<string, string>;
}

/**
 * A JSON object of strings from config. Its keys must be known at preview (they
 * become header names or variable names the config is checked against), so the
 * object is read directly and every value is re-wrapped as a secret.
 */
function secretStringMap(config: pulumi.Config, key: string): Record<string, pulumi.Output<string>> | undefined {
    const value = jsonOf(config, key, `set it with pulumi config set --secret ${key} '{"NAME":"value"}'`);
    if (value === undefined) {
        return undefined;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new pulumi.RunError(`${config.name}:${key}: must be a JSON object of names to string values, e.g. '{"NAME":"value"}'`);
    }
    const result: Record<string, pulumi.Output<string>> = {};
    const seen = new Map<string, string>();
    for (const [name, item] of Object.entries(value)) {
        if (typeof item !== "string") {
            throw new pulumi.RunError(`${config.name}:${key}.${name}: must be a string, not ${JSON.stringify(item)}`);
        }
        // Names a JavaScript object cannot hold as data: assigning "__proto__" sets the
        // prototype instead, and the value would vanish from the config.
        if (name === "__proto__" || name === "constructor" || name === "prototype") {
            throw new pulumi.RunError(`${config.name}:${key}: ${JSON.stringify(name)} cannot be used as a name here; use another name`);
        }
        // Header names are case-insensitive (RFC 9110 §5.1): two spellings of one name
        // would send one of the values and silently drop the other.
        const folded = key === "otlpHeaders" ? name.toLowerCase() : name;
        const earlier = seen.get(folded);
        if (earlier !== undefined) {
            throw new pulumi.RunError(`${config.name}:${key}: ${JSON.stringify(earlier)} and ${JSON.stringify(name)} name the same ${key === "otlpHeaders" ? "header (header names are case-insensitive)" : "variable"}; keep one`);
        }
        seen.set(folded, name);
        result[name] = pulumi.secret(item);
    }
    return result;
}

/**
 * A JSON value read from the raw string, or undefined when unset. Bad JSON is an
 * error echoing the value, except for a secret key, whose length is given instead.
 */
function jsonOf(config: pulumi.Config, key: string, fix: string): unknown {
    const raw = config.get(key);
    if (raw === undefined) {
        return undefined;
    }
    let value: unknown;
    try {
        value = JSON.parse(raw) as unknown;
    } catch {
        const shown = SECRET_KEYS.has(key) ? `the ${raw.length}-character value` : JSON.stringify(raw);
        throw new pulumi.RunError(`${config.name}:${key}: ${shown} is not valid JSON; ${fix}`);
    }
    // JSON.parse keeps the last of two equal keys and drops the other without a word;
    // the yaml parser (JSON is YAML) reports the duplicate.
    try {
        parseYaml(raw, { uniqueKeys: true });
    } catch (error) {
        if (/duplicate|unique/i.test((error as Error).message)) {
            throw new pulumi.RunError(`${config.name}:${key}: a name is given twice in the JSON object, and only the last would be kept; keep one`);
        }
    }
    return value;
}

/** JSON.parse that yields {} for anything but a JSON object (the key's own reader reports it). */
function safeJson(raw: string | undefined): Record<string, unknown> {
    try {
        const value: unknown = raw === undefined ? {} : JSON.parse(raw);
        return typeof value === "object" && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {};
    } catch {
        return {};
    }
}

/** A boolean read exactly (`true` or `false`); other values are refused up front in readStackConfig. */
function booleanOf(config: pulumi.Config, key: (typeof BOOLEAN_KEYS)[number]): boolean | undefined {
    const raw = config.get(key);
    return raw === undefined ? undefined : raw === "true";
}

/** A key the backend cannot do without: our own one-line error with the exact command. */
function required(config: pulumi.Config, key: string, backend: string, example: string): string {
    const value = config.get(key);
    if (value === undefined) {
        const secret = SECRET_KEYS.has(key) ? "--secret " : "";
        throw new pulumi.RunError(`${config.name}:${key}: is required with backend ${backend}; set it with pulumi config set ${secret}${key} ${example}`);
    }
    return value;
}

/** The command-line value to show in the `--secret` fix for `key`. */
function secretExample(key: string): string {
    return key === "otlpHeaders" || key === "producerTokens" || key === "collectorEnvironment" ? `'{"NAME":"value"}'` : "<value>";
}

/**
 * Whether the engine marked `fullKey` secret. `isConfigSecret` is exported by
 * @pulumi/pulumi's runtime/config.js (3.x) but marked @internal, so it is absent
 * from the typings.
 */
function isSecret(fullKey: string): boolean {
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
    if (typeof runtime.isConfigSecret !== "function") {
        throw new pulumi.RunError("@pulumi/pulumi no longer exports runtime.isConfigSecret; the stack cannot tell secret config values from plain ones");
    }
    return runtime.isConfigSecret(fullKey);
}

/**
 * Config keys whose namespace is a near miss of the project name
 * (`otel-lamda-collector:timeout`): Pulumi hands them to no one, so they would be
 * silently ignored.
 */
function misspeltNamespaces(project: string): string[] {
    const errors: string[] = [];
    for (const fullKey of Object.keys(pulumi.runtime.allConfig())) {
        const colon = fullKey.indexOf(":");
        if (colon === -1) {
            continue;
        }
        const namespace = fullKey.slice(0, colon);
        if (namespace !== project && !OTHER_NAMESPACES.has(namespace) && editDistance(namespace.toLowerCase(), project.toLowerCase()) <= 2) {
            const key = fullKey.slice(colon + 1);
            errors.push(`${fullKey}: namespace "${namespace}" is not this project's, so the value would be ignored; use ${project}:${key} (pulumi config rm '${fullKey}', then pulumi config set ${key} ...)`);
        }
    }
    return errors;
}

/**
 * Keys under a namespace nobody in this program reads (`collector:timeout`, not a
 * near miss of the project name): Pulumi passes them to no one, so say so rather
 * than deploy with the default and no word.
 */
export function unreadNamespaces(project: string): string[] {
    const warnings: string[] = [];
    for (const fullKey of Object.keys(pulumi.runtime.allConfig())) {
        const colon = fullKey.indexOf(":");
        const namespace = colon === -1 ? "" : fullKey.slice(0, colon);
        if (colon === -1 || namespace === project || READ_NAMESPACES.has(namespace) || editDistance(namespace.toLowerCase(), project.toLowerCase()) <= 2) {
            continue;
        }
        const key = fullKey.slice(colon + 1);
        const own = STACK_CONFIG_KEYS.has(key) ? `; if it is this stack's setting, use ${project}:${key} (pulumi config rm '${fullKey}', then pulumi config set ${key} ...)` : "";
        warnings.push(`${printable(fullKey, 120)}: namespace "${namespace}" is neither this project's (${project}) nor a provider's this program uses (${[...READ_NAMESPACES].join(", ")}), so nothing reads it${own}`);
    }
    return warnings;
}

/** Keys set for this project in the stack config. */
function presentKeys(namespace: string): Set<string> {
    const prefix = `${namespace}:`;
    return new Set(Object.keys(pulumi.runtime.allConfig())
        .filter((k) => k.startsWith(prefix))
        .map((k) => k.slice(prefix.length)));
}

function suggestion(key: string): string {
    const lower = key.toLowerCase();
    const near = [...STACK_CONFIG_KEYS].find((k) => k.toLowerCase() === lower || editDistance(k.toLowerCase(), lower) <= 2);
    return near ? ` (did you mean ${near}?)` : "";
}

