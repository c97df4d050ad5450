// LambdaCollector: the OpenTelemetry Collector as a Lambda function behind a public
// Function URL, with the collector itself enforcing a bearer token.
import * as fs from "node:fs";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { checkCollectorConfigText, LAMBDA_SAFETY_RULES } from "../collector/check";
import { formatFinding } from "../collector/config-model";
import { collectorDirectory, collectorImageArgs, imageUriFor, type Architecture } from "./collector-image";
import {
    environmentKeyProblem,
    environmentSizeProblem,
    LOG_RETENTION_DAYS,
    MEMORY_MB,
    rangeProblem,
    RUNTIME_ENVIRONMENT_KEYS,
    TIMEOUT_SECONDS,
} from "./lambda-limits";

/** Pulumi type token of the component. */
export const LAMBDA_COLLECTOR_TYPE = "otel-lambda-collector:index:LambdaCollector";
/** The function environment variable the image's CMD reads its config from (`--config=env:...`). */
export const CONFIG_ENV_VAR = "COLLECTOR_CONFIG";
/** The function environment variable holding the bearer token; the default config reads it. */
export const TOKEN_ENV_VAR = "COLLECTOR_INGEST_TOKEN";
/** AWS_LWA_PORT in the image: the port the adapter forwards invocations to. */
export const ADAPTER_PORT = 4318;
/** Length of a generated bearer token: 48 characters of a 66-symbol alphabet is about 290 bits. */
export const GENERATED_TOKEN_LENGTH = 48;
/** Pinned image versions; the field report proved this pair in Lambda. */
export const DEFAULT_COLLECTOR_VERSION = "0.151.0";
export const DEFAULT_ADAPTER_VERSION = "1.0.0";
/** Statement ids of our two Function URL permissions, distinct from the ones the AWS provider adds itself. */
export const URL_PERMISSION_STATEMENT_IDS = {
    invokeFunctionUrl: "OtelCollectorPublicUrlInvokeFunctionUrl",
    invokeFunction: "OtelCollectorPublicUrlInvokeFunction",
} as const;

/** The default collector config: OTLP/HTTP with bearer auth, exporting to the `debug` exporter. */
export function defaultCollectorConfig(): string {
    return fs.readFileSync(path.join(collectorDirectory(), "config.yaml"), "utf8");
}

/** Arguments of {@link LambdaCollector}. */
export interface LambdaCollectorArgs {
    /**
     * The collector configuration as YAML text. It reaches the function through its
     * environment, so changing it updates the function without rebuilding the image,
     * and it is checked at preview. Secrets belong in `environment`, referenced as
     * `${env:NAME}`.
     * Default: the package's collector/config.yaml (bearer-authenticated OTLP/HTTP to the `debug` exporter).
     * @default the package's collector/config.yaml (bearer-authenticated OTLP/HTTP to the `debug` exporter)
     */
    collectorConfig?: string;
    /**
     * Extra environment variables for the function, such as backend API keys that the
     * config references with `${env:NAME}`. Values may be secrets; keys must be known
     * at preview so references can be checked.
     * Default: {}.
     * @default {}
     */
    environment?: Record<string, pulumi.Input<string>>;
    /**
     * The bearer token producers must send (`Authorization: Bearer <token>`).
     * Default: a generated 48-character token (about 290 bits), kept secret.
     * @default a generated 48-character token (about 290 bits), kept secret
     */
    ingestToken?: pulumi.Input<string>;
    /**
     * Allow a config whose OTLP/HTTP receiver has no authenticator. The Function URL is
     * public, so anyone who learns it can then send data to your backend.
     * Default: false.
     * @default false
     */
    allowUnauthenticated?: boolean;
    /**
     * Function memory in MB (128–10240). Lambda gives CPU in proportion, so less
     * memory means a slower cold start (double-digit seconds at 128 MB).
     * Default: 512.
     * @default 512
     */
    memorySize?: number;
    /**
     * Function timeout in seconds (1–900). Exports and their retries must finish
     * within it, because Lambda freezes the process after the response.
     * Default: 30.
     * @default 30
     */
    timeout?: number;
    /**
     * CloudWatch Logs retention for `/aws/lambda/<function>`, in days (a value
     * CloudWatch accepts; 0 keeps logs forever).
     * Default: 14.
     * @default 14
     */
    logRetentionDays?: number;
    /**
     * CPU architecture of the function; the image is built for the same platform.
     * Default: "arm64".
     * @default "arm64"
     */
    architecture?: Architecture;
    /**
     * The function's name (1–64 letters, digits, hyphens or underscores).
     * Default: `<component name>-<8 random hex characters>`.
     * @default `<component name>-<8 random hex characters>`
     */
    functionName?: string;
    /**
     * How many images the ECR repository keeps; older ones expire.
     * Default: 10.
     * @default 10
     */
    keepImages?: number;
    /**
     * Delete the ECR repository on `pulumi destroy` even if it still holds images.
     * Default: true.
     * @default true
     */
    forceDeleteRepository?: boolean;
    /**
     * otel/opentelemetry-collector-contrib image tag to take the collector binary from.
     * Default: "0.151.0".
     * @default "0.151.0"
     */
    collectorVersion?: string;
    /**
     * public.ecr.aws/awsguru/aws-lambda-adapter image tag.
     * Default: "1.0.0".
     * @default "1.0.0"
     */
    adapterVersion?: string;
    /**
     * Build the image during `pulumi preview` too. Off, preview needs no Docker daemon.
     * Default: false.
     * @default false
     */
    buildOnPreview?: boolean;
    /**
     * Tags for every AWS resource that takes them.
     * Default: {}.
     * @default {}
     */
    tags?: Record<string, string>;
}

