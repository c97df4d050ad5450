// The stack outputs by runtime. The shared names are the producers' contract: the
// same names and shapes whichever runtime serves them, so a producer moves by
// re-reading `producerEnvironment`. A runtime's own outputs exist only in its stacks
// (a function name on Fargate would be a placeholder a StackReference could act on).
import type { Runtime } from "../rules/runtimes";

/** Outputs every collector stack exports, whatever its runtime. */
export const SHARED_OUTPUT_NAMES = [
    "url", "tracesEndpoint", "metricsEndpoint", "logsEndpoint", "ingestToken", "producerEnvironment", "producerEnvironments",
    "repositoryUrl", "imageUri", "runtime",
] as const;

/** Outputs only one runtime's stacks export. */
export const RUNTIME_OUTPUT_NAMES: Readonly<Record<Runtime, readonly string[]>> = {
    lambda: ["functionName", "functionArn", "liveVersion"],
    fargate: ["clusterName", "serviceName", "domainTarget"],
};
