// `baseImages`: each base image of the collector image can be replaced by a mirror
// (a repository, which keeps the pinned version) or a whole reference (a tag or a
// digest); every bad value is one line naming the argument and echoing the value.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { LambdaCollectorArgs } from "../../../components/lambda/args";
import { PINNED_IMAGES } from "../../../components/shared/image/collector-image";
import { resolveArgs } from "../../../components/lambda/validate";
import { installMocks, MOCK } from "../../harness/mocks";
import { argsError, imageInputsFor } from "../../harness/component";

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;
const pinned = (name: keyof typeof PINNED_IMAGES) => `${PINNED_IMAGES[name].repository}:${PINNED_IMAGES[name].version}`;

before(async () => {
    await installMocks();
});

describe("baseImages", () => {
    it("defaults to the references pinned in collector/Dockerfile", () => {
        assert.deepEqual(resolveArgs("collector", {}).settings.baseImages, { collector: pinned("collector"), alpine: pinned("alpine"), adapter: pinned("adapter"), builder: pinned("builder") });
    });

    it("appends the pinned version to a mirror given as a repository", async () => {
        const image = await imageInputsFor("mirror", { baseImages: { collector: "registry.example.com/otel/opentelemetry-collector-contrib", alpine: "registry.example.com/library/alpine" } });
        assert.deepEqual(image.buildArgs, {
            COLLECTOR_IMAGE: `registry.example.com/otel/opentelemetry-collector-contrib:${PINNED_IMAGES.collector.version}`,
            ALPINE_IMAGE: `registry.example.com/library/alpine:${PINNED_IMAGES.alpine.version}`,
            ADAPTER_IMAGE: pinned("adapter"),
        });
        assert.deepEqual(image.tags, [`${MOCK.repositoryUrl}:otelcol-${PINNED_IMAGES.collector.version}`]);
    });

    it("uses a reference with a tag or digest as given, and tags the ECR image after it", async () => {
        const image = await imageInputsFor("pinned", { baseImages: { collector: `ghcr.io/example/otelcol@${DIGEST}`, adapter: `public.ecr.aws/awsguru/aws-lambda-adapter:1.1.0@${DIGEST}` } });
        const buildArgs = image.buildArgs as Record<string, string>;
        assert.equal(buildArgs.COLLECTOR_IMAGE, `ghcr.io/example/otelcol@${DIGEST}`);
        assert.equal(buildArgs.ADAPTER_IMAGE, `public.ecr.aws/awsguru/aws-lambda-adapter:1.1.0@${DIGEST}`);
        assert.deepEqual(image.tags, [`${MOCK.repositoryUrl}:otelcol-sha256-0123456789ab`]);
    });

    it("puts collectorVersion and adapterVersion on the default repositories", async () => {
        const image = await imageInputsFor("versions", { collectorVersion: "9.8.7", adapterVersion: "1.1.0" });
        assert.deepEqual(image.buildArgs, {
            COLLECTOR_IMAGE: `${PINNED_IMAGES.collector.repository}:9.8.7`,
            ALPINE_IMAGE: pinned("alpine"),
            ADAPTER_IMAGE: `${PINNED_IMAGES.adapter.repository}:1.1.0`,
        });
        assert.deepEqual(image.tags, [`${MOCK.repositoryUrl}:otelcol-9.8.7`]);
    });

    it("combines a version argument with a mirror repository", () => {
        assert.equal(resolveArgs("collector", { collectorVersion: "9.8.7", baseImages: { collector: "mirror.example.com/contrib" } }).settings.baseImages.collector, "mirror.example.com/contrib:9.8.7");
    });

    const cases: [string, LambdaCollectorArgs, string][] = [
        ["a reference with upper-case letters",
            { baseImages: { alpine: "Public.ECR.aws/Alpine:3.22" } },
            `baseImages.alpine: "Public.ECR.aws/Alpine:3.22" is not an image reference (invalid reference format: repository name (Alpine) must be lowercase); use [registry/]repository[:tag][@sha256:digest], e.g. ${pinned("alpine")}`],
        ["a reference with a space",
            { baseImages: { collector: "ghcr.io/otel contrib" } },
            `baseImages.collector: "ghcr.io/otel contrib" is not an image reference (invalid reference format); use [registry/]repository[:tag][@sha256:digest], e.g. ${pinned("collector")}`],
        ["a truncated digest",
            { baseImages: { adapter: "public.ecr.aws/awsguru/aws-lambda-adapter@sha256:abc" } },
            `baseImages.adapter: "public.ecr.aws/awsguru/aws-lambda-adapter@sha256:abc" is not an image reference (invalid reference format); use [registry/]repository[:tag][@sha256:digest], e.g. ${pinned("adapter")}`],
        ["an empty reference",
            { baseImages: { collector: "" } },
            `baseImages.collector: "" is not an image reference (invalid reference format); use [registry/]repository[:tag][@sha256:digest], e.g. ${pinned("collector")}`],
        ["a base image the Dockerfile does not have",
            { baseImages: { golang: "golang:1.26" } as never },
            "baseImages.golang: is not a base image of the collector image; use collector, alpine, adapter, builder"],
        ["a reference that is not a string",
            { baseImages: { collector: 42 } as never },
            `baseImages.collector: 42 is not a string; give an image reference such as ${pinned("collector")}`],
        ["baseImages that is not an object",
            { baseImages: "ghcr.io/x" as never },
            "baseImages: \"ghcr.io/x\" is not an object; give {collector?, alpine?, adapter?, builder?} image references"],
        ["a tagged collector reference together with collectorVersion",
            { collectorVersion: "9.8.7", baseImages: { collector: "mirror.example.com/contrib:9.8.6" } },
            "baseImages.collector: \"mirror.example.com/contrib:9.8.6\" has its own tag or digest, so collectorVersion \"9.8.7\" would be ignored; remove collectorVersion, or give baseImages.collector as a repository without a tag"],
        ["a digest-pinned adapter together with adapterVersion",
            { adapterVersion: "1.1.0", baseImages: { adapter: `mirror.example.com/lwa@${DIGEST}` } },
            `baseImages.adapter: "mirror.example.com/lwa@${DIGEST}" has its own tag or digest, so adapterVersion "1.1.0" would be ignored; remove adapterVersion, or give baseImages.adapter as a repository without a tag`],
    ];
    for (const [name, args, expected] of cases) {
        it(`rejects ${name}`, () => {
            const message = argsError(args);
            assert.equal(message, expected);
            assert.ok(!message.includes("\n"), "one line");
        });
    }
});
