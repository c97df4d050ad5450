// The arguments of FargateCollector and their defaults, in one constant. The fields it
// shares with LambdaCollector (the collector config, tokens, secrets, image) mean the
// same thing and are documented once, on LambdaCollectorArgs.
import type * as pulumi from "@pulumi/pulumi";
import type { BaseImages, LambdaCollectorArgs } from "../lambda/args";

/** What the service scales on: average CPU of its tasks, or load-balancer requests per task. */
export const ScaleOn = { Cpu: "cpu", Requests: "requests" } as const;
export type ScaleOn = (typeof ScaleOn)[keyof typeof ScaleOn];
export const SCALE_ON: readonly ScaleOn[] = Object.values(ScaleOn);

/**
 * Defaults of every optional {@link FargateCollectorArgs} field with a fixed value.
 * 0.25 vCPU / 512 MiB is Fargate's smallest task; two tasks keep the collector up
 * through a task replacement or an Availability Zone's loss.
 */
export const FARGATE_DEFAULTS = {
    taskCpu: 256,
    taskMemory: 512,
    desiredCount: 2,
    minCount: 2,
    maxCount: 6,
    scaleOn: "cpu",
    /** Target average CPU utilisation in percent (scaleOn "cpu"). */
    cpuTarget: 60,
    /** Target requests per task per minute (scaleOn "requests"). */
    requestsTarget: 6000,
    logRetentionDays: 14,
    architecture: "arm64",
    keepImages: 10,
    forceDeleteRepository: true,
    allowUnauthenticated: false,
    producers: ["default"],
    buildOnPreview: false,
} as const;

/**
 * Arguments of `FargateCollector`: the collector as an ECS service on Fargate behind
 * an internal Application Load Balancer, reached over HTTPS through an API Gateway
 * HTTP API (docs/outgrowing-lambda.md). Every field is optional.
 */
export interface FargateCollectorArgs extends Pick<LambdaCollectorArgs,
    "collectorConfig" | "environment" | "ingestToken" | "producers" | "producerTokens" | "tokenRotation" | "secretArns" | "secretKmsKeyArn" |
    "allowUnauthenticated" | "logRetentionDays" | "architecture" | "keepImages" | "forceDeleteRepository" | "collectorVersion" |
    "buildOnPreview" | "tags"> {
    /**
     * Base images of the collector image (collector, alpine, adapter), as for
     * LambdaCollector: the same Dockerfile target, so the same image runs on both
     * runtimes (the adapter binary is inert outside Lambda).
     * Default: {} (the versions pinned in collector/Dockerfile).
     * @default {}
     */
    baseImages?: Omit<BaseImages, "builder">;
    /**
     * Task CPU in CPU units (1024 = 1 vCPU): 256, 512, 1024, 2048, 4096, 8192 or 16384.
     * Default: 256.
     * @default 256
     */
    taskCpu?: number;
    /**
     * Task memory in MiB, a value Fargate accepts for `taskCpu` (e.g. 512, 1024 or 2048 for 256).
     * Default: 512.
     * @default 512
     */
    taskMemory?: number;
    /**
     * Tasks the service starts with on each deployment; autoscaling then keeps the
     * count between `minCount` and `maxCount`. Must lie within them.
     * Default: 2.
     * @default 2
     */
    desiredCount?: number;
    /**
     * Fewest tasks autoscaling keeps (at least 1).
     * Default: 2.
     * @default 2
     */
    minCount?: number;
    /**
     * Most tasks autoscaling starts: a ceiling on cost.
     * Default: 6.
     * @default 6
     */
    maxCount?: number;
    /**
     * What autoscaling tracks: "cpu" (average CPU utilisation of the tasks) or
     * "requests" (load-balancer requests per task per minute).
     * Default: "cpu".
     * @default "cpu"
     */
    scaleOn?: ScaleOn;
    /**
     * The value autoscaling holds: percent CPU (1-100) for "cpu", requests per task
     * per minute for "requests".
     * Default: 60 for "cpu", 6000 for "requests".
     * @default 60 for "cpu", 6000 for "requests"
     */
    scaleTarget?: number;
    /**
     * A domain name for producers (e.g. otel.example.com), served by the HTTPS API
     * with `certificateArn`; you add the DNS record (a CNAME to the `domainTarget`
     * output). The API's own execute-api URL is then turned off.
     * Default: none (producers use the API's https://<id>.execute-api.<region>.amazonaws.com URL).
     * @default none
     */
    domainName?: string;
    /**
     * ARN of an ACM certificate for `domainName`, in the stack's region. Required with `domainName`.
     * Default: none.
     * @default none
     */
    certificateArn?: pulumi.Input<string>;
}
