// Builds the collector image and pushes it to ECR in the one shape Lambda accepts.
import * as fs from "node:fs";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";

import { PLATFORM_OF_ARCHITECTURE, type Architecture } from "../rules/lambda-facts";

// docker-build's Platform enum values are the platform strings themselves.
const PLATFORMS: Readonly<Record<Architecture, dockerBuild.Platform>> = PLATFORM_OF_ARCHITECTURE;

export interface CollectorImageArgs {
    /** ECR repository URL (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`). */
    readonly repositoryUrl: pulumi.Input<string>;
    /** The registry (account) of that repository, to log in to. */
    readonly registryId: pulumi.Input<string>;
    /** The component: the login call inherits its AWS provider (region, account). */
    readonly parent: pulumi.Resource;
    readonly architecture: Architecture;
    /** otel/opentelemetry-collector-contrib tag. */
    readonly collectorVersion: string;
    /** public.ecr.aws/awsguru/aws-lambda-adapter tag. */
    readonly adapterVersion: string;
    readonly buildOnPreview: boolean;
}

/**
 * The folder holding the Dockerfile and default config, found from this file so it
 * works from the source tree, from compiled `dist/`, and from `node_modules`.
 */
export function collectorDirectory(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "collector", "Dockerfile"))) {
            return path.join(dir, "collector");
        }
        if (path.dirname(dir) === dir) {
            throw new pulumi.RunError(`collector image: no collector/Dockerfile above ${__dirname}; reinstall the package so its collector/ folder is present`);
        }
    }
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

/** docker-build inputs for the collector image. Exported for tests. */
export function collectorImageArgs(args: CollectorImageArgs): dockerBuild.ImageArgs {
    const auth = aws.ecr.getAuthorizationTokenOutput({ registryId: args.registryId }, { parent: args.parent });
    const context = buildContextPath();
    return {
        context: { location: context },
        dockerfile: { location: `${context}/Dockerfile` },
        // One platform gives one image manifest. Lambda refuses an image index, which
        // is what buildx makes for several platforms or with attestations.
        platforms: [PLATFORMS[args.architecture]],
        // Lambda rejects attestation manifests ("image manifest, config or layer media
        // type ... is not supported"). The provider's BuildKit path turns default
        // provenance off and never requests an SBOM; its `exec` path shells out to
        // buildx, which adds provenance, so `exec` stays off on purpose.
        exec: false,
        push: true,
        tags: [pulumi.interpolate`${args.repositoryUrl}:otelcol-${args.collectorVersion}`],
        registries: [{ address: args.repositoryUrl, username: auth.userName, password: auth.password }],
        buildArgs: {
            OTELCOL_VERSION: args.collectorVersion,
            LWA_VERSION: args.adapterVersion,
        },
        // Preview then needs no Docker daemon (and no registry login), so policy
        // checks can run in CI; the build happens on `pulumi up`.
        buildOnPreview: args.buildOnPreview,
    };
}

/** Lambda needs `repository@digest`: the provider's `ref` carries a tag too, which Lambda rejects. */
export function imageUriFor(repositoryUrl: pulumi.Input<string>, image: dockerBuild.Image): pulumi.Output<string> {
    return pulumi.interpolate`${repositoryUrl}@${image.digest}`;
}
