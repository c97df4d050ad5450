// Lambda's own limits and environment facts, checked before anything is created so a
// bad value fails `pulumi preview` with one line instead of a failed update.

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

/** Variables present at run time without being configured: Lambda's, and the image's ENV. */
export const RUNTIME_ENVIRONMENT_KEYS: ReadonlySet<string> = new Set([
    ...RESERVED_ENVIRONMENT_KEYS, "PATH", "LANG", "TZ", "LD_LIBRARY_PATH",
    "AWS_LWA_PORT", "AWS_LWA_INVOKE_MODE", "AWS_LWA_READINESS_CHECK_PATH",
]);

const KEY_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]+$/;

/** Problems with a caller-chosen environment key, as one sentence, or undefined. */
export function environmentKeyProblem(key: string): string | undefined {
    if (!KEY_PATTERN.test(key)) {
        return "is not a valid Lambda environment variable name; use letters, digits and underscores, starting with a letter";
    }
    if (RESERVED_ENVIRONMENT_KEYS.has(key)) {
        return "is reserved by Lambda and cannot be set; choose another name";
    }
    return undefined;
}

/** Size Lambda counts for an environment map. */
export function environmentBytes(variables: Readonly<Record<string, string>>): number {
    return Buffer.byteLength(JSON.stringify(variables), "utf8");
}

/** A one-line error when the environment is over Lambda's limit, else undefined. */
export function environmentSizeProblem(variables: Readonly<Record<string, string>>, largestHint: string): string | undefined {
    const bytes = environmentBytes(variables);
    if (bytes <= ENVIRONMENT_LIMIT_BYTES) {
        return undefined;
    }
    const largest = Object.entries(variables)
        .map(([key, value]) => ({ key, bytes: Buffer.byteLength(value, "utf8") }))
        .sort((a, b) => b.bytes - a.bytes)[0];
    return `environment: ${bytes} bytes is over Lambda's ${ENVIRONMENT_LIMIT_BYTES}-byte limit for all variables together; the largest is ${largest.key} (${largest.bytes} bytes): ${largestHint}`;
}

/** A one-line error when `value` is not an integer in [min, max], else undefined. */
export function rangeProblem(field: string, value: number, range: { min: number; max: number }, unit: string): string | undefined {
    if (!Number.isInteger(value) || value < range.min || value > range.max) {
        return `${field}: ${value} is not a whole number of ${unit} between ${range.min} and ${range.max}; set ${field} within that range`;
    }
    return undefined;
}
