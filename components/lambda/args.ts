// The arguments of LambdaCollector and their defaults, in one constant that the
// component, the docs and the schema test all read.
import type * as pulumi from "@pulumi/pulumi";
import { COMPONENT_TIMEOUT_SECONDS, type Architecture } from "../../rules/lambda-facts";
import { PINNED_IMAGES } from "../shared/image/collector-image";
import type { Distribution } from "./distribution";

/** Where the component keeps the bearer tokens and the backend secrets the config reads. */
export const SecretStore = { Environment: "environment", SecretsManager: "secretsmanager" } as const;
export type SecretStore = (typeof SecretStore)[keyof typeof SecretStore];
/** Every value of {@link SecretStore}. */
export const SECRET_STORES: readonly SecretStore[] = Object.values(SecretStore);

/**
 * Defaults of every optional {@link LambdaCollectorArgs} field that has a fixed value.
 * The versions are read from collector/Dockerfile, the one place they are pinned.
 */
export const DEFAULTS = {
    memorySize: 512,
    timeout: COMPONENT_TIMEOUT_SECONDS,
    logRetentionDays: 14,
    architecture: "arm64",
    keepImages: 10,
    keepVersions: 3,
    forceDeleteRepository: true,
    allowUnauthenticated: false,
    producers: ["default"],
    secretStore: "environment",
    buildOnPreview: false,
    collectorVersion: PINNED_IMAGES.collector.version,
    adapterVersion: PINNED_IMAGES.adapter.version,
    preTrafficCheck: true,
    dashboard: true,
    alarms: true,
    distribution: "contrib",
} as const satisfies Partial<Record<keyof LambdaCollectorArgs, unknown>>;

/** Range of `keepVersions`: at least the live version and one to roll back to. */
export const KEEP_VERSIONS_RANGE = { min: 2, max: 100 } as const;

/** Phases of a token rotation; see {@link TokenRotation}. */
/**
 * A const object rather than a union, so the component schema other languages get
 * has an enum (Pulumi's schema analyzer refuses union types).
 */
export const RotationPhase = { Overlap: "overlap", Switched: "switched" } as const;
export type RotationPhase = (typeof RotationPhase)[keyof typeof RotationPhase];
export const ROTATION_PHASES: readonly RotationPhase[] = Object.values(RotationPhase);

/**
 * One producer's token rotation (see {@link LambdaCollectorArgs.tokenRotation}).
 * Generation 1 is the token the producer got when it was added; each rotation
 * moves to the next generation in three `pulumi up`s: `phase: "overlap"`, then
 * `phase: "switched"`, then no phase.
 */
export interface TokenRotation {
    /** The generation to rotate to: a whole number from 2 to 1000, one more than the producer's current generation. */
    generation: number;
    /**
     * "overlap": the collector accepts the token of `generation - 1` and a new one of
     * `generation`; `producerEnvironments.<name>` still gives the old one.
     * "switched": both still accepted; `producerEnvironments.<name>` gives the new one.
     * Unset: only `generation` is accepted (the old token is retired and deleted).
     */
    phase?: RotationPhase;
}

/** Length of a generated bearer token: 48 characters of a 66-symbol alphabet is about 290 bits. */
export const GENERATED_TOKEN_LENGTH = 48;

