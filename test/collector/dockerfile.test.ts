// The collector Dockerfile, read with a real Dockerfile parser: each assertion is a
// Lambda boot failure from the field report, or a build failure on some machine, that
// this image must not have.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { DockerfileParser, type From, type Instruction } from "dockerfile-ast";
import { parseCollectorConfig } from "../../rules/config-model";
import { usedOtlpHttpReceivers } from "../../rules/startup-rules";
import { projectRoot } from "../harness/paths";
import { BASE_IMAGE_NAMES, BASE_IMAGES_OF, globalArgs, IMAGE_TARGET, IMAGE_TARGETS, OCB_MANIFEST_ARG, parseImageReference, PINNED_IMAGES } from "../../components/shared/image/collector-image";
import { DISTRIBUTIONS } from "../../components/lambda/distribution";
import { IMAGE } from "../../rules/lambda-facts";

const ADAPTER_PORT = IMAGE.adapterPort;
const CONFIG_ENV_VAR = IMAGE.configVariable;

const collectorDir = path.join(projectRoot, "collector");
const dockerfileText = fs.readFileSync(path.join(collectorDir, "Dockerfile"), "utf8");
const dockerfile = DockerfileParser.parse(dockerfileText);
const froms = dockerfile.getFROMs();
const fromLine = (i: Instruction): number => i.getRange().start.line;
/** The global ARG defaults, as BuildKit resolves them with no build args. */
const defaults = globalArgs(dockerfileText);

interface Stage {
    readonly from: From;
    readonly name: string | null;
    /** The instructions after its FROM, up to the next FROM. */
    readonly instructions: Instruction[];
}

const stages: Stage[] = froms.map((from, i) => ({
    from,
    name: from.getBuildStage(),
    instructions: dockerfile.getInstructions().filter((x) => fromLine(x) > fromLine(from) && (i + 1 === froms.length || fromLine(x) < fromLine(froms[i + 1]))),
}));
const stageNamed = (name: string): Stage | undefined => stages.find((s) => s.name === name);

/** The stage and the stages it is built FROM, base first: what one target's image holds. */
function chainOf(target: string): Stage[] {
    const chain: Stage[] = [];
    for (let stage = stageNamed(target); stage; stage = stageNamed(stage.from.getImage() ?? "")) {
        chain.unshift(stage);
    }
    return chain;
}
const image = chainOf(IMAGE_TARGET);
const inChain = (chain: Stage[], keyword: string): Instruction[] => chain.flatMap((s) => s.instructions).filter((i) => i.getKeyword() === keyword);
const inImage = (keyword: string): Instruction[] => inChain(image, keyword);

/** ENV values of a target's image, by name. */
function imageEnv(chain: Stage[] = image): Map<string, string> {
    const env = new Map<string, string>();
    for (const e of dockerfile.getENVs().filter((i) => inChain(chain, "ENV").includes(i))) {
        for (const p of e.getProperties()) env.set(p.getName(), p.getValue() ?? "");
    }
    return env;
}

/** Every stage a target's build needs (its FROM chain and what it copies from, transitively): what BuildKit pulls. */
function stagesNeeded(target: string): Set<string> {
    const needed = new Set<string>();
    const visit = (name: string): void => {
        const stage = stageNamed(name);
        if (!stage || needed.has(name)) return;
        needed.add(name);
        visit(stage.from.getImage() ?? "");
        for (const copy of copiesIn([stage])) if (copy.from) visit(copy.from);
    };
    visit(target);
    return needed;
}

const onBuildPlatform = (stage: Stage): boolean => /^\$\{?BUILDPLATFORM\}?$/.test(stage.from.getPlatformFlag()?.getValue() ?? "");

/** The image a stage's FROM resolves to with the default build args. */
function baseOf(stage: Stage): string {
    return (stage.from.getImage() ?? "").replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => defaults.get(name) ?? "");
}

