// The image arguments every runtime takes: version tags and `baseImages` references,
// checked before the image is built, one line each.
import type { LambdaCollectorArgs } from "../../lambda/args";
import { BASE_IMAGE_NAMES, baseImageReference, parseImageReference, PINNED_IMAGES, type BaseImageName } from "./collector-image";

export function imageTagProblem(field: string, tag: string, example: string): string | undefined {
    return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)
        ? undefined
        : `${field}: "${tag}" is not a valid image tag; use a version such as ${example}`;
}

/** The version argument that sets each base image's tag, where there is one. */
const VERSION_ARGS: Readonly<Partial<Record<BaseImageName, "collectorVersion" | "adapterVersion">>> = {
    collector: "collectorVersion",
    adapter: "adapterVersion",
};

/** Each base image's reference: the caller's, or the pinned default at the caller's version. */
export function resolveBaseImages(args: LambdaCollectorArgs): Record<BaseImageName, string> {
    const given = typeof args.baseImages === "object" && args.baseImages !== null ? args.baseImages : {};
    const resolved = {} as Record<BaseImageName, string>;
    for (const name of BASE_IMAGE_NAMES) {
        const versionArg = VERSION_ARGS[name];
        const value = given[name];
        resolved[name] = baseImageReference(name, typeof value === "string" ? value : undefined, (versionArg && args[versionArg]) || PINNED_IMAGES[name].version);
    }
    return resolved;
}

/**
 * `baseImages`: an object of known names to image references; a reference that has
 * its own tag or digest cannot be combined with the version argument it overrides.
 */
export function baseImagesProblems(args: LambdaCollectorArgs): string[] {
    const value: unknown = args.baseImages;
    if (value === undefined) {
        return [];
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return [`baseImages: ${JSON.stringify(value)} is not an object; give {${BASE_IMAGE_NAMES.map((n) => `${n}?`).join(", ")}} image references`];
    }
    const problems: string[] = [];
    for (const [name, reference] of Object.entries(value)) {
        if (!(BASE_IMAGE_NAMES as readonly string[]).includes(name)) {
            problems.push(`baseImages.${name}: is not a base image of the collector image; use ${BASE_IMAGE_NAMES.join(", ")}`);
            continue;
        }
        const problem = imageReferenceProblem(`baseImages.${name}`, reference, `${PINNED_IMAGES[name as BaseImageName].repository}:${PINNED_IMAGES[name as BaseImageName].version}`);
        if (problem !== undefined) {
            problems.push(problem);
            continue;
        }
        const versionArg = VERSION_ARGS[name as BaseImageName];
        const parsed = parseImageReference(reference as string);
        if (versionArg && args[versionArg] !== undefined && !("error" in parsed) && (parsed.tag !== undefined || parsed.digest !== undefined)) {
            problems.push(`baseImages.${name}: "${String(reference)}" has its own tag or digest, so ${versionArg} "${args[versionArg]}" would be ignored; remove ${versionArg}, or give baseImages.${name} as a repository without a tag`);
        }
    }
    return problems;
}

/** A one-line error when `reference` is not an image reference Docker accepts in FROM, else undefined. */
export function imageReferenceProblem(field: string, reference: unknown, example: string): string | undefined {
    if (typeof reference !== "string") {
        return `${field}: ${JSON.stringify(reference)} is not a string; give an image reference such as ${example}`;
    }
    const parsed = parseImageReference(reference);
    return "error" in parsed
        ? `${field}: "${reference}" is not an image reference (${parsed.error}); use [registry/]repository[:tag][@sha256:digest], e.g. ${example}`
        : undefined;
}
