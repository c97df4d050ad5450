// The live alias and the public Function URL bound to it. The URL invokes whatever
// version the alias points at, so moving the alias is the only way traffic reaches a
// new version; the alias's functionVersion is given by the caller, after the
// pre-traffic check passed.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Name of the alias the Function URL serves. Changing it would replace the URL (a new endpoint). */
export const LIVE_ALIAS_NAME = "live";

/**
 * Statement ids of our two Function URL permissions, distinct from the ones the AWS
 * provider adds itself on URL creation (`FunctionURLAllowPublicAccess`, and since
 * terraform-provider-aws 6.28.0 `FunctionURLAllowInvokeAction`): reusing those gives a 409.
 */
export const URL_PERMISSION_STATEMENT_IDS = {
    invokeFunctionUrl: "OtelCollectorPublicUrlInvokeFunctionUrl",
    invokeFunction: "OtelCollectorPublicUrlInvokeFunction",
} as const;

/**
 * Statement ids the AWS provider adds itself to the function's policy when it creates
 * a Function URL (terraform-provider-aws internal/service/lambda/function_url.go:
 * `FunctionURLAllowPublicAccess`, and since 6.28.0 `FunctionURLAllowInvokeAction`).
 * They are in no Pulumi state; the version pruning removes them from the unqualified
 * function, where a URL created before the move to the alias left them.
 */
export const PROVIDER_URL_STATEMENT_IDS = ["FunctionURLAllowPublicAccess", "FunctionURLAllowInvokeAction"] as const;

export interface LiveEndpointArgs {
    readonly fn: aws.lambda.Function;
    /** The version the alias points at; resolve it only once the version passed its check. */
    readonly functionVersion: pulumi.Input<string>;
    /** Resources the alias must wait for even at preview (the check's invocations). */
    readonly dependsOn: pulumi.Resource[];
}

export interface LiveEndpoint {
    readonly alias: aws.lambda.Alias;
    readonly functionUrl: aws.lambda.FunctionUrl;
}

/** The alias, its public URL and the URL's two permissions, all qualified by the alias. */
export function liveEndpoint(name: string, args: LiveEndpointArgs, parent: pulumi.Resource): LiveEndpoint {
    const alias = new aws.lambda.Alias(`${name}-live`, {
        // Always explicit: an auto-named alias would be a new alias (and URL) per replace.
        name: LIVE_ALIAS_NAME,
        functionName: args.fn.name,
        functionVersion: args.functionVersion,
        description: "The version that passed its pre-traffic check; the Function URL serves it (otel-lambda-collector)",
    }, { parent, dependsOn: args.dependsOn });

    // A URL can be bound to an alias or $LATEST, never to a version (AWS Lambda docs,
    // lambda-urls.html); on the alias, its endpoint stays the same as the alias moves.
    const functionUrl = new aws.lambda.FunctionUrl(`${name}-url`, {
        functionName: args.fn.name,
        qualifier: alias.name,
        // Public; the collector's bearertokenauth is the gate. IAM auth would need
        // SigV4-signed OTLP, which the OpenTelemetry SDKs do not do.
        authorizationType: "NONE",
        // One response per request; streaming is for server-sent events.
        invokeMode: "BUFFERED",
    }, { parent });

    // Since October 2025 a public URL needs both statements; with only the first, every
    // request gets 403 at the URL and the function never runs (no logs). Both sit in the
    // alias's policy, because the URL invokes the alias ARN. deleteBeforeReplace: every
    // Permission field is ForceNew, and create-before-delete would add a second statement
    // with the same fixed id to the same policy (409).
    new aws.lambda.Permission(`${name}-url-invoke-url`, {
        function: args.fn.name,
        qualifier: alias.name,
        statementId: URL_PERMISSION_STATEMENT_IDS.invokeFunctionUrl,
        action: "lambda:InvokeFunctionUrl",
        principal: "*",
        functionUrlAuthType: "NONE",
    }, { parent, dependsOn: [functionUrl], deleteBeforeReplace: true });
    new aws.lambda.Permission(`${name}-url-invoke-function`, {
        function: args.fn.name,
        qualifier: alias.name,
        statementId: URL_PERMISSION_STATEMENT_IDS.invokeFunction,
        action: "lambda:InvokeFunction",
        principal: "*",
        invokedViaFunctionUrl: true,
    }, { parent, dependsOn: [functionUrl], deleteBeforeReplace: true });

    return { alias, functionUrl };
}
