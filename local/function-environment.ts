// The environment the collector and the adapter get, as in the deployed function:
// the image's ENV (collector/Dockerfile, read here, not copied), what Lambda defines,
// and what the LambdaCollector component sets (COLLECTOR_CONFIG and the producers'
// tokens as COLLECTOR_INGEST_TOKENS), plus the user's own variables. Nothing of the
// shell's environment leaks in: the deployed function does not have it either.
import { randomInt } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { DockerfileParser } from "dockerfile-ast";
import { collectorDirectory } from "../components/shared/config-sources/collector-directory";
import { COMPONENT_TIMEOUT_SECONDS, IMAGE, TOKENS_ENV_VAR } from "../rules/lambda-facts";
import { GENERATED_TOKEN_SPECIALS, tokensYamlList } from "../components/shared/tokens/tokens";

/** The stage of collector/Dockerfile that both function images are built FROM. */
export const RUNTIME_STAGE = "runtime";

/** The ENV of the image's runtime stage (AWS_LWA_PORT, AWS_LWA_INVOKE_MODE, ...). */
export function imageEnvironment(dockerfile: string = path.join(collectorDirectory(), "Dockerfile")): Record<string, string> {
    const parsed = DockerfileParser.parse(fs.readFileSync(dockerfile, "utf8"));
    const froms = parsed.getFROMs();
    const index = froms.findIndex((f) => f.getBuildStage() === RUNTIME_STAGE);
    if (index === -1) throw new Error(`${dockerfile}: no stage named "${RUNTIME_STAGE}"`);
    const start = froms[index].getRange().start.line;
    const end = index + 1 < froms.length ? froms[index + 1].getRange().start.line : Number.POSITIVE_INFINITY;
    const environment: Record<string, string> = {};
    for (const env of parsed.getENVs()) {
        const line = env.getRange().start.line;
        if (line <= start || line >= end) continue;
        for (const property of env.getProperties()) environment[property.getName()] = property.getValue() ?? "";
    }
    return environment;
}

/**
 * Variables Lambda defines for a function (AWS docs, "Defined runtime environment
 * variables"), with this machine's stand-ins. The emulator adds AWS_LAMBDA_RUNTIME_API
 * and the log stream names itself; AWS_LAMBDA_FUNCTION_TIMEOUT is also its invoke
 * timeout (internal/lambda/rie/handlers.go).
 */
export function lambdaEnvironment(options: FunctionSettings): Record<string, string> {
    return {
        PATH: "/usr/local/bin:/usr/bin/:/bin:/opt/bin",
        LANG: "en_US.UTF-8",
        TZ: ":UTC",
        AWS_REGION: options.region,
        AWS_DEFAULT_REGION: options.region,
        AWS_LAMBDA_FUNCTION_NAME: options.functionName,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb),
        AWS_LAMBDA_FUNCTION_TIMEOUT: String(options.timeoutSeconds),
        AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
        AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    };
}

/** What Lambda knows of the function: its name, memory (MB), timeout (s) and region. */
export interface FunctionSettings {
    readonly functionName: string;
    readonly memoryMb: number;
    readonly timeoutSeconds: number;
    readonly region: string;
}

/** The defaults of a local run: the component's (components/lambda/args.ts DEFAULTS) where it has one. */
export const LOCAL_FUNCTION_DEFAULTS: FunctionSettings = {
    functionName: "otel-lambda-collector-local",
    memoryMb: 512,
    timeoutSeconds: COMPONENT_TIMEOUT_SECONDS,
    region: "us-east-1",
};

/** A token like the component's generated ones: 48 characters of letters, digits and `-._~`. */
export function generateToken(length = 48): string {
    const alphabet = `ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789${GENERATED_TOKEN_SPECIALS}`;
    return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join("");
}

export interface FunctionEnvironmentInput {
    /** The collector config text (COLLECTOR_CONFIG). */
    readonly config: string;
    /** Each producer's token, in the order of `producers`. */
    readonly tokens: readonly string[];
    /** The caller's variables (`--env`, `--env-vars-file`, a backend's API key). */
    readonly environment: Readonly<Record<string, string>>;
    readonly function?: Partial<FunctionSettings>;
}

/**
 * The whole environment of the function. Precedence as in the deployed function: the
 * image's ENV, then Lambda's, then the component's and the caller's variables (the
 * component refuses a caller's variable that names one of its own or a reserved one;
 * here a caller may override them on purpose, e.g. COLLECTOR_INGEST_TOKENS or a wrong
 * AWS_LWA_PORT to see what it breaks).
 */
export function functionEnvironment(input: FunctionEnvironmentInput): Record<string, string> {
    return {
        ...imageEnvironment(),
        ...lambdaEnvironment({ ...LOCAL_FUNCTION_DEFAULTS, ...input.function }),
        [IMAGE.configVariable]: input.config,
        [TOKENS_ENV_VAR]: tokensYamlList(input.tokens),
        ...input.environment,
    };
}
