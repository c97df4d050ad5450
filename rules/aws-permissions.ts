// Which AWS permissions a collector config needs from the function's role: the AWS
// exporters and extension it uses, and the `${secretsmanager:...}` / `${s3:...}`
// references it reads at start. One place for these facts: the LambdaCollector grants
// them (components/lambda/permissions.ts), and the advisory rule `aws-permission` reports a
// need that a role does not visibly have (pack and lint).
//
// Sources (opentelemetry-collector-contrib, the API calls each component makes):
// - awsxray exporter: PutTraceSegments, and PutTelemetryRecords when `telemetry.enabled`
//   (exporter/awsxrayexporter/awsxray.go and README.md, read at v0.161.0);
// - awsemf exporter: CreateLogGroup, CreateLogStream, PutLogEvents on its log group
//   (`log_group_name`, default `/metrics/default`), PutRetentionPolicy with `log_retention`,
//   TagResource with `tags` (exporter/awsemfexporter/README.md at v0.161.0; the calls are in
//   internal/aws/cwlogs, not readable here: an assumption from the README's fields);
// - awss3 exporter: PutObject into `s3uploader.s3_bucket` under `s3_prefix`
//   (exporter/awss3exporter README.md and its Upload calls, read at v0.165.0);
// - sigv4auth extension: sts:AssumeRole on `assume_role.arn` when set; the signed
//   service's own permission (aps:RemoteWrite for Amazon Managed Prometheus) otherwise;
// - secretsmanager provider: GetSecretValue on the id it is given
//   (confmap/provider/secretsmanagerprovider/provider.go, v0.151.0 and v0.161.0);
// - s3 provider: GetObject on `s3://<bucket>.s3.<region>.amazonaws.com/<key>`
//   (confmap/provider/s3provider/provider.go, v0.161.0).
// `role_arn` on awsxray/awsemf makes the exporter assume that role (sts:AssumeRole).
import { componentType, findingAt, isRecord, type CollectorConfig, type Finding } from "./config-model";

/** One permission a config needs, with where in the config the need comes from. */
export interface AwsPermission {
    /** Dotted config path of the component or the value holding the reference. */
    readonly path: string;
    /** IAM actions, e.g. `xray:PutTraceSegments`. */
    readonly actions: readonly string[];
    /** IAM resources (ARNs, with `*` wildcards where the config does not pin one). */
    readonly resources: readonly string[];
    /** Why, as a clause: "exporter awsxray sends segments". */
    readonly reason: string;
}

const str = (value: unknown): string | undefined => (typeof value === "string" && value !== "" && !value.includes("${") ? value : undefined);