/** The name of the stage built FROM the pinned base image `name`. */
function stageOf(name: (typeof BASE_IMAGE_NAMES)[number]): string {
    const stage = stages.find((s) => s.from.getImage() === `\${${PINNED_IMAGES[name].buildArg}}`);
    assert.ok(stage?.name, `a named stage FROM \${${PINNED_IMAGES[name].buildArg}}`);
    return stage.name;
}

const copiesIn = (chain: Stage[]) => chain.flatMap((s) => s.instructions).filter((i) => i.getKeyword() === "COPY").map((i) => {
    const copy = dockerfile.getCOPYs().find((c) => fromLine(c) === fromLine(i));
    assert.ok(copy);
    return { from: copy.getFlags().find((f) => f.getName() === "from")?.getValue(), args: copy.getArguments().map((a) => a.getValue()) };
});

describe("collector Dockerfile", () => {
    it("is multi-stage, and the target the component builds runs on Alpine", () => {
        assert.ok(froms.length >= 3);
        assert.ok(stageNamed(IMAGE_TARGET), `a stage named ${IMAGE_TARGET}`);
        assert.equal(image[0].from.getImage(), "${ALPINE_IMAGE}");
        assert.equal(baseOf(image[0]), `public.ecr.aws/docker/library/alpine:${PINNED_IMAGES.alpine.version}`);
    });

    it("starts the collector with CMD only, reading its config from the environment", () => {
        assert.equal(inImage("ENTRYPOINT").length, 0, "with ENTRYPOINT, Lambda never starts the collector");
        const cmds = dockerfile.getCMDs().filter((i) => inImage("CMD").includes(i));
        assert.ok(cmds.length >= 1);
        const last = cmds[cmds.length - 1];
        assert.deepEqual(last.getJSONStrings().map((s) => s.getJSONValue()), ["/app/otelcol-contrib", `--config=env:${CONFIG_ENV_VAR}`]);
    });

    it("runs nothing in a stage built for the target platform, so no emulator is needed", () => {
        // A stage runs on the build machine only if its FROM says --platform=$BUILDPLATFORM;
        // any other stage is the target architecture, where RUN needs QEMU on a foreign host.
        for (const stage of stages) {
            const platform = stage.from.getPlatformFlag()?.getValue() ?? "";
            if (/^\$\{?BUILDPLATFORM\}?$/.test(platform)) {
                continue;
            }
            const runs = stage.instructions.filter((i) => ["RUN", "ONBUILD"].includes(i.getKeyword()));
            assert.deepEqual(runs.map((r) => r.getTextContent()), [], `stage ${stage.name ?? fromLine(stage.from)} is built for the target platform`);
        }
    });

    it("copies the CA roots from the collector image, so HTTPS exports verify", () => {
        // The contrib image carries the bundle: its own Dockerfile copies it from an Alpine
        // stage (opentelemetry-collector-releases distributions/otelcol-contrib/Dockerfile @v0.151.0).
        const bundle = "/etc/ssl/certs/ca-certificates.crt";
        assert.ok(copiesIn(image).some((c) => c.from === stageOf("collector") && c.args[0] === bundle && c.args[1] === bundle),
            JSON.stringify(copiesIn(image)));
    });

    it("copies the collector from the contrib image and the adapter into /opt/extensions", () => {
        const copies = copiesIn(image).filter((c) => !c.args[0].startsWith("/etc/ssl/"));
        assert.deepEqual(copies, [
            { from: stageOf("adapter"), args: ["/lambda-adapter", "/opt/extensions/lambda-adapter"] },
            { from: stageOf("collector"), args: ["/otelcol-contrib", "/app/otelcol-contrib"] },
        ]);
    });

    it("sets AWS_LWA_PORT to the port of the default config's OTLP/HTTP receiver", () => {
        const env = imageEnv();
        const parsed = parseCollectorConfig(fs.readFileSync(path.join(collectorDir, "config.yaml"), "utf8"));
        assert.ok(parsed.ok);
        const ports = usedOtlpHttpReceivers(parsed.config).map((r) => r.port);
        assert.deepEqual(ports, [Number(env.get("AWS_LWA_PORT"))]);
        assert.equal(Number(env.get("AWS_LWA_PORT")), ADAPTER_PORT);
        assert.equal(env.get("AWS_LWA_INVOKE_MODE"), "buffered");
        assert.equal(env.get("AWS_LWA_READINESS_CHECK_PATH"), "/");
    });

    it("takes every base image from a whole-reference build arg whose default is pinned by a *_VERSION arg", () => {
        for (const from of froms) {
            const image = from.getImage() ?? "";
            const isStage = stages.some((s) => s.name === image);
            assert.ok(isStage || /^\$\{[A-Z_]+_IMAGE\}$/.test(image), `FROM ${image} is a stage or an *_IMAGE build arg`);
        }
        for (const name of BASE_IMAGE_NAMES) {
            const { buildArg, versionArg, version, repository } = PINNED_IMAGES[name];
            assert.equal(defaults.get(buildArg), `${repository}:${version}`, `collector/Dockerfile: ARG ${buildArg} is ${repository}:\${${versionArg}}`);
            assert.match(version, /^\d+\.\d+(\.\d+)?$/, `collector/Dockerfile: ARG ${versionArg} is a plain version, as the registries tag releases`);
        }
        // The component expands only ${NAME} in ARG defaults; other shell forms would differ from BuildKit.
        for (const arg of dockerfile.getInitialARGs()) {
            const raw = arg.getProperties()[0]?.getValue() ?? "";
            assert.equal(raw.replace(/\$\{[A-Z_]+\}/g, "").includes("$"), false, `ARG ${raw} uses only \${NAME}`);
        }
    });

    it("pulls no default base image from Docker Hub, so anonymous pulls in CI hit no 429", () => {
        const expected: Record<string, string> = {
            collector: "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib",
            alpine: "public.ecr.aws/docker/library/alpine",
            adapter: "public.ecr.aws/awsguru/aws-lambda-adapter",
            builder: "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-builder",
        };
        for (const name of BASE_IMAGE_NAMES) {
            const parsed = parseImageReference(defaults.get(PINNED_IMAGES[name].buildArg) ?? "");
            assert.ok(!("error" in parsed), name);
            assert.equal(parsed.name, expected[name]);
            assert.notEqual(parsed.name.split("/")[0], "docker.io", `${name} is not on Docker Hub`);
        }
    });

    it("resolves a global ARG from earlier ones and from build args, as BuildKit does", () => {
        const text = "ARG V=1\nARG IMAGE=r/x:${V}\nFROM ${IMAGE}\n";
        assert.equal(globalArgs(text).get("IMAGE"), "r/x:1");
        assert.equal(globalArgs(text, { V: "2" }).get("IMAGE"), "r/x:2");
        assert.equal(globalArgs(text, { IMAGE: "m/y@sha256:0" }).get("IMAGE"), "m/y@sha256:0");
    });
});

