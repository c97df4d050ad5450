// The arguments of LambdaCollector and their defaults, in one constant that the
// component, the docs and the schema test all read.
import type * as pulumi from "@pulumi/pulumi";
import { COMPONENT_TIMEOUT_SECONDS, type Architecture } from "../rules/lambda-facts";

/**
 * Defaults of every optional {@link LambdaCollectorArgs} field that has a fixed value.
 * The versions are the pair the field report proved in Lambda.
 */
export const DEFAULTS = {
    memorySize: 512,
    timeout: COMPONENT_TIMEOUT_SECONDS,
    logRetentionDays: 14,
    architecture: "arm64",
    keepImages: 10,
    forceDeleteRepository: true,
    allowUnauthenticated: false,
    buildOnPreview: false,
    collectorVersion: "0.151.0",
    adapterVersion: "1.0.0",
} as const satisfies Partial<Record<keyof LambdaCollectorArgs, unknown>>;

/** Length of a generated bearer token: 48 characters of a 66-symbol alphabet is about 290 bits. */
export const GENERATED_TOKEN_LENGTH = 48;

/** Arguments of `LambdaCollector`. Every field is optional. */
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