/** Every permission `config` needs at start and while exporting, in config order. */
export function awsPermissionsFor(config: CollectorConfig): AwsPermission[] {
    const needs: AwsPermission[] = [];
    const usedExporters = new Set(Object.values(config.pipelines).flatMap((p) => p.exporters));
    for (const [id, settings] of Object.entries(config.components.exporters)) {
        if (!usedExporters.has(id)) continue;
        const s = isRecord(settings) ? settings : {};
        const path = `exporters.${id}`;
        const roleArn = str(s.role_arn);
        if (roleArn) needs.push({ path, actions: ["sts:AssumeRole"], resources: [roleArn], reason: `exporter ${id} assumes role_arn` });
        switch (componentType(id)) {
            case "awsxray": {
                const telemetry = isRecord(s.telemetry) && s.telemetry.enabled === true;
                if (!roleArn) needs.push({ path, actions: ["xray:PutTraceSegments", ...(telemetry ? ["xray:PutTelemetryRecords"] : [])], resources: ["*"], reason: `exporter ${id} sends trace segments to X-Ray` });
                break;
            }
            case "awsemf": {
                if (roleArn) break;
                const group = str(s.log_group_name) ?? "/metrics/default";
                // `{ClusterName}`-style placeholders are filled per metric: the group is a wildcard then.
                const pattern = group.replace(/\{[^}]*\}/g, "*");
                needs.push({
                    path,
                    actions: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
                        ...(s.log_retention !== undefined && s.log_retention !== 0 ? ["logs:PutRetentionPolicy"] : []),
                        ...(isRecord(s.tags) ? ["logs:TagResource"] : [])],
                    resources: [`arn:aws:logs:*:*:log-group:${pattern}`, `arn:aws:logs:*:*:log-group:${pattern}:*`],
                    reason: `exporter ${id} writes EMF to log group ${group}`,
                });
                break;
            }
            case "awss3": {
                const uploader = isRecord(s.s3uploader) ? s.s3uploader : {};
                const bucket = str(uploader.s3_bucket) ?? "*";
                const prefix = str(uploader.s3_prefix) ?? "";
                needs.push({ path, actions: ["s3:PutObject"], resources: [`arn:aws:s3:::${bucket}/${prefix}*`], reason: `exporter ${id} uploads to bucket ${bucket}` });
                break;
            }
            default:
                break;
        }
    }
    const usedExtensions = new Set(idsOf(isRecord(config.raw.service) ? config.raw.service.extensions : undefined));
    for (const [id, settings] of Object.entries(config.components.extensions)) {
        if (componentType(id) !== "sigv4auth" || !usedExtensions.has(id)) continue;
        const s = isRecord(settings) ? settings : {};
        const assume = isRecord(s.assume_role) ? str(s.assume_role.arn) : undefined;
        const path = `extensions.${id}`;
        if (assume) {
            needs.push({ path, actions: ["sts:AssumeRole"], resources: [assume], reason: `extension ${id} assumes assume_role.arn` });
        } else if ((str(s.service) ?? "aps") === "aps") {
            needs.push({ path, actions: ["aps:RemoteWrite"], resources: ["arn:aws:aps:*:*:workspace/*"], reason: `extension ${id} signs Prometheus remote writes (aps)` });
        }
    }
    visitStrings(config.raw, [], (value, path) => {
        for (const match of value.matchAll(/\$\{(secretsmanager|s3):([^{}]+)\}/g)) {
            const [, scheme, selector] = match;
            if (scheme === "secretsmanager") {
                const id = selector.split(":-")[0].split("#")[0];
                const arn = id.startsWith("arn:") ? id : undefined;
                needs.push({
                    path: path.join("."), actions: ["secretsmanager:GetSecretValue"],
                    resources: arn ? [arn, `${arn}-??????`] : [`arn:aws:secretsmanager:*:*:secret:${id}-??????`],
                    reason: `the config reads \${secretsmanager:${id}}`,
                });
            } else {
                const m = /^\/\/([a-z0-9.-]{3,63})\.s3[^/]*\/(.+)$/.exec(selector);
                needs.push({
                    path: path.join("."), actions: ["s3:GetObject"],
                    resources: [m ? `arn:aws:s3:::${m[1]}/${m[2]}` : "arn:aws:s3:::*"],
                    reason: `the config reads \${s3:${selector}}`,
                });
            }
        }
    });
    return needs;
}

function idsOf(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function visitStrings(node: unknown, path: string[], visit: (value: string, path: string[]) => void): void {
    if (typeof node === "string") visit(node, path);
    else if (Array.isArray(node)) node.forEach((v, i) => visitStrings(v, [...path, String(i)], visit));
    else if (isRecord(node)) for (const [k, v] of Object.entries(node)) visitStrings(v, [...path, k], visit);
}

/**
 * The advisory rule's check: one finding per needed action that `granted` does not
 * visibly contain (an action listed, or a `service:*` / `*` wildcard). With nothing
 * visible (the lint, a role the pack cannot see), every need is reported.
 */
export function checkAwsPermissions(config: CollectorConfig, granted: ReadonlySet<string> = new Set()): Finding[] {
    const has = (action: string) => granted.has(action) || granted.has("*") || granted.has(`${action.split(":")[0]}:*`);
    return awsPermissionsFor(config).flatMap((need) => {
        const missing = need.actions.filter((a) => !has(a));
        return missing.length === 0 ? [] : [findingAt(config, "aws-permission", need.path.split("."),
            `${need.reason}, which needs ${missing.join(", ")} on ${need.resources.join(", ")}, and the function's role does not visibly have it`,
            "deploy with the LambdaCollector component, which grants it from the config, or attach a policy with these actions to the role before the function runs")];
    });
}
