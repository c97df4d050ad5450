// One bearer token per named producer: generated (a RandomPassword keyed by the
// producer's name, so adding or removing one never replaces another's) or given.
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { GENERATED_TOKEN_LENGTH, type TokenRotation } from "../../lambda/args";
import { GENERATED_TOKEN_SPECIALS, tokenProblem } from "./tokens";
import { cleanRunError } from "../run-error";

/** The producer whose token earlier versions generated as `<name>-ingest-token`. */
const FIRST_DEFAULT_PRODUCER = "default";

/** A producer's tokens: the generations the collector accepts, and the one its environment gives. */
export interface ProducerGenerations {
    /** Accepted generations, oldest first (one, or two during a rotation). */
    readonly accepted: readonly number[];
    /** The generation `producerEnvironments.<name>` gives. */
    readonly used: number;
}

/** The generations a rotation (or none) means; see LambdaCollectorArgs.tokenRotation. */
export function generationsOf(rotation: TokenRotation | undefined): ProducerGenerations {
    if (rotation === undefined) {
        return { accepted: [1], used: 1 };
    }
    const next = rotation.generation;
    if (rotation.phase === undefined) {
        return { accepted: [next], used: next };
    }
    return { accepted: [next - 1, next], used: rotation.phase === "switched" ? next : next - 1 };
}

/** A token the collector accepts: its label (producer name, `.g<generation>` after the first) and value. */
export interface AcceptedProducerToken {
    readonly name: string;
    readonly token: pulumi.Output<string>;
}

export interface ProducerTokens {
    /** The token each producer's environment gives, by producer name. */
    readonly used: Record<string, pulumi.Output<string>>;
    /** Every token the collector accepts, producer by producer, oldest generation first. */
    readonly accepted: readonly AcceptedProducerToken[];
}

/**
 * The tokens of each producer, secret, in the order of `producers`. A given token
 * that was not known at preview is validated once known; a bad one fails the
 * deployment with the same one-line error as a known one. A generated token of
 * generation 1 keeps the resource name it always had (`<name>-token-<producer>`);
 * generation g is `<name>-token-<producer>.g<g>` (a `.` no producer name contains),
 * so a rotation creates one RandomPassword and later deletes one, never replaces one.
 */
export function producerTokens(
    name: string,
    producers: readonly string[],
    given: Readonly<Record<string, pulumi.Input<string>>>,
    rotation: Readonly<Record<string, TokenRotation>>,
    fieldOf: (producer: string) => string,
    parent: pulumi.Resource,
): ProducerTokens {
    const used: Record<string, pulumi.Output<string>> = {};
    const accepted: AcceptedProducerToken[] = [];
    for (const producer of producers) {
        const chosen = given[producer];
        if (chosen !== undefined) {
            used[producer] = checkedToken(fieldOf(producer), chosen);
            accepted.push({ name: producer, token: used[producer] });
            continue;
        }
        const generations = generationsOf(rotation[producer]);
        for (const generation of generations.accepted) {
            const suffix = generation === 1 ? "" : `.g${generation}`;
            const token = new random.RandomPassword(`${name}-token-${producer}${suffix}`, {
                length: GENERATED_TOKEN_LENGTH,
                // RFC 6750 b64token and URL-unreserved: no escaping anywhere.
                special: true,
                overrideSpecial: GENERATED_TOKEN_SPECIALS,
            }, {
                parent,
                // The single token of earlier versions becomes the "default"
                // producer's without being regenerated.
                aliases: producer === FIRST_DEFAULT_PRODUCER && generation === 1 ? [{ name: `${name}-ingest-token` }] : [],
            }).result;
            accepted.push({ name: `${producer}${suffix}`, token });
            if (generation === generations.used) {
                used[producer] = token;
            }
        }
    }
    return { used, accepted };
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
