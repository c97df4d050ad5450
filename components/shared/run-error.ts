// The one-line error every component check throws, kept free of the SDK's prefix.
import * as pulumi from "@pulumi/pulumi";

/**
 * A RunError whose message stays exactly as given. The SDK prefixes
 * `error serializing property "<name>": ` to an error thrown while it serializes a
 * resource input or the component's outputs (@pulumi/pulumi runtime/rpc.js,
 * serializeFilteredProperties); for a check whose values only became known at
 * deployment, the user should still read the one-line error, nothing around it.
 */
export function cleanRunError(message: string): pulumi.RunError {
    const error = new pulumi.RunError(message);
    Object.defineProperty(error, "message", { get: () => message, set: () => undefined, enumerable: false, configurable: true });
    return error;
}