/**
 * Arguments of `LambdaCollector`. Every field is optional. Each must have the type
 * declared here, known at preview unless it says `pulumi.Input` (a number is a number,
 * not a string or an Output); a wrong type, `null`, or a name not listed here is an
 * error naming the argument (see docs/argument-types.md).
 */
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
     * config references with `${env:NAME}`. Every value is kept secret, whether given as
     * a plain string or a secret Output; keys must be known at preview so references
     * can be checked. A value must not be empty nor have space around it. A variable the
     * config reads reaches the collector's setting exactly as typed: the component
     * doubles each `$` so the collector's config expansion gives it back (`$$` and
     * `${...}` inside a value are text, never expanded; components/shared/config-sources/config-text.ts).
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
     * Names of the producers that may send, each with its own bearer token, all
     * accepted by the collector (bearertokenauth `tokens`). Revoke one producer by
     * removing its name; rotate by adding a new name, moving producers to it, then
     * removing the old one (docs/tokens.md). Names: 1-32 lower-case letters, digits
     * and hyphens. `ingestToken` and `producerEnvironment` are the first name's.
     * Default: ["default"].
     * @default ["default"]
     */
    producers?: string[];
    /**
     * Tokens you choose for some producers, by name (each a name in `producers`);
     * the others get a generated 48-character token. A token needs at least 32
     * characters of RFC 6750 b64token (letters, digits, `-._~+/`, `=` padding).
     * Default: {} (every token generated).
     * @default {}
     */
    producerTokens?: Record<string, pulumi.Input<string>>;
    /**
     * Rotates a producer's generated token in place, by producer name (see the
     * TokenRotation type; no link here, the schema analyzer cannot render one): the producer keeps its name, so whoever reads
     * `producerEnvironments.<name>` needs no change. Three `pulumi up`s:
     * `{web: {generation: 2, phase: "overlap"}}` (both tokens accepted), then
     * `phase: "switched"` (`producerEnvironments.web` gives the new token; redeploy the
     * producer), then `{web: {generation: 2}}` (the old token refused). A producer whose
     * token is given (`producerTokens`, `ingestToken`) cannot be rotated here.
     * Default: {} (every producer on generation 1, its first token).
     * @default {}
     */
    tokenRotation?: Record<string, TokenRotation>;
    /**
     * Where the tokens and the values of `environment` are kept. "environment": in
     * the function's environment variables (readable by anyone allowed
     * lambda:GetFunctionConfiguration). "secretsmanager": in one AWS Secrets Manager
     * secret the component creates (about $0.40 a month, plus one GetSecretValue per
     * reference at each cold start), read by the collector through
     * `${secretsmanager:...}` references; the environment then holds only the config
     * and the secret's ARN and version.
     * Default: "environment".
     * @default "environment"
     */
    secretStore?: SecretStore;
    /**
     * ARNs of Secrets Manager secrets your own collector config reads with
     * `${secretsmanager:<arn>...}`; the role may call secretsmanager:GetSecretValue on
     * exactly these. A full ARN (ending in `-` and 6 characters) or a partial one
     * (without them; granted with the `-??????` wildcard). Each must be in the function's
     * region; one encrypted with a customer-managed key also gets kms:Decrypt on that
     * key, only through Secrets Manager (kms:ViaService).
     * Default: [].
     * @default []
     */
    secretArns?: string[];
    /**
     * ARN of a customer-managed KMS key to encrypt the component's secret with
     * (secretStore "secretsmanager"); the role then also gets kms:Decrypt on this key.
     * Default: none (the AWS-managed key aws/secretsmanager, no KMS permission needed).
     * @default none (the AWS-managed key aws/secretsmanager)
     */
    secretKmsKeyArn?: string;
    /**
     * Reserved concurrency of the function: the most execution environments it may
     * run at once, a ceiling on cost for a public URL. Requests above it get 429
     * (Too Many Requests) at the URL, which most OTLP SDKs retry. Reserving takes
     * this many from the account's unreserved pool, which must keep at least 100.
     * Default: none (the function shares the account's unreserved concurrency).
     * @default none (shares the account's unreserved concurrency)
     */
    reservedConcurrency?: number;
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
     * How many of the newest published function versions to keep (2-100); the live
     * alias's version is always kept too. After each deploy that published a version,
     * older versions are deleted, and with secretStore "secretsmanager" so are the
     * secrets only they read: a revoked token or a rotated key stays usable by a
     * rollback only while its version is kept. Rollback can reach exactly the kept
     * versions whose image is still among the newest `keepImages`.
     * Default: 3.
     * @default 3
     */
    keepVersions?: number;
    /**
     * Managed IAM policies to attach to the function's role, by a name of your choice
     * (the name keys the attachment, so adding one never replaces another), for what
     * the component cannot derive from the config. The function and its pre-traffic
     * check wait for them. What the config's AWS exporters and providers need is
     * granted without this (docs/security.md).
     * Default: {}.
     * @default {}
     */
    policies?: Record<string, pulumi.Input<string>>;
    /**
     * Delete the ECR repository on `pulumi destroy` even if it still holds images.
     * Default: true.
     * @default true
     */
    forceDeleteRepository?: boolean;
    /**
     * Tag of the opentelemetry-collector-contrib image to take the collector binary from.
     * Cannot be combined with a `baseImages.collector` that has a tag or digest, nor with
     * distribution "lambda" (whose versions are its manifest's gomod lines).
     * Default: the OTELCOL_VERSION pinned in the package's collector/Dockerfile.
     * @default the OTELCOL_VERSION pinned in the package's collector/Dockerfile
     */
    collectorVersion?: string;
    /**
     * Tag of the aws-lambda-adapter image (Lambda Web Adapter).
     * Cannot be combined with a `baseImages.adapter` that has a tag or digest.
     * Default: the LWA_VERSION pinned in the package's collector/Dockerfile.
     * @default the LWA_VERSION pinned in the package's collector/Dockerfile
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
    /**
     * Before the live alias (and so the Function URL) moves to a newly published version,
     * invoke that version with a Function URL event: `POST /v1/traces` with one span and
     * each accepted token (must answer 200, nothing rejected), and the same without a
     * token (must answer 401). Any other answer fails `pulumi up` and the alias stays on
     * the last good version. Off, the alias follows every new version unchecked (an
     * escape hatch, e.g. while a backend is down). See docs/deploys.md.
     * Default: true.
     * @default true
     */
    preTrafficCheck?: boolean;
    /**
     * A CloudWatch dashboard `<function>-collector`: invocations, errors, throttles,
     * duration p50/p99, Function URL requests/4xx/5xx, and cold-start init duration
     * (a Logs Insights query). Costs about $3 a month beyond the account's 3 free dashboards.
     * Default: true.
     * @default true
     */
    dashboard?: boolean;
    /**
     * Two CloudWatch alarms, each ≥ 1 in 5 minutes: Function URL 5xx, and function errors.
     * Costs about $0.10 a month each beyond the account's 10 free alarms.
     * Default: true.
     * @default true
     */
    alarms?: boolean;
    /**
     * SNS topic ARN the alarms notify (alarm and OK). Without it the alarms only change state.
     * Setting it with `alarms: false` is an error (it would notify nothing).
     * Default: none.
     * @default none
     */
    alarmTopicArn?: pulumi.Input<string>;
    /**
     * Base images of the collector image, each a whole reference
     * (`[registry/]repository[:tag][@digest]`), for a mirror or a digest-pinned image.
     * A reference without tag or digest is a repository: the pinned version is
     * appended. Pull credentials come from the deploying machine's `docker login`.
     * Default: {} (collector from ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib,
     * Alpine from public.ecr.aws/docker/library/alpine, the adapter from public.ecr.aws/awsguru/aws-lambda-adapter,
     * the builder from ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-builder,
     * at the versions pinned in collector/Dockerfile).
     * @default {}
     */
    baseImages?: BaseImages;
    /**
     * Which collector build the image holds. "contrib": the otelcol-contrib release
     * binary (every contrib component; about 250 MB stripped, contrib PR #34698).
     * "lambda": this project's lean build of the components that suit a request-driven
     * collector, compiled with the OpenTelemetry Collector Builder from
     * collector/lambda-distribution.yaml (same module versions as contrib); fewer bytes
     * to load at cold start. With "lambda", a config that uses a component outside that
     * list fails at preview. See docs/lean-distribution.md.
     * Default: "contrib".
     * @default "contrib"
     */
    distribution?: Distribution;
    /**
     * Path of a collector binary on the deploying machine whose own `validate` judges
     * the config at preview (opt-in): the lean build of `npm run -s real:build` for
     * distribution "lambda", an otelcol-contrib binary of the pinned release for
     * "contrib". It runs on the caller's config with the function's environment as far
     * as it is known (values passed only through its environment, never a command
     * line; secrets never echoed), once every value is known, bounded to 15 s. Its
     * error fails the deployment as one line naming this argument, in the collector's
     * own words (rule collector-validate). A path that is not an executable file is an
     * error. See docs/lint.md ("What validate cannot see").
     * Default: unset (no binary runs).
     */
    validateWith?: string;
}

/** Replacement base images for the collector image; see {@link LambdaCollectorArgs.baseImages}. */
export interface BaseImages {
    /**
     * The image to take `/otelcol-contrib` and the CA roots from.
     * Default: ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib at OTELCOL_VERSION.
     * @default ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib at OTELCOL_VERSION
     */
    collector?: string;
    /**
     * The Alpine image the function runs on.
     * Default: public.ecr.aws/docker/library/alpine at ALPINE_VERSION.
     * @default public.ecr.aws/docker/library/alpine at ALPINE_VERSION
     */
    alpine?: string;
    /**
     * The image to take `/lambda-adapter` from.
     * Default: public.ecr.aws/awsguru/aws-lambda-adapter at LWA_VERSION.
     * @default public.ecr.aws/awsguru/aws-lambda-adapter at LWA_VERSION
     */
    adapter?: string;
    /**
     * The OpenTelemetry Collector Builder image that compiles distribution "lambda"
     * (it runs on the build machine's architecture). Only read with distribution "lambda".
     * Default: ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-builder at OCB_VERSION.
     * @default ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-builder at OCB_VERSION
     */
    builder?: string;
}
