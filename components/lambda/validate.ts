// Small named validators for LambdaCollector's arguments. Each returns problems as
// one line each (naming the field, echoing the value, saying the fix) and never
// throws; `resolveArgs` gathers them so every problem is reported at once.
import * as pulumi from "@pulumi/pulumi";
import { checkCollectorConfigText, formatFinding, parseCollectorConfig, ruleOf } from "../../rules";
import { editDistance } from "../../rules/edit-distance";
import { printableLine } from "../../rules/printable";
import { CATALOGUE_VERSION } from "../../rules/catalogue";
import {
    ARCHITECTURES,
    ENVIRONMENT_LIMIT_BYTES,
    environmentBytes,
    IMAGE,
    MEMORY_MB,
    reservedEnvironmentKey,
    RUNTIME_ENVIRONMENT_KEYS,
    SECRET_ARN_ENV_VAR,
    SECRET_VERSION_ENV_VAR,
    TIMEOUT_SECONDS,
    TOKEN_ENV_VAR,
    TOKENS_ENV_VAR,
    type Architecture,
} from "../../rules/lambda-facts";
import { DEFAULTS, GENERATED_TOKEN_LENGTH, KEEP_VERSIONS_RANGE, ROTATION_PHASES, SECRET_STORES, type LambdaCollectorArgs, type SecretStore, type TokenRotation } from "./args";
import { configPermissions, grantedActions } from "./permissions";
import { generationsOf } from "../shared/tokens/producer-tokens";
import { BASE_IMAGE_NAMES, BASE_IMAGES_OF, PINNED_IMAGES, type BaseImageName } from "../shared/image/collector-image";
import { DISTRIBUTIONS, distributionComponents, LAMBDA_DISTRIBUTION, type Distribution } from "./distribution";
import { alarmTopicProblem } from "./dashboard";
import { collectorBinaryProblem, runCollectorValidate } from "../shared/collector-validate";
import { checkCollectorValidation, type CollectorValidation } from "../../rules/collector-validate";
import { defaultCollectorConfig } from "../shared/config-sources/default-config";
import { kmsKeyArnProblem, moveToSecretStore, readsLegacyToken, readsVariable, secretArnProblem } from "../shared/secrets/secret-store";
import { MIN_TOKEN_LENGTH, producersProblems, tokenProblem, tokensYamlList } from "../shared/tokens/tokens";
import { configText } from "../shared/config-sources/config-text";
import { cleanRunError } from "../shared/run-error";
import { described, isPlainObject, kindProblems, memberField, PLAIN, showValue, typeName, type ArgKind } from "../shared/arg-types";
import { architectureProblem, logRetentionProblem, rangeProblem } from "../shared/ranges";
import { baseImagesProblems, imageReferenceProblem, imageTagProblem, resolveBaseImages } from "../shared/image/image-args";

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
    /** Producer names, in order; the first is the one `ingestToken`/`producerEnvironment` describe. */
    readonly producers: readonly string[];
    /** Given tokens by producer name (`ingestToken` counts for the first name). */
    readonly producerTokens: Readonly<Record<string, pulumi.Input<string>>>;
    /** Token rotations by producer name. */
    readonly tokenRotation: Readonly<Record<string, TokenRotation>>;
    readonly secretStore: SecretStore;
    readonly secretArns: readonly string[];
    readonly secretKmsKeyArn: string | undefined;
    readonly reservedConcurrency: number | undefined;
    /** The caller's config reads the single-token variable of earlier versions. */
    readonly legacyTokenVariable: boolean;
    /**
     * The config as deployed: the caller's, or with secretStore "secretsmanager" each
     * `${env:NAME}` of a stored variable rewritten to a `${secretsmanager:...}` reference.
     */
    readonly deployedConfig: string;
    readonly distribution: Distribution;
    /** A collector binary whose `validate` judges the config at preview (validateWith). */
    readonly validateWith: string | undefined;
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
    const typeProblems = argumentTypesProblems(args);
    if (typeProblems.length > 0) {
        throw new pulumi.RunError(oneLineEach(typeProblems));
    }
    const settings: Settings = {
        collectorConfig: args.collectorConfig ?? defaultCollectorConfig(),
        environment: escapedEnvironment(args.environment ?? {}, args.collectorConfig ?? defaultCollectorConfig()),
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
        ...tokenSettings(args),
        distribution: args.distribution ?? DEFAULTS.distribution,
        validateWith: args.validateWith,
    };
    const config = configFindings(settings);
    const problems = [
        ...tokenArgumentProblems(args, settings),
        secretStoreProblem(settings.secretStore),
        ...settings.secretArns.map((arn, i) => secretArnProblem(`secretArns[${i}]`, arn)),
        settings.secretKmsKeyArn === undefined ? undefined : kmsKeyArnProblem("secretKmsKeyArn", settings.secretKmsKeyArn),
        settings.secretKmsKeyArn !== undefined && settings.secretStore !== "secretsmanager"
            ? `secretKmsKeyArn: is only used with secretStore "secretsmanager"; remove it or set secretStore to "secretsmanager"`
            : undefined,
        settings.reservedConcurrency === undefined ? undefined : reservedConcurrencyProblem(settings.reservedConcurrency),
        alarmTopicProblem(args.alarmTopicArn),
        args.alarmTopicArn !== undefined && args.alarms === false
            ? `alarmTopicArn: is only notified by the alarms, which alarms: false turns off; remove alarmTopicArn or set alarms: true`
            : undefined,
        settings.legacyTokenVariable && settings.producers.length > 1
            ? `collectorConfig: reads \${env:${TOKEN_ENV_VAR}}, which holds only the first producer's token, so producers ${settings.producers.slice(1).join(", ")} would get 401; write tokens: \${env:${TOKENS_ENV_VAR}} in the bearertokenauth extension instead of token:`
            : undefined,
        rangeProblem("memorySize", settings.memorySize, MEMORY_MB, "MB"),
        rangeProblem("timeout", settings.timeout, TIMEOUT_SECONDS, "seconds"),
        rangeProblem("keepImages", settings.keepImages, { min: 1, max: 1000 }, "images"),
        args.keepVersions === undefined ? undefined : rangeProblem("keepVersions", args.keepVersions, KEEP_VERSIONS_RANGE, "versions"),
        logRetentionProblem(settings.logRetentionDays),
        architectureProblem(settings.architecture),
        functionNameProblem(name, settings.functionName),
        imageTagProblem("collectorVersion", settings.collectorVersion, DEFAULTS.collectorVersion),
        imageTagProblem("adapterVersion", settings.adapterVersion, DEFAULTS.adapterVersion),
        ...baseImagesProblems(args),
        ...distributionProblems(args),
        settings.validateWith === undefined ? undefined : collectorBinaryProblem("validateWith", settings.validateWith),
        ...Object.keys(settings.environment).map((key) => environmentKeyProblem("environment", key)),
        ...Object.entries(args.environment ?? {}).map(([key, value]) => typeof value === "string" ? environmentValueProblem(`environment.${key}`, value) : undefined),
        ...config.problems,
        environmentSizeProblem(knownEnvironment(settings), environmentOrigins(settings)),
    ].filter((p): p is string => p !== undefined);
    if (problems.length > 0) {
        throw new pulumi.RunError(oneLineEach(problems));
    }
    const warnings = [...config.warnings];
    if (!settings.legacyTokenVariable && !readsVariable(settings.collectorConfig, TOKENS_ENV_VAR)) {
        warnings.push(`collectorConfig: does not read \${env:${TOKENS_ENV_VAR}}, so the producers' tokens (producerEnvironments, ingestToken) are not what the collector checks; write tokens: \${env:${TOKENS_ENV_VAR}} in its bearertokenauth extension, or ignore this if it authenticates producers another way`);
    }
    if (settings.reservedConcurrency !== undefined && settings.reservedConcurrency > 900) {
        warnings.push(`reservedConcurrency: ${settings.reservedConcurrency} leaves less than 100 of a default 1000-per-region account limit unreserved, which Lambda refuses; check your account's limit (Service Quotas) or lower it`);
    }
    return { settings, warnings };
}

