// A CloudWatch dashboard and two alarms for one collector function. Metric names and
// dimensions: AWS Lambda docs, "Monitoring Lambda function URLs" (urls-monitoring.html:
// UrlRequestCount, Url4xxCount, Url5xxCount, UrlRequestLatency in AWS/Lambda, dimension
// FunctionName or Resource) and "Lambda function metrics" (Invocations, Errors, Throttles,
// Duration). Lambda publishes no init-duration metric, so that widget is a Logs Insights
// query over the REPORT lines (`@initDuration`) of the function's log group.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** One metric line of a dashboard widget: [namespace, name, dimension, value, dimension, value, options]. */
type MetricLine = [string, string, string, string, string, string, Record<string, string>];

/**
 * The dimensions of the live alias's metrics: Lambda publishes an alias's invocations
 * under `Resource=<function>:<alias>` with `FunctionName` (AWS Lambda docs,
 * monitoring-metrics-types.html, "Resource"). The URL invokes the alias; the pre-traffic
 * check invokes a version, so its own invocations and errors are not counted here.
 */
export function liveDimensions(functionName: string, aliasName: string): Record<string, string> {
    return { FunctionName: functionName, Resource: `${functionName}:${aliasName}` };
}

export interface DashboardBodyArgs {
    readonly functionName: string;
    readonly logGroupName: string;
    readonly region: string;
    /** The alias producers' traffic goes through. */
    readonly aliasName: string;
}

const PERIOD_SECONDS = 300;

/** The dashboard JSON (CloudWatch dashboard body structure), naming only `functionName`'s metrics. */
export function dashboardBody(args: DashboardBodyArgs): string {
    const metric = (name: string, stat: string, label: string): MetricLine =>
        ["AWS/Lambda", name, "FunctionName", args.functionName, "Resource", `${args.functionName}:${args.aliasName}`, { stat, label }];
    const graph = (x: number, y: number, title: string, metrics: MetricLine[]) => ({
        type: "metric",
        x, y, width: 12, height: 6,
        properties: { title, region: args.region, view: "timeSeries", stacked: false, period: PERIOD_SECONDS, metrics },
    });
    const widgets = [
        graph(0, 0, "Invocations, errors, throttles", [
            metric("Invocations", "Sum", "Invocations"),
            metric("Errors", "Sum", "Errors"),
            metric("Throttles", "Sum", "Throttles"),
        ]),
        graph(12, 0, "Duration (ms)", [
            metric("Duration", "p50", "p50"),
            metric("Duration", "p99", "p99"),
        ]),
        graph(0, 6, "Function URL responses", [
            metric("UrlRequestCount", "Sum", "Requests"),
            metric("Url4xxCount", "Sum", "4xx (bad token, bad request)"),
            metric("Url5xxCount", "Sum", "5xx (collector failing, timeouts)"),
        ]),
        {
            type: "log",
            x: 12, y: 6, width: 12, height: 6,
            properties: {
                title: "Cold starts: init duration (ms)",
                region: args.region,
                view: "timeSeries",
                query: `SOURCE '${args.logGroupName}' | filter @type = "REPORT" and ispresent(@initDuration) | stats count(*) as coldStarts, avg(@initDuration) as avgInitMs, max(@initDuration) as maxInitMs by bin(5m)`,
            },
        },
    ];
    return JSON.stringify({ widgets });
}

export interface MonitoringArgs {
    readonly fn: aws.lambda.Function;
    readonly logGroupName: pulumi.Input<string>;
    readonly dashboard: boolean;
    readonly alarms: boolean;
    readonly alarmTopicArn?: pulumi.Input<string>;
    readonly tags: Record<string, string>;
    readonly aliasName: string;
}

export interface Monitoring {
    readonly dashboard?: aws.cloudwatch.Dashboard;
    readonly alarms: aws.cloudwatch.MetricAlarm[];
}

/** The dashboard and the alarms asked for; nothing when both are off. */
export function monitoring(name: string, args: MonitoringArgs, parent: pulumi.Resource): Monitoring {
    const region = aws.getRegionOutput({}, { parent }).region;
    const dashboard = args.dashboard
        ? new aws.cloudwatch.Dashboard(`${name}-dashboard`, {
            dashboardName: pulumi.interpolate`${args.fn.name}-collector`,
            dashboardBody: pulumi.all([args.fn.name, args.logGroupName, region]).apply(([functionName, logGroupName, r]) =>
                dashboardBody({ functionName, logGroupName, region: r, aliasName: args.aliasName })),
        }, { parent })
        : undefined;
    const actions = args.alarmTopicArn !== undefined ? [args.alarmTopicArn] : [];
    const alarm = (suffix: string, metricName: string, description: string) => new aws.cloudwatch.MetricAlarm(`${name}-${suffix}`, {
        namespace: "AWS/Lambda",
        metricName,
        dimensions: args.fn.name.apply((functionName) => liveDimensions(functionName, args.aliasName)),
        statistic: "Sum",
        period: PERIOD_SECONDS,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        // These metrics are sparse (no data point when nothing failed).
        treatMissingData: "notBreaching",
        alarmDescription: description,
        alarmActions: actions,
        okActions: actions,
        tags: args.tags,
    }, { parent });
    const alarms = args.alarms
        ? [
            alarm("url-5xx", "Url5xxCount", "The collector's Function URL answered 5xx: producers are losing data. Read the function's log group."),
            alarm("errors", "Errors", "The collector function failed (init failure, timeout or crash). Read the function's log group."),
        ]
        : [];
    return { dashboard, alarms };
}

/** One-line problem for an alarm topic ARN that is not an SNS topic ARN (when known at preview). */
export function alarmTopicProblem(arn: unknown): string | undefined {
    if (arn === undefined || typeof arn !== "string") return undefined;
    return /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(arn)
        ? undefined
        : `alarmTopicArn: "${arn}" is not an SNS topic ARN; pass a topic ARN such as arn:aws:sns:us-east-1:123456789012:alerts, or leave it unset`;
}