/**
 * The OpenTelemetry Collector in AWS Lambda: an ECR repository and image, an IAM role,
 * a log group, the function, a public Function URL with both permissions it needs,
 * and a bearer token the collector enforces.
 */
export class LambdaCollector extends pulumi.ComponentResource {
    /** Function URL, ending in `/`. */
    public readonly url: pulumi.Output<string>;
    /** OTLP/HTTP endpoint for traces (`<url>v1/traces`). */
    public readonly tracesEndpoint: pulumi.Output<string>;
    /** OTLP/HTTP endpoint for metrics (`<url>v1/metrics`). */
    public readonly metricsEndpoint: pulumi.Output<string>;
    /** OTLP/HTTP endpoint for logs (`<url>v1/logs`). */
    public readonly logsEndpoint: pulumi.Output<string>;
    /** The bearer token producers send (secret). */
    public readonly ingestToken: pulumi.Output<string>;
    /**
     * Environment for OTLP producers (secret, it holds the token):
     * OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_EXPORTER_OTLP_HEADERS.
     */
    public readonly producerEnvironment: pulumi.Output<Record<string, string>>;
    /** Name of the Lambda function. */
    public readonly functionName: pulumi.Output<string>;
    /** ARN of the Lambda function. */
    public readonly functionArn: pulumi.Output<string>;
    /** URL of the ECR repository holding the collector image. */
    public readonly repositoryUrl: pulumi.Output<string>;
    /** The deployed image as `repository@sha256:...`. */
    public readonly imageUri: pulumi.Output<string>;

    constructor(name: string, args: LambdaCollectorArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
        super(LAMBDA_COLLECTOR_TYPE, name, {}, opts);
        const settings = resolveSettings(name, args);
        const tags = args.tags ?? {};

        const token = args.ingestToken !== undefined
            ? pulumi.secret(args.ingestToken)
            : new random.RandomPassword(`${name}-ingest-token`, {
                length: GENERATED_TOKEN_LENGTH,
                // Characters allowed unescaped in an Authorization header and in
                // OTEL_EXPORTER_OTLP_HEADERS (RFC 6750 b64token, URL-unreserved).
                special: true,
                overrideSpecial: "-._~",
            }, { parent: this }).result;

        const functionName = settings.functionName ?? new random.RandomId(`${name}-function-suffix`, {
            byteLength: 4,
        }, { parent: this }).hex.apply((hex) => `${name}-${hex}`);

        const repository = new aws.ecr.Repository(`${name}-images`, {
            imageScanningConfiguration: { scanOnPush: true },
            forceDelete: settings.forceDeleteRepository,
            tags,
        }, { parent: this });
        new aws.ecr.LifecyclePolicy(`${name}-images`, {
            repository: repository.name,
            policy: JSON.stringify({
                rules: [{
                    rulePriority: 1,
                    description: `Keep the newest ${settings.keepImages} images`,
                    selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: settings.keepImages },
                    action: { type: "expire" },
                }],
            }),
        }, { parent: this });

        const image = new dockerBuild.Image(`${name}-image`, collectorImageArgs({
            repositoryUrl: repository.repositoryUrl,
            registryId: repository.registryId,
            parent: this,
            architecture: settings.architecture,
            collectorVersion: settings.collectorVersion,
            adapterVersion: settings.adapterVersion,
            buildOnPreview: settings.buildOnPreview,
        }), { parent: this });
        const imageUri = imageUriFor(repository.repositoryUrl, image);

        const role = new aws.iam.Role(`${name}-role`, {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            tags,
        }, { parent: this });
        const logsAccess = new aws.iam.RolePolicyAttachment(`${name}-logs`, {
            role: role.name,
            policyArn: aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole,
        }, { parent: this });

