// Small named validators for FargateCollector's arguments. The checks it shares with
// LambdaCollector (tokens, producers, secrets, base images, log retention) are the
// same functions, imported; what is Fargate's own (task size, counts, scaling, the
// domain, the config rules of a long-running container) lives here.
import * as pulumi from "@pulumi/pulumi";
import { checkCollectorConfigText, formatFinding, ruleOf } from "../../rules";
import { CATALOGUE_VERSION } from "../../rules/catalogue";
import { editDistance } from "../../rules/edit-distance";
import { CONTAINER_PORT, FARGATE_ENVIRONMENT_KEYS } from "../../rules/fargate-facts";
import { IMAGE, TOKEN_ENV_VAR, TOKENS_ENV_VAR, type Architecture } from "../../rules/lambda-facts";
import { DEFAULTS, GENERATED_TOKEN_LENGTH, type LambdaCollectorArgs, type TokenRotation } from "../lambda/args";
import { BASE_IMAGE_NAMES, baseImageReference, PINNED_IMAGES, type BaseImageName } from "../shared/image/collector-image";
import { defaultFargateConfig } from "./presets";
import { kmsKeyArnProblem, readsLegacyToken, readsVariable, secretArnProblem } from "../shared/secrets/secret-store";
import { producersProblems, tokenProblem, tokensYamlList } from "../shared/tokens/tokens";
import { environmentKeyProblem, tokenField, tokenRotationProblems } from "../lambda/validate";
import { showValue } from "../shared/arg-types";
import { baseImagesProblems, imageTagProblem } from "../shared/image/image-args";
import { architectureProblem, logRetentionProblem, rangeProblem } from "../shared/ranges";
import { FARGATE_DEFAULTS, SCALE_ON, type FargateCollectorArgs, type ScaleOn } from "./args";

/** FargateCollector's arguments with every default applied. */
export interface FargateSettings {
    readonly collectorConfig: string;
    readonly environment: Record<string, pulumi.Input<string>>;
    readonly producers: readonly string[];
    readonly producerTokens: Readonly<Record<string, pulumi.Input<string>>>;
    /** Token rotations by producer name, as for LambdaCollector. */
    readonly tokenRotation: Readonly<Record<string, TokenRotation>>;
    readonly secretArns: readonly string[];
    readonly secretKmsKeyArn: string | undefined;
    readonly allowUnauthenticated: boolean;
    readonly logRetentionDays: number;
    readonly architecture: Architecture;
    readonly keepImages: number;
    readonly forceDeleteRepository: boolean;
    readonly buildOnPreview: boolean;
    readonly baseImages: Readonly<Record<BaseImageName, string>>;
    readonly collectorVersion: string;
    readonly cpu: number;
    readonly memory: number;
    readonly desiredCount: number;
    readonly minCount: number;
    readonly maxCount: number;
    readonly scaleOn: ScaleOn;
    readonly scaleTarget: number;
    readonly domainName: string | undefined;
    readonly certificateArn: pulumi.Input<string> | undefined;
}

/** Kinds of FargateCollector's arguments, checked before any value (arguments also arrive from YAML and other languages). */
const FARGATE_ARG_KINDS: Readonly<Record<keyof FargateCollectorArgs, "string" | "number" | "boolean" | "object" | "list" | "input">> = {
    collectorConfig: "string", environment: "object", ingestToken: "input", producers: "list", producerTokens: "object", tokenRotation: "object",
    secretArns: "list", secretKmsKeyArn: "string", allowUnauthenticated: "boolean", logRetentionDays: "number",
    architecture: "string", keepImages: "number", forceDeleteRepository: "boolean", collectorVersion: "string",
    buildOnPreview: "boolean", tags: "object", baseImages: "object", taskCpu: "number", taskMemory: "number",
    desiredCount: "number", minCount: "number", maxCount: "number", scaleOn: "string", scaleTarget: "number",
    domainName: "string", certificateArn: "input",
};

