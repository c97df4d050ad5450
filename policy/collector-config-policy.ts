// The shape every config policy shares: find the collector configs in each Lambda
// function, run some of the shared rules, report each finding as one violation.
import type { EnforcementLevel, PolicyConfigSchema, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { formatFinding, isRecord, type CollectorConfig, type Finding } from "../collector/config-model";
import { collectorConfigsOf, LAMBDA_FUNCTION_TYPE } from "./function-configs";

/** What a rule may know about the function around the config. */
export interface FunctionFacts {
    readonly name: string;
    readonly environmentKeys: ReadonlySet<string>;
    /**
     * `timeout` as planned; Lambda's default (3 s) when unset. A function, so only the
     * policies that need it read it: an unknown value then makes just them "not
     * checkable", not the mandatory ones.
     */
    readonly timeoutSeconds: () => number | undefined;
    /** `memorySize` as planned; Lambda's default (128 MB) when unset. Read lazily, as above. */
    readonly memoryMb: () => number | undefined;
}

export interface CollectorConfigPolicySpec {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly remediationSteps: string;
    readonly configSchema?: PolicyConfigSchema;
    /** Report configs that do not parse (only one policy should, to avoid duplicates). */
    readonly reportInvalid?: boolean;
    readonly check: (config: CollectorConfig, facts: FunctionFacts, args: ResourceValidationArgs) => Finding[];
}

export function collectorConfigPolicy(spec: CollectorConfigPolicySpec): ResourceValidationPolicy {
    return {
        name: spec.name,
        description: spec.description,
        enforcementLevel: spec.enforcementLevel,
        remediationSteps: spec.remediationSteps,
        configSchema: spec.configSchema,
        validateResource: (args, reportViolation) => {
            if (args.type !== LAMBDA_FUNCTION_TYPE) {
                return;
            }
            // Throws when a value unknown at preview might be the config: the engine
            // then reports "can't run during preview".
            const found = collectorConfigsOf(args.props);
            if (found.configs.length === 0 && found.invalid.length === 0) {
                return;
            }
            const props: Record<string, unknown> = isRecord(args.props) ? args.props : {};
            const facts: FunctionFacts = {
                name: args.name,
                environmentKeys: found.environmentKeys,
                timeoutSeconds: () => numberOr(props.timeout, 3),
                memoryMb: () => numberOr(props.memorySize, 128),
            };
            for (const { key, config } of found.configs) {
                for (const finding of spec.check(config, facts, args)) {
                    reportViolation(violationMessage(args.name, key, finding));
                }
            }
            if (spec.reportInvalid) {
                for (const { key, finding } of found.invalid) {
                    reportViolation(violationMessage(args.name, key, finding));
                }
            }
        },
    };
}

/** `Lambda function "x" collector config (COLLECTOR_CONFIG): <path>: <message> (line N)`. */
export function violationMessage(functionName: string, key: string, finding: Finding): string {
    return formatFinding(finding, `Lambda function "${functionName}" collector config (${key})`);
}

/** A number from planned inputs; `fallback` when unset. Unknown values throw, as they should. */
function numberOr(value: unknown, fallback: number): number | undefined {
    if (value === undefined || value === null) {
        return fallback;
    }
    return typeof value === "number" ? value : undefined;
}
