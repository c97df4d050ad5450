// Builds the collector image and pushes it to ECR in the one shape Lambda accepts.
import * as fs from "node:fs";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import { DockerfileParser } from "dockerfile-ast";

import { PLATFORM_OF_ARCHITECTURE, type Architecture } from "../../../rules/lambda-facts";
import { collectorDirectory } from "../config-sources/collector-directory";
import { LAMBDA_DISTRIBUTION, ocbManifest, type Distribution, type LambdaDistribution } from "../../lambda/distribution";

export { collectorDirectory } from "../config-sources/collector-directory";

// docker-build's Platform enum values are the platform strings themselves.
const PLATFORMS: Readonly<Record<Architecture, dockerBuild.Platform>> = PLATFORM_OF_ARCHITECTURE;

/** The Dockerfile stage the component builds by default: the Alpine runtime with the otelcol-contrib binary. */
export const IMAGE_TARGET = "contrib";

/** The Dockerfile stage each distribution builds. */
export const IMAGE_TARGETS: Readonly<Record<Distribution, string>> = { contrib: IMAGE_TARGET, lambda: "lambda" };

/** The base images of collector/Dockerfile, by the name `baseImages` gives them. */
export type BaseImageName = "collector" | "alpine" | "adapter" | "builder";
/** Every {@link BaseImageName}, in the order errors and docs list them. */
export const BASE_IMAGE_NAMES: readonly BaseImageName[] = ["collector", "alpine", "adapter", "builder"];

/**
 * The base images each distribution's target is built from, i.e. the build args the
 * component passes. `contrib` takes the collector binary from the contrib image;
 * `lambda` compiles it in the builder image and never pulls the contrib image.
 */
export const BASE_IMAGES_OF: Readonly<Record<Distribution, readonly BaseImageName[]>> = {
    contrib: ["collector", "alpine", "adapter"],
    lambda: ["builder", "alpine", "adapter"],
};

/** The build arg carrying the ocb manifest to the lambda-build stage. */
export const OCB_MANIFEST_ARG = "OCB_MANIFEST";

/** One base image as collector/Dockerfile declares it. */
export interface PinnedImage {
    /** The build arg holding the whole reference, e.g. `COLLECTOR_IMAGE`. */
    readonly buildArg: string;
    /** The build arg holding the pinned version, e.g. `OTELCOL_VERSION`. */
    readonly versionArg: string;
    /** The pinned version: the `*_VERSION` default. */
    readonly version: string;
    /** The default reference without its tag, e.g. `public.ecr.aws/docker/library/alpine`. */
    readonly repository: string;
}

/** Which build args collector/Dockerfile uses for each base image. */
const IMAGE_ARGS: Readonly<Record<BaseImageName, { buildArg: string; versionArg: string }>> = {
    collector: { buildArg: "COLLECTOR_IMAGE", versionArg: "OTELCOL_VERSION" },
    alpine: { buildArg: "ALPINE_IMAGE", versionArg: "ALPINE_VERSION" },
    adapter: { buildArg: "ADAPTER_IMAGE", versionArg: "LWA_VERSION" },
    builder: { buildArg: "BUILDER_IMAGE", versionArg: "OCB_VERSION" },
};

/**
 * The global `ARG` defaults of a Dockerfile (the ones before the first FROM), with
 * `${NAME}` references to earlier ones expanded as BuildKit expands them
 * (moby/buildkit frontend/dockerfile/dockerfile2llb/convert.go, buildMetaArgs).
 * `overrides` stand for build args. Exported for tests.
 */
export function globalArgs(dockerfileText: string, overrides: Readonly<Record<string, string>> = {}): Map<string, string> {
    const args = new Map<string, string>();
    for (const arg of DockerfileParser.parse(dockerfileText).getInitialARGs()) {
        for (const property of arg.getProperties()) {
            const name = property.getName();
            const raw = overrides[name] ?? property.getValue();
            if (raw === null) {
                continue;
            }
            args.set(name, raw.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, ref: string) => args.get(ref) ?? ""));
        }
    }
    return args;
}

/**
 * The pinned base images, read from the Dockerfile's `ARG` defaults: the one place
 * the versions live (Renovate bumps them there). Exported for tests.
 * @throws pulumi.RunError naming the Dockerfile and the missing or malformed ARG.
 */
export function pinnedImages(dockerfilePath: string = path.join(collectorDirectory(), "Dockerfile")): Readonly<Record<BaseImageName, PinnedImage>> {
    const text = fs.readFileSync(dockerfilePath, "utf8");
    const args = globalArgs(text);
    const pinned = {} as Record<BaseImageName, PinnedImage>;
    for (const name of BASE_IMAGE_NAMES) {
        const { buildArg, versionArg } = IMAGE_ARGS[name];
        const version = args.get(versionArg);
        const reference = args.get(buildArg);
        const suffix = `:${version}`;
        if (!version || !reference?.endsWith(suffix)) {
            throw new pulumi.RunError(`${dockerfilePath}: needs ARG ${versionArg}=<version> and ARG ${buildArg}=<repository>:\${${versionArg}} before the first FROM; restore them (the component reads its default images there)`);
        }
        pinned[name] = { buildArg, versionArg, version, repository: reference.slice(0, -suffix.length) };
    }
    return pinned;
}

