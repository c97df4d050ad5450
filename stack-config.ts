// The stack program's config glue (not part of the published library): turns the
// stack's Pulumi config into LambdaCollector arguments. Every key is checked: an
// unknown or misplaced key is an error, never silently ignored.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { debugBackend, honeycombBackend, otlpHttpBackend, type BackendConfig } from "./components/backends";
import type { BaseImages, LambdaCollectorArgs } from "./components/args";
import { BASE_IMAGE_NAMES } from "./components/collector-image";
import { DISTRIBUTIONS, type Distribution } from "./components/lambda-distribution";
import { ARCHITECTURES, type Architecture } from "./rules/lambda-facts";

/** Which keys each backend reads; a key set for another backend is an error. */
const BACKEND_KEYS = {
    debug: [],
    honeycomb: ["honeycombApiKey", "honeycombEndpoint", "honeycombMetricsDataset"],
    otlphttp: ["otlpEndpoint", "otlpHeaders"],
} as const satisfies Record<string, readonly string[]>;
type BackendName = keyof typeof BACKEND_KEYS;

const CUSTOM_CONFIG_KEYS = ["collectorConfigFile", "collectorEnvironment"] as const;
const FUNCTION_KEYS = [
    "ingestToken", "allowUnauthenticated", "memorySize", "timeout", "logRetentionDays", "architecture",
    "functionName", "keepImages", "forceDeleteRepository", "collectorVersion", "adapterVersion", "buildOnPreview",
    "baseImages", "distribution",
] as const;
/** Every stack config key this program reads (without the project namespace). */
export const STACK_CONFIG_KEYS: ReadonlySet<string> = new Set<string>([
    "backend", ...CUSTOM_CONFIG_KEYS, ...FUNCTION_KEYS, ...Object.values(BACKEND_KEYS).flat(),
]);

/**
 * Reads the stack config (namespace = project name) into component arguments.
 * `projectDir` resolves `collectorConfigFile`.
 */
export function readStackConfig(projectDir: string = process.cwd()): LambdaCollectorArgs {
    const config = new pulumi.Config();
    const set = presentKeys(config.name);
    const errors: string[] = [];
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
    if (errors.length > 0) {
        throw new pulumi.RunError(errors.join("\n"));
    }

    const source: BackendConfig = configFile !== undefined
        ? customConfig(config, path.resolve(projectDir, configFile), configFile)
        : backendConfig(config, backend as BackendName);
    const architecture = config.get("architecture");
    if (architecture !== undefined && !(ARCHITECTURES as readonly string[]).includes(architecture)) {
        throw new pulumi.RunError(`${config.name}:architecture: "${architecture}" is not a Lambda architecture; use ${ARCHITECTURES.join(" or ")}`);
    }
    const distribution = config.get("distribution");
    if (distribution !== undefined && !(DISTRIBUTIONS as readonly string[]).includes(distribution)) {
        throw new pulumi.RunError(`${config.name}:distribution: "${distribution}" is not a collector distribution; use ${DISTRIBUTIONS.join(" or ")} (pulumi config set distribution lambda; see docs/lean-distribution.md)`);
    }
    return {
        collectorConfig: source.collectorConfig,
        environment: source.environment,
        ingestToken: config.getSecret("ingestToken"),
        allowUnauthenticated: config.getBoolean("allowUnauthenticated"),
        memorySize: config.getNumber("memorySize"),
        timeout: config.getNumber("timeout"),
        logRetentionDays: config.getNumber("logRetentionDays"),
        architecture: architecture as Architecture | undefined,
        functionName: config.get("functionName"),
        keepImages: config.getNumber("keepImages"),
        forceDeleteRepository: config.getBoolean("forceDeleteRepository"),
        collectorVersion: config.get("collectorVersion"),
        adapterVersion: config.get("adapterVersion"),
        buildOnPreview: config.getBoolean("buildOnPreview"),
        baseImages: baseImages(config),
        distribution: distribution as Distribution | undefined,
    };
}

/**
 * `baseImages`: an object of image references, e.g. set with
 * `pulumi config set --path baseImages.collector <reference>`. The component checks
 * the references; this checks the shape, naming the stack key.
 */
function baseImages(config: pulumi.Config): BaseImages | undefined {
    let value: unknown;
    try {
        value = config.getObject<unknown>("baseImages");
    } catch {
        throw new pulumi.RunError(`${config.name}:baseImages: is not valid JSON; set it with pulumi config set --path baseImages.collector <image reference>`);
    }
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

function backendConfig(config: pulumi.Config, backend: BackendName): BackendConfig {
    switch (backend) {
        case "debug":
            return debugBackend();
        case "honeycomb":
            return honeycombBackend({
                apiKey: config.requireSecret("honeycombApiKey"),
                endpoint: config.get("honeycombEndpoint"),
                metricsDataset: config.get("honeycombMetricsDataset"),
            });
        case "otlphttp":
            return otlpHttpBackend({
                endpoint: config.require("otlpEndpoint"),
                headers: secretStringMap(config, "otlpHeaders"),
            });
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

/**
 * A JSON object of strings from config. Its keys must be known at preview (they
 * become header names or variable names the config is checked against), so the
 * object is read directly and every value is re-wrapped as a secret.
 */
function secretStringMap(config: pulumi.Config, key: string): Record<string, pulumi.Output<string>> | undefined {
    let value: unknown;
    try {
        value = config.getObject<unknown>(key);
    } catch {
        throw new pulumi.RunError(`${config.name}:${key}: is not valid JSON; set it with pulumi config set --secret ${key} '{"NAME":"value"}'`);
    }
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

function editDistance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let previous = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const current = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
            previous = current;
        }
    }
    return row[b.length];
}
