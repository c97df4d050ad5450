// The ECR repository the collector image is pushed to, shared by every runtime: scan
// on push, and a lifecycle rule so old images do not accumulate storage cost.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Creates `<name>-images` and its lifecycle policy, children of `parent`.
 * `keepImages`: how many of the newest images to keep (any tag); older ones expire.
 */
export function imageRepository(name: string, args: { forceDelete: boolean; keepImages: number; tags: Record<string, string> }, parent: pulumi.Resource): aws.ecr.Repository {
    const repository = new aws.ecr.Repository(`${name}-images`, {
        imageScanningConfiguration: { scanOnPush: true },
        forceDelete: args.forceDelete,
        tags: args.tags,
    }, { parent });
    new aws.ecr.LifecyclePolicy(`${name}-images`, {
        repository: repository.name,
        policy: JSON.stringify({
            rules: [{
                rulePriority: 1,
                description: `Keep the newest ${args.keepImages} images`,
                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: args.keepImages },
                action: { type: "expire" },
            }],
        }),
    }, { parent });
    return repository;
}
