// LambdaCollector: the OpenTelemetry Collector as a Lambda function behind a public
// Function URL, with the collector itself enforcing a bearer token.
import * as aws from "@pulumi/aws";
import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { IMAGE, SECRET_ARN_ENV_VAR, SECRET_VERSION_ENV_VAR, TOKEN_ENV_VAR, TOKENS_ENV_VAR } from "../../rules/lambda-facts";
import { type LambdaCollectorArgs } from "./args";
import { DEFAULTS } from "./args";
import { collectorImageArgs, collectorImageOptions, imageUriFor } from "../shared/image/collector-image";
import { imageRepository } from "../shared/image/repository";
import { monitoring } from "./dashboard";
import { checkedReservedConcurrency } from "./concurrency";
import { functionEnvironment, secretValues } from "./environment";
import { cleanRunError } from "../shared/run-error";
import { deployRunner, logWritePolicy } from "./deploy-runner";
import type { PruneTask } from "./deploy-runner-code";
import { collectorGrants } from "./permissions";
import { LIVE_ALIAS_NAME, liveEndpoint, PROVIDER_URL_STATEMENT_IDS } from "./live-alias";
import { checkRequestFor, checkTargetOf, signalPathsOf } from "../shared/otlp/otlp-check";
import { preTrafficCheck } from "./pre-traffic-check";
import { producerEnvironmentFor } from "../shared/tokens/producer-environment";
import { producerTokens } from "../shared/tokens/producer-tokens";
import { callerSecretsAccess, componentSecret } from "../shared/secrets/secret-store";
import { tokensYamlList } from "../shared/tokens/tokens";
import { environmentOrigins, resolveArgs, tokenField, validatesLater, validateWithProblem } from "./validate";
import { ALLOW_UNAUTHENTICATED_TAG } from "../../rules/lambda-facts";

/** Pulumi type token of the component. */
export const LAMBDA_COLLECTOR_TYPE = "otel-lambda-collector:index:LambdaCollector";
export { LIVE_ALIAS_NAME, URL_PERMISSION_STATEMENT_IDS } from "./live-alias";

/**
 * The OpenTelemetry Collector in AWS Lambda: an ECR repository and image, an IAM role,
 * a log group, the function (publishing a version per change), a `live` alias that moves
 * to a new version only after its pre-traffic OTLP check passed, a public Function URL on
 * that alias with both permissions it needs, a bearer token the collector enforces, and
 * an optional CloudWatch dashboard and alarms. See docs/deploys.md.
 */
export class LambdaCollector extends pulumi.ComponentResource {
    /** Function URL, ending in `/`. */
    public readonly url: pulumi.Output<string>;
    /** OTLP/HTTP endpoint for traces (`<url>v1/traces`, or the receiver's `traces_url_path`). */
    public readonly tracesEndpoint: pulumi.Output<string>;
    /** OTLP/HTTP endpoint for metrics (`<url>v1/metrics`). */
    public readonly metricsEndpoint: pulumi.Output<string>;
    /** OTLP/HTTP endpoint for logs (`<url>v1/logs`). */
    public readonly logsEndpoint: pulumi.Output<string>;
    /** The bearer token of the first producer in `producers` (secret). */
    public readonly ingestToken: pulumi.Output<string>;
    /**
     * Environment for the first producer in `producers` (secret, it holds the token):
     * OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_EXPORTER_OTLP_COMPRESSION (gzip),
     * OTEL_EXPORTER_OTLP_HEADERS, and OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT for a signal served on a custom path.
     */
    public readonly producerEnvironment: pulumi.Output<Record<string, string>>;
    /**
     * Environment for every producer, keyed by its name in `producers` (secret):
     * the same OTEL_EXPORTER_OTLP_* variables, each with that producer's token.
     */
    public readonly producerEnvironments: pulumi.Output<Record<string, Record<string, string>>>;
    /** Name of the Lambda function. */
    public readonly functionName: pulumi.Output<string>;
    /** ARN of the Lambda function. */
    public readonly functionArn: pulumi.Output<string>;
    /** URL of the ECR repository holding the collector image. */
    public readonly repositoryUrl: pulumi.Output<string>;
    /** The deployed image as `repository@sha256:...`. */
    public readonly imageUri: pulumi.Output<string>;
    /** The Lambda function running the collector. */
    public readonly function: aws.lambda.Function;
    /**
     * The function's execution role: writes to its own log group, plus what the config
     * needs (derived from it) and the `policies` given. A policy attached to it from
     * outside has no ordering with the pre-traffic check: pass it in `policies` instead.
     */
    public readonly role: aws.iam.Role;
    /** The ECR repository holding the collector images. */
    public readonly repository: aws.ecr.Repository;
    /** The function version the live alias (and so the Function URL) serves: the last one that passed its pre-traffic check. */
    public readonly liveVersion: pulumi.Output<string>;
    /** The `live` alias the Function URL is bound to. */
    public readonly alias: aws.lambda.Alias;