/** Unknown argument names and values of the wrong JavaScript type, one line each. */
export function fargateArgumentTypeProblems(args: unknown): string[] {
    if (typeof args !== "object" || args === null || Array.isArray(args)) {
        return [`args: ${showValue(args)} is not an object; give FargateCollector an object of arguments, e.g. { desiredCount: 2 }`];
    }
    const names = Object.keys(FARGATE_ARG_KINDS);
    const problems: string[] = [];
    for (const [key, value] of Object.entries(args)) {
        const kind = (FARGATE_ARG_KINDS as Record<string, string>)[key];
        if (kind === undefined) {
            const near = names.filter((n) => editDistance(n.toLowerCase(), key.toLowerCase()) <= 2);
            problems.push(`${key}: is not an argument of FargateCollector (given ${showValue(value)})${near.length > 0 ? `; did you mean ${near.join(" or ")}?` : "; remove it (the arguments are those of FargateCollectorArgs)"}`);
            continue;
        }
        if (value === undefined) continue;
        const ok = kind === "input" ? typeof value === "string" || pulumi.Output.isInstance(value) || value instanceof Promise
            : kind === "list" ? Array.isArray(value) && value.every((v) => typeof v === "string")
            : kind === "object" ? typeof value === "object" && value !== null && !Array.isArray(value) && !pulumi.Output.isInstance(value)
            : typeof value === kind;
        if (!ok) {
            const what = kind === "input" ? "a string (or an Output of one)" : kind === "list" ? "a list of plain strings" : kind === "object" ? "an object" : `a plain ${kind} known at preview`;
            problems.push(`${key}: ${value === null ? "is null (leave it out for its default)" : `${showValue(value)} is not ${what}`}; it must be ${what}`);
        }
    }
    return problems;
}

/**
 * Task sizes Fargate accepts: CPU units → memory (MiB) allowed. From awsx
 * ecs/fargateMemoryAndCpu.ts (pulumi/pulumi-awsx v3.8.0-16-ge60adf3c) for 0.25-4 vCPU;
 * 8 and 16 vCPU in 4 and 8 GiB steps (AWS "Amazon ECS task definition parameters for
 * Fargate", task size table; not re-read for this release: an assumption).
 */
export const FARGATE_TASK_SIZES: Readonly<Record<number, readonly number[]>> = {
    256: [512, 1024, 2048],
    512: steps(1, 4, 1),
    1024: steps(2, 8, 1),
    2048: steps(4, 16, 1),
    4096: steps(8, 30, 1),
    8192: steps(16, 60, 4),
    16384: steps(32, 120, 8),
};

function steps(fromGb: number, toGb: number, byGb: number): number[] {
    const result: number[] = [];
    for (let gb = fromGb; gb <= toGb; gb += byGb) result.push(gb * 1024);
    return result;
}

/** A task size Fargate refuses, as one line, or undefined. */
export function taskSizeProblem(cpu: number, memory: number, field = { cpu: "taskCpu", memory: "taskMemory" }): string | undefined {
    const allowed = FARGATE_TASK_SIZES[cpu];
    if (allowed === undefined) {
        return `${field.cpu}: ${cpu} is not a Fargate task CPU; use one of ${Object.keys(FARGATE_TASK_SIZES).join(", ")} CPU units (1024 = 1 vCPU)`;
    }
    if (!allowed.includes(memory)) {
        return `${field.memory}: ${memory} MiB is not a memory Fargate accepts with ${cpu} CPU units; use ${allowed[0]}-${allowed[allowed.length - 1]} MiB (${allowed.length > 3 ? `in steps of ${allowed[1] - allowed[0]}` : allowed.join(", ")})`;
    }
    return undefined;
}

/** minCount ≤ desiredCount ≤ maxCount, each a whole number, minCount at least 1. Field names are the caller's. */
export function countProblems(counts: { desiredCount: number; minCount: number; maxCount: number }, field = (name: string): string => name): string[] {
    const problems: string[] = [];
    for (const [name, value] of Object.entries(counts)) {
        const problem = rangeProblem(field(name), value, { min: 1, max: 1000 }, "tasks");
        if (problem) problems.push(problem);
    }
    if (problems.length > 0) return problems;
    if (counts.minCount > counts.maxCount) {
        problems.push(`${field("minCount")}: ${counts.minCount} is above ${field("maxCount")} ${counts.maxCount}; autoscaling needs minCount ≤ maxCount`);
    } else if (counts.desiredCount < counts.minCount || counts.desiredCount > counts.maxCount) {
        problems.push(`${field("desiredCount")}: ${counts.desiredCount} is outside ${field("minCount")} ${counts.minCount} to ${field("maxCount")} ${counts.maxCount}, so autoscaling would move it at once; set it within them`);
    }
    return problems;
}

