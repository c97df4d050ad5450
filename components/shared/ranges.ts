// Whole-number ranges and the AWS-fixed choices (log retention, architecture) that
// every runtime's arguments are checked against, one line each.
import { ARCHITECTURES, LOG_RETENTION_DAYS } from "../../rules/lambda-facts";

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
