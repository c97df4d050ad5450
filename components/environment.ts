// The function's environment, built and size-checked in one place.
import * as pulumi from "@pulumi/pulumi";
import { IMAGE, TOKEN_ENV_VAR } from "../rules/lambda-facts";
import { environmentSizeProblem } from "./validate";

/**
 * The function's `environment.variables`: the caller's variables, the config and
 * the token. Built key by key, so the config stays a known value at preview (the
 * policy pack reads it) even while a generated token is still unknown. The size
 * was checked at preview on what was known; it is checked again once every value
 * is, riding on the token so a failure fails the function, not a detached promise.
 */
export function functionEnvironment(
    environment: Record<string, pulumi.Input<string>>,
    collectorConfig: string,
    token: pulumi.Input<string>,
): Record<string, pulumi.Input<string>> {
    return {
        ...environment,
        [IMAGE.configVariable]: collectorConfig,
        [TOKEN_ENV_VAR]: pulumi.all([token, pulumi.all(environment)]).apply(([value, extra]) => {
            const problem = environmentSizeProblem({ ...extra, [IMAGE.configVariable]: collectorConfig, [TOKEN_ENV_VAR]: value });
            if (problem) {
                throw new pulumi.RunError(problem);
            }
            return value;
        }),
    };
}