/** The packaged Dockerfile's pinned images, read once. */
export const PINNED_IMAGES = pinnedImages();

/** A parsed image reference: registry/repository plus an optional tag and digest. */
export interface ImageReference {
    /** `<registry>/<repository>`, with Docker Hub's `docker.io` and `library/` made explicit. */
    readonly name: string;
    readonly tag?: string;
    readonly digest?: string;
}

// The grammar of distribution/reference (regexp.go, normalize.go ParseNormalizedNamed,
// reference.go Parse), which BuildKit applies to a FROM image. It is checked piece by
// piece because one regex for all of it backtracks exponentially in JavaScript on a
// near-miss: @swimlane/docker-reference, a port that does exactly that, took 104 s on
// `...aws-lambda-adapter@sha256:abc` and did not finish on a trailing space. Each
// pattern below has separators outside the character classes they separate, so a
// failed match cannot backtrack far.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST_SYNTAX = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** Algorithms go-digest registers, with their encoded length (lower-case hex). */
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };
const NAME_MAX_LENGTH = 255;

/**
 * Parses `[registry/]repository[:tag][@digest]` as Docker parses a FROM image
 * (ParseNormalizedNamed): a first path element with a `.` or `:`, an upper-case letter,
 * or `localhost` is a registry; otherwise the image is on Docker Hub. Returns the
 * reason, worded as Docker words it, when `reference` is not one.
 */
export function parseImageReference(reference: string): ImageReference | { error: string } {
    const invalid = { error: "invalid reference format" };
    if (/^[a-f0-9]{64}$/.test(reference)) {
        return { error: "cannot specify 64-byte hexadecimal strings" };
    }
    const at = reference.indexOf("@");
    const digest = at === -1 ? undefined : reference.slice(at + 1);
    const named = at === -1 ? reference : reference.slice(0, at);
    const colon = named.lastIndexOf(":");
    const hasTag = colon > named.lastIndexOf("/");
    const tag = hasTag ? named.slice(colon + 1) : undefined;
    const name = hasTag ? named.slice(0, colon) : named;

    const slash = name.indexOf("/");
    const first = name.slice(0, slash);
    const isRegistry = slash !== -1 && (first === "localhost" || /[.:]/.test(first) || first.toLowerCase() !== first);
    const domain = isRegistry ? (first === "index.docker.io" ? "docker.io" : first) : "docker.io";
    const remote = isRegistry ? name.slice(slash + 1) : slash === -1 ? `library/${name}` : name;
    if (remote.toLowerCase() !== remote) {
        return { error: `invalid reference format: repository name (${remote}) must be lowercase` };
    }
    if (name.length > NAME_MAX_LENGTH) {
        return { error: `repository name must not be more than ${NAME_MAX_LENGTH} characters` };
    }
    // Parse(domain/remote): the name is a registry and a path, or, failing that, all path
    // (so "exa_mple.com/a" is a Docker Hub path, as Docker reads it).
    const isPath = (parts: string[]) => parts.every((part) => PATH_COMPONENT.test(part));
    const full = `${domain}/${remote}`.split("/");
    if (!(DOMAIN.test(full[0]) && isPath(full.slice(1))) && !isPath(full)) {
        return invalid;
    }
    if (tag !== undefined && !TAG.test(tag)) {
        return invalid;
    }
    if (digest !== undefined) {
        if (!DIGEST_SYNTAX.test(digest)) {
            return invalid;
        }
        const [algorithm, hex] = digest.split(":");
        const length = DIGEST_HEX_LENGTH[algorithm];
        if (length === undefined) {
            return { error: `unsupported digest algorithm ${algorithm}` };
        }
        if (hex.length !== length || !/^[a-f0-9]+$/.test(hex)) {
            return { error: "invalid checksum digest format" };
        }
    }
    return { name: `${domain}/${remote}`, tag, digest };
}

/**
 * The reference to build from for one base image: the user's `baseImages` entry as
 * given when it has a tag or digest; a bare repository (a mirror) with the version
 * appended; otherwise the pinned default with `version` (the pinned one unless the
 * caller set collectorVersion/adapterVersion).
 */
export function baseImageReference(name: BaseImageName, override: string | undefined, version: string = PINNED_IMAGES[name].version): string {
    if (override === undefined) {
        return `${PINNED_IMAGES[name].repository}:${version}`;
    }
    const parsed = parseImageReference(override);
    if ("error" in parsed || parsed.tag !== undefined || parsed.digest !== undefined) {
        return override;
    }
    return `${override}:${version}`;
}

/**
 * The ECR tag for an image built from `collectorReference`: `otelcol-<tag>`, or for
 * a reference pinned by digest alone, `otelcol-sha256-<first 12 hex digits>`.
 */
export function imageTagFor(collectorReference: string): string {
    const parsed = parseImageReference(collectorReference);
    if ("error" in parsed) {
        return "otelcol";
    }
    if (parsed.tag !== undefined) {
        return `otelcol-${parsed.tag}`;
    }
    return `otelcol-${(parsed.digest ?? "").replace(":", "-").slice(0, "sha256-".length + 12)}`;
}

