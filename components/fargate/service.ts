// The ECS service (awsx FargateService): one container of the collector image, its
// config in the container environment and every secret (the producers' tokens, the
// values of `environment`) injected by ECS from the component's Secrets Manager
// secret through the task definition's `secrets`, never as plain environment.
import * as aws from "@pulumi/aws";
import type * as awsx from "@pulumi/awsx";
import { awsx as loadAwsx } from "./awsx";
import * as pulumi from "@pulumi/pulumi";
import { CONTAINER_PORT, HEALTH_CHECK } from "../../rules/fargate-facts";
import { IMAGE, type Architecture } from "../../rules/lambda-facts";
import type { Network } from "./network";

/** The container's name in the task definition. */
export const CONTAINER_NAME = "collector";
/** The ECS service's name (unique within the component's own cluster). */
export const SERVICE_NAME = "otel-collector";

/** ECS's CPU architecture names for the project's architectures. */
const CPU_ARCHITECTURE: Readonly<Record<Architecture, string>> = { arm64: "ARM64", x86_64: "X86_64" };

/**
 * An ECS `secrets` entry reading one JSON key of a Secrets Manager secret at one
 * version: `<arn>:<json-key>::<version-id>` (AWS ECS Developer Guide, "Pass Secrets
 * Manager secrets through Amazon ECS environment variables": a specific JSON key or
 * version needs Fargate platform 1.4.0 or later). Pinning the version makes a new
 * secret value a new task definition, so a deployment rolls it out (ECS injects the
 * value only when a task starts) and a rollback returns to the old value with the
 * old tasks.
 */
export function secretValueFrom(secretArn: pulumi.Input<string>, key: string, versionId: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`${secretArn}:${key}::${versionId}`;
}

export function collectorService(name: string, args: {
    cluster: aws.ecs.Cluster;
    network: Network;
    targetGroup: pulumi.Output<aws.lb.TargetGroup>;
    imageUri: pulumi.Input<string>;
    collectorConfig: string;
    /** Variable name → `valueFrom` of each secret the container gets. */
    secrets: Record<string, pulumi.Input<string>>;
    executionRoleArn: pulumi.Input<string>;
    taskRoleArn: pulumi.Input<string>;
    logGroupName: pulumi.Input<string>;
    architecture: Architecture;
    cpu: number;
    memory: number;
    desiredCount: number;
    tags: Record<string, string>;
}, opts: pulumi.ComponentResourceOptions): awsx.ecs.FargateService {
    return new (loadAwsx().ecs.FargateService)(`${name}-service`, {
        name: SERVICE_NAME,
        cluster: args.cluster.arn,
        desiredCount: args.desiredCount,
        networkConfiguration: {
            subnets: args.network.subnetIds,
            securityGroups: [args.network.taskGroup.id],
            // The default VPC's public subnets have no NAT: without a public IP the task
            // cannot pull its image, read its secrets or reach the backend.
            assignPublicIp: true,
        },
        // The Fargate counterpart of the Lambda pre-traffic check: a deployment whose
        // tasks fail to start or stay unhealthy is stopped and rolled back to the last
        // one that reached a steady state; awsx waits for steady state by default
        // (waitForSteadyState = !continueBeforeSteadyState), so `pulumi up` reports it.
        deploymentCircuitBreaker: { enable: true, rollback: true },
        // Keep every task serving until its replacement is healthy.
        deploymentMinimumHealthyPercent: 100,
        deploymentMaximumPercent: 200,
        // A collector loads its config in well under a second; this is start-up slack
        // before failed health checks count against a new task.
        healthCheckGracePeriodSeconds: 30,
        propagateTags: "SERVICE",
        tags: args.tags,
        taskDefinitionArgs: {
            cpu: String(args.cpu),
            memory: String(args.memory),
            runtimePlatform: { cpuArchitecture: CPU_ARCHITECTURE[args.architecture], operatingSystemFamily: "LINUX" },
            executionRole: { roleArn: args.executionRoleArn },
            taskRole: { roleArn: args.taskRoleArn },
            logGroup: { existing: { name: args.logGroupName } },
            tags: args.tags,
            container: {
                name: CONTAINER_NAME,
                image: args.imageUri,
                essential: true,
                // The image's CMD reads the config from this variable (collector/Dockerfile).
                environment: [{ name: IMAGE.configVariable, value: args.collectorConfig }],
                secrets: Object.entries(args.secrets).map(([secretName, valueFrom]) => ({ name: secretName, valueFrom })),
                portMappings: [
                    { containerPort: CONTAINER_PORT, protocol: "tcp", targetGroup: args.targetGroup },
                    { containerPort: HEALTH_CHECK.port, protocol: "tcp" },
                ],
                // Alpine's busybox wget; ECS restarts a task whose collector stops answering.
                healthCheck: {
                    command: ["CMD-SHELL", `wget -q -O /dev/null http://127.0.0.1:${HEALTH_CHECK.port}${HEALTH_CHECK.path} || exit 1`],
                    interval: 15,
                    timeout: 5,
                    retries: 3,
                    startPeriod: 15,
                },
                // SIGTERM, then this long to drain its queue before SIGKILL.
                stopTimeout: 30,
            },
        },
    }, opts);
}