/** scaleTarget for `scaleOn`: percent CPU 1-100, or at least 1 request per task per minute. */
export function scaleTargetProblem(scaleOn: ScaleOn, target: number, field = "scaleTarget"): string | undefined {
    return scaleOn === "cpu"
        ? rangeProblem(field, target, { min: 1, max: 100 }, "percent CPU")
        : rangeProblem(field, target, { min: 1, max: 1_000_000 }, "requests per task per minute");
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;

/** domainName and certificateArn: both or neither, each well-formed when known. */
export function domainProblems(domainName: string | undefined, certificateArn: pulumi.Input<string> | undefined, field = (name: string): string => name): string[] {
    const problems: string[] = [];
    if (domainName !== undefined && !DOMAIN.test(domainName)) {
        problems.push(`${field("domainName")}: "${domainName}" is not a lower-case domain name such as otel.example.com`);
    }
    if (typeof certificateArn === "string" && !CERTIFICATE_ARN.test(certificateArn)) {
        problems.push(`${field("certificateArn")}: "${certificateArn}" is not an ACM certificate ARN; use arn:aws:acm:<region>:<account>:certificate/<id>`);
    }
    if (domainName !== undefined && certificateArn === undefined) {
        problems.push(`${field("domainName")}: needs certificateArn, an ACM certificate for ${domainName} in the stack's region; set both or neither`);
    }
    if (domainName === undefined && certificateArn !== undefined) {
        problems.push(`${field("certificateArn")}: is only used with domainName; set domainName or remove certificateArn`);
    }
    return problems;
}

/**
 * Applies {@link FARGATE_DEFAULTS} and checks every argument known at preview, the
 * collector config included with the registry's rules for runtime "fargate". Throws
 * one RunError listing every problem, one line each; warnings come back.
 */
export function resolveFargateArgs(args: FargateCollectorArgs): { settings: FargateSettings; warnings: string[] } {
    const typeProblems = fargateArgumentTypeProblems(args);
    if (typeProblems.length > 0) {
        throw new pulumi.RunError(typeProblems.join("\n"));
    }
    const producers = args.producers ?? [...FARGATE_DEFAULTS.producers];
    const producerTokens: Record<string, pulumi.Input<string>> = { ...(args.producerTokens ?? {}) };
    if (args.ingestToken !== undefined && producers.length > 0 && !(producers[0] in producerTokens)) {
        producerTokens[producers[0]] = args.ingestToken;
    }
    const scaleOn = args.scaleOn ?? FARGATE_DEFAULTS.scaleOn;
    const given = args.baseImages ?? {};
    const baseImages = {} as Record<BaseImageName, string>;
    for (const name of BASE_IMAGE_NAMES) {
        const version = name === "collector" && args.collectorVersion ? args.collectorVersion : PINNED_IMAGES[name].version;
        baseImages[name] = baseImageReference(name, (given as Record<string, string | undefined>)[name], version);
    }
    const settings: FargateSettings = {
        collectorConfig: args.collectorConfig ?? defaultFargateConfig(),
        environment: args.environment ?? {},
        producers,
        producerTokens,
        tokenRotation: args.tokenRotation ?? {},
        secretArns: args.secretArns ?? [],
        secretKmsKeyArn: args.secretKmsKeyArn,
        allowUnauthenticated: args.allowUnauthenticated ?? FARGATE_DEFAULTS.allowUnauthenticated,
        logRetentionDays: args.logRetentionDays ?? FARGATE_DEFAULTS.logRetentionDays,
        architecture: args.architecture ?? FARGATE_DEFAULTS.architecture,
        keepImages: args.keepImages ?? FARGATE_DEFAULTS.keepImages,
        forceDeleteRepository: args.forceDeleteRepository ?? FARGATE_DEFAULTS.forceDeleteRepository,
        buildOnPreview: args.buildOnPreview ?? FARGATE_DEFAULTS.buildOnPreview,
        baseImages,
        collectorVersion: args.collectorVersion ?? DEFAULTS.collectorVersion,
        cpu: args.taskCpu ?? FARGATE_DEFAULTS.taskCpu,
        memory: args.taskMemory ?? FARGATE_DEFAULTS.taskMemory,
        desiredCount: args.desiredCount ?? FARGATE_DEFAULTS.desiredCount,
        minCount: args.minCount ?? Math.min(FARGATE_DEFAULTS.minCount, args.desiredCount ?? FARGATE_DEFAULTS.minCount),
        maxCount: args.maxCount ?? Math.max(FARGATE_DEFAULTS.maxCount, args.desiredCount ?? 0, args.minCount ?? 0),
        scaleOn,
        scaleTarget: args.scaleTarget ?? (scaleOn === "requests" ? FARGATE_DEFAULTS.requestsTarget : FARGATE_DEFAULTS.cpuTarget),
        domainName: args.domainName,
        certificateArn: args.certificateArn,
    };
    const asLambdaArgs = { baseImages: args.baseImages, collectorVersion: args.collectorVersion } as LambdaCollectorArgs;
    const config = fargateConfigFindings(settings);
    const problems = [
        ...producersProblems("producers", producers),
        ...Object.entries(producerTokens).flatMap(([producer, token]) => {
            const field = tokenField(args as LambdaCollectorArgs, { producers }, producer);
            if (!producers.includes(producer)) return [`${field}: "${producer}" is not a name in producers; add it to producers or remove its token`];
            return typeof token === "string" ? [tokenProblem(field, token)] : [];
        }),
        ...tokenRotationProblems(args, settings),
        ...settings.secretArns.map((arn, i) => secretArnProblem(`secretArns[${i}]`, arn)),
        settings.secretKmsKeyArn === undefined ? undefined : kmsKeyArnProblem("secretKmsKeyArn", settings.secretKmsKeyArn),
        logRetentionProblem(settings.logRetentionDays),
        architectureProblem(settings.architecture),
        rangeProblem("keepImages", settings.keepImages, { min: 1, max: 1000 }, "images"),
        imageTagProblem("collectorVersion", settings.collectorVersion, DEFAULTS.collectorVersion),
        ...baseImagesProblems(asLambdaArgs),
        ...Object.keys(given).filter((n) => n === "builder").map(() => `baseImages.builder: is only used by LambdaCollector's distribution "lambda"; remove it`),
        args.scaleOn === undefined || (SCALE_ON as readonly string[]).includes(args.scaleOn) ? undefined : `scaleOn: "${args.scaleOn}" is not a scaling metric; use ${SCALE_ON.map((s) => `"${s}"`).join(" or ")}`,
        taskSizeProblem(settings.cpu, settings.memory),
        ...countProblems({ desiredCount: settings.desiredCount, minCount: settings.minCount, maxCount: settings.maxCount }),
        (SCALE_ON as readonly string[]).includes(scaleOn) ? scaleTargetProblem(scaleOn, settings.scaleTarget) : undefined,
        ...domainProblems(settings.domainName, settings.certificateArn),
        ...Object.keys(settings.environment).map((key) => environmentKeyProblem("environment", key)),
        readsLegacyToken(settings.collectorConfig) ? `collectorConfig: reads \${env:${TOKEN_ENV_VAR}}, which FargateCollector does not set; write tokens: \${env:${TOKENS_ENV_VAR}} in the bearertokenauth extension` : undefined,
        ...config.problems,
    ].filter((p): p is string => p !== undefined);
    if (problems.length > 0) {
        throw new pulumi.RunError(problems.map((p) => p.replace(/[\r\n]/g, " ")).join("\n"));
    }
    const warnings = [...config.warnings];
    if (!readsVariable(settings.collectorConfig, TOKENS_ENV_VAR)) {
        warnings.push(`collectorConfig: does not read \${env:${TOKENS_ENV_VAR}}, so the producers' tokens (producerEnvironments, ingestToken) are not what the collector checks; write tokens: \${env:${TOKENS_ENV_VAR}} in its bearertokenauth extension`);
    }
    return { settings, warnings };
}

/**
 * The registry's rules for runtime "fargate" over the config, in the task this
 * component creates: the container environment holds the config; the tokens and
 * `environment` values arrive as ECS secrets (set, values unknown here, except the
 * tokens' shape); ECS sets its own variables.
 */
export function fargateConfigFindings(settings: Pick<FargateSettings, "collectorConfig" | "environment" | "producers" | "allowUnauthenticated" | "collectorVersion">): { problems: string[]; warnings: string[] } {
    const environment: Record<string, string | undefined> = {};
    for (const key of FARGATE_ENVIRONMENT_KEYS) environment[key] = undefined;
    for (const [key, value] of Object.entries(settings.environment)) {
        environment[key] = typeof value === "string" ? value : undefined;
    }
    environment[IMAGE.configVariable] = settings.collectorConfig;
    environment[TOKENS_ENV_VAR] = settings.producers.length > 0 ? tokensYamlList(settings.producers.map(() => "x".repeat(GENERATED_TOKEN_LENGTH))) : undefined;
    const findings = checkCollectorConfigText(settings.collectorConfig, {
        runtime: "fargate",
        containerPort: CONTAINER_PORT,
        environmentKeys: new Set(Object.keys(environment)),
        environment,
        requireReceiverAuth: !settings.allowUnauthenticated,
    });
    const otherVersion = settings.collectorVersion !== CATALOGUE_VERSION;
    const problems: string[] = [];
    const warnings: string[] = otherVersion
        ? [`collectorVersion: "${settings.collectorVersion}" is not ${CATALOGUE_VERSION}, the otelcol-contrib version whose catalogue the config rules were checked against; unknown component types are only warned about`]
        : [];
    for (const finding of findings) {
        const rule = ruleOf(finding.rule);
        const fails = rule.severity === "mandatory" && rule.component === "fail" && !(otherVersion && rule.id === "unknown-component-type");
        (fails ? problems : warnings).push(formatFinding(finding));
    }
    return { problems, warnings };
}
