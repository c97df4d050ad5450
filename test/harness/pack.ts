// Passes every resource a program registered under mocks through the whole pack.
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { policies } from "../../policy/policies";
import type { RecordedResource } from "./mocks";
import { runResourcePolicy, runStackPolicy } from "./policy";

export interface PackViolation {
    readonly policy: string;
    readonly enforcementLevel: string;
    readonly message: string;
}

export function runPack(resources: readonly RecordedResource[]): PackViolation[] {
    const found: PackViolation[] = [];
    for (const policy of policies) {
        const level = policy.enforcementLevel ?? "advisory";
        const outcomes = "validateStack" in policy
            ? [runStackPolicy(policy as StackValidationPolicy, resources.map((r) => ({ type: r.type, name: r.name, props: r.inputs })))]
            : resources.map((r) => runResourcePolicy(policy as ResourceValidationPolicy, r.type, r.name, r.inputs));
        for (const outcome of outcomes) {
            if (outcome.notCheckable) {
                throw new Error(`unexpectedly not checkable under mocks: ${outcome.notCheckable}`);
            }
            found.push(...outcome.violations.map((message) => ({ policy: policy.name, enforcementLevel: level, message })));
        }
    }
    return found;
}