describe("collector Dockerfile, for each distribution's target", () => {
    const binaries: Record<string, string> = { contrib: "/app/otelcol-contrib", lambda: "/app/otelcol-lambda" };
    for (const distribution of DISTRIBUTIONS) {
        const target = IMAGE_TARGETS[distribution];
        const chain = chainOf(target);
        describe(`${target} (distribution ${distribution})`, () => {
            it("runs on the shared Alpine runtime", () => {
                assert.ok(stageNamed(target), `a stage named ${target}`);
                assert.deepEqual(chain.map((s) => s.name), ["runtime", target]);
                assert.equal(chain[0].from.getImage(), "${ALPINE_IMAGE}");
            });

            it("starts the collector with CMD only, reading its config from the environment", () => {
                assert.equal(inChain(chain, "ENTRYPOINT").length, 0, "with ENTRYPOINT, Lambda never starts the collector");
                const cmds = dockerfile.getCMDs().filter((i) => inChain(chain, "CMD").includes(i));
                assert.equal(cmds.length, 1);
                assert.deepEqual(cmds[0].getJSONStrings().map((j) => j.getJSONValue()), [binaries[distribution], `--config=env:${CONFIG_ENV_VAR}`]);
            });

            it("has the adapter in /opt/extensions, AWS_LWA_PORT on the receiver's port, and the CA roots", () => {
                const copies = copiesIn(chain);
                assert.ok(copies.some((c) => c.from === stageOf("adapter") && c.args.join(" ") === "/lambda-adapter /opt/extensions/lambda-adapter"));
                const bundle = "/etc/ssl/certs/ca-certificates.crt";
                assert.ok(copies.some((c) => c.args[0] === bundle && c.args[1] === bundle), "the CA roots, or HTTPS exports fail with x509 errors");
                assert.ok(copies.some((c) => c.args[1] === binaries[distribution]), "the collector binary");
                const env = imageEnv(chain);
                assert.equal(Number(env.get("AWS_LWA_PORT")), ADAPTER_PORT);
                assert.equal(env.get("AWS_LWA_INVOKE_MODE"), "buffered");
                assert.equal(env.get("AWS_LWA_READINESS_CHECK_PATH"), "/");
            });

            it("runs nothing on the target platform, and pulls only its own distribution's base images", () => {
                const needed = [...stagesNeeded(target)].map((name) => stageNamed(name) as Stage);
                for (const stage of needed.filter((st) => !onBuildPlatform(st))) {
                    assert.deepEqual(inChain([stage], "RUN").map((r) => r.getTextContent()), [], `stage ${stage.name} is built for the target platform`);
                }
                const pulled = needed.map((st) => st.from.getImage() ?? "").filter((img) => /^\$\{[A-Z_]+_IMAGE\}$/.test(img)).sort();
                assert.deepEqual(pulled, BASE_IMAGES_OF[distribution].map((name) => `\${${PINNED_IMAGES[name].buildArg}}`).sort(),
                    "the component passes exactly these build args; the lambda build must not pull the contrib image");
            });
        });
    }

    describe("lambda-build, the ocb stage", () => {
        const build = stageNamed("lambda-build");

        it("runs on the build platform, from the pinned builder image", () => {
            assert.ok(build);
            assert.ok(onBuildPlatform(build), "FROM --platform=$BUILDPLATFORM: compiling needs no arm64 emulation on x86_64");
            assert.equal(build.from.getImage(), `\${${PINNED_IMAGES.builder.buildArg}}`);
        });

        it("cross-compiles for the target: GOOS/GOARCH from TARGETOS/TARGETARCH, cgo off, ocb on the manifest build arg", () => {
            assert.ok(build);
            const args = build.instructions.filter((i) => i.getKeyword() === "ARG").map((i) => i.getTextContent().replace(/^ARG\s+/, ""));
            assert.deepEqual(args, ["TARGETOS", "TARGETARCH", OCB_MANIFEST_ARG], "declared in the stage, so RUN sees them");
            const runs = build.instructions.filter((i) => i.getKeyword() === "RUN").map((i) => i.getTextContent());
            assert.equal(runs.length, 1);
            const run = runs[0];
            assert.match(run, /GOOS="\$TARGETOS" GOARCH="\$TARGETARCH" CGO_ENABLED=0 ocb --config=manifest\.yaml/);
            assert.match(run, /printf '%s\\n' "\$OCB_MANIFEST" > manifest\.yaml/, "the manifest comes from the build arg, not the (empty) context");
            assert.match(run, /test -n "\$OCB_MANIFEST" \|\|/, "an empty manifest fails with a message, not an ocb error");
            assert.doesNotMatch(run, /debug/);
        });

        it("takes nothing from the build context", () => {
            for (const copy of [...dockerfile.getCOPYs(), ...dockerfile.getInstructions().filter((i) => i.getKeyword() === "ADD")]) {
                assert.ok(copy.getTextContent().includes("--from="), `${copy.getTextContent()} copies from a stage`);
            }
        });
    });
});