/** Problems joined one per line; a line break inside an echoed value is escaped so each stays one line. */
function oneLineEach(problems: readonly string[]): string {
    return problems.map(printableLine).join("\n");
}

/** The token, secret-store and concurrency settings, with defaults applied. */
function tokenSettings(args: LambdaCollectorArgs): Pick<Settings,
    "producers" | "producerTokens" | "tokenRotation" | "secretStore" | "secretArns" | "secretKmsKeyArn" | "reservedConcurrency" | "legacyTokenVariable" | "deployedConfig"> {
    const producers = args.producers ?? [...DEFAULTS.producers];
    const producerTokens: Record<string, pulumi.Input<string>> = { ...(args.producerTokens ?? {}) };
    if (args.ingestToken !== undefined && producers.length > 0 && !(producers[0] in producerTokens)) {
        producerTokens[producers[0]] = args.ingestToken;
    }
    const collectorConfig = args.collectorConfig ?? defaultCollectorConfig();
    const secretStore = args.secretStore ?? DEFAULTS.secretStore;
    const legacyTokenVariable = readsLegacyToken(collectorConfig);
    const stored = [...Object.keys(args.environment ?? {}), TOKENS_ENV_VAR, ...(legacyTokenVariable ? [TOKEN_ENV_VAR] : [])];
    return {
        producers,
        producerTokens,
        tokenRotation: args.tokenRotation ?? {},
        secretStore,
        secretArns: args.secretArns ?? [],
        secretKmsKeyArn: args.secretKmsKeyArn,
        reservedConcurrency: args.reservedConcurrency,
        legacyTokenVariable,
        deployedConfig: secretStore === "secretsmanager" ? moveToSecretStore(collectorConfig, new Set(stored)) : collectorConfig,
    };
}

