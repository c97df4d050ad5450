// The stack program's config glue (not part of the published library): turns the
// stack's Pulumi config into LambdaCollector arguments. Every key is checked: an
// unknown or misplaced key is an error, never silently ignored.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { debugBackend, endpointProblem, headerNameProblem, honeycombBackend, otlpHttpBackend, secretValueProblem, type BackendConfig } from "./components/backends";
import { SECRET_STORES, type BaseImages, type LambdaCollectorArgs, type SecretStore } from "./components/args";
import { BASE_IMAGE_NAMES } from "./components/collector-image";
import { kmsKeyArnProblem, secretArnProblem } from "./components/secret-store";
import { producersProblems, tokenProblem } from "./components/tokens";
import { environmentKeyProblem, logRetentionProblem, rangeProblem, reservedConcurrencyProblem } from "./components/validate";
import { DISTRIBUTIONS, type Distribution } from "./components/lambda-distribution";
import { ARCHITECTURES, MEMORY_MB, TIMEOUT_SECONDS, type Architecture } from "./rules/lambda-facts";
import { editDistance } from "./rules/edit-distance";

/** Which keys each backend reads; a key set for another backend is an error. */
const BACKEND_KEYS = {
    debug: [],
    honeycomb: ["honeycombApiKey", "honeycombEndpoint", "honeycombMetricsDataset"],
    otlphttp: ["otlpEndpoint", "otlpHeaders", "allowInsecureBackend"],
} as const satisfies Record<string, readonly string[]>;
type BackendName = keyof typeof BACKEND_KEYS;

