// Small named validators for LambdaCollector's arguments. Each returns problems as
// one line each (naming the field, echoing the value, saying the fix) and never
// throws; `resolveArgs` gathers them so every problem is reported at once.
import * as pulumi from "@pulumi/pulumi";
import { checkCollectorConfigText, formatFinding, ruleOf } from "../rules";
import {
    ARCHITECTURES,
    ENVIRONMENT_LIMIT_BYTES,
    environmentBytes,
    IMAGE,
    LOG_RETENTION_DAYS,
    MEMORY_MB,
    RESERVED_ENVIRONMENT_KEYS,
    RUNTIME_ENVIRONMENT_KEYS,
    TIMEOUT_SECONDS,
    TOKEN_ENV_VAR,
    type Architecture,
} from "../rules/lambda-facts";
import { DEFAULTS, GENERATED_TOKEN_LENGTH, type LambdaCollectorArgs } from "./args";
import { BASE_IMAGE_NAMES, BASE_IMAGES_OF, baseImageReference, parseImageReference, PINNED_IMAGES, type BaseImageName } from "./collector-image";
import { DISTRIBUTIONS, distributionComponents, LAMBDA_DISTRIBUTION, type Distribution } from "./lambda-distribution";
import { defaultCollectorConfig } from "./default-config";

/** The arguments with every default applied. */
export interface Settings {
    readonly collectorConfig: string;
    readonly environment: Record<string, pulumi.Input<string>>;
    readonly allowUnauthenticated: boolean;
    readonly memorySize: number;
    readonly timeout: number;
    readonly logRetentionDays: number;
    readonly architecture: Architecture;
    readonly functionName: string | undefined;
    readonly keepImages: number;
    readonly forceDeleteRepository: boolean;
    readonly collectorVersion: string;
    readonly adapterVersion: string;
    readonly buildOnPreview: boolean;
    /** Whole references of the base images to build from. */
    readonly baseImages: Readonly<Record<BaseImageName, string>>;
    readonly distribution: Distribution;
}

/** What validation found: problems stop the deployment, warnings are logged by the component. */
export interface Resolved {
    readonly settings: Settings;
    readonly warnings: readonly string[];
}

/**
 * Applies {@link DEFAULTS} and checks every argument known at preview, the collector
 * config included. Throws one `RunError` listing every problem, one line each.
 * Config findings whose rule the registry marks `warn` come back as warnings.
 */
export function resolveArgs(name: string, args: LambdaCollectorArgs): Resolved {
    const settings: Settings = {
        collectorConfig: args.collectorConfig ?? defaultCollectorConfig(),
        environment: args.environment ?? {},
        allowUnauthenticated: args.allowUnauthenticated ?? DEFAULTS.allowUnauthenticated,
        memorySize: args.memorySize ?? DEFAULTS.memorySize,
        timeout: args.timeout ?? DEFAULTS.timeout,
        logRetentionDays: args.logRetentionDays ?? DEFAULTS.logRetentionDays,
        architecture: args.architecture ?? DEFAULTS.architecture,
        functionName: args.functionName,
        keepImages: args.keepImages ?? DEFAULTS.keepImages,
        forceDeleteRepository: args.forceDeleteRepository ?? DEFAULTS.forceDeleteRepository,
        collectorVersion: args.collectorVersion ?? DEFAULTS.collectorVersion,
        adapterVersion: args.adapterVersion ?? DEFAULTS.adapterVersion,
        buildOnPreview: args.buildOnPreview ?? DEFAULTS.buildOnPreview,
        baseImages: resolveBaseImages(args),
        distribution: args.distribution ?? DEFAULTS.distribution,
    };
    const config = configFindings(settings);
    const problems = [
        rangeProblem("memorySize", settings.memorySize, MEMORY_MB, "MB"),
        rangeProblem("timeout", settings.timeout, TIMEOUT_SECONDS, "seconds"),
        rangeProblem("keepImages", settings.keepImages, { min: 1, max: 1000 }, "images"),
        logRetentionProblem(settings.logRetentionDays),
        architectureProblem(settings.architecture),
        functionNameProblem(name, settings.functionName),
        imageTagProblem("collectorVersion", settings.collectorVersion, DEFAULTS.collectorVersion),
        imageTagProblem("adapterVersion", settings.adapterVersion, DEFAULTS.adapterVersion),
        ...baseImagesProblems(args),
        ...distributionProblems(args),
        ...Object.keys(settings.environment).map(environmentKeyProblem),
        ...config.problems,
        environmentSizeProblem(knownEnvironment(settings, args.ingestToken)),
    ].filter((p): p is string => p !== undefined);
    if (problems.length > 0) {
        throw new pulumi.RunError(problems.join("\n"));
    }
    return { settings, warnings: config.warnings };
}