/** Problems with `producers`, `producerTokens` and `ingestToken` that are known at preview. */
function tokenArgumentProblems(args: LambdaCollectorArgs, settings: Settings): (string | undefined)[] {
    const problems: (string | undefined)[] = producersProblems("producers", settings.producers);
    if (args.ingestToken !== undefined && args.producerTokens !== undefined && settings.producers[0] in args.producerTokens) {
        problems.push(`ingestToken: is the token of the first producer, "${settings.producers[0]}", which producerTokens also sets; set it in one place`);
    }
    const fieldOfToken = new Map<string, string>();
    for (const [name, token] of Object.entries(settings.producerTokens)) {
        const field = tokenField(args, settings, name);
        if (!settings.producers.includes(name)) {
            problems.push(`${field}: "${name}" is not a name in producers; add it to producers or remove its token`);
        } else if (typeof token === "string") {
            problems.push(tokenProblem(field, token));
            // One token for two producers: the collector cannot tell them apart, and
            // revoking one revokes both. Names the fields, never the token.
            const earlier = fieldOfToken.get(token);
            if (earlier !== undefined) {
                problems.push(`${field}: is the same token as ${earlier}; give each producer its own token, so each can be told apart and revoked alone`);
            }
            fieldOfToken.set(token, field);
        }
    }
    problems.push(...tokenRotationProblems(args, settings));
    return problems;
}

/** The most generations a rotation may name: far beyond any schedule, and a bound on the resource names. */
export const MAX_TOKEN_GENERATION = 1000;

/** Problems with `tokenRotation`: known producers, generated tokens, a whole generation of at least 2, a known phase. */
export function tokenRotationProblems(args: Pick<LambdaCollectorArgs, "ingestToken" | "producerTokens">, settings: Pick<Settings, "tokenRotation" | "producers" | "producerTokens">): string[] {
    const problems: string[] = [];
    for (const [producer, rotation] of Object.entries(settings.tokenRotation)) {
        const field = memberField("tokenRotation", producer);
        if (!settings.producers.includes(producer)) {
            problems.push(`${field}: "${producer}" is not a name in producers; rotate a producer that exists`);
            continue;
        }
        if (settings.producerTokens[producer] !== undefined) {
            problems.push(`${field}: ${producer}'s token is given (${tokenField(args, settings, producer)}), so the component cannot make its next one; remove the given token to have one generated and rotated here, or rotate a given token by adding a producer name (docs/tokens.md)`);
            continue;
        }
        if (!isPlainObject(rotation)) {
            problems.push(`${field}: ${showValue(rotation)} is not an object; give {generation: 2, phase: "overlap"}`);
            continue;
        }
        for (const key of Object.keys(rotation)) {
            if (key !== "generation" && key !== "phase") {
                problems.push(`${memberField(field, key)}: is not a setting of a rotation; use generation and phase`);
            }
        }
        const generation: unknown = rotation.generation;
        if (typeof generation !== "number" || !Number.isSafeInteger(generation) || generation < 2 || generation > MAX_TOKEN_GENERATION) {
            problems.push(`${field}.generation: ${showValue(generation)} is not a whole number from 2 to ${MAX_TOKEN_GENERATION}; give the generation to rotate to (2 for a producer's first rotation, one more than the last after that)`);
        }
        const phase: unknown = rotation.phase;
        if (phase !== undefined && !(ROTATION_PHASES as readonly unknown[]).includes(phase)) {
            problems.push(`${field}.phase: ${showValue(phase)} is not a phase of a rotation; use "overlap" (both tokens accepted), "switched" (producerEnvironments gives the new one), or leave it out (the old token retired)`);
        }
    }
    return problems;
}

/** The argument a producer's given token came from: `ingestToken` for the first name, else `producerTokens.<name>`. */
export function tokenField(args: Pick<LambdaCollectorArgs, "ingestToken" | "producerTokens">, settings: Pick<Settings, "producers">, producer: string): string {
    return args.ingestToken !== undefined && producer === settings.producers[0] && !(producer in (args.producerTokens ?? {}))
        ? "ingestToken"
        : `producerTokens.${producer}`;
}

