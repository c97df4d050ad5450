// Lambda's limits and the collector image's contract, written once. The component
// checks arguments against them before anything is created (a bad value fails
// `pulumi preview` with one line instead of a failed update); the rules, the policy
// pack and the lint read the same facts.

/** Lambda architectures this project builds for (an enum, so component schemas can express it). */
export const Architecture = { Arm64: "arm64", X86_64: "x86_64" } as const;
export type Architecture = (typeof Architecture)[keyof typeof Architecture];
/** Every value of {@link Architecture}. */
export const ARCHITECTURES: readonly Architecture[] = Object.values(Architecture);
/** The container platform an image for each architecture is built for. */
export const PLATFORM_OF_ARCHITECTURE: Readonly<Record<Architecture, "linux/arm64" | "linux/amd64">> = {
    arm64: "linux/arm64",
    x86_64: "linux/amd64",
};
/** Lambda's architecture when a function does not set one. */
export const DEFAULT_LAMBDA_ARCHITECTURE: Architecture = "x86_64";

/**
 * The image's contract (collector/Dockerfile): the variable its CMD reads the config
 * from (`--config=env:COLLECTOR_CONFIG`) and AWS_LWA_PORT, the port the Lambda Web
 * Adapter forwards invocations to. A test reads the Dockerfile and compares.
 */
export const IMAGE = {
    configVariable: "COLLECTOR_CONFIG",
    adapterPort: 4318,
} as const;
/**
 * The function environment variable holding every accepted bearer token as a YAML
 * flow list (`["t1","t2"]`); the default config reads it as
 * `tokens: ${env:COLLECTOR_INGEST_TOKENS}`.
 */
export const TOKENS_ENV_VAR = "COLLECTOR_INGEST_TOKENS";
/**
 * The single-token variable of earlier versions, set (to the first producer's token)
 * only when a caller's config still reads it with `token: ${env:COLLECTOR_INGEST_TOKEN}`.
 */
/**
 * A stand-in of the shape the component gives TOKENS_ENV_VAR (a YAML flow list of
 * tokens), for consumers that know the variable exists but not its values: the
 * values are credentials, the list structure is what bearertokenauth's `tokens` reads.
 */
export const TOKENS_STAND_IN = '["stand-in-token-0123456789abcdefghijklmnop"]';
export const TOKEN_ENV_VAR = "COLLECTOR_INGEST_TOKEN";
/** With secretStore "secretsmanager": the ARN of the component's secret, which the config's references read. */
export const SECRET_ARN_ENV_VAR = "COLLECTOR_SECRET_ARN";
/**
 * With secretStore "secretsmanager": the secret's current version id. A new secret
 * value changes it, so Lambda starts new execution environments, which read the new
 * value (the provider reads the secret once, at start).
 */
export const SECRET_VERSION_ENV_VAR = "COLLECTOR_SECRET_VERSION";
/** Variables the component sets itself; a caller may not set them. */
export const COMPONENT_ENVIRONMENT_KEYS: ReadonlySet<string> = new Set([
    "COLLECTOR_CONFIG", TOKENS_ENV_VAR, TOKEN_ENV_VAR, SECRET_ARN_ENV_VAR, SECRET_VERSION_ENV_VAR,
]);
/** The collector's default OTLP/HTTP port when a receiver's `endpoint` is omitted. */
export const DEFAULT_OTLP_HTTP_PORT = 4318;
/**
 * The LambdaCollector component's default function timeout in seconds
 * (components/lambda/args.ts DEFAULTS.timeout reads it), which the lint also assumes.
 */
export const COMPONENT_TIMEOUT_SECONDS = 30;
/** Lambda's default timeout (seconds) and memory (MB) when a function does not set them. */
export const LAMBDA_DEFAULTS = { timeoutSeconds: 3, memoryMb: 128 } as const;

/** Memory in MB Lambda accepts for a standard function (1-MB steps). */
export const MEMORY_MB = { min: 128, max: 10240 } as const;
/** Function timeout in seconds. */
export const TIMEOUT_SECONDS = { min: 1, max: 900 } as const;
/**
 * Lambda's cap on all environment variables together, measured as the UTF-8 bytes of
 * the compact JSON map (keys, values and punctuation), which is what the API's
 * "exceeded the 4KB limit. String measured: {...}" error reports.
 */
export const ENVIRONMENT_LIMIT_BYTES = 4096;
/** CloudWatch Logs retention values; 0 keeps logs forever. */
export const LOG_RETENTION_DAYS: readonly number[] = [
    0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Keys Lambda sets itself and refuses in a function's configuration. */
export const RESERVED_ENVIRONMENT_KEYS: ReadonlySet<string> = new Set([
    "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
]);

/**
 * Whether a caller may not set `key`: Lambda's reserved keys and anything it could
 * add (`AWS_*`, `LAMBDA_*`, `_*`; AWS docs "Defined runtime environment
 * variables", configuration-envvars.html), the image's own settings (`AWS_LWA_*`:
 * a different AWS_LWA_PORT or AWS_LWA_INVOKE_MODE breaks the adapter contract the
 * checks assume), and what changes how binaries load (`PATH`, `LD_*`, `TZ`).
 * Returns why, or undefined when the key is free.
 */
export function reservedEnvironmentKey(key: string): string | undefined {
    if (key.startsWith("AWS_LWA_")) return "is a Lambda Web Adapter setting the image fixes (collector/Dockerfile); the component's port and invoke-mode checks rely on it";
    if (RESERVED_ENVIRONMENT_KEYS.has(key) || key === "TZ") return "is reserved by Lambda and cannot be set";
    if (key.startsWith("AWS_") || key.startsWith("LAMBDA_") || key.startsWith("_")) return "is in Lambda's reserved namespace (AWS_*, LAMBDA_*, _*)";
    if (key === "PATH" || key.startsWith("LD_")) return "changes how the image's binaries are found or loaded";
    return undefined;
}

/** Variables present at run time without being configured: Lambda's, and the image's ENV (collector/Dockerfile). */
export const RUNTIME_ENVIRONMENT_KEYS: ReadonlySet<string> = new Set([
    ...RESERVED_ENVIRONMENT_KEYS, "PATH", "LANG", "TZ", "LD_LIBRARY_PATH",
    "AWS_LWA_PORT", "AWS_LWA_INVOKE_MODE", "AWS_LWA_READINESS_CHECK_PATH",
]);

/** Size Lambda counts for an environment map. */
export function environmentBytes(variables: Readonly<Record<string, string>>): number {
    return Buffer.byteLength(JSON.stringify(variables), "utf8");
}

/**
 * The function tag with which the LambdaCollector component records an explicit
 * `allowUnauthenticated`, so the policy pack does not block a public collector its
 * owner chose on purpose.
 */
export const ALLOW_UNAUTHENTICATED_TAG = "otel-lambda-collector/allow-unauthenticated";
