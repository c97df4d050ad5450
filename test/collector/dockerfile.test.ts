// The collector Dockerfile, read with a real Dockerfile parser: each assertion is a
// Lambda boot failure from the field report that this image must not have.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { DockerfileParser, type Instruction } from "dockerfile-ast";
import { parseCollectorConfig } from "../../rules/config-model";
import { usedOtlpHttpReceivers } from "../../rules/startup-rules";
import { projectRoot } from "../harness/paths";
import { DEFAULTS } from "../../components/args";
import { IMAGE } from "../../rules/lambda-facts";

const ADAPTER_PORT = IMAGE.adapterPort;
const CONFIG_ENV_VAR = IMAGE.configVariable;
const DEFAULT_ADAPTER_VERSION = DEFAULTS.adapterVersion;
const DEFAULT_COLLECTOR_VERSION = DEFAULTS.collectorVersion;

const collectorDir = path.join(projectRoot, "collector");
const dockerfile = DockerfileParser.parse(fs.readFileSync(path.join(collectorDir, "Dockerfile"), "utf8"));
const froms = dockerfile.getFROMs();
const lastFrom = froms[froms.length - 1];
const fromLine = (i: Instruction): number => i.getRange().start.line;
const finalStage = dockerfile.getInstructions().filter((i) => fromLine(i) > fromLine(lastFrom));
const keyword = (k: string): Instruction[] => finalStage.filter((i) => i.getKeyword() === k);

/** ENV values of the final stage, by name. */
function finalEnv(): Map<string, string> {
    const env = new Map<string, string>();
    for (const e of dockerfile.getENVs().filter((i) => fromLine(i) > fromLine(lastFrom))) {
        for (const p of e.getProperties()) env.set(p.getName(), p.getValue() ?? "");
    }
    return env;
}

/** The stage name whose FROM image contains `image`. */
function stageOf(image: string): string {
    const from = froms.find((f) => (f.getImageName() ?? "").includes(image));
    assert.ok(from, `a stage FROM ${image}`);
    const stage = from.getBuildStage();
    assert.ok(stage, `the ${image} stage is named`);
    return stage;
}

describe("collector Dockerfile", () => {
    it("is multi-stage and ends on Alpine", () => {
        assert.ok(froms.length >= 3);
        assert.equal(lastFrom.getImageName(), "alpine");
    });

    it("starts the collector with CMD only, reading its config from the environment", () => {
        assert.equal(keyword("ENTRYPOINT").length, 0, "with ENTRYPOINT, Lambda never starts the collector");
        const cmds = dockerfile.getCMDs().filter((i) => fromLine(i) > fromLine(lastFrom));
        assert.equal(cmds.length, 1);
        assert.deepEqual(cmds[0].getJSONStrings().map((s) => s.getJSONValue()), ["/app/otelcol-contrib", `--config=env:${CONFIG_ENV_VAR}`]);
    });

    it("installs CA roots so HTTPS exports verify", () => {
        const runs = keyword("RUN").map((r) => r.getArgumentsContent() ?? "");
        assert.ok(runs.some((r) => /apk add\b.*\bca-certificates\b/.test(r)), runs.join("\n"));
    });

    it("copies the collector from the contrib image and the adapter into /opt/extensions", () => {
        const copies = dockerfile.getCOPYs().filter((i) => fromLine(i) > fromLine(lastFrom)).map((c) => ({
            from: c.getFlags().find((f) => f.getName() === "from")?.getValue(),
            args: c.getArguments().map((a) => a.getValue()),
        }));
        assert.deepEqual(copies, [
            { from: stageOf("opentelemetry-collector-contrib"), args: ["/otelcol-contrib", "/app/otelcol-contrib"] },
            { from: stageOf("aws-lambda-adapter"), args: ["/lambda-adapter", "/opt/extensions/lambda-adapter"] },
        ]);
    });

    it("sets AWS_LWA_PORT to the port of the default config's OTLP/HTTP receiver", () => {
        const env = finalEnv();
        const parsed = parseCollectorConfig(fs.readFileSync(path.join(collectorDir, "config.yaml"), "utf8"));
        assert.ok(parsed.ok);
        const ports = usedOtlpHttpReceivers(parsed.config).map((r) => r.port);
        assert.deepEqual(ports, [Number(env.get("AWS_LWA_PORT"))]);
        assert.equal(Number(env.get("AWS_LWA_PORT")), ADAPTER_PORT);
        assert.equal(env.get("AWS_LWA_INVOKE_MODE"), "buffered");
        assert.equal(env.get("AWS_LWA_READINESS_CHECK_PATH"), "/");
    });

    it("pins every base image through a versioned build arg matching the component defaults", () => {
        const args = new Map(dockerfile.getInitialARGs().flatMap((a) => a.getProperties()).map((p) => [p.getName(), p.getValue()]));
        assert.equal(args.get("OTELCOL_VERSION"), DEFAULT_COLLECTOR_VERSION);
        assert.equal(args.get("LWA_VERSION"), DEFAULT_ADAPTER_VERSION);
        assert.match(args.get("ALPINE_VERSION") ?? "", /^\d+\.\d+$/);
        for (const from of froms) {
            assert.match(from.getImageTag() ?? "", /^\$\{[A-Z_]+\}$/, `${from.getImageName()} is pinned by a build arg`);
        }
    });

    it("keeps everything but the Dockerfile out of the build context", () => {
        const rules = fs.readFileSync(path.join(collectorDir, ".dockerignore"), "utf8")
            .split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
        assert.deepEqual(rules, ["*", "!Dockerfile"]);
    });
});
