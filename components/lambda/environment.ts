// The function's environment, built and size-checked in one place.
import * as pulumi from "@pulumi/pulumi";
import { environmentSizeProblem, type EnvironmentOrigins } from "./validate";
import { cleanRunError } from "../shared/run-error";

/**
 * Every value secret: `environment` values are mostly credentials (API keys, header
 * values), and a plain string given for one must not land in the state in clear text.
 */
export function secretValues(variables: Readonly<Record<string, pulumi.Input<string>>>): Record<string, pulumi.Output<string>> {
    return Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, pulumi.secret(value)]));
}

/**
 * The function's `environment.variables`. Built key by key, so the config stays a
 * known value at preview (the policy pack reads it) even while a generated token
 * is still unknown. The size was checked at preview on what was known; it is
 * checked again once every value is, riding on the `carrier` variable (one whose
 * value is unknown until deployment) so a failure fails the function.
 */
export function functionEnvironment(
    variables: Record<string, pulumi.Input<string>>,
    carrier: string,
    origins?: EnvironmentOrigins,
): Record<string, pulumi.Input<string>> {
    return {
        ...variables,
        [carrier]: pulumi.all([variables[carrier], pulumi.all(variables)]).apply(([value, all]) => {
            const problem = environmentSizeProblem(all, origins);
            if (problem) {
                throw cleanRunError(problem);
            }
            return value;
        }),
    };
}