        // Created before the function so Lambda never makes it first without retention.
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
            name: pulumi.interpolate`/aws/lambda/${functionName}`,
            retentionInDays: settings.logRetentionDays,
            tags,
        }, { parent: this });

        // Key by key, so the config stays a known value at preview (the policy pack
        // reads it) even while the generated token is still unknown.
        const variables: Record<string, pulumi.Input<string>> = {
            ...settings.environment,
            [CONFIG_ENV_VAR]: settings.collectorConfig,
            // The size check runs again once every value is known; it rides on the
            // token so a failure fails the function, not a detached promise.
            [TOKEN_ENV_VAR]: pulumi.all([token, pulumi.all(settings.environment)]).apply(([value, extra]) => {
                const problem = environmentSizeProblem(
                    { ...extra, [CONFIG_ENV_VAR]: settings.collectorConfig, [TOKEN_ENV_VAR]: value }, SIZE_HINT);
                if (problem) {
                    throw new pulumi.RunError(problem);
                }
                return value;
            }),
        };

        const fn = new aws.lambda.Function(`${name}-function`, {
            name: functionName,
            description: "OpenTelemetry Collector behind a Function URL (otel-lambda-collector)",
            packageType: "Image",
            imageUri,
            role: role.arn,
            architectures: [settings.architecture],
            memorySize: settings.memorySize,
            timeout: settings.timeout,
            environment: { variables },
            tags,
        }, { parent: this, dependsOn: [logGroup, logsAccess] });

        const functionUrl = new aws.lambda.FunctionUrl(`${name}-url`, {
            functionName: fn.name,
            // Public; the collector's bearertokenauth is the gate. IAM auth would need
            // SigV4-signed OTLP, which the OpenTelemetry SDKs do not do.
            authorizationType: "NONE",
            // One response per request; streaming is for server-sent events.
            invokeMode: "BUFFERED",
        }, { parent: this });

        // Since October 2025 a public URL needs both statements; with only the first,
        // every request gets 403 at the URL and the function never runs (no logs).
        new aws.lambda.Permission(`${name}-url-invoke-url`, {
            function: fn.name,
            statementId: URL_PERMISSION_STATEMENT_IDS.invokeFunctionUrl,
            action: "lambda:InvokeFunctionUrl",
            principal: "*",
            functionUrlAuthType: "NONE",
        }, { parent: this, dependsOn: [functionUrl] });
        new aws.lambda.Permission(`${name}-url-invoke-function`, {
            function: fn.name,
            statementId: URL_PERMISSION_STATEMENT_IDS.invokeFunction,
            action: "lambda:InvokeFunction",
            principal: "*",
            invokedViaFunctionUrl: true,
        }, { parent: this, dependsOn: [functionUrl] });

        this.url = functionUrl.functionUrl;
        this.tracesEndpoint = pulumi.interpolate`${this.url}v1/traces`;
        this.metricsEndpoint = pulumi.interpolate`${this.url}v1/metrics`;
        this.logsEndpoint = pulumi.interpolate`${this.url}v1/logs`;
        this.ingestToken = pulumi.secret(token);
        this.producerEnvironment = pulumi.secret(pulumi.all([this.url, token]).apply(([url, value]) => producerEnvironmentFor(url, value)));
        this.functionName = fn.name;
        this.functionArn = fn.arn;
        this.repositoryUrl = repository.repositoryUrl;
        this.imageUri = imageUri;
        this.registerOutputs({
            url: this.url,
            tracesEndpoint: this.tracesEndpoint,
            metricsEndpoint: this.metricsEndpoint,
            logsEndpoint: this.logsEndpoint,
            ingestToken: this.ingestToken,
            producerEnvironment: this.producerEnvironment,
            functionName: this.functionName,
            functionArn: this.functionArn,
            repositoryUrl: this.repositoryUrl,
            imageUri: this.imageUri,
        });
    }
}

const SIZE_HINT = "remove comments and unused components from the collector config, or shorten the values";

/**
 * The standard OTLP exporter variables for a producer. The endpoint has no trailing
 * slash because SDKs append `/v1/<signal>`; the space after "Bearer" is
 * percent-encoded as the variable's W3C-baggage format requires.
 */
