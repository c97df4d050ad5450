// How the policy engine hands resource properties to a policy: secrets may arrive
// wrapped in Pulumi's wire format, and a value unknown at preview throws the
// policy SDK's UnknownValueError when read. Nothing here knows about collectors.
import { isRecord } from "../../rules/config-model";

/** How Pulumi's wire format marks a secret: `{[SECRET_SIG_KEY]: SECRET_SIG, value}`. */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Unwraps a secret the engine left wrapped; anything else is returned as is. */
export function unwrapSecret(value: unknown): unknown {
    return isRecord(value) && value[SECRET_SIG_KEY] === SECRET_SIG ? value.value : value;
}

/** True for the policy SDK's UnknownValueError (thrown when reading a value unknown at preview). */
export function isUnknownValueError(error: unknown): error is Error {
    return error instanceof Error && "unknownTypeSentinel" in error;
}

/** Reads `read()`, turning an unknown-at-preview error into `undefined` plus a note. */
export function readKnown<T>(read: () => T, onUnknown: (error: Error) => void): T | undefined {
    try {
        return read();
    } catch (error) {
        if (isUnknownValueError(error)) {
            onUnknown(error);
            return undefined;
        }
        throw error;
    }
}
