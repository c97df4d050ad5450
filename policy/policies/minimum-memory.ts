import type { Finding } from "../../collector/config-model";
import { collectorConfigPolicy } from "../collector-config-policy";

interface MinimumMemoryConfig {
    minimumMemoryMb: number;
}

/** Advisory: enough memory (and so CPU) for a cold start of a few seconds. */
export const minimumMemory = collectorConfigPolicy({
    name: "lambda-collector-minimum-memory",
    description: "Checks that a Lambda function running the collector has at least 512 MB, below which cold starts take double-digit seconds.",
    enforcementLevel: "advisory",
    remediationSteps: "Raise memorySize to 512 MB or more: Lambda allocates CPU in proportion to memory.",
    configSchema: { properties: { minimumMemoryMb: { type: "number", default: 512 } } },
    check: (_config, fn, args): Finding[] => {
        const minimum = args.getConfig<Partial<MinimumMemoryConfig>>().minimumMemoryMb ?? 512;
        const memory = fn.memoryMb();
        if (memory === undefined || memory >= minimum) {
            return [];
        }
        return [{
            rule: "minimum-memory",
            severity: "advisory",
            path: "",
            message: `the function has ${memory} MB, and Lambda gives CPU in proportion to memory, so the collector's cold start slows to double-digit seconds; set memorySize to at least ${minimum}`,
        }];
    },
});