export function producerEnvironmentFor(url: string, token: string): Record<string, string> {
    return {
        OTEL_EXPORTER_OTLP_ENDPOINT: url.replace(/\/+$/, ""),
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
        OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${token}`,
    };
}

interface Settings {
    readonly collectorConfig: string;
    readonly environment: Record<string, pulumi.Input<string>>;
    readonly memorySize: number;
    readonly timeout: number;
    readonly logRetentionDays: number;
    readonly architecture: Architecture;
    readonly functionName: string | undefined;
    readonly keepImages: number;
    readonly forceDeleteRepository: boolean;
    readonly collectorVersion: string;
    readonly adapterVersion: string;
    readonly buildOnPreview: boolean;
}

/**
 * Applies defaults and checks every argument that is known at preview, the collector
 * config included. All problems are reported together, one line each. Lambda-safety
 * findings (batching, queues) and advisory ones become warnings: the policy pack
 * gives the verdict on those.
 */
export function resolveSettings(name: string, args: LambdaCollectorArgs): Settings {
    const settings: Settings = {
        collectorConfig: args.collectorConfig ?? defaultCollectorConfig(),
        environment: args.environment ?? {},
        memorySize: args.memorySize ?? 512,
        timeout: args.timeout ?? 30,
        logRetentionDays: args.logRetentionDays ?? 14,
        architecture: args.architecture ?? "arm64",
        functionName: args.functionName,
        keepImages: args.keepImages ?? 10,
        forceDeleteRepository: args.forceDeleteRepository ?? true,
        collectorVersion: args.collectorVersion ?? DEFAULT_COLLECTOR_VERSION,
        adapterVersion: args.adapterVersion ?? DEFAULT_ADAPTER_VERSION,
        buildOnPreview: args.buildOnPreview ?? false,
    };
    const problems: (string | undefined)[] = [
        rangeProblem("memorySize", settings.memorySize, MEMORY_MB, "MB"),
        rangeProblem("timeout", settings.timeout, TIMEOUT_SECONDS, "seconds"),
        rangeProblem("keepImages", settings.keepImages, { min: 1, max: 1000 }, "images"),
    ];
    if (!LOG_RETENTION_DAYS.includes(settings.logRetentionDays)) {
        problems.push(`logRetentionDays: ${settings.logRetentionDays} is not a retention CloudWatch accepts; use one of ${LOG_RETENTION_DAYS.join(", ")} (0 keeps logs forever)`);
    }
    if (settings.architecture !== "arm64" && settings.architecture !== "x86_64") {
        problems.push(`architecture: "${String(settings.architecture)}" is not a Lambda architecture; use "arm64" or "x86_64"`);
    }
    const fnName = settings.functionName ?? `${name}-00000000`;
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(fnName)) {
        problems.push(settings.functionName !== undefined
            ? `functionName: "${fnName}" must be 1-64 letters, digits, hyphens or underscores`
            : `name: "${name}" cannot prefix a Lambda function name (1-64 letters, digits, hyphens or underscores, with 9 characters of suffix); rename the component or set functionName`);
    }
    for (const [field, version] of [["collectorVersion", settings.collectorVersion], ["adapterVersion", settings.adapterVersion]] as const) {
        if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(version)) {
            problems.push(`${field}: "${version}" is not a valid image tag; use a version such as ${field === "collectorVersion" ? DEFAULT_COLLECTOR_VERSION : DEFAULT_ADAPTER_VERSION}`);
        }
    }
    for (const key of Object.keys(settings.environment)) {
        if (key === CONFIG_ENV_VAR || key === TOKEN_ENV_VAR) {
            problems.push(`environment.${key}: is set by the component; ${key === TOKEN_ENV_VAR ? "pass the token as ingestToken" : "pass the config as collectorConfig"}`);
            continue;
        }
        const problem = environmentKeyProblem(key);
        if (problem) {
            problems.push(`environment.${key}: ${problem}`);
        }
    }
    const findings = checkCollectorConfigText(settings.collectorConfig, {
        environmentKeys: new Set([...RUNTIME_ENVIRONMENT_KEYS, ...Object.keys(settings.environment), CONFIG_ENV_VAR, TOKEN_ENV_VAR]),
        adapterPort: ADAPTER_PORT,
        requireReceiverAuth: !(args.allowUnauthenticated ?? false),
        functionTimeoutSeconds: settings.timeout,
    });
    for (const finding of findings) {
        if (finding.severity === "mandatory" && !LAMBDA_SAFETY_RULES.has(finding.rule)) {
            problems.push(formatFinding(finding));
        } else {
            pulumi.log.warn(formatFinding(finding));
        }
    }
    // Lower bound known now: plain values, plus the generated token's fixed length.
    const known: Record<string, string> = { [CONFIG_ENV_VAR]: settings.collectorConfig };
    known[TOKEN_ENV_VAR] = typeof args.ingestToken === "string" ? args.ingestToken : "x".repeat(args.ingestToken === undefined ? GENERATED_TOKEN_LENGTH : 0);
    for (const [key, value] of Object.entries(settings.environment)) {
        known[key] = typeof value === "string" ? value : "";
    }
    problems.push(environmentSizeProblem(known, SIZE_HINT));
    const errors = problems.filter((p): p is string => p !== undefined);
    if (errors.length > 0) {
        throw new pulumi.RunError(errors.join("\n"));
    }
    return settings;
}