/**
 * The build context as a path relative to the working directory of `pulumi up`
 * (the project folder, where the provider resolves it). An absolute path would
 * differ between a laptop and CI and make every deploy from elsewhere a rebuild.
 */
export function buildContextPath(cwd: string = process.cwd()): string {
    const relative = path.relative(cwd, collectorDirectory());
    return relative === "" ? "." : relative.split(path.sep).join("/");
}

export interface CollectorImageArgs {
    /** ECR repository URL (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`). */
    readonly repositoryUrl: pulumi.Input<string>;
    /** The registry (account) of that repository, to log in to. */
    readonly registryId: pulumi.Input<string>;
    /** The component: the login call inherits its AWS provider (region, account). */
    readonly parent: pulumi.Resource;
    readonly architecture: Architecture;
    /** Whole references of the base images (see {@link baseImageReference}); only those of the distribution are used. */
    readonly baseImages: Readonly<Record<BaseImageName, string>>;
    readonly buildOnPreview: boolean;
    /** Which collector build the image holds. Default: "contrib". */
    readonly distribution?: Distribution;
    /** The lean distribution to compile for `lambda`. Default: the packaged collector/lambda-distribution.yaml. */
    readonly lambdaDistribution?: LambdaDistribution;
}

/**
 * The build args and ECR tag of a distribution's target. They depend on the
 * distribution, the base images and (for `lambda`) the manifest only: the collector
 * config reaches the function through its environment, so a config change rebuilds
 * nothing. Exported for tests.
 */
export function imageInputs(args: Pick<CollectorImageArgs, "baseImages" | "distribution" | "lambdaDistribution">): { target: string; buildArgs: Record<string, string>; tag: string } {
    const distribution = args.distribution ?? "contrib";
    const buildArgs: Record<string, string> = {};
    for (const name of BASE_IMAGES_OF[distribution]) {
        buildArgs[PINNED_IMAGES[name].buildArg] = args.baseImages[name];
    }
    if (distribution === "contrib") {
        return { target: IMAGE_TARGETS.contrib, buildArgs, tag: imageTagFor(args.baseImages.collector) };
    }
    const lean = args.lambdaDistribution ?? LAMBDA_DISTRIBUTION;
    buildArgs[OCB_MANIFEST_ARG] = ocbManifest(lean);
    return { target: IMAGE_TARGETS.lambda, buildArgs, tag: `otelcol-lambda-${lean.dist.version}` };
}

/** docker-build inputs for the collector image. Exported for tests. */
export function collectorImageArgs(args: CollectorImageArgs): dockerBuild.ImageArgs {
    const auth = aws.ecr.getAuthorizationTokenOutput({ registryId: args.registryId }, { parent: args.parent });
    const context = buildContextPath();
    const { target, buildArgs, tag } = imageInputs(args);
    return {
        // The context holds no file (collector/.dockerignore is `*`) and the Dockerfile
        // is read by location, so the provider's contextHash is the Dockerfile's bytes
        // alone: no umask, stray file or absolute path can force a rebuild elsewhere.
        context: { location: context },
        dockerfile: { location: `${context}/Dockerfile` },
        target,
        // One platform gives one image manifest. Lambda refuses an image index, which
        // is what buildx makes for several platforms or with attestations.
        platforms: [PLATFORMS[args.architecture]],
        // Lambda rejects attestation manifests ("image manifest, config or layer media
        // type ... is not supported"). The provider's BuildKit path turns default
        // provenance off and never requests an SBOM; its `exec` path shells out to
        // buildx, which adds provenance, so `exec` stays off on purpose.
        exec: false,
        push: true,
        tags: [pulumi.interpolate`${args.repositoryUrl}:${tag}`],
        // Only the push target. Base-image registries use the host's `docker login`
        // (the provider reads ~/.docker/config.json when it starts); entries here
        // would replace those credentials for that host.
        registries: [{ address: args.repositoryUrl, username: auth.userName, password: auth.password }],
        buildArgs,
        // Preview then needs no Docker daemon (and no registry login), so policy
        // checks can run in CI; the build happens on `pulumi up`.
        buildOnPreview: args.buildOnPreview,
    };
}

/**
 * Options of the Image resource. `retainOnDelete`: deleting an Image makes the
 * provider delete its pushed manifest, and a replace whose digest did not change
 * (e.g. `pulumi up --replace` on it) would delete the image the function runs. Old
 * images expire by the repository's lifecycle rule instead, and `forceDelete` empties
 * the repository on destroy.
 */
export function collectorImageOptions(parent: pulumi.Resource): pulumi.CustomResourceOptions {
    return { parent, retainOnDelete: true };
}

/** Lambda needs `repository@digest`: the provider's `ref` carries a tag too, which Lambda rejects. */
export function imageUriFor(repositoryUrl: pulumi.Input<string>, image: dockerBuild.Image): pulumi.Output<string> {
    return pulumi.interpolate`${repositoryUrl}@${image.digest}`;
}
