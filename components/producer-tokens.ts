// One bearer token per named producer: generated (a RandomPassword keyed by the
// producer's name, so adding or removing one never replaces another's) or given.
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { GENERATED_TOKEN_LENGTH } from "./args";
import { GENERATED_TOKEN_SPECIALS, tokenProblem } from "./tokens";
import { cleanRunError } from "./environment";

/** The producer whose token earlier versions generated as `<name>-ingest-token`. */
const FIRST_DEFAULT_PRODUCER = "default";

/**
 * The token of each producer, secret, in the order of `producers`. A given token
 * that was not known at preview is validated once known; a bad one fails the
 * deployment with the same one-line error as a known one.
 */
export function producerTokens(
    name: string,
    producers: readonly string[],
    given: Readonly<Record<string, pulumi.Input<string>>>,
    fieldOf: (producer: string) => string,
    parent: pulumi.Resource,
): Record<string, pulumi.Output<string>> {
    const tokens: Record<string, pulumi.Output<string>> = {};
    for (const producer of producers) {
        const chosen = given[producer];
        tokens[producer] = chosen !== undefined
            ? checkedToken(fieldOf(producer), chosen)
            : new random.RandomPassword(`${name}-token-${producer}`, {
                length: GENERATED_TOKEN_LENGTH,
                // RFC 6750 b64token and URL-unreserved: no escaping anywhere.
                special: true,
                overrideSpecial: GENERATED_TOKEN_SPECIALS,
            }, {
                parent,
                // The single token of earlier versions becomes the "default"
                // producer's without being regenerated.
                aliases: producer === FIRST_DEFAULT_PRODUCER ? [{ name: `${name}-ingest-token` }] : [],
            }).result;
    }
    return tokens;
}

/** A given token, secret, checked once known; a bad one rejects with the one-line error of {@link tokenProblem}. */
export function checkedToken(field: string, token: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.secret(pulumi.output(token).apply((value) => validToken(field, value)));
}

/** `token` if valid; otherwise throws a RunError whose one-line message survives the SDK's rewrapping. */
export function validToken(field: string, token: string): string {
    const problem = tokenProblem(field, token);
    if (problem) {
        throw cleanRunError(problem);
    }
    return token;
}
