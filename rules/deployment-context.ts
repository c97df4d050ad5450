// What the deployment around a collector config provides. Each consumer fills in
// what it knows: the component everything, the policy pack what a planned function
// shows, the lint what its flags say. A rule whose context is missing is skipped.

export interface DeploymentContext {
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
}
