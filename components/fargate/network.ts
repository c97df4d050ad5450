// Where the service runs and who may reach what: the account's default VPC (no NAT
// gateway to pay for: tasks get a public IP to pull the image and reach the backend),
// and three security groups that let traffic flow one way only:
// API Gateway's VPC link → load balancer :80 → tasks :4318 (OTLP) and :13133 (health).
import * as aws from "@pulumi/aws";
import { awsx as loadAwsx } from "./awsx";
import * as pulumi from "@pulumi/pulumi";
import { CONTAINER_PORT, HEALTH_CHECK } from "../../rules/fargate-facts";

/** The load balancer's listener port inside the VPC (plain HTTP: TLS ends at API Gateway, and this hop never leaves the VPC). */
export const INTERNAL_LISTENER_PORT = 80;

export interface Network {
    readonly vpcId: pulumi.Output<string>;
    readonly subnetIds: pulumi.Output<string[]>;
    readonly linkGroup: aws.ec2.SecurityGroup;
    readonly loadBalancerGroup: aws.ec2.SecurityGroup;
    readonly taskGroup: aws.ec2.SecurityGroup;
}

const ANYWHERE_OUT = [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }];

/**
 * The default VPC's public subnets and the three security groups. awsx's own
 * defaults would open the load balancer and the tasks to 0.0.0.0/0 on every port
 * (pulumi/pulumi-awsx awsx/lb/applicationLoadBalancer.ts and
 * awsx/ecs/fargateService.ts getDefaultNetworkConfiguration, v3.8.0-16-ge60adf3c),
 * so the component passes its own.
 */
export function network(name: string, tags: Record<string, string>, parent: pulumi.Resource): Network {
    const vpc = new (loadAwsx().ec2.DefaultVpc)(`${name}-vpc`, {}, { parent });
    const vpcId = vpc.vpcId;
    const linkGroup = new aws.ec2.SecurityGroup(`${name}-link`, {
        vpcId,
        description: "API Gateway VPC link of an otel-lambda-collector Fargate service: outbound to its load balancer only",
        egress: ANYWHERE_OUT,
        tags,
    }, { parent });
    const loadBalancerGroup = new aws.ec2.SecurityGroup(`${name}-lb`, {
        vpcId,
        description: "Internal load balancer of an otel-lambda-collector Fargate service: HTTP from the VPC link only",
        ingress: [{ protocol: "tcp", fromPort: INTERNAL_LISTENER_PORT, toPort: INTERNAL_LISTENER_PORT, securityGroups: [linkGroup.id] }],
        egress: ANYWHERE_OUT,
        tags,
    }, { parent });
    const taskGroup = new aws.ec2.SecurityGroup(`${name}-tasks`, {
        vpcId,
        description: "Collector tasks of an otel-lambda-collector Fargate service: OTLP and health checks from the load balancer only",
        ingress: [
            { protocol: "tcp", fromPort: CONTAINER_PORT, toPort: CONTAINER_PORT, securityGroups: [loadBalancerGroup.id] },
            { protocol: "tcp", fromPort: HEALTH_CHECK.port, toPort: HEALTH_CHECK.port, securityGroups: [loadBalancerGroup.id] },
        ],
        // Backends, ECR, Secrets Manager and CloudWatch Logs are reached over the internet.
        egress: ANYWHERE_OUT,
        tags,
    }, { parent });
    return { vpcId, subnetIds: vpc.publicSubnetIds, linkGroup, loadBalancerGroup, taskGroup };
}
