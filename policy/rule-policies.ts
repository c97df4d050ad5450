// The pack's collector-config policies, derived from the rule registry: one policy
// per rule, named by the rule id, at the rule's severity. A `function` rule runs on
// every Lambda function whose environment holds a collector config; a `public-url`
// rule only on functions behind a Function URL with authorizationType NONE.
import type {
    EnforcementLevel,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { checkCollectorConfig, formatFinding, isRecord, RULES, type DeploymentContext, type Finding, type Rule } from "../rules";
import { IMAGE, LAMBDA_DEFAULTS, RUNTIME_ENVIRONMENT_KEYS } from "../rules/lambda-facts";
import { unwrapSecret } from "./engine/wire-format";
import { functionOfUrl } from "./engine/related-resources";
import { ECS_TASK_DEFINITION_TYPE, FUNCTION_URL_TYPE, LAMBDA_FUNCTION_TYPE } from "./engine/resource-types";
import { FARGATE_ENVIRONMENT_KEYS } from "../rules/fargate-facts";
import { taskDefinitionConfigsOf } from "./task-definition-configs";
import { collectorConfigsOf, type FunctionConfigs } from "./function-configs";
import { ALLOW_UNAUTHENTICATED_TAG } from "../rules/lambda-facts";


/** `Lambda function "x" collector config (COLLECTOR_CONFIG): <path>: <message>; <hint> (line N)`. */
export function violationMessage(functionName: string, key: string, finding: Finding): string {
    return formatFinding(finding, `Lambda function "${functionName}" collector config (${key})`);
}

/** The policy the pack derives from `rule`. */
export function policyOf(rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
    const common = {
        name: rule.id,
        description: rule.description,
        enforcementLevel: rule.severity as EnforcementLevel,
        remediationSteps: rule.remediation,
    };
    if (rule.scope === "public-url") {
        return {
            ...common,
            validateStack: (args, reportViolation) => {
                for (const url of args.resources.filter((r) => r.type === FUNCTION_URL_TYPE)) {
                    const fn = url.props.authorizationType === "NONE" ? functionOfUrl(url, args.resources) : undefined;
                    if (!fn || tagsOf(fn)[ALLOW_UNAUTHENTICATED_TAG] === "true") {
                        continue;
                    }
                    const found = collectorConfigsOf(fn.props);
                    for (const message of violations(rule, fn.name, found, () => contextOf(rule, fn.props, found))) {
                        reportViolation(message, url.urn);
                    }
                }
            },
        };
    }
    return {
        ...common,
        validateResource: (args: ResourceValidationArgs, reportViolation) => {
            // An ECS task definition is judged by the rules of a long-running container.
            if (args.type === ECS_TASK_DEFINITION_TYPE && rule.runtimes.includes("fargate")) {
                for (const container of taskDefinitionConfigsOf(args.props)) {
                    const where = `ECS task definition "${args.name}" container "${container.container}"`;
                    for (const message of violations(rule, where, container, () => containerContextOf(rule, container), (name, key, finding) => formatFinding(finding, `${name} collector config (${key})`))) {
                        reportViolation(message);
                    }
                }
                return;
            }
            if (args.type !== LAMBDA_FUNCTION_TYPE || !rule.runtimes.includes("lambda")) {
                return;
            }
            // Throws when a value unknown at preview might be the config: the engine
            // then reports "can't run during preview", never a pass.
            const found = collectorConfigsOf(args.props);
            for (const message of violations(rule, args.name, found, () => contextOf(rule, args.props, found))) {
                reportViolation(message);
            }
        },
    };
}

/**
 * Every violation of `rule` in a function's configs: unparsable ones (by their rule)
 * and findings on each config as resolved in the function's environment. A component
 * whose structure comes from a value unknown at preview is not checkable yet: the
 * config-value-unknown policy rethrows the engine's unknown-value error, so the SDK
 * reports "can't run during preview" and the policy runs again, with the value, at
 * deployment. Any other value unknown to the pack (a Lambda-set variable) is a
 * mandatory violation.
 */
function violations(rule: Rule, functionName: string, found: FunctionConfigs, context: () => DeploymentContext, message: (name: string, key: string, finding: Finding) => string = violationMessage): string[] {
    const messages = found.invalid
        .filter(({ finding }) => finding.rule === rule.id)
        .map(({ key, finding }) => message(functionName, key, finding));
    if (found.configs.length === 0) {
        return messages;
    }
    // Read only now: an unknown timeout makes just the rules that need it not checkable.
    const ctx = context();
    for (const { key, config } of found.configs) {
        for (const finding of checkCollectorConfig(config, ctx, [rule])) {
            if (rule.id === "config-value-unknown" && found.unknownError && found.unknownKeys.has(referencedName(finding.reference))) {
                throw found.unknownError;
            }
            messages.push(message(functionName, key, finding));
        }
    }
    return messages;
}

/** The variable a `${env:NAME...}` or `${NAME}` reference names; "" otherwise. */
function referencedName(reference: string | undefined): string {
    return /^\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)/.exec(reference ?? "")?.[1] ?? "";
}

