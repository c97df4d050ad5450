// What the collector's role is granted beyond its log group: the AWS permissions its
// config needs (rules/aws-permissions.ts, derived from the exporters, extensions and
// config providers it uses) and the managed policies the caller passes in `policies`.
// The function and its pre-traffic check depend on all of them, so the first cold
// start of a new version already has what its config needs.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsPermissionsFor, type AwsPermission } from "../../rules/aws-permissions";
import { parseCollectorConfig } from "../../rules/config-model";

/** The IAM policy document granting `needs` (one statement each), or undefined when there are none. */
export function configPolicy(needs: readonly AwsPermission[]): object | undefined {
    if (needs.length === 0) return undefined;
    return {
        Version: "2012-10-17",
        Statement: needs.map((need) => ({
            Effect: "Allow",
            Action: need.actions.length === 1 ? need.actions[0] : [...need.actions],
            Resource: need.resources.length === 1 ? need.resources[0] : [...need.resources],
        })),
    };
}

/** The AWS permissions of a config text; none when it does not parse (the config rules report that). */
export function configPermissions(configText: string): AwsPermission[] {
    const parsed = parseCollectorConfig(configText);
    return parsed.ok ? awsPermissionsFor(parsed.config) : [];
}

/** Every action `needs` grants, for the advisory rule's context. */
export function grantedActions(needs: readonly AwsPermission[]): Set<string> {
    return new Set(needs.flatMap((n) => n.actions));
}

/**
 * The role's config-derived grant and one attachment per caller policy (keyed by its
 * name in `policies`, so adding one never replaces another). Returns the resources
 * the function and the check must depend on.
 */
export function collectorGrants(name: string, args: {
    role: aws.iam.Role;
    configText: string;
    policies: Readonly<Record<string, pulumi.Input<string>>>;
}, parent: pulumi.Resource): pulumi.Resource[] {
    const grants: pulumi.Resource[] = [];
    const policy = configPolicy(configPermissions(args.configText));
    if (policy) {
        grants.push(new aws.iam.RolePolicy(`${name}-config-access`, { role: args.role.id, policy: JSON.stringify(policy) }, { parent }));
    }
    for (const [key, arn] of Object.entries(args.policies)) {
        grants.push(new aws.iam.RolePolicyAttachment(`${name}-policy-${key}`, { role: args.role.name, policyArn: arn }, { parent }));
    }
    return grants;
}
