import { checkRetryBudget } from "../../collector/lambda-rules";
import { collectorConfigPolicy } from "../collector-config-policy";

/** Advisory: an exporter's retries end before the function times out. */
export const retryWithinTimeout = collectorConfigPolicy({
    name: "lambda-collector-retry-within-timeout",
    description: "Checks that each exporter's retry_on_failure.max_elapsed_time ends before the Lambda function's timeout.",
    enforcementLevel: "advisory",
    remediationSteps: "Set retry_on_failure.max_elapsed_time below the function timeout (the default is 300s), or raise the timeout.",
    check: (config, fn) => checkRetryBudget(config, { functionTimeoutSeconds: fn.timeoutSeconds() }),
});
