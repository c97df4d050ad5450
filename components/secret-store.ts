// secretStore "secretsmanager": the tokens and the values of `environment` move out
// of the function's environment (readable by anyone allowed
// lambda:GetFunctionConfiguration, and counted against its 4 KB) into one Secrets
// Manager secret, which the collector reads at start through the secretsmanager
// confmap provider that the contrib distribution ships (@v0.151.0)
// (opentelemetry-collector-releases distributions/otelcol-contrib/manifest.yaml
// @v0.151.0 l.264; syntax `${secretsmanager:<arn>#<json-key>}`, contrib
// confmap/provider/secretsmanagerprovider/README.md).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseDocument, visit } from "yaml";
import { SECRET_ARN_ENV_VAR, TOKEN_ENV_VAR } from "../rules/lambda-facts";

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
        : `${field}: "${arn}" is not a Secrets Manager secret ARN; use the full ARN, arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>`;
}

export function kmsKeyArnProblem(field: string, arn: string): string | undefined {
    return KMS_KEY_ARN.test(arn)
        ? undefined
        : `${field}: "${arn}" is not a KMS key ARN; use arn:aws:kms:<region>:<account>:key/<key id> (an alias ARN cannot be granted kms:Decrypt reliably)`;
}

/** The IAM policy document allowing GetSecretValue on exactly `secretArns`, and kms:Decrypt on `kmsKeyArn` if given. */
export function secretReadPolicy(secretArns: readonly string[], kmsKeyArn?: string): object {
    return {
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArns.length === 1 ? secretArns[0] : [...secretArns] },
            ...(kmsKeyArn ? [{ Effect: "Allow", Action: "kms:Decrypt", Resource: kmsKeyArn }] : []),
        ],
    };
}

export interface ComponentSecret {
    readonly secret: aws.secretsmanager.Secret;
    readonly version: aws.secretsmanager.SecretVersion;
    /** Allows the role to read this one secret; the function must depend on it. */
    readonly readAccess: aws.iam.RolePolicy;
}

/**
 * One secret holding `values` as a JSON object (a string per variable; the tokens
 * as a JSON array, which the provider returns as a list for `tokens:`), and the
 * role's permission to read exactly it.
 */
export function componentSecret(name: string, args: {
    values: pulumi.Input<Record<string, pulumi.Input<string | string[]>>>;
    role: aws.iam.Role;
    kmsKeyArn: string | undefined;
    tags: Record<string, string>;
}, parent: pulumi.Resource): ComponentSecret {
    const secret = new aws.secretsmanager.Secret(`${name}-secrets`, {
        description: "Bearer tokens and backend secrets of an otel-lambda-collector function",
        kmsKeyId: args.kmsKeyArn,
        tags: args.tags,
    }, { parent });
    const version = new aws.secretsmanager.SecretVersion(`${name}-secrets`, {
        secretId: secret.id,
        secretString: pulumi.secret(pulumi.output(args.values).apply((values) => JSON.stringify(values))),
    }, { parent });
    const readAccess = new aws.iam.RolePolicy(`${name}-secret-read`, {
        role: args.role.id,
        policy: secret.arn.apply((arn) => JSON.stringify(secretReadPolicy([arn], args.kmsKeyArn))),
    }, { parent });
    return { secret, version, readAccess };
}

/** The role's read access to the caller's own secrets (`secretArns`), or undefined when there are none. */
export function callerSecretsAccess(name: string, role: aws.iam.Role, secretArns: readonly string[], parent: pulumi.Resource): aws.iam.RolePolicy | undefined {
    if (secretArns.length === 0) {
        return undefined;
    }
    return new aws.iam.RolePolicy(`${name}-caller-secrets`, {
        role: role.id,
        policy: JSON.stringify(secretReadPolicy(secretArns)),
    }, { parent });
}
