// `distribution`: contrib stays the default with exactly today's image inputs; lambda
// builds the lean target from the manifest; the image inputs follow the distribution
// and versions, never the config; a config that needs a component the lean build
// lacks fails at preview with one line.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { DEFAULTS, type LambdaCollectorArgs } from "../../../components/lambda/args";
import { debugBackend, honeycombBackend, otlpHttpBackend } from "../../../components/shared/config-sources/backends";
import { imageInputs, OCB_MANIFEST_ARG, PINNED_IMAGES } from "../../../components/shared/image/collector-image";
import { defaultCollectorConfig } from "../../../components/shared/config-sources/default-config";
import { LAMBDA_DISTRIBUTION, ocbManifest, readLambdaDistribution } from "../../../components/lambda/distribution";
import { resolveArgs } from "../../../components/lambda/validate";
import { installMocks, MOCK } from "../../harness/mocks";
import { argsError, editDefaultConfig, imageInputsFor } from "../../harness/component";

before(async () => {
    await installMocks();
});

/** The inputs that decide what is built, without the per-resource registry login. */
function buildInputs(inputs: Record<string, unknown>): Record<string, unknown> {
    const { registries: _registries, ...rest } = inputs;
    return rest;
}

const pinned = (name: keyof typeof PINNED_IMAGES) => `${PINNED_IMAGES[name].repository}:${PINNED_IMAGES[name].version}`;

