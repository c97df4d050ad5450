// The stack's runtime switch: `runtime` (lambda, the default, or fargate) picks the
// component, and each runtime's keys are read only for it. A key of the other runtime
// is kept, so moving back is one `pulumi config set runtime ...`, and named in a
// warning on every preview and update, never silently ignored. The shared keys (backend, config
// file, tokens, secrets, image) are read by stack-config.ts for both.
import * as pulumi from "@pulumi/pulumi";
import { SCALE_ON, type FargateCollectorArgs, type ScaleOn } from "./components/fargate/args";
import { fargatePreset } from "./components/fargate/presets";
import { countProblems, domainProblems, scaleTargetProblem, taskSizeProblem } from "./components/fargate/validate";
import { FARGATE_DEFAULTS } from "./components/fargate/args";
import { RUNTIMES, DEFAULT_RUNTIME, type Runtime } from "./rules/runtimes";
import { readStackConfig, wholeNumber } from "./stack-config";

/** Keys only the Fargate runtime reads. */
export const FARGATE_ONLY_KEYS = ["desiredCount", "minCount", "maxCount", "taskCpu", "taskMemory", "scaleOn", "scaleTarget", "domainName", "certificateArn"] as const;
/** Keys only the Lambda runtime reads (its function, versions, alias, checks and dashboard). */
export const LAMBDA_ONLY_KEYS = [
    "memorySize", "timeout", "functionName", "reservedConcurrency", "secretStore", "adapterVersion", "preTrafficCheck",
    "dashboard", "alarms", "alarmTopicArn", "distribution",
] as const;

/** The `runtime` stack key: lambda (default) or fargate. */
export function readRuntime(): Runtime {
    const config = new pulumi.Config();
    const value = config.get("runtime");
    if (value === undefined) return DEFAULT_RUNTIME;
    if (!(RUNTIMES as readonly string[]).includes(value)) {
        throw new pulumi.RunError(`${config.name}:runtime: ${JSON.stringify(value)} is not a runtime; use ${RUNTIMES.join(" or ")} (pulumi config set runtime fargate)`);
    }
    return value as Runtime;
}

/** One warning line per key set that `runtime` does not read. */
export function otherRuntimeKeyWarnings(runtime: Runtime): string[] {
    const config = new pulumi.Config();
    const set = new Set(Object.keys(pulumi.runtime.allConfig()).filter((k) => k.startsWith(`${config.name}:`)).map((k) => k.slice(config.name.length + 1)));
    const foreign: readonly string[] = runtime === "fargate" ? LAMBDA_ONLY_KEYS : FARGATE_ONLY_KEYS;
    const other = runtime === "fargate" ? "lambda" : "fargate";
    return foreign.filter((key) => set.has(key)).map((key) => key === "secretStore"
        ? `${config.name}:secretStore: is only read with runtime lambda, so it does nothing now: on fargate the tokens and collectorEnvironment always live in Secrets Manager (task definition secrets); it is kept for a move back (pulumi config rm secretStore to drop it)`
        : `${config.name}:${key}: is only read with runtime ${other}, so it does nothing now; it is kept for a move back (pulumi config rm ${key} to drop it)`);
}

/**
 * The stack config as FargateCollector arguments: the shared keys as stack-config.ts
 * reads them (a backend preset converted with fargatePreset; a collectorConfigFile
 * used exactly as written, and judged by the fargate rules), and the Fargate keys.
 */
export function readFargateStackConfig(projectDir: string = process.cwd()): FargateCollectorArgs {
    const config = new pulumi.Config();
    const shared = readStackConfig(projectDir);
    const key = (name: string): string => `${config.name}:${name}`;
    const number = (name: string, unit: string): number | undefined => wholeNumber(config, name, unit);
    const desiredCount = number("desiredCount", "tasks");
    const minCount = number("minCount", "tasks");
    const maxCount = number("maxCount", "tasks");
    const taskCpu = number("taskCpu", "CPU units");
    const taskMemory = number("taskMemory", "MiB");
    const scaleTarget = number("scaleTarget", "percent or requests");
    const scaleOn = config.get("scaleOn");
    const domainName = config.get("domainName");
    const certificateArn = config.get("certificateArn");
    const scale = (scaleOn ?? FARGATE_DEFAULTS.scaleOn) as ScaleOn;
    const problems = [
        scaleOn === undefined || (SCALE_ON as readonly string[]).includes(scaleOn) ? undefined : `${key("scaleOn")}: "${scaleOn}" is not a scaling metric; use ${SCALE_ON.join(" or ")}`,
        taskCpu === undefined && taskMemory === undefined ? undefined
            : taskSizeProblem(taskCpu ?? FARGATE_DEFAULTS.taskCpu, taskMemory ?? FARGATE_DEFAULTS.taskMemory, { cpu: key("taskCpu"), memory: key("taskMemory") }),
        ...countProblems({
            desiredCount: desiredCount ?? FARGATE_DEFAULTS.desiredCount,
            minCount: minCount ?? Math.min(FARGATE_DEFAULTS.minCount, desiredCount ?? FARGATE_DEFAULTS.minCount),
            maxCount: maxCount ?? Math.max(FARGATE_DEFAULTS.maxCount, desiredCount ?? 0, minCount ?? 0),
        }, key),
        scaleTarget === undefined || !(SCALE_ON as readonly string[]).includes(scale) ? undefined : scaleTargetProblem(scale, scaleTarget, key("scaleTarget")),
        ...domainProblems(domainName, certificateArn, key),
        certificateRegionProblem(certificateArn, new pulumi.Config("aws").get("region"), key("certificateArn")),
    ].filter((p): p is string => p !== undefined);
    if (problems.length > 0) throw new pulumi.RunError(problems.join("\n"));
    return {
        collectorConfig: config.get("collectorConfigFile") !== undefined || shared.collectorConfig === undefined ? shared.collectorConfig : fargatePreset(shared.collectorConfig),
        environment: shared.environment,
        ingestToken: shared.ingestToken,
        producers: shared.producers,
        producerTokens: shared.producerTokens,
        secretArns: shared.secretArns,
        secretKmsKeyArn: shared.secretKmsKeyArn,
        allowUnauthenticated: shared.allowUnauthenticated,
        logRetentionDays: shared.logRetentionDays,
        architecture: shared.architecture,
        keepImages: shared.keepImages,
        forceDeleteRepository: shared.forceDeleteRepository,
        collectorVersion: shared.collectorVersion,
        buildOnPreview: shared.buildOnPreview,
        baseImages: shared.baseImages,
        desiredCount,
        minCount,
        maxCount,
        taskCpu,
        taskMemory,
        scaleOn: scaleOn as ScaleOn | undefined,
        scaleTarget,
        domainName,
        certificateArn: certificateArn === undefined ? undefined : certificateArn,
    };
}

/**
 * An API Gateway regional custom domain takes an ACM certificate of its own region
 * (API Gateway developer guide, "Setting up a regional custom domain name"): one from
 * another region is refused at deploy, after the rest of the stack was created.
 */
function certificateRegionProblem(certificateArn: string | undefined, stackRegion: string | undefined, field: string): string | undefined {
    const region = certificateArn === undefined ? undefined : /^arn:aws[a-z-]*:acm:([a-z0-9-]+):/.exec(certificateArn)?.[1];
    if (region === undefined || stackRegion === undefined || region === stackRegion) return undefined;
    return `${field}: "${certificateArn}" is a certificate in ${region}, but the stack deploys to ${stackRegion} (aws:region), and API Gateway takes a certificate of its own region; request or import the certificate in ${stackRegion}`;
}