/**
 * What a planned function tells about its deployment, limited to the fields `rule`
 * needs. Lambda's defaults apply to unset values; an unknown value throws the
 * engine's UnknownValueError.
 */
function contextOf(rule: Rule, props: unknown, found: FunctionConfigs): DeploymentContext {
    const planned: Record<string, unknown> = isRecord(props) ? props : {};
    // Every rule judges the resolved config, so the environment's values are always given.
    const environment: Record<string, string | undefined> = {};
    for (const key of RUNTIME_ENVIRONMENT_KEYS) environment[key] = undefined;
    // This project's image sets AWS_LWA_PORT; a value on the function overrides it.
    environment.AWS_LWA_PORT = String(IMAGE.adapterPort);
    Object.assign(environment, found.environment);
    const context: { -readonly [K in keyof DeploymentContext]: DeploymentContext[K] } = { environment };
    for (const field of rule.needs) {
        switch (field) {
            case "environmentKeys":
                context.environmentKeys = new Set([...RUNTIME_ENVIRONMENT_KEYS, ...found.environmentKeys]);
                break;
            case "functionTimeoutSeconds":
                context.functionTimeoutSeconds = numberOr(planned.timeout, LAMBDA_DEFAULTS.timeoutSeconds);
                break;
            case "requireReceiverAuth":
                context.requireReceiverAuth = true;
                break;
            case "adapterPort": {
                // The image's ENV is not visible to the pack: AWS_LWA_PORT set on the
                // function wins, else this project's image contract (IMAGE.adapterPort).
                // An unknown value leaves the rule out rather than guessing.
                const set = Object.prototype.hasOwnProperty.call(found.environment, "AWS_LWA_PORT");
                const text = found.environment.AWS_LWA_PORT;
                const port = !set ? IMAGE.adapterPort : text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
                if (port !== undefined) context.adapterPort = port;
                break;
            }
            case "distributionComponents":
                // Nor which collector build the image holds; the component checks that at preview.
                break;
            case "collectorValidation":
                // The pack runs no collector binary: collector-validate is the lint's
                // --collector and the component's validateWith.
                break;
        }
    }
    return context;
}

/** What a planned container tells about its deployment (runtime fargate), limited to what `rule` needs. */
function containerContextOf(rule: Rule, container: { environment: Readonly<Record<string, string | undefined>>; environmentKeys: ReadonlySet<string>; containerPort: number | undefined }): DeploymentContext {
    const environment: Record<string, string | undefined> = {};
    for (const key of FARGATE_ENVIRONMENT_KEYS) environment[key] = undefined;
    Object.assign(environment, container.environment);
    return {
        runtime: "fargate",
        environment,
        ...(rule.needs.includes("environmentKeys") ? { environmentKeys: new Set([...FARGATE_ENVIRONMENT_KEYS, ...container.environmentKeys]) } : {}),
        ...(container.containerPort !== undefined ? { containerPort: container.containerPort } : {}),
    };
}

function tagsOf(resource: PolicyResource): Record<string, unknown> {
    const tags = unwrapSecret(resource.props.tags);
    return isRecord(tags) ? tags : {};
}

/** A number from planned inputs; `fallback` when unset, undefined when not a number. */
export function numberOr(value: unknown, fallback: number): number | undefined {
    const unwrapped = unwrapSecret(value);
    if (unwrapped === undefined || unwrapped === null) {
        return fallback;
    }
    return typeof unwrapped === "number" ? unwrapped : undefined;
}

/** One policy per registry rule, in registry order. */
export const rulePolicies: readonly (ResourceValidationPolicy | StackValidationPolicy)[] = RULES.map(policyOf);