export function secretStoreProblem(store: string): string | undefined {
    return (SECRET_STORES as readonly string[]).includes(store)
        ? undefined
        : `secretStore: "${store}" is not a secret store; use ${SECRET_STORES.map((s) => `"${s}"`).join(" or ")}`;
}

/**
 * Reserved concurrency: a whole number of at least 1 (0 would stop every
 * invocation). The upper bound is the account's concurrency limit minus the 100
 * Lambda keeps unreserved, which only AWS knows; it refuses a higher value.
 */
export function reservedConcurrencyProblem(value: number): string | undefined {
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
        // Above 2^53 a number is no longer exact (9007199254740993 arrives as ...992): refused, never rounded.
        return `reservedConcurrency: ${value} is above ${Number.MAX_SAFE_INTEGER}, so it is not kept exactly; give the most concurrent executions you will pay for (your account's limit is in Service Quotas)`;
    }
    if (!Number.isInteger(value) || value < 1) {
        return `reservedConcurrency: ${value} is not a whole number of at least 1; set the most concurrent executions you will pay for, or leave it unset for no ceiling (0 would refuse every request)`;
    }
    return undefined;
}

/**
 * The registry's rules over the config, in the deployment this component creates:
 * references resolve in the function environment as far as it is known at preview
 * (plain strings; Outputs and the token are set but unknown).
 */
export function configFindings(settings: Settings): { problems: string[]; warnings: string[] } {
    const known = knownValues(settings.environment);
    // validateWith runs here when every value is known now; else the component runs it
    // once they are (validateWithProblem). A binary that cannot run is its own problem.
    const collectorValidation = settings.validateWith !== undefined && known !== undefined && collectorBinaryProblem("validateWith", settings.validateWith) === undefined
        ? collectorVerdict(settings, known, Object.values(known))
        : undefined;
    const environment: Record<string, string | undefined> = {};
    for (const key of RUNTIME_ENVIRONMENT_KEYS) environment[key] = undefined;
    // The image sets AWS_LWA_PORT (collector/Dockerfile; IMAGE.adapterPort).
    environment.AWS_LWA_PORT = String(IMAGE.adapterPort);
    for (const [key, value] of Object.entries(settings.environment)) {
        environment[key] = typeof value === "string" ? value : undefined;
    }
    environment[IMAGE.configVariable] = settings.collectorConfig;
    // The token values are credentials, unknown until generated; their shape is not:
    // a YAML list of one token per producer (components/shared/tokens/tokens.ts), so the rules can
    // check what bearertokenauth receives. The single-token variable is a string.
    // With no producer (reported as a problem of `producers`) the variable stays unknown.
    environment[TOKENS_ENV_VAR] = settings.producers.length > 0 ? tokensYamlList(acceptedTokenStandIns(settings).map(() => "x".repeat(GENERATED_TOKEN_LENGTH))) : undefined;
    environment[TOKEN_ENV_VAR] = undefined;
    const findings = checkCollectorConfigText(settings.collectorConfig, {
        environmentKeys: new Set(Object.keys(environment)),
        environment,
        adapterPort: IMAGE.adapterPort,
        requireReceiverAuth: !settings.allowUnauthenticated,
        functionTimeoutSeconds: settings.timeout,
        // The component grants what the config needs (components/lambda/permissions.ts).
        grantedActions: grantedActions(configPermissions(settings.collectorConfig)),
        // contrib is checked by the other rules; only a custom build narrows the component list.
        distributionComponents: settings.distribution === "lambda" ? distributionComponents(LAMBDA_DISTRIBUTION) : undefined,
        collectorValidation,
    });
    const problems: string[] = [];
    const warnings: string[] = [];
    // The catalogue describes one collector version; with another, its verdict on
    // component types is reported but does not stop the deployment.
    const otherVersion = settings.collectorVersion !== CATALOGUE_VERSION;
    if (otherVersion) {
        warnings.push(`collectorVersion: "${settings.collectorVersion}" is not ${CATALOGUE_VERSION}, the otelcol-contrib version whose catalogue the config rules were checked against; component types, queue defaults and buffering facts are those of ${CATALOGUE_VERSION}, and unknown component types are only warned about`);
    }
    for (const finding of findings) {
        const rule = ruleOf(finding.rule);
        const fails = rule.severity === "mandatory" && rule.component === "fail" && !(otherVersion && rule.id === "unknown-component-type");
        const text = formatFinding(finding);
        (fails ? problems : warnings).push(rule.id === "collector-validate" ? `validateWith: ${text}` : text);
    }
    return { problems, warnings };
}