const CUSTOM_CONFIG_KEYS = ["collectorConfigFile", "collectorEnvironment"] as const;
const FUNCTION_KEYS = [
    "ingestToken", "producers", "producerTokens", "secretStore", "secretArns", "secretKmsKeyArn", "reservedConcurrency",
    "allowUnauthenticated", "memorySize", "timeout", "logRetentionDays", "architecture",
    "functionName", "keepImages", "forceDeleteRepository", "collectorVersion", "adapterVersion", "buildOnPreview",
    "baseImages", "preTrafficCheck", "dashboard", "alarms", "alarmTopicArn", "distribution",
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

/** Every stack config key this program reads (without the project namespace). */
export const STACK_CONFIG_KEYS: ReadonlySet<string> = new Set<string>([
    "backend", ...CUSTOM_CONFIG_KEYS, ...FUNCTION_KEYS, ...Object.values(BACKEND_KEYS).flat(), ...RUNTIME_KEYS,
]);

/**
 * Reads the stack config (namespace = project name) into component arguments.
 * `projectDir` resolves `collectorConfigFile`.
 */
export function readStackConfig(projectDir: string = process.cwd()): LambdaCollectorArgs {
    const config = new pulumi.Config();
    const set = presentKeys(config.name);
    const errors: string[] = [...misspeltNamespaces(config.name)];
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
            errors.push(`${config.name}:${key}: is stored in plain text in Pulumi.${pulumi.getStack()}.yaml (a ${raw.length}-character value); set it as a secret: pulumi config set --secret ${key} ${secretExample(key)}`);
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
    const architecture = config.get("architecture");
    if (architecture !== undefined && !(ARCHITECTURES as readonly string[]).includes(architecture)) {
        throw new pulumi.RunError(`${config.name}:architecture: "${architecture}" is not a Lambda architecture; use ${ARCHITECTURES.join(" or ")}`);
    }
    const key = (name: string): string => `${config.name}:${name}`;
    const memorySize = wholeNumber(config, "memorySize", "MB");
    const logRetentionDays = wholeNumber(config, "logRetentionDays", "days");
    const keepImages = wholeNumber(config, "keepImages", "images");
    const reservedConcurrency = wholeNumber(config, "reservedConcurrency", "concurrent executions");
    const ingestToken = config.get("ingestToken");
    const producers = stringList(config, "producers");
    const producerTokens = secretStringMap(config, "producerTokens");
    const secretStore = config.get("secretStore");
    const secretArns = stringList(config, "secretArns");
    const secretKmsKeyArn = config.get("secretKmsKeyArn");
    const problems = [
        memorySize === undefined ? undefined : rangeProblem(key("memorySize"), memorySize, MEMORY_MB, "MB"),
        timeout === undefined ? undefined : rangeProblem(key("timeout"), timeout, TIMEOUT_SECONDS, "seconds"),
        logRetentionDays === undefined ? undefined : logRetentionProblem(logRetentionDays)?.replace(/^logRetentionDays/, key("logRetentionDays")),
        keepImages === undefined ? undefined : rangeProblem(key("keepImages"), keepImages, { min: 1, max: 1000 }, "images"),
        reservedConcurrency === undefined ? undefined : reservedConcurrencyProblem(reservedConcurrency)?.replace(/^reservedConcurrency/, key("reservedConcurrency")),
        ingestToken === undefined ? undefined : tokenProblem(key("ingestToken"), ingestToken),
        ...(producers === undefined ? [] : producersProblems(key("producers"), producers)),
        ...Object.entries(rawStringMap(config, "producerTokens") ?? {}).map(([name, token]) => tokenProblem(`${key("producerTokens")}.${name}`, token)),
        secretStore === undefined || (SECRET_STORES as readonly string[]).includes(secretStore)
            ? undefined
            : `${key("secretStore")}: "${secretStore}" is not a secret store; use ${SECRET_STORES.join(" or ")}`,
        ...(secretArns ?? []).map((arn, i) => secretArnProblem(`${key("secretArns")}[${i}]`, arn)),
        secretKmsKeyArn === undefined ? undefined : kmsKeyArnProblem(key("secretKmsKeyArn"), secretKmsKeyArn),
        ...Object.keys(configFile !== undefined ? source.environment : {}).map((name) => environmentKeyProblem(key("collectorEnvironment"), name)),
        ...Object.entries(configFile !== undefined ? rawStringMap(config, "collectorEnvironment") ?? {} : {}).map(([name, value]) => environmentValueProblem(`${key("collectorEnvironment")}.${name}`, value)),
    ].filter((p): p is string => p !== undefined);
    if (problems.length > 0) {
        throw new pulumi.RunError(problems.join("\n"));
    }
    const distribution = config.get("distribution");
    if (distribution !== undefined && !(DISTRIBUTIONS as readonly string[]).includes(distribution)) {
        throw new pulumi.RunError(`${config.name}:distribution: "${distribution}" is not a collector distribution; use ${DISTRIBUTIONS.join(" or ")} (pulumi config set distribution lambda; see docs/lean-distribution.md)`);
    }
    return {
        collectorConfig: source.collectorConfig,
        environment: source.environment,
        ingestToken: ingestToken === undefined ? undefined : pulumi.secret(ingestToken),
        producers,
        producerTokens,
        secretStore: secretStore as SecretStore | undefined,
        secretArns,
        secretKmsKeyArn,
        reservedConcurrency,
        allowUnauthenticated: booleanOf(config, "allowUnauthenticated"),
        memorySize,
        timeout,
        logRetentionDays,
        architecture: architecture as Architecture | undefined,
        functionName: config.get("functionName"),
        keepImages,
        forceDeleteRepository: booleanOf(config, "forceDeleteRepository"),
        collectorVersion: config.get("collectorVersion"),
        adapterVersion: config.get("adapterVersion"),
        buildOnPreview: booleanOf(config, "buildOnPreview"),
        baseImages: baseImages(config),
        preTrafficCheck: booleanOf(config, "preTrafficCheck"),
        dashboard: booleanOf(config, "dashboard"),
        alarms: booleanOf(config, "alarms"),
        alarmTopicArn: config.get("alarmTopicArn"),
        distribution: distribution as Distribution | undefined,
    };
}

/**
 * Runs `build` (the component, a backend preset) and rewrites its RunError so every
 * line that names an argument names the stack key instead (`timeout: ...` becomes
 * `otel-lambda-collector:timeout: ...`): the user typed the stack key, not the
 * argument. Lines already naming a stack key, and other errors, pass unchanged.
 */
export function withStackKeys<T>(namespace: string, build: () => T): T {
    try {
        return build();
    } catch (err) {
        if (!pulumi.RunError.isInstance(err)) {
            throw err;
        }
        const configFile = pulumi.runtime.allConfig()[`${namespace}:collectorConfigFile`];
        // The collector config comes from the file the user named, or from the backend preset.
        const configKey = configFile !== undefined ? `${namespace}:collectorConfigFile (${configFile})` : `${namespace}:backend`;
        const lines = (err as Error).message.split("\n").map((line) => {
            if (line.startsWith("collector config: ")) {
                return `${configKey}: ${line.slice("collector config: ".length)}`;
            }
            if (line.startsWith("environment: ")) {
                // The largest variable decides which key to shorten: one of collectorEnvironment's, or the config.
                const largest = / the largest is ([A-Za-z_][A-Za-z0-9_]*) \(/.exec(line)?.[1];
                const userVariables = Object.keys(safeJson(pulumi.runtime.allConfig()[`${namespace}:collectorEnvironment`]));
                const owner = configFile !== undefined && largest !== undefined && userVariables.includes(largest)
                    ? `${namespace}:collectorEnvironment` : configKey;
                return `${owner}: ${line}`;
            }
            const field = /^([A-Za-z]+)[.:[]/.exec(line)?.[1];
            return field !== undefined && STACK_CONFIG_KEYS.has(field) ? `${namespace}:${line}` : line;
        });
        throw new pulumi.RunError(lines.join("\n"));
    }
}

/**
 * A whole decimal number as the user wrote it, or undefined when unset. Read from
 * the raw string, not config.getNumber, which accepts `1m` as 1 and `1,024` as 1.
 */
export function wholeNumber(config: pulumi.Config, key: string, unit: string): number | undefined {
    const raw = config.get(key);
    if (raw === undefined) {
        return undefined;
    }
    if (!/^(0|[1-9][0-9]*)$/.test(raw)) {
        throw new pulumi.RunError(`${config.name}:${key}: ${JSON.stringify(raw)} is not a whole number of ${unit}; write digits only, without units, separators or spaces (e.g. pulumi config set ${key} ${exampleOf(key)})`);
    }
    return Number(raw);
}

function exampleOf(key: string): string {
    return ({ memorySize: "1024", timeout: "30", logRetentionDays: "14", keepImages: "10", reservedConcurrency: "50" } as Record<string, string>)[key] ?? "1";
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

function backendConfig(config: pulumi.Config, backend: BackendName, functionTimeoutSeconds: number | undefined): BackendConfig {
    switch (backend) {
        case "debug":
            return debugBackend();
        case "honeycomb": {
            const apiKey = required(config, "honeycombApiKey", "honeycomb", "<your Honeycomb ingest API key>");
            const endpoint = config.get("honeycombEndpoint");
            fail([
                secretValueProblem(`${config.name}:honeycombApiKey`, apiKey),
                endpoint === undefined ? undefined : endpointProblem(`${config.name}:honeycombEndpoint`, endpoint, {
                    secretHeaders: true, httpsOnly: "the API key would otherwise cross the network in clear text",
                }),
            ]);
            return honeycombBackend({ apiKey: pulumi.secret(apiKey), endpoint, metricsDataset: config.get("honeycombMetricsDataset"), functionTimeoutSeconds });
        }
        case "otlphttp": {
            const endpoint = required(config, "otlpEndpoint", "otlphttp", "https://otlp.example.com");
            const headers = rawStringMap(config, "otlpHeaders") ?? {};
            const allowInsecure = booleanOf(config, "allowInsecureBackend") ?? false;
            fail([
                endpointProblem(`${config.name}:otlpEndpoint`, endpoint, { secretHeaders: Object.keys(headers).length > 0, allowInsecure }),
                ...Object.entries(headers).flatMap(([name, value]) => [
                    headerNameProblem(`${config.name}:otlpHeaders.${name}`, name),
                    secretValueProblem(`${config.name}:otlpHeaders.${name}`, value),
                ]),
            ]);
            return otlpHttpBackend({ endpoint, headers: secretStringMap(config, "otlpHeaders"), allowInsecure, functionTimeoutSeconds });
        }
    }
}

function customConfig(config: pulumi.Config, file: string, given: string): BackendConfig {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new pulumi.RunError(`${config.name}:collectorConfigFile: cannot read "${given}" (${(err as NodeJS.ErrnoException).code ?? "error"}); give a path relative to the project folder`);
    }
    return { collectorConfig: text, environment: secretStringMap(config, "collectorEnvironment") ?? {} };
}

/** Throws one RunError listing every problem, one line each. */
function fail(problems: (string | undefined)[]): void {
    const found = problems.filter((p): p is string => p !== undefined);
    if (found.length > 0) {
        throw new pulumi.RunError(found.join("\n"));
    }
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
    for (const [name, item] of Object.entries(value)) {
        if (typeof item !== "string") {
            throw new pulumi.RunError(`${config.name}:${key}.${name}: must be a string, not ${JSON.stringify(item)}`);
        }
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
    try {
        return JSON.parse(raw) as unknown;
    } catch {
        const shown = SECRET_KEYS.has(key) ? `the ${raw.length}-character value` : JSON.stringify(raw);
        throw new pulumi.RunError(`${config.name}:${key}: ${shown} is not valid JSON; ${fix}`);
    }
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

/**
 * A one-line problem with a collectorEnvironment value, or undefined. Never echoes
 * it (the key is a secret). Empty would give the collector an empty string; space
 * around it is kept as written, never trimmed, so it is refused.
 */
function environmentValueProblem(field: string, value: string): string | undefined {
    if (value === "") {
        return `${field}: is empty, so the collector would read an empty string; set a value or remove the variable`;
    }
    if (value !== value.trim()) {
        return `${field}: the ${value.length}-character secret has space around it; remove it (the value is used exactly as written, never trimmed)`;
    }
    return undefined;
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

