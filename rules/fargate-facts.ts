// Facts about the collector as a long-running ECS task on Fargate, written once: the
// FargateCollector component, the rules, the policy pack and the lint read them.

/**
 * The container's OTLP/HTTP port: the load balancer's target group sends producers'
 * requests here, so the receiver must listen on every interface at this port
 * (the same port the Lambda image's adapter uses, so one config serves both).
 */
export const CONTAINER_PORT = 4318;
/**
 * The collector's health_check extension: port 13133 and path `/` by default
 * (collector-contrib extension/healthcheckextension/factory.go, createDefaultConfig:
 * `Endpoint: testutil.EndpointForPort(defaultPort)`, `Path: "/"`; read in an indexed
 * copy, release not pinned). Its host defaults to localhost (assumption: the
 * localhost default of contrib servers since v0.104), and the load balancer's health
 * check calls it from outside the task, so it must listen on 0.0.0.0.
 */
export const HEALTH_CHECK = { port: 13133, path: "/" } as const;
/**
 * Variables ECS sets in a Fargate container itself (AWS docs, "Amazon ECS task
 * metadata endpoint version 4 for tasks on Fargate" and "Task IAM role"):
 * the metadata endpoint, the credentials path of the task role, the region and the
 * execution environment. An `${env:...}` reference to one of them is defined.
 * Assumption: AWS_REGION and AWS_DEFAULT_REGION are set on platform version 1.4.0
 * (observed in AWS's Fargate platform changelog, not re-read for this release).
 */
export const FARGATE_ENVIRONMENT_KEYS: readonly string[] = [
    "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV", "ECS_CONTAINER_METADATA_URI", "ECS_CONTAINER_METADATA_URI_V4",
    "ECS_AGENT_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "HOSTNAME", "HOME", "PATH",
];
