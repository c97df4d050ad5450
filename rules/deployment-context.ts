// What the deployment around a collector config provides. Each consumer fills in
// what it knows: the component everything, the policy pack what a planned function
// shows, the lint what its flags say. A rule whose context is missing is skipped.
import type { CollectorValidation } from "./collector-validate";
import type { Runtime } from "./runtimes";

export interface DeploymentContext {
    /**
     * Where the config runs: a Lambda function (the default) or a long-running ECS
     * task on Fargate. Only the registry rules for this runtime run.
     */
    readonly runtime?: Runtime;
    /** The container port the load balancer sends OTLP/HTTP requests to (runtime fargate). Omit to skip. */
    readonly containerPort?: number;
    /**
     * Every environment variable the function will have: the ones the caller and the
     * component set, plus those Lambda and the image define. Omit to skip env checks.
     */
    readonly environmentKeys?: ReadonlySet<string>;
    /** The port the Lambda Web Adapter forwards invocations to (AWS_LWA_PORT). Omit to skip. */
    readonly adapterPort?: number;
    /** When true, an OTLP/HTTP receiver without an authenticator is a finding. */
    readonly requireReceiverAuth?: boolean;
    /** The function timeout in seconds, for retry-budget checks. Omit to skip. */
    readonly functionTimeoutSeconds?: number;
    /**
     * The function environment's values, for resolving `${env:...}` references as the
     * collector does. A key whose value is `undefined` is set to a value not known here
     * (an Output at preview, a value unknown to the policy engine); a key that is
     * absent is unset. Omit when no value is known: every reference is then unknown,
     * and a component whose structure depends on one is not checkable.
     */
    readonly environment?: Readonly<Record<string, string | undefined>>;
    /** True when `environment` lists only what is known of it: an absent variable is then unknown, not unset. */
    readonly environmentIsPartial?: boolean;
    /**
     * The components of the collector build the config will run on, when that build is
     * not otelcol-contrib. Omit for contrib (the rule that needs it is skipped).
     */
    readonly distributionComponents?: DistributionComponents;
    /**
     * IAM actions the function's role visibly has (`service:Action`, `service:*`, `*`),
     * for the advisory `aws-permission` rule. Omit when no role is visible: every AWS
     * permission the config needs is then reported.
     */
    readonly grantedActions?: ReadonlySet<string>;
    /**
     * What the real collector's `validate` said about this config, when the caller ran
     * it (the lint's --collector, the component's validateWith; see
     * components/shared/collector-validate.ts). Omit to skip the collector-validate rule.
     */
    readonly collectorValidation?: CollectorValidation;
}

/**
 * The component types a collector build contains, by config section, as the names a
 * config writes (`otlp`, `otlp_http`, ...). The otelcol-contrib release needs none of
 * this (its catalogue is checked elsewhere); a custom build such as the project's
 * `lambda` distribution passes its own lists so a config that needs a component the
 * build lacks fails at preview instead of at cold start ("unknown type").
 */
export interface DistributionComponents {
    /** The distribution's name as the user chose it, e.g. `lambda`. */
    readonly name: string;
    readonly receivers: ReadonlySet<string>;
    readonly processors: ReadonlySet<string>;
    readonly exporters: ReadonlySet<string>;
    readonly extensions: ReadonlySet<string>;
    readonly connectors: ReadonlySet<string>;
    /** URI schemes of the config providers (`env`, `file`, `s3`, ...) a `${scheme:...}` reference can use. */
    readonly providers: ReadonlySet<string>;
    /** How to add a missing component to this build, as a clause (ends the finding's hint). */
    readonly howToAdd: string;
}