    /**
     * @throws pulumi.RunError at construction, listing every invalid argument and every
     *   collector-config finding whose rule the registry marks "fail", one line each.
     */
    constructor(name: string, args: LambdaCollectorArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
        super(LAMBDA_COLLECTOR_TYPE, name, {}, opts);
        const { settings, warnings } = resolveArgs(name, args);
        for (const warning of warnings) {
            pulumi.log.warn(warning, this);
        }
        const tags = args.tags ?? {};

        // One token per producer; the collector accepts all of them (bearertokenauth
        // `tokens`), and `acceptedTokens` is what a pre-traffic check must try.
        // During a rotation (tokenRotation) a producer has two accepted tokens.
        const tokens = producerTokens(name, settings.producers, settings.producerTokens, settings.tokenRotation, (producer) => tokenField(args, settings, producer), this);
        const tokenOf = tokens.used;
        const acceptedTokens: pulumi.Output<string[]> = pulumi.secret(pulumi.all(tokens.accepted.map((t) => t.token)));
        const token = tokenOf[settings.producers[0]];

        const functionName = settings.functionName ?? new random.RandomId(`${name}-function-suffix`, {
            byteLength: 4,
        }, { parent: this }).hex.apply((hex) => `${name}-${hex}`);

        const repository = imageRepository(name, { forceDelete: settings.forceDeleteRepository, keepImages: settings.keepImages, tags }, this);

        const image = new dockerBuild.Image(`${name}-image`, collectorImageArgs({
            repositoryUrl: repository.repositoryUrl,
            registryId: repository.registryId,
            parent: this,
            architecture: settings.architecture,
            baseImages: settings.baseImages,
            buildOnPreview: settings.buildOnPreview,
            distribution: settings.distribution,
        }), collectorImageOptions(this));
        const imageUri = imageUriFor(repository.repositoryUrl, image);

        const role = new aws.iam.Role(`${name}-role`, {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            tags,
        }, { parent: this });

        // Created before the function so Lambda never makes it first without retention.
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
            name: pulumi.interpolate`/aws/lambda/${functionName}`,
            retentionInDays: settings.logRetentionDays,
            tags,
        }, { parent: this });
        // Its own log group only: AWSLambdaBasicExecutionRole would let the collector
        // write to every log group of the account. The old attachment keeps its name,
        // is deleted once this policy exists (a new type, so a new resource).
        const logsAccess = new aws.iam.RolePolicy(`${name}-logs`, {
            role: role.id,
            policy: logGroup.arn.apply((arn) => JSON.stringify(logWritePolicy(arn))),
        }, { parent: this });
        // What the config's AWS exporters and providers need, and the caller's policies:
        // granted before the function and its check (components/lambda/permissions.ts).
        const grants = collectorGrants(name, { role, configText: settings.deployedConfig, policies: args.policies ?? {} }, this);

        // secretStore "secretsmanager": tokens and `environment` values live in one
        // secret the role may read (and only that one); the environment keeps the
        // config, the secret's ARN and its version (a new value restarts environments).
        const storedValues: Record<string, pulumi.Input<string | string[]>> = {
            ...secretValues(settings.environment),
            [TOKENS_ENV_VAR]: acceptedTokens,
            ...(settings.legacyTokenVariable ? { [TOKEN_ENV_VAR]: token } : {}),
        };
        const store = settings.secretStore === "secretsmanager"
            ? componentSecret(name, { values: pulumi.all(storedValues), functionName, role, kmsKeyArn: settings.secretKmsKeyArn, tags }, this)
            : undefined;
        const callerSecrets = callerSecretsAccess(name, role, settings.secretArns, this);
        const variables: Record<string, pulumi.Input<string>> = store
            ? {
                [IMAGE.configVariable]: settings.deployedConfig,
                [SECRET_ARN_ENV_VAR]: store.secret.arn,
                [SECRET_VERSION_ENV_VAR]: store.version.versionId,
            }
            : {
                ...secretValues(settings.environment),
                [IMAGE.configVariable]: settings.deployedConfig,
                ...(settings.legacyTokenVariable ? { [TOKEN_ENV_VAR]: token } : {}),
                [TOKENS_ENV_VAR]: acceptedTokens.apply(tokensYamlList),
            };

        // validateWith with values unknown at construction: the collector judges the
        // config once they are known, riding on the carrier variable (unknown until
        // deployment) so the config itself stays known to the pack at preview.
        const carrier = store ? SECRET_VERSION_ENV_VAR : TOKENS_ENV_VAR;
        if (validatesLater(settings)) {
            variables[carrier] = pulumi.all([variables[carrier], pulumi.all(settings.environment)]).apply(([value, known]) => {
                const problem = validateWithProblem(settings, known);
                if (problem) {
                    throw cleanRunError(problem);
                }
                return value;
            });
        }


        const accessBeforeStart: pulumi.Resource[] = [logGroup, logsAccess, ...grants, ...(store ? [store.readAccess] : []), ...(callerSecrets ? [callerSecrets] : [])];
        const fn = new aws.lambda.Function(`${name}-function`, {
            name: functionName,
            description: "OpenTelemetry Collector behind a Function URL (otel-lambda-collector)",
            packageType: "Image",
            imageUri,
            role: role.arn,
            architectures: [settings.architecture],
            memorySize: settings.memorySize,
            timeout: settings.timeout,
            environment: { variables: functionEnvironment(variables, carrier, environmentOrigins(settings)) },
            // A ceiling on concurrent executions, so on cost: requests above it get 429.
            // Checked against the account's quota first: Lambda refuses it only after the
            // function exists. The check takes one execution of it (its requests run in turn).
            reservedConcurrentExecutions: checkedReservedConcurrency(settings.reservedConcurrency, this, cleanRunError),
            tags: settings.allowUnauthenticated ? { ...tags, [ALLOW_UNAUTHENTICATED_TAG]: "true" } : tags,
            // A new version on every code or config change; the live alias moves to it
            // only after its pre-traffic check passed (docs/deploys.md).
            publish: true,
        }, {
            parent: this,
            // The collector reads its secrets at start; without the grant in place
            // first, the first cold start fails with AccessDenied.
            dependsOn: accessBeforeStart,
        });

        // The deploy runner checks each new version and prunes old ones (docs/deploys.md).
        const keepVersions = args.keepVersions ?? DEFAULTS.keepVersions;
        const checked = (args.preTrafficCheck ?? DEFAULTS.preTrafficCheck) && checkTargetOf(settings.collectorConfig) !== undefined;
        const requestCount = settings.producers.length + (settings.allowUnauthenticated ? 0 : 1);
        const runner = deployRunner(name, {
            fn,
            secretArnPrefix: store?.arnPrefix,
            // The requests run one after another; each may take the collector's timeout.
            timeout: runnerTimeout(settings.timeout, checked ? requestCount : 0),
            logRetentionDays: settings.logRetentionDays,
            tags,
        }, this);

        // The version the alias may point at: the new one once its check passed.
        let liveVersion: pulumi.Output<string>;
        let checks: pulumi.Resource[] = [];
        if (checked) {
            const check = preTrafficCheck(`${name}-check`, {
                fn,
                runner: runner.function,
                // Every token the collector accepts (one per producer); each gets its own
                // authenticated request, so a rotation step is proven for old and new.
                tokens: tokens.accepted,
                request: (seed, timeMs) => checkRequestFor(settings.collectorConfig, seed, timeMs)!,
                allowUnauthenticated: settings.allowUnauthenticated,
                logGroupName: logGroup.name,
                aliasName: LIVE_ALIAS_NAME,
                // The new version's first cold start must already have what its config needs.
                dependsOn: [runner.function, runner.access, ...accessBeforeStart],
            }, this);
            check.passed.apply((summary) => pulumi.log.info(summary, this));
            // Load-bearing: the alias's version is only known once the check passed.
            liveVersion = pulumi.all([check.passed, fn.version]).apply(([, version]) => version);
            checks = [check.invocation];
        } else {
            pulumi.log.warn(args.preTrafficCheck === false
                ? "preTrafficCheck: false; the live alias follows every new version unchecked"
                : "no pre-traffic check: the config has no pipeline with an OTLP/HTTP receiver to send a request to; the live alias follows every new version unchecked", this);
            liveVersion = fn.version;
        }
        const { alias, functionUrl } = liveEndpoint(name, { fn, functionVersion: liveVersion, dependsOn: checks }, this);
        // Once the alias moved: delete versions beyond the newest keepVersions (and the
        // secrets only they read) and the provider's untracked URL statements.
        new aws.lambda.Invocation(`${name}-prune`, {
            functionName: runner.function.name,
            input: pulumi.all([fn.name, store?.arnPrefix]).apply(([functionName, prefix]) => JSON.stringify({
                action: "prune",
                functionName,
                aliasName: LIVE_ALIAS_NAME,
                keep: keepVersions,
                ...(prefix ? { secretArnPrefix: prefix } : {}),
                secretArnVariable: SECRET_ARN_ENV_VAR,
                providerStatementIds: [...PROVIDER_URL_STATEMENT_IDS],
            } satisfies PruneTask)),
            triggers: { version: fn.version, keep: String(keepVersions) },
        }, { parent: this, dependsOn: [alias, functionUrl, runner.access] });
        monitoring(name, {
            fn,
            logGroupName: logGroup.name,
            dashboard: args.dashboard ?? DEFAULTS.dashboard,
            alarms: args.alarms ?? DEFAULTS.alarms,
            alarmTopicArn: args.alarmTopicArn,
            tags,
            aliasName: LIVE_ALIAS_NAME,
        }, this);

        this.url = functionUrl.functionUrl;
        // The receiver's own paths (a custom `<signal>_url_path` included), so no output points at a 404.
        const paths = signalPathsOf(settings.collectorConfig);
        this.tracesEndpoint = this.url.apply((url) => `${url.replace(/\/+$/, "")}${paths.traces}`);
        this.metricsEndpoint = this.url.apply((url) => `${url.replace(/\/+$/, "")}${paths.metrics}`);
        this.logsEndpoint = this.url.apply((url) => `${url.replace(/\/+$/, "")}${paths.logs}`);
        this.ingestToken = pulumi.secret(token);
        this.producerEnvironment = pulumi.secret(pulumi.all([this.url, token]).apply(([url, value]) => producerEnvironmentFor(url, value, paths)));
        const usedTokens = pulumi.all(settings.producers.map((producer) => tokenOf[producer]));
        this.producerEnvironments = pulumi.secret(pulumi.all([this.url, usedTokens]).apply(([url, values]) =>
            Object.fromEntries(settings.producers.map((producer, i) => [producer, producerEnvironmentFor(url, values[i], paths)]))));
        this.functionName = fn.name;
        this.functionArn = fn.arn;
        this.repositoryUrl = repository.repositoryUrl;
        this.imageUri = imageUri;
        this.function = fn;
        this.role = role;
        this.repository = repository;
        this.liveVersion = alias.functionVersion;
        this.alias = alias;
        this.registerOutputs({
            url: this.url,
            tracesEndpoint: this.tracesEndpoint,
            metricsEndpoint: this.metricsEndpoint,
            logsEndpoint: this.logsEndpoint,
            ingestToken: this.ingestToken,
            producerEnvironment: this.producerEnvironment,
            producerEnvironments: this.producerEnvironments,
            functionName: this.functionName,
            functionArn: this.functionArn,
            repositoryUrl: this.repositoryUrl,
            imageUri: this.imageUri,
            function: this.function,
            role: this.role,
            repository: this.repository,
            liveVersion: this.liveVersion,
            alias: this.alias,
        });
    }
}

/** The runner's timeout in seconds: `requests` collector invocations in turn, plus room for its own start; at least 30, at most Lambda's 900. */
export function runnerTimeout(collectorTimeout: number, requests: number): number {
    return Math.min(900, Math.max(30, requests * (collectorTimeout + 5) + 15));
}