/** The environment's values when every one is a plain string now; undefined while any is an Output or a Promise. */
function knownValues(environment: Settings["environment"]): Record<string, string> | undefined {
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(environment)) {
        if (typeof value !== "string") return undefined;
        values[key] = value;
    }
    return values;
}

/**
 * The collector's verdict on the caller's config, in the function's environment as
 * far as it is known: the given values (secrets among them, passed only by
 * environment and redacted from its words), the image's AWS_LWA_PORT and stand-ins of
 * the token variables' shape (their values are generated credentials). Lambda's own
 * variables (AWS_REGION, ...) are unset. With secretStore "secretsmanager" the deployed
 * config reads the same values through \${secretsmanager:...}, which would need AWS;
 * the caller's config with the values in the environment is the same config.
 */
function collectorVerdict(settings: Settings, values: Readonly<Record<string, string>>, secrets: readonly string[]): CollectorValidation {
    const binary = settings.validateWith as string;
    const standIn = "x".repeat(GENERATED_TOKEN_LENGTH);
    const environment: Record<string, string> = {
        AWS_LWA_PORT: String(IMAGE.adapterPort),
        [TOKENS_ENV_VAR]: tokensYamlList(settings.producers.map(() => standIn)),
        ...(settings.legacyTokenVariable ? { [TOKEN_ENV_VAR]: standIn } : {}),
        ...values,
    };
    const result = runCollectorValidate({ binary, configs: [settings.collectorConfig], environment, secrets });
    // No verdict (a timeout, a crash) fails closed, in the collector's finding.
    return result.ok ? result.validation : { binary, error: result.problem };
}

/**
 * validateWith once every environment value is known (the component calls it inside
 * an apply): the collector's error as the one line the deployment fails with, naming
 * the key; undefined when it accepts the config. Every value is treated as a secret.
 */
export function validateWithProblem(settings: Settings, values: Readonly<Record<string, string>>): string | undefined {
    const validation = collectorVerdict(settings, values, Object.values(values));
    const parsed = parseCollectorConfig(settings.collectorConfig);
    const finding = parsed.ok ? checkCollectorValidation(parsed.config, { collectorValidation: validation })[0] : undefined;
    return finding ? `validateWith: ${formatFinding(finding)}` : undefined;
}

/** True when validateWith must wait for values unknown at construction. */
export function validatesLater(settings: Settings): boolean {
    return settings.validateWith !== undefined && knownValues(settings.environment) === undefined;
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

const KEY_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]+$/;

/**
 * A caller-chosen environment key that Lambda refuses, that the image or the
 * component sets itself, or that changes how the image runs. `field` is how the
 * caller named the map: `environment` for the component, the stack key
 * (`otel-lambda-collector:collectorEnvironment`) for a stack.
 */
export function environmentKeyProblem(field: string, key: string): string | undefined {
    if (key === IMAGE.configVariable) {
        return `${field}.${key}: is set by the component; pass the config as collectorConfig`;
    }
    if (key === TOKENS_ENV_VAR || key === TOKEN_ENV_VAR) {
        return `${field}.${key}: is set by the component; give producer tokens as ingestToken or producerTokens`;
    }
    if (key === SECRET_ARN_ENV_VAR || key === SECRET_VERSION_ENV_VAR) {
        return `${field}.${key}: is set by the component for secretStore "secretsmanager"; choose another name`;
    }
    if (!KEY_PATTERN.test(key)) {
        return `${field}.${key}: is not a valid Lambda environment variable name; use at least two characters, letters, digits and underscores, starting with a letter (Lambda's pattern [a-zA-Z][a-zA-Z0-9_]+)`;
    }
    const reserved = reservedEnvironmentKey(key);
    if (reserved) {
        return `${field}.${key}: ${reserved}; choose another name`;
    }
    return undefined;
}

/**
 * A one-line problem with an `environment` value, or undefined. Never echoes it (it
 * may be a secret). Empty would give the collector an empty string (write
 * `${env:NAME:-}` in the config for that); space around it is kept as written, never
 * trimmed, so it is refused.
 */
export function environmentValueProblem(field: string, value: string): string | undefined {
    if (value === "") {
        return `${field}: is empty, so the collector would read an empty string; set a value or remove the variable`;
    }
    if (value !== value.trim()) {
        return `${field}: the ${value.length}-character value has space around it; remove it (the value is used exactly as written, never trimmed)`;
    }
    return undefined;
}

