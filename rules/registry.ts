// The one registry of collector-config rules. Each entry decides, in one place, how
// serious a rule is, what the LambdaCollector component does with its findings, and
// the policy the pack derives from it. The component, the policy pack and the lint
// command all run exactly these rules, by these ids.
import type { CollectorConfig, Finding } from "./config-model";
import type { DeploymentContext } from "./deployment-context";
import { CATALOGUE_VERSION } from "./catalogue";
import { IMAGE } from "./lambda-facts";
import { checkBatchProcessors, checkBufferingProcessors, checkQueuedExporters, checkRetryBudget } from "./freeze-rules";
import { checkComponentTypes, checkNonPushReceivers } from "./catalogue-rules";
import { checkDurationUnits, checkValueTypes } from "./type-rules";
import { checkDistributionComponents } from "./distribution-rules";
import { checkAwsPermissions } from "./aws-permissions";
import { checkLiteralCredentials } from "./credential-rules";
import { checkCollectorValidation } from "./collector-validate";
import { checkConfigKeys } from "./config-keys";
import { checkPipelineGraph } from "./pipeline-graph";
import { checkAdapterPort, checkEnvironmentReferences, checkReceiverAuth, checkReferences, checkShape } from "./startup-rules";
import { checkBatchAndQueue, checkContainerListener, checkHealthCheckExtension } from "./fargate-rules";
import { DEFAULT_RUNTIME, type Runtime } from "./runtimes";

/** How a rule is enforced: `mandatory` blocks a deploy (and fails the lint); `advisory` is reported only. */
export type Severity = "mandatory" | "advisory";

/**
 * What the LambdaCollector component does with a finding at preview: `fail` stops
 * the deployment with a one-line error; `warn` logs it and leaves the verdict to the
 * policy pack (so a stack can still be previewed and the pack can block it).
 */
export type ComponentAction = "fail" | "warn";

/**
 * Where the policy pack applies a rule: `function`, to every Lambda function whose
 * environment holds a collector config; `public-url`, only to functions behind a
 * Function URL with authorizationType NONE (a stack policy).
 */
export type PolicyScope = "function" | "public-url";

export interface Rule {
    /** Stable id: the finding's `rule`, the policy's name, the lint's rule column. */
    readonly id: string;
    readonly severity: Severity;
    readonly component: ComponentAction;
    readonly scope: PolicyScope;
    /**
     * The runtimes the rule applies to. Start-up rules apply everywhere; the freeze
     * rules (and the adapter's port) are Lambda's; the listener, health-check and
     * batch/queue rules are a long-running container's. A consumer judging one
     * runtime runs only its rules (rules/check.ts).
     */
    readonly runtimes: readonly Runtime[];
    /** The policy's description: what the rule checks. */
    readonly description: string;
    /** The policy's remediationSteps: how to fix any finding of this rule. */
    readonly remediation: string;
    /** Context fields the check reads; a consumer that cannot provide one skips the rule. */
    readonly needs: readonly (keyof DeploymentContext)[];
    readonly check: (config: CollectorConfig, context: DeploymentContext) => Finding[];
}

/** Rules whose findings come from parsing, not from a check over a parsed config. */
const FROM_PARSE = (): Finding[] => [];
/** Rules whose findings come from resolving references (rules/resolve.ts; rules/check.ts reports them). */
const FROM_RESOLUTION = (): Finding[] => [];

/** Rules that hold wherever the collector runs (it must start, and load its config). */
const EVERY_RUNTIME: readonly Runtime[] = ["lambda", "fargate"];
/** Rules about Lambda's freeze and its Web Adapter. */
const LAMBDA_ONLY: readonly Runtime[] = ["lambda"];
/** Rules about a long-running container behind a load balancer. */
const FARGATE_ONLY: readonly Runtime[] = ["fargate"];

