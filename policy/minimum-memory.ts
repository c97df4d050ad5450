import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isRecord } from "../rules";
import { LAMBDA_DEFAULTS } from "../rules/lambda-facts";
import { LAMBDA_FUNCTION_TYPE } from "./engine/resource-types";
import { collectorConfigsOf } from "./function-configs";
import { numberOr } from "./rule-policies";

interface MinimumMemoryConfig {
    minimumMemoryMb: number;
}

/**
 * Advisory: a function running the collector has enough memory (and so CPU) for a
 * cold start of a few seconds. A function policy, not a config rule: it reads the
 * function's memorySize, not the collector config.
 */
export const minimumMemory: ResourceValidationPolicy = {
    name: "lambda-collector-minimum-memory",
    description: "Checks that a Lambda function running the collector has at least 512 MB, below which cold starts take double-digit seconds.",
    enforcementLevel: "advisory",
    remediationSteps: "Raise memorySize to 512 MB or more: Lambda allocates CPU in proportion to memory.",
    configSchema: { properties: { minimumMemoryMb: { type: "number", default: 512 } } },
    validateResource: (args, reportViolation) => {
        if (args.type !== LAMBDA_FUNCTION_TYPE) {
            return;
        }
        const found = collectorConfigsOf(args.props);
        if (found.configs.length === 0) {
            return;
        }
        const minimum = args.getConfig<Partial<MinimumMemoryConfig>>().minimumMemoryMb ?? 512;
        const memory = numberOr((isRecord(args.props) ? args.props : {}).memorySize, LAMBDA_DEFAULTS.memoryMb);
        if (memory === undefined || memory >= minimum) {
            return;
        }
        for (const { key } of found.configs) {
            reportViolation(`Lambda function "${args.name}" collector config (${key}): the function has ${memory} MB, and Lambda gives CPU in proportion to memory, so the collector's cold start slows to double-digit seconds; set memorySize to at least ${minimum}`);
        }
    },
};