/**
 * The environment as the function gets it: each variable the config reads through
 * `${env:NAME}` escaped (components/shared/config-sources/config-text.ts), so the collector's config
 * resolution hands the setting back exactly as typed, `$` and all. A variable the
 * config does not read is passed as typed (the process or the adapter may read it).
 * A value known only at deployment is checked and escaped once known.
 */
function escapedEnvironment(environment: Readonly<Record<string, pulumi.Input<string>>>, config: string): Record<string, pulumi.Input<string>> {
    const out: Record<string, pulumi.Input<string>> = {};
    for (const [key, value] of Object.entries(environment)) {
        // An invalid name is reported by environmentKeyProblem; it is never a pattern.
        const read = KEY_PATTERN.test(key) && readsVariable(config, key);
        if (typeof value === "string") {
            out[key] = read ? configText(value) : value;
        } else {
            out[key] = pulumi.output(value).apply((known) => {
                const problem = typeof known === "string" ? environmentValueProblem(`environment.${key}`, known) : undefined;
                if (problem) {
                    throw cleanRunError(problem);
                }
                return read && typeof known === "string" ? configText(known) : known;
            });
        }
    }
    return out;
}

/**
 * Every token the collector accepts, as far as known at preview: a given token as
 * given, one known only at deployment at the shortest length allowed (checked then),
 * a generated one at its fixed length, twice for a producer in a rotation's overlap.
 */
function acceptedTokenStandIns(settings: Settings): string[] {
    return settings.producers.flatMap((name) => {
        // Optional reads: configFindings is also called with partial settings (the pack, tests).
        const given = settings.producerTokens?.[name];
        if (given !== undefined) {
            return [typeof given === "string" ? given : "x".repeat(MIN_TOKEN_LENGTH)];
        }
        const rotation = settings.tokenRotation?.[name];
        const count = isPlainObject(rotation) ? generationsOf(rotation).accepted.length : 1;
        return Array.from({ length: count }, () => "x".repeat(GENERATED_TOKEN_LENGTH));
    });
}

/** Stand-ins of the right length for values only AWS knows (a Secrets Manager ARN, a version id). */
const SECRET_ARN_STAND_IN = `arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:${"x".repeat(40)}-AbCdEf`;
const VERSION_ID_STAND_IN = "00000000-0000-0000-0000-000000000000";

/**
 * The environment as far as it is known at preview: unknown values count as empty,
 * a generated token at its fixed length, AWS-made values by stand-ins.
 */
function knownEnvironment(settings: Settings): Record<string, string> {
    const known: Record<string, string> = { [IMAGE.configVariable]: settings.deployedConfig };
    if (settings.secretStore === "secretsmanager") {
        known[SECRET_ARN_ENV_VAR] = SECRET_ARN_STAND_IN;
        known[SECRET_VERSION_ENV_VAR] = VERSION_ID_STAND_IN;
        return known;
    }
    for (const [key, value] of Object.entries(settings.environment)) {
        known[key] = typeof value === "string" ? value : "";
    }
    const tokens = acceptedTokenStandIns(settings);
    // An empty given token is reported as a problem of its own; tokensYamlList accepts none.
    if (tokens.some((t) => t !== "")) {
        known[TOKENS_ENV_VAR] = tokensYamlList(tokens);
        if (settings.legacyTokenVariable) {
            known[TOKEN_ENV_VAR] = tokens[0];
        }
    }
    return known;
}

/** Where each variable of the function environment comes from, and the fixes that apply when it is too large. */
export interface EnvironmentOrigins {
    /** Variable name → the argument it comes from (`collectorConfig`, `environment.NAME`, `producers`, `secretStore`). */
    readonly sources: Readonly<Record<string, string>>;
    /** Fixes that apply to this deployment, each naming the argument to change. */
    readonly fixes: readonly string[];
}

/** How many variables the size error names; the rest are summed. */
const SIZE_LISTED = 6;

/**
 * A one-line error when the environment is over Lambda's 4 KB limit, else undefined.
 * Lambda counts the variables as JSON (rules/lambda-facts.ts environmentBytes); each
 * variable's share is its `"NAME":"value"` in that JSON. The line names the
 * variables taking the space, largest first, the argument each came from, and the
 * fixes that apply (from {@link environmentOrigins}).
 */
