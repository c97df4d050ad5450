// Target-tracking autoscaling of the service's task count between minCount and
// maxCount, on average CPU or on load-balancer requests per task (Application Auto
// Scaling predefined metrics ECSServiceAverageCPUUtilization and
// ALBRequestCountPerTarget; the latter's resource label is
// `<load balancer arn suffix>/<target group arn suffix>`).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ScaleOn } from "./args";

export function serviceScaling(name: string, args: {
    clusterName: pulumi.Input<string>;
    serviceName: string;
    minCount: number;
    maxCount: number;
    scaleOn: ScaleOn;
    scaleTarget: number;
    /** `<lb arn suffix>/<target group arn suffix>`, for scaleOn "requests". */
    requestsLabel: pulumi.Input<string>;
    tags: Record<string, string>;
}, opts: pulumi.CustomResourceOptions): { target: aws.appautoscaling.Target; policy: aws.appautoscaling.Policy } {
    const target = new aws.appautoscaling.Target(`${name}-scaling`, {
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        resourceId: pulumi.interpolate`service/${args.clusterName}/${args.serviceName}`,
        minCapacity: args.minCount,
        maxCapacity: args.maxCount,
        tags: args.tags,
    }, opts);
    const policy = new aws.appautoscaling.Policy(`${name}-scaling`, {
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
            targetValue: args.scaleTarget,
            predefinedMetricSpecification: args.scaleOn === "cpu"
                ? { predefinedMetricType: "ECSServiceAverageCPUUtilization" }
                : { predefinedMetricType: "ALBRequestCountPerTarget", resourceLabel: args.requestsLabel },
            // Out fast, in slowly: a burst of telemetry should not wait, and scaling in
            // drains tasks (their queues) for nothing if the burst returns.
            scaleOutCooldown: 60,
            scaleInCooldown: 300,
        },
    }, { ...opts, parent: opts.parent });
    return { target, policy };
}