/** The registry's rules over the config, in the deployment this component creates. */
export function configFindings(settings: Settings): { problems: string[]; warnings: string[] } {
    const findings = checkCollectorConfigText(settings.collectorConfig, {
        environmentKeys: new Set([...RUNTIME_ENVIRONMENT_KEYS, ...Object.keys(settings.environment), IMAGE.configVariable, TOKEN_ENV_VAR]),
        adapterPort: IMAGE.adapterPort,
        requireReceiverAuth: !settings.allowUnauthenticated,
        functionTimeoutSeconds: settings.timeout,
        // contrib is checked by the other rules; only a custom build narrows the component list.
        distributionComponents: settings.distribution === "lambda" ? distributionComponents(LAMBDA_DISTRIBUTION) : undefined,
    });
    const problems: string[] = [];
    const warnings: string[] = [];
    for (const finding of findings) {
        const rule = ruleOf(finding.rule);
        (rule.severity === "mandatory" && rule.component === "fail" ? problems : warnings).push(formatFinding(finding));
    }
    return { problems, warnings };
}

/** A one-line error when `value` is not an integer in [min, max], else undefined. */
export function rangeProblem(field: string, value: number, range: { min: number; max: number }, unit: string): string | undefined {
    if (!Number.isInteger(value) || value < range.min || value > range.max) {
        return `${field}: ${value} is not a whole number of ${unit} between ${range.min} and ${range.max}; set ${field} within that range`;
    }
    return undefined;
}

export function logRetentionProblem(days: number): string | undefined {
    return LOG_RETENTION_DAYS.includes(days)
        ? undefined
        : `logRetentionDays: ${days} is not a retention CloudWatch accepts; use one of ${LOG_RETENTION_DAYS.join(", ")} (0 keeps logs forever)`;
}

export function architectureProblem(architecture: string): string | undefined {
    return (ARCHITECTURES as readonly string[]).includes(architecture)
        ? undefined
        : `architecture: "${architecture}" is not a Lambda architecture; use ${ARCHITECTURES.map((a) => `"${a}"`).join(" or ")}`;
}

/** The given name, or the default `<name>-<8 hex>` (measured with a stand-in suffix). */
export function functionNameProblem(name: string, functionName: string | undefined): string | undefined {
    const candidate = functionName ?? `${name}-00000000`;
    if (/^[a-zA-Z0-9_-]{1,64}$/.test(candidate)) {
        return undefined;
    }
    return functionName !== undefined
        ? `functionName: "${functionName}" must be 1-64 letters, digits, hyphens or underscores`
        : `name: "${name}" cannot prefix a Lambda function name (1-64 letters, digits, hyphens or underscores, with 9 characters of suffix); rename the component or set functionName`;
}

export function imageTagProblem(field: string, tag: string, example: string): string | undefined {
    return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)
        ? undefined
        : `${field}: "${tag}" is not a valid image tag; use a version such as ${example}`;
}

/** The version argument that sets each base image's tag, where there is one. */
const VERSION_ARGS: Readonly<Partial<Record<BaseImageName, "collectorVersion" | "adapterVersion">>> = {
    collector: "collectorVersion",
    adapter: "adapterVersion",
};

/** Each base image's reference: the caller's, or the pinned default at the caller's version. */
function resolveBaseImages(args: LambdaCollectorArgs): Record<BaseImageName, string> {
    const given = typeof args.baseImages === "object" && args.baseImages !== null ? args.baseImages : {};
    const resolved = {} as Record<BaseImageName, string>;
    for (const name of BASE_IMAGE_NAMES) {
        const versionArg = VERSION_ARGS[name];
        const value = given[name];
        resolved[name] = baseImageReference(name, typeof value === "string" ? value : undefined, (versionArg && args[versionArg]) || PINNED_IMAGES[name].version);
    }
    return resolved;
}

/**
 * `baseImages`: an object of known names to image references; a reference that has
 * its own tag or digest cannot be combined with the version argument it overrides.
 */
export function baseImagesProblems(args: LambdaCollectorArgs): string[] {
    const value: unknown = args.baseImages;
    if (value === undefined) {
        return [];
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return [`baseImages: ${JSON.stringify(value)} is not an object; give {${BASE_IMAGE_NAMES.map((n) => `${n}?`).join(", ")}} image references`];
    }
    const problems: string[] = [];
    for (const [name, reference] of Object.entries(value)) {
        if (!(BASE_IMAGE_NAMES as readonly string[]).includes(name)) {
            problems.push(`baseImages.${name}: is not a base image of the collector image; use ${BASE_IMAGE_NAMES.join(", ")}`);
            continue;
        }
        const problem = imageReferenceProblem(`baseImages.${name}`, reference, `${PINNED_IMAGES[name as BaseImageName].repository}:${PINNED_IMAGES[name as BaseImageName].version}`);
        if (problem !== undefined) {
            problems.push(problem);
            continue;
        }
        const versionArg = VERSION_ARGS[name as BaseImageName];
        const parsed = parseImageReference(reference as string);
        if (versionArg && args[versionArg] !== undefined && !("error" in parsed) && (parsed.tag !== undefined || parsed.digest !== undefined)) {
            problems.push(`baseImages.${name}: "${String(reference)}" has its own tag or digest, so ${versionArg} "${args[versionArg]}" would be ignored; remove ${versionArg}, or give baseImages.${name} as a repository without a tag`);
        }
    }
    return problems;
}

