// secretStore "secretsmanager": the tokens and the values of `environment` move out
// of the function's environment (readable by anyone allowed
// lambda:GetFunctionConfiguration, and counted against its 4 KB) into one Secrets
// Manager secret, which the collector reads at start through the secretsmanager
// confmap provider that the contrib distribution ships (@v0.151.0)
// (opentelemetry-collector-releases distributions/otelcol-contrib/manifest.yaml
// @v0.151.0 l.264; syntax `${secretsmanager:<arn>#<json-key>}`, contrib
// confmap/provider/secretsmanagerprovider/README.md).
import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { parseDocument, visit } from "yaml";
import { SECRET_ARN_ENV_VAR, TOKEN_ENV_VAR } from "../../../rules/lambda-facts";
import { cleanRunError } from "../run-error";

/**
 * The reference the config gets for a stored variable `name`. The ARN comes from
 * the environment through a nested `${env:...}`: confmap expands the innermost
 * reference first (collector confmap/expand.go @v0.151.0, findURI; e2e case
 * `${test:localhost:${env:PORT}}`), so the config text stays known at preview and
 * the policy pack can check it.
 */
export function secretReference(name: string): string {
    return `\${secretsmanager:\${env:${SECRET_ARN_ENV_VAR}}#${name}}`;
}

/**
 * The config with every unescaped `${env:NAME}` / `${NAME}` (with or without a
 * `:-default`) of a name in `stored` replaced by its {@link secretReference}.
 * Only string values change (confmap never expands map keys); comments stay.
 */
export function moveToSecretStore(config: string, stored: ReadonlySet<string>): string {
    const doc = parseDocument(config);
    if (doc.errors.length > 0) {
        return config; // The config rules report the syntax error.
    }
    let changed = false;
    visit(doc, {
        Scalar(key, node) {
            if (key === "key" || typeof node.value !== "string") {
                return;
            }
            const rewritten = rewriteReferences(node.value, stored);
            if (rewritten !== node.value) {
                node.value = rewritten;
                changed = true;
            }
        },
    });
    return changed ? doc.toString({ lineWidth: 0 }) : config;
}

function rewriteReferences(value: string, stored: ReadonlySet<string>): string {
    return value.replace(/(\$*)\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(:-[^{}]*)?\}/g, (whole, dollars: string, name: string, fallback: string | undefined) => {
        // An odd run of `$` before `${` escapes the reference (`$${env:X}` is literal).
        if (dollars.length % 2 === 1 || !stored.has(name)) {
            return whole;
        }
        return `${dollars}${secretReference(name).slice(0, -1)}${fallback ?? ""}}`;
    });
}

/** Whether a config has an unescaped `${env:NAME}` / `${NAME}` reference (with or without a default). */
export function readsVariable(config: string, name: string): boolean {
    return new RegExp(`(^|[^$])(\\$\\$)*\\$\\{(env:)?${name}(:-[^}]*)?\\}`).test(config);
}

/** Whether a config reads the single-token variable of earlier versions. */
export function readsLegacyToken(config: string): boolean {
    return readsVariable(config, TOKEN_ENV_VAR);
}

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

export function secretArnProblem(field: string, arn: string): string | undefined {
    return SECRET_ARN.test(arn)
        ? undefined
        : `${field}: "${arn}" is not a Secrets Manager secret ARN; use the secret's ARN, arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters> (or without the 6-character suffix)`;
}

export function kmsKeyArnProblem(field: string, arn: string): string | undefined {
    return KMS_KEY_ARN.test(arn)
        ? undefined
        : `${field}: "${arn}" is not a KMS key ARN; use arn:aws:kms:<region>:<account>:key/<key id> (an alias ARN cannot be granted kms:Decrypt reliably)`;
}

/**
 * The IAM policy document allowing GetSecretValue on exactly `secretArns`, and
 * kms:Decrypt on `kmsKeyArns` only through Secrets Manager (kms:ViaService
 * `secretsmanager.<region>.amazonaws.com`, AWS KMS docs "kms:ViaService").
 */
export function secretReadPolicy(secretArns: readonly string[], kmsKeyArn?: string | readonly string[]): object {
    const keys = kmsKeyArn === undefined ? [] : typeof kmsKeyArn === "string" ? [kmsKeyArn] : [...kmsKeyArn];
    const regions = [...new Set(keys.map((k) => k.split(":")[3]))];
    return {
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArns.length === 1 ? secretArns[0] : [...secretArns] },
            ...(keys.length > 0 ? [{
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: keys.length === 1 ? keys[0] : keys,
                Condition: { StringEquals: { "kms:ViaService": regions.map((r) => `secretsmanager.${r}.amazonaws.com`) } },
            }] : []),
        ],
    };
}

/**
 * What to grant for a caller's secret ARN: a full ARN ends in `-` and 6 random
 * characters that Secrets Manager appends; a partial one (without them) matches no
 * secret in IAM, so it is granted with the `-??????` wildcard AWS documents for that
 * case (Secrets Manager docs, "auth-and-access_examples", wildcard for the suffix).
 * The name alone cannot tell which it is (a name may end in `-abcdef`), so both.
 */
export function grantedSecretArns(arn: string): string[] {
    return [arn, `${arn}-??????`];
}

/** One-line problem for a secret ARN in another region than the function's: the collector's provider asks its own region. */
export function secretRegionProblem(field: string, arn: string, region: string): string | undefined {
    const secretRegion = arn.split(":")[3];
    return secretRegion === region
        ? undefined
        : `${field}: "${arn}" is in region ${secretRegion}, but the function runs in ${region}, and the collector's secretsmanager provider reads its own region only; replicate the secret to ${region} and list that replica's ARN`;
}