export function environmentSizeProblem(variables: Readonly<Record<string, string>>, origins: EnvironmentOrigins = { sources: {}, fixes: [] }): string | undefined {
    const bytes = environmentBytes(variables);
    if (bytes <= ENVIRONMENT_LIMIT_BYTES) {
        return undefined;
    }
    const shares = Object.entries(variables)
        .map(([key, value]) => ({ key, bytes: Buffer.byteLength(JSON.stringify({ [key]: value }), "utf8") - 2 }))
        .sort((a, b) => b.bytes - a.bytes);
    const listed = shares.slice(0, SIZE_LISTED).map((v) => `${v.key} ${v.bytes} bytes${origins.sources[v.key] === undefined ? "" : ` from ${origins.sources[v.key]}`}`);
    const rest = shares.slice(SIZE_LISTED);
    if (rest.length > 0) {
        listed.push(`${rest.length} more ${rest.reduce((sum, v) => sum + v.bytes, 0)} bytes`);
    }
    const fixes = origins.fixes.length > 0 ? origins.fixes : ["shorten the values"];
    return `environment: ${bytes} bytes is over Lambda's ${ENVIRONMENT_LIMIT_BYTES}-byte limit for all variables together (${bytes - ENVIRONMENT_LIMIT_BYTES} too many); taking the space: ${listed.join(", ")}; to fit, ${fixes.join(", or ")}`;
}

/** Which argument each variable of {@link knownEnvironment} comes from, and the fixes that apply to `settings`. */
export function environmentOrigins(settings: Settings): EnvironmentOrigins {
    const sources: Record<string, string> = {
        [IMAGE.configVariable]: "collectorConfig",
        [TOKENS_ENV_VAR]: "producers",
        [TOKEN_ENV_VAR]: "producers",
        [SECRET_ARN_ENV_VAR]: "secretStore",
        [SECRET_VERSION_ENV_VAR]: "secretStore",
    };
    for (const key of Object.keys(settings.environment)) {
        sources[key] = `environment.${key}`;
    }
    const fixes: string[] = [];
    const tokens = acceptedTokenStandIns(settings);
    if (settings.secretStore === "environment") {
        fixes.push(`set secretStore to "secretsmanager" (the tokens${Object.keys(settings.environment).length > 0 ? " and every environment value" : ""} move into one secret, and the environment keeps only the config, the secret's ARN and a version id, about ${SECRET_ARN_STAND_IN.length + VERSION_ID_STAND_IN.length + 60} bytes)`);
        if (tokens.length > 1) {
            fixes.push(`name fewer producers (each generated token takes ${GENERATED_TOKEN_LENGTH + 3} bytes)`);
        }
        if (tokens.some((t) => t.length > GENERATED_TOKEN_LENGTH)) {
            fixes.push(`give shorter producerTokens (at least ${MIN_TOKEN_LENGTH} characters)`);
        }
        const largest = Object.entries(settings.environment)
            .filter(([, v]) => typeof v === "string" && v.length >= 256)
            .sort((a, b) => (b[1] as string).length - (a[1] as string).length)[0];
        if (largest !== undefined) {
            fixes.push(`shorten environment.${largest[0]}`);
        }
    }
    fixes.push("shorten collectorConfig (comments, unused components and long values count)");
    return { sources, fixes };
}

/** Every argument of {@link LambdaCollectorArgs} and its kind; `satisfies` keeps the two in step. */
export const ARG_KINDS = {
    collectorConfig: "plain-string",
    environment: "input-string-record",
    ingestToken: "input-string",
    producers: "string-list",
    producerTokens: "input-string-record",
    tokenRotation: "object-record",
    secretStore: { oneOf: SECRET_STORES },
    secretArns: "string-list",
    secretKmsKeyArn: "plain-string",
    reservedConcurrency: "plain-number",
    allowUnauthenticated: "plain-boolean",
    memorySize: "plain-number",
    timeout: "plain-number",
    logRetentionDays: "plain-number",
    architecture: { oneOf: ARCHITECTURES },
    functionName: "plain-string",
    keepImages: "plain-number",
    keepVersions: "plain-number",
    policies: "input-string-record",
    forceDeleteRepository: "plain-boolean",
    collectorVersion: "plain-string",
    adapterVersion: "plain-string",
    buildOnPreview: "plain-boolean",
    tags: "string-record",
    preTrafficCheck: "plain-boolean",
    dashboard: "plain-boolean",
    alarms: "plain-boolean",
    alarmTopicArn: "input-string",
    baseImages: "string-record",
    distribution: { oneOf: DISTRIBUTIONS },
    validateWith: "plain-string",
} as const satisfies Record<keyof LambdaCollectorArgs, ArgKind>;

/** The argument names, for "did you mean". */
export const ARG_NAMES: readonly string[] = Object.keys(ARG_KINDS);