/**
 * `distribution`: one of {@link DISTRIBUTIONS}, and no argument that the chosen
 * distribution would ignore (never a silently ignored value).
 */
export function distributionProblems(args: LambdaCollectorArgs): string[] {
    const value: unknown = args.distribution ?? DEFAULTS.distribution;
    if (typeof value !== "string" || !(DISTRIBUTIONS as readonly string[]).includes(value)) {
        return [`distribution: ${JSON.stringify(value)} is not a collector distribution; use ${DISTRIBUTIONS.map((d) => `"${d}"`).join(" or ")} (see docs/lean-distribution.md)`];
    }
    const distribution = value as Distribution;
    const problems: string[] = [];
    if (distribution === "lambda" && args.collectorVersion !== undefined) {
        problems.push(`collectorVersion: "${args.collectorVersion}" picks the contrib image, which distribution "lambda" does not use (its versions are the gomod lines of collector/lambda-distribution.yaml); remove collectorVersion, or set distribution to "contrib"`);
    }
    const given = typeof args.baseImages === "object" && args.baseImages !== null ? args.baseImages : {};
    for (const name of BASE_IMAGE_NAMES) {
        if (given[name] !== undefined && !BASE_IMAGES_OF[distribution].includes(name)) {
            problems.push(`baseImages.${name}: is not used by distribution "${distribution}", which builds from ${BASE_IMAGES_OF[distribution].join(", ")}; remove baseImages.${name}, or set distribution to "${distribution === "lambda" ? "contrib" : "lambda"}"`);
        }
    }
    return problems;
}

/** A one-line error when `reference` is not an image reference Docker accepts in FROM, else undefined. */
export function imageReferenceProblem(field: string, reference: unknown, example: string): string | undefined {
    if (typeof reference !== "string") {
        return `${field}: ${JSON.stringify(reference)} is not a string; give an image reference such as ${example}`;
    }
    const parsed = parseImageReference(reference);
    return "error" in parsed
        ? `${field}: "${reference}" is not an image reference (${parsed.error}); use [registry/]repository[:tag][@sha256:digest], e.g. ${example}`
        : undefined;
}

const KEY_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]+$/;

/** A caller-chosen environment key that Lambda refuses, or that the component sets itself. */
export function environmentKeyProblem(key: string): string | undefined {
    if (key === IMAGE.configVariable) {
        return `environment.${key}: is set by the component; pass the config as collectorConfig`;
    }
    if (key === TOKEN_ENV_VAR) {
        return `environment.${key}: is set by the component; pass the token as ingestToken`;
    }
    if (!KEY_PATTERN.test(key)) {
        return `environment.${key}: is not a valid Lambda environment variable name; use letters, digits and underscores, starting with a letter`;
    }
    if (RESERVED_ENVIRONMENT_KEYS.has(key)) {
        return `environment.${key}: is reserved by Lambda and cannot be set; choose another name`;
    }
    return undefined;
}

/** The environment as far as it is known at preview: unknown values count as empty, a generated token at its fixed length. */
function knownEnvironment(settings: Settings, ingestToken: LambdaCollectorArgs["ingestToken"]): Record<string, string> {
    const known: Record<string, string> = {};
    for (const [key, value] of Object.entries(settings.environment)) {
        known[key] = typeof value === "string" ? value : "";
    }
    known[IMAGE.configVariable] = settings.collectorConfig;
    known[TOKEN_ENV_VAR] = typeof ingestToken === "string" ? ingestToken : "x".repeat(ingestToken === undefined ? GENERATED_TOKEN_LENGTH : 0);
    return known;
}

const SIZE_HINT = "remove comments and unused components from the collector config, or shorten the values";

/** A one-line error when the environment is over Lambda's limit, else undefined. */
export function environmentSizeProblem(variables: Readonly<Record<string, string>>): string | undefined {
    const bytes = environmentBytes(variables);
    if (bytes <= ENVIRONMENT_LIMIT_BYTES) {
        return undefined;
    }
    const largest = Object.entries(variables)
        .map(([key, value]) => ({ key, bytes: Buffer.byteLength(value, "utf8") }))
        .sort((a, b) => b.bytes - a.bytes)[0];
    return `environment: ${bytes} bytes is over Lambda's ${ENVIRONMENT_LIMIT_BYTES}-byte limit for all variables together; the largest is ${largest.key} (${largest.bytes} bytes): ${SIZE_HINT}`;
}