export const RULES: readonly Rule[] = [
    {
        id: "config-syntax",
        severity: "mandatory",
        component: "fail",
        scope: "function",
        runtimes: EVERY_RUNTIME,
        description: "Checks that a collector config in a Lambda function is valid YAML of a sensible size.",
        remediation: "Fix the YAML at the reported line. A collector that cannot load its config answers every request with a 500 and logs nothing useful.",
        needs: [],
        check: FROM_PARSE,
    },
    {
        id: "config-reference",
        severity: "mandatory",
        component: "fail",
        scope: "function",
        runtimes: EVERY_RUNTIME,
        description: "Checks that every ${...} reference in a collector config is one the collector can expand: a provider of the distribution, a case-sensitive scheme, a valid variable name, no $ inside, no reference cycle.",
        remediation: "Write ${env:NAME} or ${env:NAME:-default} (the env: scheme in lower case), or ${scheme:value} with a provider of otelcol-contrib (env, file, http, https, yaml, aes, s3, secretsmanager, googlesecretmanager).",
        needs: [],
        check: FROM_RESOLUTION,
    },
    {
        id: "bare-env-reference",
        severity: "mandatory",
        component: "fail",
        scope: "function",
        runtimes: EVERY_RUNTIME,
        description: "Checks that a collector config has no bare $NAME, which the collector sends as literal text since v0.107.",
        remediation: "Write ${env:NAME} to use the variable, or $$NAME for a literal dollar sign.",
        needs: [],
        check: FROM_RESOLUTION,
    },
    {
        id: "config-not-checkable",
        severity: "mandatory",
        component: "fail",
        scope: "function",
        runtimes: EVERY_RUNTIME,
        description: "Checks that no component takes its structure, or a setting the rules read, from a provider read only when the collector starts (file, http, https, s3, secretsmanager, aes, googlesecretmanager); such a component cannot be checked, so it does not pass.",
        remediation: "Write the component's settings into the config itself; keep only credentials in providers.",
        needs: [],
        check: FROM_RESOLUTION,
    },
    {
        id: "config-value-unknown",
        severity: "mandatory",
        component: "warn",
        scope: "function",
        runtimes: EVERY_RUNTIME,
        description: "Checks that every component whose structure, or a setting the rules read, comes from an environment variable can be checked with that variable's value; an unknown value fails closed.",
        remediation: "Make the value known: the lint takes --env NAME=VALUE or --env-vars-file; the component and the pack check it when the value is a plain string (the pack re-checks at deployment a value unknown at preview).",
        needs: [],
        check: FROM_RESOLUTION,
    },
    {
        id: "provider-access",
        severity: "advisory",
        component: "warn",
        scope: "function",
        runtimes: EVERY_RUNTIME,
        description: "Checks for config values read by a provider at start-up that needs something the config cannot show: Secrets Manager and S3 (the function role's IAM permissions), aes (the OTEL_AES_CREDENTIAL_PROVIDER key), file (a file the function image does not hold), http/https (a server reached at every cold start), googlesecretmanager (credentials a Lambda function does not have).",
        remediation: "Grant the function's role secretsmanager:GetSecretValue or s3:GetObject on the referenced resource, or set OTEL_AES_CREDENTIAL_PROVIDER; carry file, http(s) and googlesecretmanager values in the config or the function environment instead. Without them the collector does not start.",
        needs: [],
        check: FROM_RESOLUTION,
    },
    {
        id: "config-shape",
        severity: "mandatory",
        component: "fail",
        scope: "function",
        runtimes: EVERY_RUNTIME,
        description: "Checks that a collector config has only collector sections and well-formed pipelines.",
        remediation: "Fix the section or pipeline at the reported path; the collector decodes its config strictly and refuses to start otherwise.",
        needs: [],
        check: (config) => checkShape(config),
    },
    {
        id: "unknown-config-key",
        severity: "mandatory",
        component: "fail",
        scope: "function",
        runtimes: EVERY_RUNTIME,
        description: "Checks that service, service.telemetry (logs, metrics, traces), each pipeline and each OTLP receiver and its protocols hold only keys the pinned collector decodes; it decodes strictly and refuses an unknown or removed key (service.telemetry.metrics.address) at start.",
        remediation: "Remove or respell the key the finding names; for the removed telemetry.metrics.address write readers: [{pull: {exporter: {prometheus: {host: localhost, port: 8888}}}}].",
        needs: [],
        check: (config) => checkConfigKeys(config),
    },
    {
        id: "pipeline-graph",
        severity: "mandatory",
        component: "fail",
        scope: "function",
        runtimes: EVERY_RUNTIME,
        description: "Checks that the pipelines can be wired as the collector builds them: every connector used as an exporter is a receiver of a pipeline it can feed (and the reverse), connectors form no cycle, and no profiles pipeline needs a feature gate the image does not set.",
        remediation: "Use each connector on both sides, exporter in one pipeline and receiver in another of a signal it supports (forward: the same signal); break any loop through connectors; remove profiles pipelines.",
        needs: [],
        check: (config) => checkPipelineGraph(config),
    },
    {
        id: "collector-validate",
        severity: "mandatory",
        component: "fail",
        scope: "function",
        runtimes: EVERY_RUNTIME,
        description: "Checks a collector config with the real collector's own validate command (the lint's --collector, the component's validateWith) and reports its error at the config path it names; skipped when no binary is given (the pack never runs one).",
        remediation: "Fix what the collector's error names; it is the error the function would log at cold start. Build the lean collector with npm run -s real:build.",
        needs: ["collectorValidation"],
        check: checkCollectorValidation,
    },
    {
        id: "undefined-component",
        severity: "mandatory",
        component: "fail",
        scope: "function",
        runtimes: EVERY_RUNTIME,
        description: "Checks that every component a pipeline or authenticator names is defined, and every authenticator enabled.",
        remediation: "Define the named component, or remove it from the list; add authenticator extensions to service.extensions.",
        needs: [],
        check: (config) => checkReferences(config),
    },
    {
        id: "unknown-component-type",
        severity: "mandatory",
        component: "fail",
        scope: "function",
        runtimes: EVERY_RUNTIME,
        description: `Checks that every component type exists, as that kind, in the pinned collector distribution (otelcol-contrib ${CATALOGUE_VERSION}), whose catalogue lists every type with its source.`,
        remediation: "Use a type of the distribution: the finding names a removed type's replacement, the distribution a foreign type belongs to, or the nearest type by spelling.",
        needs: [],
        check: (config) => checkComponentTypes(config),
    },
    {
        id: "config-value-type",
        severity: "mandatory",
        component: "fail",
        scope: "function",
        runtimes: EVERY_RUNTIME,
        description: "Checks that the settings the rules read have the type and range the collector decodes: enabled is a YAML bool (true/false, not yes/on or quoted), a duration string is a Go duration, and retry_on_failure.max_elapsed_time is not shorter than its initial_interval or max_interval (defaults 5s, 30s).",
        remediation: "Write enabled: true or enabled: false, durations with a unit (30s, 500ms, 1m30s), and a retry max_elapsed_time at least as long as initial_interval and max_interval (lower those with it).",
        needs: [],
        check: (config) => checkValueTypes(config),
    },
    {
        id: "component-not-in-distribution",
        severity: "mandatory",
        component: "fail",
        scope: "function",
        runtimes: EVERY_RUNTIME,
        description: "Checks that every component type and config provider a collector config uses is built into the chosen collector distribution (the lean `lambda` build has a fixed list).",
        remediation: "Set distribution to contrib, or add the component's module to collector/lambda-distribution.yaml (its gomod line from the otelcol-contrib manifest at the pinned release, plus its types).",
        needs: ["distributionComponents"],
        check: checkDistributionComponents,
    },
    {
        id: "undefined-env-var",
        severity: "mandatory",
        component: "fail",
        scope: "function",
        runtimes: EVERY_RUNTIME,
        description: "Checks that every ${env:NAME} the config needs is defined in the function's environment.",
        remediation: "Set the variable in the function's environment (a secret as a secret config value), or give the reference a default with ${env:NAME:-}.",
        needs: ["environmentKeys"],
        check: checkEnvironmentReferences,
    },
    {
        id: "adapter-port",
        severity: "mandatory",
        component: "fail",
        scope: "function",
        runtimes: LAMBDA_ONLY,
        description: "Checks that a pipeline uses an OTLP/HTTP receiver whose endpoint the Lambda Web Adapter reaches: it connects to 127.0.0.1:AWS_LWA_PORT, so the endpoint must be localhost, 127.0.0.1, 0.0.0.0, [::] or empty host, with that port (omitted: localhost:4318).",
        remediation: `Serve OTLP/HTTP on AWS_LWA_PORT (${IMAGE.adapterPort} in this project's image) and use that receiver in a pipeline.`,
        needs: ["adapterPort"],
        check: checkAdapterPort,
    },
    {
        id: "literal-credential",
        severity: "advisory",
        component: "warn",
        scope: "function",
        runtimes: EVERY_RUNTIME,
        description: "Checks that an authenticator's credential (bearertokenauth token/tokens, basicauth htpasswd.inline and client_auth.password, oauth2client client_secret) is a reference, not text written into the config, which the function environment and the stack state would hold in clear.",
        remediation: "Write the credential as ${env:NAME} and give NAME as a secret: the component's producer tokens for bearertokenauth (tokens: ${env:COLLECTOR_INGEST_TOKENS}), collectorEnvironment set with --secret for the others.",
        needs: [],
        check: checkLiteralCredentials,
    },
    {
        id: "unauthenticated-receiver",
        severity: "mandatory",
        component: "fail",
        scope: "public-url",
        runtimes: EVERY_RUNTIME,
        description: "Checks that a collector behind a public Function URL (authorizationType NONE) authenticates requests in its OTLP/HTTP receiver.",
        remediation: "Add a bearertokenauth extension and set receivers.otlp.protocols.http.auth.authenticator to it; give producers the token. An intended public collector opts out with allowUnauthenticated (the component tags the function so the pack knows).",
        needs: ["requireReceiverAuth"],
        check: checkReceiverAuth,
    },
    {
        id: "no-batch-processor",
        severity: "mandatory",
        component: "warn",
        scope: "function",
        runtimes: LAMBDA_ONLY,
        description: "Checks that a collector config in a Lambda function defines no batch processor, whose data Lambda's freeze strands.",
        remediation: "Remove every batch processor (batch, batch/<name>) from processors and from the pipelines. Batch in the producer's SDK instead.",
        needs: [],
        check: (config) => checkBatchProcessors(config),
    },
    {
        id: "no-queued-exporter",
        severity: "mandatory",
        component: "warn",
        scope: "function",
        runtimes: LAMBDA_ONLY,
        description: "Checks that every exporter in a Lambda function's collector config has its sending queue explicitly disabled.",
        remediation: "Add sending_queue: {enabled: false} to every exporter. The queue is on by default for otlp, otlphttp and most contrib exporters, so a missing key means queued. An exporter that hands data to its own agent or writer (datadog's trace agent flushes every 5s) holds data whatever sending_queue says: export through otlp_http instead.",
        needs: [],
        check: (config) => checkQueuedExporters(config),
    },
    {
        id: "no-buffering-processor",
        severity: "advisory",
        component: "warn",
        scope: "function",
        runtimes: LAMBDA_ONLY,
        description: "Checks that a Lambda function's collector config has no processor or connector that the distribution catalogue says holds data for later (groupbytrace, tail_sampling, interval, spanmetrics, ...) or keeps state that a cold start discards (cumulativetodelta, deltatocumulative, ...).",
        remediation: "Move stateful processing to a persistent collector; keep per-request processing (transform, filter, attributes) in Lambda.",
        needs: [],
        check: (config) => checkBufferingProcessors(config),
    },
    {
        id: "non-push-receiver",
        severity: "advisory",
        component: "warn",
        scope: "function",
        runtimes: LAMBDA_ONLY,
        description: "Checks that every receiver a pipeline uses is pushed to; scrapers, pollers, file readers and consumers only run while Lambda runs an invocation.",
        remediation: "Collect scraped, polled or file data with a persistent collector; in Lambda, receive pushed OTLP only.",
        needs: [],
        check: (config) => checkNonPushReceivers(config),
    },
    {
        id: "duration-unit",
        severity: "advisory",
        component: "warn",
        scope: "function",
        runtimes: EVERY_RUNTIME,
        description: "Checks for bare numbers in duration settings, which the collector reads as nanoseconds (max_elapsed_time: 900 is 900ns).",
        remediation: "Write the unit: 900s, 500ms, 1m30s.",
        needs: [],
        check: (config) => checkDurationUnits(config),
    },
    {
        id: "retry-exceeds-timeout",
        severity: "advisory",
        component: "warn",
        scope: "function",
        runtimes: LAMBDA_ONLY,
        description: "Checks that each exporter's request timeout and retry budget together (timeout + retry_on_failure.max_elapsed_time) end before the Lambda function's timeout, so a backend that never answers cannot hold the invocation until Lambda kills it.",
        remediation: "Set timeout and retry_on_failure.max_elapsed_time so their sum is below the function timeout (defaults: otlp_http timeout 30s, otlp_grpc 5s, max_elapsed_time 300s), or raise the timeout.",
        needs: ["functionTimeoutSeconds"],
        check: checkRetryBudget,
    },
    {
        id: "aws-permission",
        severity: "advisory",
        component: "warn",
        scope: "function",
        runtimes: EVERY_RUNTIME,
        description: "Checks that the AWS permissions a collector config needs (awsxray, awsemf and awss3 exporters, the sigv4auth extension, ${secretsmanager:...} and ${s3:...} references) are visibly granted to the function's role; without them the collector fails at start or on its first export.",
        remediation: "Deploy with the LambdaCollector component, which grants each from the config before the function runs, or attach a policy with the reported actions and resources to the function's role.",
        needs: [],
        check: (config, context) => checkAwsPermissions(config, context.grantedActions),
    },
    {
        id: "container-listener",
        severity: "mandatory",
        component: "fail",
        scope: "function",
        runtimes: FARGATE_ONLY,
        description: "Checks that a collector in an ECS task serves OTLP/HTTP where its load balancer sends requests: a pipeline's OTLP/HTTP receiver on every interface (0.0.0.0) at the container port (4318).",
        remediation: "Set receivers.otlp.protocols.http.endpoint: 0.0.0.0:4318 and use that receiver in a pipeline; localhost, 127.0.0.1 and the omitted default are unreachable from outside the task.",
        needs: ["containerPort"],
        check: checkContainerListener,
    },
    {
        id: "health-check-extension",
        severity: "mandatory",
        component: "fail",
        scope: "function",
        runtimes: FARGATE_ONLY,
        description: "Checks that a collector in an ECS task runs a health_check extension the load balancer's health check reaches (0.0.0.0:13133, path /).",
        remediation: "Add extensions.health_check: {endpoint: 0.0.0.0:13133} and list it in service.extensions; without it every task is unhealthy and every deployment rolls back.",
        needs: [],
        check: (config) => checkHealthCheckExtension(config),
    },
    {
        id: "batch-and-queue",
        severity: "advisory",
        component: "warn",
        scope: "function",
        runtimes: FARGATE_ONLY,
        description: "Checks that a long-running collector batches (a batch processor in every pipeline, or batching in the exporter's queue) and queues (a sending queue on every exporter), which is what rides out a slow or briefly unavailable backend.",
        remediation: "Add processors.batch: {} to every pipeline and sending_queue: {enabled: true} to every exporter (a persistent queue with storage: file_storage/<name> survives a collector restart on the same disk, not the task's replacement).",
        needs: [],
        check: (config) => checkBatchAndQueue(config),
    },
];

const BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((rule) => [rule.id, rule]));

/** The registry entry of a rule id; throws for an id no rule has (a programming error). */
export function ruleOf(id: string): Rule {
    const rule = BY_ID.get(id);
    if (!rule) {
        throw new Error(`no rule "${id}" in rules/registry.ts`);
    }
    return rule;
}

/** True when `context` provides everything `rule` reads, and the rule applies to the context's runtime (default lambda). */
export function canRun(rule: Rule, context: DeploymentContext): boolean {
    return rule.runtimes.includes(context.runtime ?? DEFAULT_RUNTIME) && rule.needs.every((field) => context[field] !== undefined);
}