/** Examples of a right value, for the fix each type error names. */
const EXAMPLES: Partial<Record<keyof LambdaCollectorArgs, string>> = {
    collectorConfig: `"receivers: ..." (the YAML text)`,
    environment: `{"API_KEY": "..."}`,
    ingestToken: `"<32 or more characters>"`,
    producers: `["default"]`,
    producerTokens: `{"default": "<32 or more characters>"}`,
    tokenRotation: `{"default": {"generation": 2, "phase": "overlap"}}`,
    secretArns: `["arn:aws:secretsmanager:us-east-1:123456789012:secret:name-AbCdEf"]`,
    secretKmsKeyArn: `"arn:aws:kms:us-east-1:123456789012:key/<id>"`,
    reservedConcurrency: "10",
    memorySize: String(DEFAULTS.memorySize),
    timeout: String(DEFAULTS.timeout),
    logRetentionDays: String(DEFAULTS.logRetentionDays),
    functionName: `"my-collector"`,
    keepImages: String(DEFAULTS.keepImages),
    keepVersions: String(DEFAULTS.keepVersions),
    policies: `{"xray": "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"}`,
    collectorVersion: JSON.stringify(DEFAULTS.collectorVersion),
    adapterVersion: JSON.stringify(DEFAULTS.adapterVersion),
    tags: `{"team": "observability"}`,
    alarmTopicArn: `"arn:aws:sns:us-east-1:123456789012:alerts"`,
    validateWith: `"/home/me/.cache/otel-lambda-collector/collector-0.161.0-<key>/otelcol-lambda"`,
};

/** One-line problems with the type of one argument (none when `value` is undefined). */
function argumentTypeProblems(name: keyof LambdaCollectorArgs, value: unknown): string[] {
    if (value === undefined) return [];
    if (name === "baseImages" && value !== null) {
        // The base images' own messages name each image's pinned reference as the example.
        return baseImagesTypeProblems(value);
    }
    return kindProblems(name, ARG_KINDS[name], EXAMPLES[name], value);
}

/** `baseImages` of the wrong type: not an object, or a known image's reference not a string (unknown names are a value check). */
function baseImagesTypeProblems(value: unknown): string[] {
    if (!isPlainObject(value)) {
        return [`baseImages: ${showValue(value)} is not an object; give {${BASE_IMAGE_NAMES.map((n) => `${n}?`).join(", ")}} image references`];
    }
    return Object.entries(value).flatMap(([name, reference]) => {
        if (!(BASE_IMAGE_NAMES as readonly string[]).includes(name) || typeof reference === "string") return [];
        const pinned = PINNED_IMAGES[name as BaseImageName];
        const field = `baseImages.${name}`;
        return pulumi.Output.isInstance(reference) || reference instanceof Promise || reference === null
            ? [`${described(field, reference)}; give a plain image reference ${PLAIN}, such as ${pinned.repository}:${pinned.version}`]
            : [imageReferenceProblem(field, reference, `${pinned.repository}:${pinned.version}`) ?? `${field}: is not a string`];
    });
}

/** An argument name LambdaCollector does not have, with the nearest names it does. */
function unknownArgumentProblem(key: string, value: unknown): string {
    const lower = key.toLowerCase();
    const limit = Math.max(1, Math.min(3, Math.floor(key.length / 3)));
    let best: string[] = [];
    let bestDistance = limit + 1;
    for (const name of ARG_NAMES) {
        const d = name.toLowerCase() === lower ? 0 : editDistance(lower, name.toLowerCase());
        if (d < bestDistance) {
            best = [name];
            bestDistance = d;
        } else if (d === bestDistance) {
            best.push(name);
        }
    }
    const field = /^[A-Za-z0-9_]+$/.test(key) ? key : JSON.stringify(key);
    const head = `${field}: is not an argument of LambdaCollector (given ${showValue(value)})`;
    return best.length > 0
        ? `${head}; did you mean ${best.slice(0, 3).join(" or ")}?`
        : `${head}; remove it (the arguments are those of LambdaCollectorArgs)`;
}

/**
 * The first validation step: unknown argument names and arguments of the wrong
 * JavaScript type, one line each. Nothing after it runs when it finds a problem,
 * so no value check ever sees a value of the wrong type.
 */
export function argumentTypesProblems(args: unknown): string[] {
    if (!isPlainObject(args)) {
        return [`args: ${args === null ? "is null" : `${showValue(args)} is ${typeName(args)}`}; give LambdaCollector an object of arguments, e.g. { timeout: 30 }`];
    }
    const problems: string[] = [];
    for (const [key, value] of Object.entries(args)) {
        if (!Object.prototype.hasOwnProperty.call(ARG_KINDS, key)) {
            problems.push(unknownArgumentProblem(key, value));
        } else {
            problems.push(...argumentTypeProblems(key as keyof LambdaCollectorArgs, value));
        }
    }
    return problems;
}