export interface ComponentSecret {
    readonly secret: aws.secretsmanager.Secret;
    readonly version: aws.secretsmanager.SecretVersion;
    /** Allows the role to read the component's secrets (this one and those older versions read); the function must depend on it. */
    readonly readAccess: aws.iam.RolePolicy;
    /** ARN prefix shared by every secret of this component, past and future (`...:secret:<function>/collector-secrets-`). */
    readonly arnPrefix: pulumi.Output<string>;
}

/** Name prefix of the component's secrets: `<function name>/collector-secrets-` (a function name has no `/`, so no other function's secrets match). */
export function secretNamePrefix(functionName: string): string {
    return `${functionName}/collector-secrets-`;
}

/** The ARN prefix of a component's secrets, from the ARN of one of them. */
export function secretArnPrefixOf(secretArn: string, functionName: string): string {
    return `${secretArn.slice(0, secretArn.indexOf(":secret:") + ":secret:".length)}${secretNamePrefix(functionName)}`;
}

/**
 * One immutable secret per content: `values` as a JSON object (a string per variable;
 * the tokens as a JSON array, which the provider returns as a list for `tokens:`).
 *
 * Immutable because the collector's secretsmanager provider can read only a secret's
 * current value: it calls GetSecretValue with `SecretId` and nothing else, and its
 * selector is `<name or ARN>[#json-key][:-default]` with no version id or stage
 * (opentelemetry-collector-contrib confmap/provider/secretsmanagerprovider/provider.go,
 * identical at v0.151.0 and v0.161.0). So a secret is never written twice: new content
 * is a new secret, named after a random id that changes with the content, and each
 * published version's environment names the secret it was checked with. Old secrets
 * are kept (retainOnDelete) while a version that reads them may serve, and deleted by
 * the version pruning (components/lambda/deploy-runner-code.ts) once no kept version does.
 */
export function componentSecret(name: string, args: {
    values: pulumi.Input<Record<string, pulumi.Input<string | string[]>>>;
    functionName: pulumi.Input<string>;
    role: aws.iam.Role;
    kmsKeyArn: string | undefined;
    tags: Record<string, string>;
}, parent: pulumi.Resource): ComponentSecret {
    const content = pulumi.output(args.values).apply((values) => JSON.stringify(values));
    // A digest of the content, kept secret in state, only to replace the id when it changes.
    const generation = new random.RandomId(`${name}-secrets-generation`, {
        byteLength: 6,
        keepers: { content: pulumi.secret(content.apply((text) => createHash("sha256").update(text).digest("hex"))) },
    }, { parent });
    const secret = new aws.secretsmanager.Secret(`${name}-secrets`, {
        name: pulumi.interpolate`${pulumi.output(args.functionName).apply(secretNamePrefix)}${generation.hex}`,
        description: "Bearer tokens and backend secrets of one otel-lambda-collector configuration; never changed, deleted once no kept function version reads it",
        kmsKeyId: args.kmsKeyArn,
        tags: args.tags,
    }, { parent, retainOnDelete: true });
    const version = new aws.secretsmanager.SecretVersion(`${name}-secrets`, {
        secretId: secret.id,
        secretString: pulumi.secret(content),
    }, { parent, retainOnDelete: true });
    const arnPrefix = pulumi.all([secret.arn, args.functionName]).apply(([arn, functionName]) => secretArnPrefixOf(arn, functionName));
    const readAccess = new aws.iam.RolePolicy(`${name}-secret-read`, {
        role: args.role.id,
        // Every secret of this component: a rollback target reads the secret it was published with.
        policy: arnPrefix.apply((prefix) => JSON.stringify(secretReadPolicy([`${prefix}*`], args.kmsKeyArn))),
    }, { parent });
    return { secret, version, readAccess, arnPrefix };
}

/**
 * The role's read access to the caller's own secrets (`secretArns`), full or partial
 * ARNs, with kms:Decrypt on the customer-managed key of each that has one (read with
 * the aws.secretsmanager.getSecret data source); undefined when there are none.
 * Fails the deployment with one line when a secret is in another region.
 */
export function callerSecretsAccess(name: string, role: aws.iam.Role, secretArns: readonly string[], parent: pulumi.Resource): aws.iam.RolePolicy | undefined {
    if (secretArns.length === 0) {
        return undefined;
    }
    const region = aws.getRegionOutput({}, { parent }).region;
    const keys = secretArns.map((arn) => aws.secretsmanager.getSecretOutput({ arn }, { parent }).kmsKeyId);
    const policy = pulumi.all([region, pulumi.all(keys)]).apply(([r, kmsKeys]) => {
        const problems = secretArns.map((arn, i) => secretRegionProblem(`secretArns[${i}]`, arn, r)).filter((p): p is string => p !== undefined);
        if (problems.length > 0) throw cleanRunError(problems.join("\n"));
        // An empty kmsKeyId is the AWS-managed key, which needs no grant.
        const customerKeys = [...new Set(kmsKeys.flatMap((k, i) => {
            if (typeof k !== "string" || k === "") return [];
            if (k.startsWith("arn:")) return [k];
            // A bare key id: the key is in the secret's account and region.
            const [, partition, , secretRegion, account] = secretArns[i].split(":");
            return [`arn:${partition}:kms:${secretRegion}:${account}:key/${k.replace(/^key\//, "")}`];
        }))];
        return JSON.stringify(secretReadPolicy(secretArns.flatMap(grantedSecretArns), customerKeys.length > 0 ? customerKeys : undefined));
    });
    return new aws.iam.RolePolicy(`${name}-caller-secrets`, { role: role.id, policy }, { parent });
}
