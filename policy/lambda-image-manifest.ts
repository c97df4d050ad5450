import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { DEFAULT_LAMBDA_ARCHITECTURE, PLATFORM_OF_ARCHITECTURE } from "../rules/lambda-facts";
import { imagesOfFunction } from "./engine/related-resources";
import { LAMBDA_FUNCTION_TYPE } from "./engine/resource-types";
import { unwrapSecret } from "./engine/wire-format";


/**
 * Advisory: a docker-build image deployed to Lambda must be one manifest for the
 * function's architecture. Several platforms, or attestations, make an image index,
 * which Lambda rejects ("image manifest, config or layer media type ... is not supported").
 */
export const lambdaImageManifest: StackValidationPolicy = {
    name: "lambda-image-single-manifest",
    description: "Checks that a docker-build image used by a Lambda function is built for exactly the function's platform and without attestations.",
    enforcementLevel: "advisory",
    remediationSteps: "Build exactly one platform (linux/arm64 for arm64 functions, linux/amd64 for x86_64) and leave exec off, or set BUILDX_NO_DEFAULT_ATTESTATIONS=1 where pulumi runs.",
    validateStack: (args, reportViolation) => {
        for (const fn of args.resources.filter((r) => r.type === LAMBDA_FUNCTION_TYPE)) {
            if (fn.props.packageType !== "Image") {
                continue;
            }
            for (const image of imagesOfFunction(fn, args.resources)) {
                for (const problem of imageProblems(fn, image, process.env)) {
                    reportViolation(`docker-build image "${image.name}" for Lambda function "${fn.name}" ${problem}`, image.urn);
                }
            }
        }
    },
};

/** What is wrong with `image` for `fn`, one clause each. */
export function imageProblems(fn: PolicyResource, image: PolicyResource, env: NodeJS.ProcessEnv): string[] {
    const architectures = unwrapSecret(fn.props.architectures);
    const architecture = Array.isArray(architectures) && typeof architectures[0] === "string" ? architectures[0] : DEFAULT_LAMBDA_ARCHITECTURE;
    const expected: string = (PLATFORM_OF_ARCHITECTURE as Readonly<Record<string, string>>)[architecture] ?? `linux/${architecture}`;
    const raw = unwrapSecret(image.props.platforms);
    const platforms = Array.isArray(raw) ? raw.map(String) : [];
    const problems: string[] = [];
    if (platforms.length > 1) {
        problems.push(`builds ${platforms.length} platforms (${platforms.join(", ")}), which pushes an image index that Lambda rejects; build only ${expected}`);
    } else if (platforms.length === 0) {
        problems.push(`builds for whatever machine runs pulumi; set platforms to ["${expected}"] to match the function's ${architecture} architecture`);
    } else if (platforms[0] !== expected) {
        problems.push(`builds ${platforms[0]}, but the function runs on ${architecture}; build ${expected} or change the function's architectures`);
    }
    if (image.props.exec === true && env.BUILDX_NO_DEFAULT_ATTESTATIONS !== "1") {
        problems.push("is built with exec: true, which runs docker buildx build with its default provenance attestation, and Lambda rejects the resulting image index; remove exec or set BUILDX_NO_DEFAULT_ATTESTATIONS=1");
    }
    return problems;
}
