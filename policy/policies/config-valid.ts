import { checkEnvironmentReferences, checkReferences, checkShape } from "../../collector/structure-rules";
import { RUNTIME_ENVIRONMENT_KEYS } from "../../components/lambda-limits";
import { collectorConfigPolicy } from "../collector-config-policy";

/** The config parses, is well-formed, and every reference resolves, env vars included. */
export const configValid = collectorConfigPolicy({
    name: "lambda-collector-config-valid",
    description: "Checks that a collector config in a Lambda function parses, has well-formed pipelines, and references only defined components and environment variables.",
    enforcementLevel: "mandatory",
    remediationSteps: "Fix the config at the reported path. A collector that cannot load its config answers every request with a 500 and logs nothing useful.",
    reportInvalid: true,
    check: (config, fn) => [
        ...checkShape(config),
        ...checkReferences(config),
        ...checkEnvironmentReferences(config, { environmentKeys: new Set([...RUNTIME_ENVIRONMENT_KEYS, ...fn.environmentKeys]) }),
    ],
});