describe("distribution", () => {
    it("defaults to contrib", () => {
        assert.equal(DEFAULTS.distribution, "contrib");
        assert.equal(resolveArgs("collector", {}).settings.distribution, "contrib");
    });

    it("leaves contrib's image inputs exactly as they were before the lean distribution existed", async () => {
        const byDefault = await imageInputsFor("contrib-default", {});
        const explicit = await imageInputsFor("contrib-explicit", { distribution: "contrib" });
        // The values of the release before `distribution`, written out.
        const before = {
            context: { location: "collector" },
            dockerfile: { location: "collector/Dockerfile" },
            target: "contrib",
            platforms: ["linux/arm64"],
            exec: false,
            network: "default",
            push: true,
            tags: [`${MOCK.repositoryUrl}:otelcol-${PINNED_IMAGES.collector.version}`],
            buildArgs: {
                COLLECTOR_IMAGE: `ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:${PINNED_IMAGES.collector.version}`,
                ALPINE_IMAGE: `public.ecr.aws/docker/library/alpine:${PINNED_IMAGES.alpine.version}`,
                ADAPTER_IMAGE: `public.ecr.aws/awsguru/aws-lambda-adapter:${PINNED_IMAGES.adapter.version}`,
            },
            buildOnPreview: false,
        };
        assert.deepEqual(buildInputs(byDefault), before);
        assert.deepEqual(buildInputs(explicit), before);
        // The build args in the order the component always passed them.
        assert.deepEqual(Object.keys(imageInputs({ baseImages: resolveArgs("collector", {}).settings.baseImages }).buildArgs), ["COLLECTOR_IMAGE", "ALPINE_IMAGE", "ADAPTER_IMAGE"]);
    });

    it("builds the lambda target from the builder image and the manifest, without the contrib image", async () => {
        const image = await imageInputsFor("lean", { distribution: "lambda" });
        assert.equal(image.target, "lambda");
        assert.deepEqual(image.platforms, ["linux/arm64"]);
        assert.deepEqual(image.buildArgs, {
            BUILDER_IMAGE: `ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-builder:${PINNED_IMAGES.builder.version}`,
            ALPINE_IMAGE: pinned("alpine"),
            ADAPTER_IMAGE: pinned("adapter"),
            [OCB_MANIFEST_ARG]: ocbManifest(LAMBDA_DISTRIBUTION),
        });
        assert.deepEqual(image.tags, [`${MOCK.repositoryUrl}:otelcol-lambda-${LAMBDA_DISTRIBUTION.dist.version}`]);
        const manifest = parse((image.buildArgs as Record<string, string>)[OCB_MANIFEST_ARG]) as { receivers: { gomod: string }[] };
        assert.deepEqual(manifest.receivers, [{ gomod: `go.opentelemetry.io/collector/receiver/otlpreceiver v${PINNED_IMAGES.collector.version}` }]);
        // The same build context and Dockerfile: only the target and build args differ.
        assert.deepEqual(image.context, { location: "collector" });
        assert.deepEqual(image.dockerfile, { location: "collector/Dockerfile" });
    });

    it("builds for x86_64 too: the builder stage cross-compiles, so the platform is only the target's", async () => {
        const image = await imageInputsFor("lean-x86", { distribution: "lambda", architecture: "x86_64" });
        assert.deepEqual(image.platforms, ["linux/amd64"]);
    });

    it("changes the image inputs when switched, and not when only the config changes", async () => {
        const other = editDefaultConfig("verbosity: basic", "verbosity: detailed");
        const contrib = buildInputs(await imageInputsFor("switch-contrib", { distribution: "contrib" }));
        const contribOtherConfig = buildInputs(await imageInputsFor("switch-contrib-config", { distribution: "contrib", collectorConfig: other }));
        const lean = buildInputs(await imageInputsFor("switch-lambda", { distribution: "lambda" }));
        const leanOtherConfig = buildInputs(await imageInputsFor("switch-lambda-config", { distribution: "lambda", collectorConfig: other }));
        assert.notDeepEqual(lean, contrib);
        assert.notEqual(lean.target, contrib.target);
        assert.deepEqual(contribOtherConfig, contrib, "a config change is a function update, not a new image");
        assert.deepEqual(leanOtherConfig, lean, "a config change is a function update, not a new image");
    });

    it("changes the lambda image inputs when the manifest's modules change, and only then", () => {
        const baseImages = resolveArgs("collector", {}).settings.baseImages;
        const fewer = { ...LAMBDA_DISTRIBUTION, modules: { ...LAMBDA_DISTRIBUTION.modules, connectors: LAMBDA_DISTRIBUTION.modules.connectors.slice(1) } };
        const lean = imageInputs({ baseImages, distribution: "lambda" });
        assert.notDeepEqual(imageInputs({ baseImages, distribution: "lambda", lambdaDistribution: fewer }).buildArgs, lean.buildArgs);
        assert.deepEqual(imageInputs({ baseImages, distribution: "lambda", lambdaDistribution: readLambdaDistribution() }), lean);
        assert.deepEqual(imageInputs({ baseImages, distribution: "contrib", lambdaDistribution: fewer }), imageInputs({ baseImages }), "contrib never depends on the manifest");
    });

    it("rejects, under lambda, a config with a component outside the lean distribution, in one line naming it", () => {
        const config = editDefaultConfig("exporters:\n", "processors:\n  k8sattributes:\nexporters:\n");
        const message = argsError({ distribution: "lambda", collectorConfig: config });
        assert.equal(message.includes("\n"), false, message);
        assert.match(message, /^collector config: processors\.k8sattributes: processor type "k8sattributes" is not in the lambda distribution, so the collector would refuse to start \("unknown type"\); it has memory_limiter, attributes, .*; set distribution to contrib, or add the processor's module to collector\/lambda-distribution\.yaml \(its gomod line from the contrib manifest\) \(line \d+\)$/);
        // The same config is accepted with contrib, which has every contrib component.
        assert.doesNotThrow(() => resolveArgs("collector", { distribution: "contrib", collectorConfig: config }));
        assert.doesNotThrow(() => resolveArgs("collector", { collectorConfig: config }));
    });

    it("names every missing component kind, by its type, aliases included", () => {
        const config = editDefaultConfig("  debug:\n", "  prometheusremotewrite:\n    endpoint: https://prw.example.com\n  otlphttp/b:\n    endpoint: https://otlp.example.com\n    sending_queue: {enabled: false}\n  debug:\n")
            .replace("extensions:\n", "extensions:\n  health_check:\n")
            .replace("service:\n", "connectors:\n  spanmetrics:\nservice:\n");
        const lines = argsError({ distribution: "lambda", collectorConfig: config }).split("\n");
        assert.deepEqual(lines.map((l) => /^collector config: (\S+):/.exec(l)?.[1]), ["exporters.prometheusremotewrite", "extensions.health_check", "connectors.spanmetrics"]);
        assert.match(lines[0], /exporter type "prometheusremotewrite" is not in the lambda distribution/);
    });

    it("rejects, under lambda, a ${scheme:...} whose config provider the lean build lacks", () => {
        const config = editDefaultConfig("verbosity: basic", "verbosity: ${googlesecretmanager:projects/p/secrets/s/versions/1}");
        assert.match(argsError({ distribution: "lambda", collectorConfig: config }),
            /^collector config: exporters\.debug\.verbosity: references \$\{googlesecretmanager:\.\.\.\}, but the lambda distribution has no "googlesecretmanager" config provider, so the collector would refuse to start; it has env, file, http, https, yaml, s3, secretsmanager; set distribution to contrib, or add the provider's module to collector\/lambda-distribution\.yaml/);
        assert.doesNotThrow(() => resolveArgs("collector", { distribution: "lambda", collectorConfig: editDefaultConfig("verbosity: basic", "verbosity: ${secretsmanager:verbosity}") }));
        assert.doesNotThrow(() => resolveArgs("collector", { distribution: "lambda", collectorConfig: editDefaultConfig("verbosity: basic", "verbosity: $${googlesecretmanager:escaped}") }));
    });

    it("accepts every config this project generates (default, debug, honeycomb, otlphttp) under lambda", () => {
        assert.doesNotThrow(() => resolveArgs("collector", { distribution: "lambda", collectorConfig: defaultCollectorConfig() }));
        for (const backend of [debugBackend(), honeycombBackend({ apiKey: "k" }), otlpHttpBackend({ endpoint: "https://otlp.example.com", headers: { "x-api-key": "k" } })]) {
            assert.doesNotThrow(() => resolveArgs("collector", { distribution: "lambda", collectorConfig: backend.collectorConfig, environment: backend.environment }));
        }
    });

    const bad: [string, LambdaCollectorArgs, string][] = [
        ["an unknown distribution", { distribution: "core" as never },
            `distribution: "core" is not a collector distribution; use "contrib" or "lambda" (see docs/lean-distribution.md)`],
        ["collectorVersion with lambda", { distribution: "lambda", collectorVersion: "9.9.9" },
            `collectorVersion: "9.9.9" picks the contrib image, which distribution "lambda" does not use (its versions are the gomod lines of collector/lambda-distribution.yaml); remove collectorVersion, or set distribution to "contrib"`],
        ["baseImages.collector with lambda", { distribution: "lambda", baseImages: { collector: "mirror.example.com/otel/contrib" } },
            `baseImages.collector: is not used by distribution "lambda", which builds from builder, alpine, adapter; remove baseImages.collector, or set distribution to "contrib"`],
        ["baseImages.builder with contrib", { baseImages: { builder: "mirror.example.com/otel/builder" } },
            `baseImages.builder: is not used by distribution "contrib", which builds from collector, alpine, adapter; remove baseImages.builder, or set distribution to "lambda"`],
    ];
    for (const [name, args, expected] of bad) {
        it(`rejects ${name}, naming the argument`, () => {
            assert.equal(argsError(args), expected);
        });
    }

    it("takes a builder mirror under lambda, keeping the pinned version", async () => {
        const image = await imageInputsFor("lean-mirror", { distribution: "lambda", baseImages: { builder: "registry.example.com/otel/opentelemetry-collector-builder" } });
        assert.equal((image.buildArgs as Record<string, string>).BUILDER_IMAGE, `registry.example.com/otel/opentelemetry-collector-builder:${PINNED_IMAGES.builder.version}`);
    });
});
