// The internal Application Load Balancer in front of the tasks (awsx), and the HTTPS
// door producers use: an API Gateway HTTP API with a private integration through a
// VPC link to the load balancer's listener. API Gateway serves
// https://<id>.execute-api.<region>.amazonaws.com with AWS's own certificate, so
// producers get HTTPS with no domain of your own, and the bearer token never crosses
// the internet in clear text: the plain-HTTP hop (VPC link → load balancer → task)
// stays inside the VPC (AWS API Gateway Developer Guide, "Create private integrations
// for HTTP APIs": a VPC link connects an HTTP API to an Application Load Balancer's
// listener; private integration traffic uses HTTP unless a tlsConfig is given).
// With `domainName`, the same API answers on your domain with your ACM certificate.
import * as aws from "@pulumi/aws";
import type * as awsx from "@pulumi/awsx";
import { awsx as loadAwsx } from "./awsx";
import * as pulumi from "@pulumi/pulumi";
import { CONTAINER_PORT, HEALTH_CHECK } from "../../rules/fargate-facts";
import { INTERNAL_LISTENER_PORT, type Network } from "./network";

export interface LoadBalancer {
    readonly loadBalancer: awsx.lb.ApplicationLoadBalancer;
    readonly api: aws.apigatewayv2.Api;
    /** The URL producers use, ending in `/`. */
    readonly url: pulumi.Output<string>;
    /** With `domainName`: the API's regional domain, the target of your CNAME record. */
    readonly domainTarget: pulumi.Output<string> | undefined;
}

/**
 * The target group's health check: the collector's health_check extension on its own
 * port. Two passes in a row (10 s apart) make a task healthy, two failures unhealthy,
 * so a task that cannot load its config never gets traffic.
 */
export const TARGET_HEALTH_CHECK = {
    enabled: true,
    protocol: "HTTP",
    port: String(HEALTH_CHECK.port),
    path: HEALTH_CHECK.path,
    matcher: "200",
    interval: 10,
    timeout: 5,
    healthyThreshold: 2,
    unhealthyThreshold: 2,
} as const;

export function loadBalancer(name: string, args: {
    network: Network;
    domainName: string | undefined;
    certificateArn: pulumi.Input<string> | undefined;
    tags: Record<string, string>;
}, parent: pulumi.Resource): LoadBalancer {
    const { network: net, tags } = args;
    const alb = new (loadAwsx().lb.ApplicationLoadBalancer)(`${name}-lb`, {
        // No public address: the only way in is the VPC link.
        internal: true,
        subnetIds: net.subnetIds,
        securityGroups: [net.loadBalancerGroup.id],
        defaultTargetGroup: {
            port: CONTAINER_PORT,
            protocol: "HTTP",
            targetType: "ip",
            healthCheck: TARGET_HEALTH_CHECK,
            // A draining task finishes its in-flight exports; OTLP requests are short.
            deregistrationDelay: 30,
        },
        listener: { port: INTERNAL_LISTENER_PORT, protocol: "HTTP" },
        // Headers with characters ELB does not allow are dropped, not passed to the collector.
        dropInvalidHeaderFields: true,
        tags,
    }, { parent });
    const listenerArn = alb.listeners.apply((listeners) => listeners![0].arn);

    const link = new aws.apigatewayv2.VpcLink(`${name}-link`, {
        name: `${name}-link`,
        subnetIds: net.subnetIds,
        securityGroupIds: [net.linkGroup.id],
        tags,
    }, { parent });
    const api = new aws.apigatewayv2.Api(`${name}-api`, {
        protocolType: "HTTP",
        description: "OTLP/HTTP endpoint of an otel-lambda-collector Fargate service",
        // With your own domain, that is the only door.
        disableExecuteApiEndpoint: args.domainName !== undefined,
        tags,
    }, { parent });
    const integration = new aws.apigatewayv2.Integration(`${name}-integration`, {
        apiId: api.id,
        integrationType: "HTTP_PROXY",
        integrationMethod: "ANY",
        connectionType: "VPC_LINK",
        connectionId: link.id,
        integrationUri: listenerArn,
        payloadFormatVersion: "1.0",
    }, { parent });
    new aws.apigatewayv2.Route(`${name}-route`, {
        apiId: api.id,
        routeKey: "$default",
        target: pulumi.interpolate`integrations/${integration.id}`,
    }, { parent });
    // The $default stage adds no stage name to the path the collector sees.
    const stage = new aws.apigatewayv2.Stage(`${name}-stage`, {
        apiId: api.id,
        name: "$default",
        autoDeploy: true,
        tags,
    }, { parent });

    if (args.domainName === undefined || args.certificateArn === undefined) {
        return { loadBalancer: alb, api, url: pulumi.interpolate`${api.apiEndpoint}/`, domainTarget: undefined };
    }
    const domain = new aws.apigatewayv2.DomainName(`${name}-domain`, {
        domainName: args.domainName,
        domainNameConfiguration: { certificateArn: args.certificateArn, endpointType: "REGIONAL", securityPolicy: "TLS_1_2" },
        tags,
    }, { parent });
    new aws.apigatewayv2.ApiMapping(`${name}-mapping`, {
        apiId: api.id,
        domainName: domain.id,
        stage: stage.id,
    }, { parent });
    return {
        loadBalancer: alb,
        api,
        url: pulumi.output(`https://${args.domainName}/`),
        domainTarget: domain.domainNameConfiguration.targetDomainName,
    };
}
