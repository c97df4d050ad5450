// Joins resources for stack policies. The engine links them through
// propertyDependencies; when it does not (a value set without an Output, or a test
// harness), matching values is the fallback.
import type { PolicyResource } from "@pulumi/policy";
import { DOCKER_BUILD_IMAGE_TYPE, FUNCTION_URL_TYPE, LAMBDA_FUNCTION_TYPE } from "./resource-types";
import { readKnown, unwrapSecret } from "./wire-format";

export { DOCKER_BUILD_IMAGE_TYPE, FUNCTION_URL_TYPE };

/** The Lambda function a Function URL belongs to, if it is in this stack. */
export function functionOfUrl(url: PolicyResource, resources: readonly PolicyResource[]): PolicyResource | undefined {
    const linked = (url.propertyDependencies?.functionName ?? []).find((r) => r.type === LAMBDA_FUNCTION_TYPE);
    if (linked) {
        return linked;
    }
    const name = unwrapSecret(url.props.functionName);
    return resources.find((r) => r.type === LAMBDA_FUNCTION_TYPE && name !== undefined
        && (r.props.name === name || readKnown(() => r.props.arn, () => undefined) === name));
}

/** The docker-build images a Lambda function's imageUri was built from. */
export function imagesOfFunction(fn: PolicyResource, resources: readonly PolicyResource[]): PolicyResource[] {
    const linked = (fn.propertyDependencies?.imageUri ?? []).filter((r) => r.type === DOCKER_BUILD_IMAGE_TYPE);
    if (linked.length > 0) {
        return linked;
    }
    const uri = unwrapSecret(fn.props.imageUri);
    if (typeof uri !== "string") {
        return [];
    }
    const repository = repositoryOf(uri);
    return resources.filter((r) => r.type === DOCKER_BUILD_IMAGE_TYPE && tagsOf(r).some((tag) => repositoryOf(tag) === repository));
}

/** `host/path/name` of `host/path/name:tag`, `...@sha256:...` or both. */
function repositoryOf(reference: string): string {
    const withoutDigest = reference.split("@")[0];
    const lastSlash = withoutDigest.lastIndexOf("/");
    const colon = withoutDigest.indexOf(":", lastSlash + 1);
    return colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
}

function tagsOf(image: PolicyResource): string[] {
    const tags = unwrapSecret(image.props.tags);
    return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [];
}
