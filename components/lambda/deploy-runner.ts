// The deploy runner's resources: a Node.js function (its code is
// components/lambda/deploy-runner-code.ts), its own log group and a role that may do exactly
// what the check and the pruning need on this one collector function.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { runnerSource } from "./deploy-runner-code";

/** Runtime of the runner: a Node.js runtime that includes the AWS SDK for JavaScript v3 (AWS Lambda docs, lambda-nodejs.html). */
export const RUNNER_RUNTIME = "nodejs22.x";

export interface DeployRunnerArgs {
    readonly fn: aws.lambda.Function;
    /** ARN prefix of the component's own secrets, which pruning may delete; none without secretStore "secretsmanager". */
    readonly secretArnPrefix?: pulumi.Input<string>;
    /** Seconds: the collector's timeout times the number of check requests, plus room; capped at Lambda's 900. */
    readonly timeout: number;
    readonly logRetentionDays: number;
    readonly tags: Record<string, string>;
}

export interface DeployRunner {
    readonly function: aws.lambda.Function;
    /** The runner's permissions; an invocation of the runner must wait for them. */
    readonly access: aws.iam.RolePolicy;
    readonly logAccess: aws.iam.RolePolicy;
}

/** The IAM policy of the runner: invoke and prune the collector's versions, log to its own group, delete the component's own secrets. */
export function runnerPolicy(functionArn: string, secretArnPrefix?: string): object {
    return {
        Version: "2012-10-17",
        Statement: [
            // Versions only (`<arn>:<version>`): the check invokes the new version, never the alias.
            { Effect: "Allow", Action: "lambda:InvokeFunction", Resource: `${functionArn}:*` },
            {
                Effect: "Allow",
                Action: ["lambda:ListVersionsByFunction", "lambda:GetAlias", "lambda:GetFunctionConfiguration", "lambda:DeleteFunction", "lambda:GetPolicy", "lambda:RemovePermission"],
                Resource: [functionArn, `${functionArn}:*`],
            },
            ...(secretArnPrefix ? [{ Effect: "Allow", Action: "secretsmanager:DeleteSecret", Resource: `${secretArnPrefix}*` }] : []),
        ],
    };
}

/** Pulumi type token of the runner's component: its children are apart from the collector's own. */
export const DEPLOY_RUNNER_TYPE = "otel-lambda-collector:index:DeployRunner";

/** The runner function, its log group and its role, under one component resource. */
export function deployRunner(name: string, args: DeployRunnerArgs, owner: pulumi.Resource): DeployRunner {
    const parent = new DeployRunnerComponent(`${name}-deploy-runner`, owner);
    const functionName = pulumi.interpolate`${args.fn.name}-deploy`;
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-runner-logs`, {
        name: pulumi.interpolate`/aws/lambda/${functionName}`,
        retentionInDays: args.logRetentionDays,
        tags: args.tags,
    }, { parent });
    const role = new aws.iam.Role(`${name}-runner-role`, {
        assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
        tags: args.tags,
    }, { parent });
    const logAccess = new aws.iam.RolePolicy(`${name}-runner-logs`, {
        role: role.id,
        policy: logGroup.arn.apply((arn) => JSON.stringify(logWritePolicy(arn))),
    }, { parent });
    const access = new aws.iam.RolePolicy(`${name}-runner-access`, {
        role: role.id,
        policy: pulumi.all([args.fn.arn, args.secretArnPrefix]).apply(([fnArn, prefix]) => JSON.stringify(runnerPolicy(fnArn, prefix))),
    }, { parent });
    const fn = new aws.lambda.Function(`${name}-runner`, {
        name: functionName,
        description: "Checks and prunes the versions of an otel-lambda-collector function during pulumi up",
        runtime: RUNNER_RUNTIME,
        handler: "index.handler",
        code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(runnerSource()) }),
        role: role.arn,
        memorySize: 128,
        timeout: args.timeout,
        tags: args.tags,
    }, { parent, dependsOn: [logGroup, logAccess, access] });
    parent.done({ functionName: fn.name });
    return { function: fn, access, logAccess };
}

/** CreateLogStream and PutLogEvents on one log group's streams: what AWSLambdaBasicExecutionRole grants, scoped to that group. */
export function logWritePolicy(logGroupArn: string): object {
    // A log group's ARN from the provider ends in `:*`; the streams are `<group>:log-stream:<name>`.
    const group = logGroupArn.replace(/:\*$/, "");
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [group, `${group}:*`] }],
    };
}

class DeployRunnerComponent extends pulumi.ComponentResource {
    constructor(name: string, owner: pulumi.Resource) {
        super(DEPLOY_RUNNER_TYPE, name, {}, { parent: owner });
    }

    done(outputs: pulumi.Inputs): void {
        this.registerOutputs(outputs);
    }
}
