// Runs policies in-process the way the analyzer server does: props behind the policy
// SDK's own unknown-checking proxy, and an UnknownValueError turned into "can't run
// during preview" instead of a result. Tests never import policy/index.ts, whose
// PolicyPack starts a server.
import type {
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { isUnknownValueError, SECRET_SIG, SECRET_SIG_KEY } from "../../policy/engine/wire-format";

// The SDK exports these at run time but declares no types for them.
const proxy = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy<T extends object>(target: T): T;
    unknownStringValue: string;
    unknownNumberValue: string;
};

/** The engine's placeholder for a string unknown at preview. */
export const UNKNOWN_STRING = proxy.unknownStringValue;
/** The engine's placeholder for a number unknown at preview. */
export const UNKNOWN_NUMBER = proxy.unknownNumberValue;

/** How the engine sends a secret it has not unwrapped. */
export function secretValue(value: unknown): Record<string, unknown> {
    return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

export interface PolicyOutcome {
    readonly violations: string[];
    /** Set when the policy could not run because a value is unknown at preview. */
    readonly notCheckable?: string;
}

const OPTIONS: PolicyResourceOptions = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};

const urnOf = (type: string, name: string): string => `urn:pulumi:dev::otel-lambda-collector::${type}::${name}`;
const isTypeOf = (type: string) => (cls: { __pulumiType?: string }): boolean => cls.__pulumiType === type;

export function runResourcePolicy(
    policy: ResourceValidationPolicy, type: string, name: string, props: Record<string, unknown>, config: Record<string, unknown> = {},
): PolicyOutcome {
    const wrapped = proxy.unknownCheckingProxy(props);
    const args: ResourceValidationArgs = {
        type,
        props: wrapped,
        urn: urnOf(type, name),
        name,
        opts: OPTIONS,
        stackTags: new Map(),
        isType: isTypeOf(type) as ResourceValidationArgs["isType"],
        asType: ((cls: { __pulumiType?: string }) => (isTypeOf(type)(cls) ? wrapped : undefined)) as ResourceValidationArgs["asType"],
        getConfig: <T extends object>() => config as T,
        notApplicable: (reason?: string): never => {
            throw new Error(`not applicable: ${reason ?? ""}`);
        },
    };
    const violations: string[] = [];
    const validations = [policy.validateResource ?? []].flat();
    try {
        for (const validate of validations) {
            assertSync(validate(args, (message) => violations.push(message)));
        }
    } catch (error) {
        if (isUnknownValueError(error)) {
            return { violations, notCheckable: `can't run policy '${policy.name}' during preview: ${error.message}` };
        }
        throw error;
    }
    return { violations };
}

export interface StackResource {
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
    readonly propertyDependencies?: Record<string, string[]>;
}

export function runStackPolicy(policy: StackValidationPolicy, resources: readonly StackResource[]): PolicyOutcome {
    const built = new Map<string, PolicyResource>();
    for (const r of resources) {
        built.set(r.name, {
            type: r.type,
            props: proxy.unknownCheckingProxy(r.props),
            urn: urnOf(r.type, r.name),
            name: r.name,
            opts: OPTIONS,
            dependencies: [],
            propertyDependencies: {},
            isType: isTypeOf(r.type) as PolicyResource["isType"],
            asType: ((cls: { __pulumiType?: string }) => (isTypeOf(r.type)(cls) ? r.props : undefined)) as PolicyResource["asType"],
        });
    }
    for (const r of resources) {
        const target = built.get(r.name);
        for (const [prop, names] of Object.entries(r.propertyDependencies ?? {})) {
            if (target) target.propertyDependencies[prop] = names.map((n) => built.get(n)).filter((x): x is PolicyResource => x !== undefined);
        }
    }
    const args: StackValidationArgs = {
        resources: [...built.values()],
        stackTags: new Map(),
        getConfig: <T extends object>() => ({}) as T,
        notApplicable: (reason?: string): never => {
            throw new Error(`not applicable: ${reason ?? ""}`);
        },
    };
    const violations: string[] = [];
    try {
        assertSync(policy.validateStack(args, (message) => violations.push(message)));
    } catch (error) {
        if (isUnknownValueError(error)) {
            return { violations, notCheckable: `can't run policy '${policy.name}' during preview: ${error.message}` };
        }
        throw error;
    }
    return { violations };
}

/** Our policies are synchronous; a promise here would hide its errors from the test. */
function assertSync(result: unknown): void {
    if (result instanceof Promise) {
        throw new Error("asynchronous policy validation is not supported by this harness");
    }
}
