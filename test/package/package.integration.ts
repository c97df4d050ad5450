// The component as another project's dependency: the real `npm pack` tarball,
// unpacked into a consumer's node_modules, imported by package name and constructed
// under mocks with the consumer's folder as the working directory.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, it } from "node:test";
import { projectRoot } from "../harness/paths";

/** node_modules entries linked into the consumer; every runtime dependency must be among them. */
const LINKED = ["@pulumi", "@opentelemetry", "yaml", "@grpc", "google-protobuf", "dockerfile-ast", "vscode-languageserver-textdocument", "vscode-languageserver-types"];

let consumer: string;
let packed: string[];

before(() => {
    consumer = fs.mkdtempSync(path.join(os.tmpdir(), "collector-consumer-"));
    // --ignore-scripts: dist/ is already built by `npm test`; rebuilding it here would
    // race the other test files reading it.
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const out = execFileSync(npm, ["pack", "--json", "--ignore-scripts", "--pack-destination", consumer], { cwd: projectRoot, encoding: "utf8" });
    const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
    packed = info.files.map((f) => f.path);
    const installed = path.join(consumer, "node_modules", "otel-lambda-collector");
    fs.mkdirSync(installed, { recursive: true });
    execFileSync("tar", ["-xzf", path.join(consumer, info.filename), "-C", installed, "--strip-components=1"]);
    // Its dependencies, as npm would install them beside it (the Pulumi SDK's own, and
    // dockerfile-ast's, which the component uses to read the packaged Dockerfile).
    for (const dep of LINKED) {
        fs.symlinkSync(path.join(projectRoot, "node_modules", dep), path.join(consumer, "node_modules", dep), "dir");
    }
});

after(() => fs.rmSync(consumer, { recursive: true, force: true }));

it("ships the compiled library, its types and the image context, and no tests", () => {
    for (const file of ["dist/components/index.js", "dist/components/index.d.ts", "dist/cli/lint.js", "dist/cli/local.js", "dist/local/local-collector.js", "collector/Dockerfile", "collector/.dockerignore", "collector/config.yaml", "collector/lambda-distribution.yaml"]) {
        assert.ok(packed.includes(file), file);
    }
    assert.ok(!packed.some((f) => f.startsWith("dist/test/") || f.startsWith("test/") || f.endsWith(".ts") && !f.endsWith(".d.ts")), "no tests, no TypeScript sources");
});

it("declares every package the component loads at run time as a dependency", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    for (const dep of Object.keys(pkg.dependencies)) {
        assert.ok(LINKED.includes(dep) || LINKED.includes(dep.split("/")[0]), `${dep} is linked into the consumer`);
    }
    assert.ok("dockerfile-ast" in pkg.dependencies, "the component reads its pinned versions from the packaged Dockerfile");
});

it("constructs from node_modules, with the build context inside the installed package", () => {
    const script = `
        const harness = require(${JSON.stringify(path.join(__dirname, "..", "harness", "mocks.js"))});
        harness.installMocks().then(async () => {
            const { LambdaCollector, defaultCollectorConfig } = require("otel-lambda-collector");
            const c = new LambdaCollector("dep");
            await harness.value(c.url);
            await harness.settle();
            const image = harness.only("docker-build:index:Image").inputs;
            const fn = harness.only("aws:lambda/function:Function").inputs;
            console.log(JSON.stringify({
                resolved: require.resolve("otel-lambda-collector"),
                context: image.context.location,
                dockerfile: image.dockerfile.location,
                usesPackagedConfig: harness.secretInput(fn.environment).value.variables.COLLECTOR_CONFIG === defaultCollectorConfig(),
                collectorImage: image.buildArgs.COLLECTOR_IMAGE,
            }));
        });`;
    const out = execFileSync(process.execPath, ["-e", script], { cwd: consumer, encoding: "utf8" });
    const result = JSON.parse(out.trim().split("\n").pop() ?? "{}") as { resolved: string; context: string; dockerfile: string; usesPackagedConfig: boolean; collectorImage: string };
    assert.equal(fs.realpathSync(result.resolved), fs.realpathSync(path.join(consumer, "node_modules", "otel-lambda-collector", "dist", "components", "index.js")));
    assert.equal(result.context, "node_modules/otel-lambda-collector/collector");
    assert.equal(result.dockerfile, "node_modules/otel-lambda-collector/collector/Dockerfile");
    assert.ok(fs.existsSync(path.join(consumer, result.dockerfile)));
    assert.equal(result.usesPackagedConfig, true);
    // The version the installed component builds is the one in the installed Dockerfile.
    const packagedDockerfile = fs.readFileSync(path.join(consumer, result.dockerfile), "utf8");
    const version = /^ARG OTELCOL_VERSION=(\S+)$/m.exec(packagedDockerfile)?.[1];
    assert.ok(version);
    assert.ok(result.collectorImage.endsWith(`:${version}`), result.collectorImage);
});

it("runs the packaged lint command", () => {
    const bin = path.join(consumer, "node_modules", "otel-lambda-collector", "dist", "cli", "lint.js");
    assert.match(fs.readFileSync(bin, "utf8"), /^#!\/usr\/bin\/env node\n/);
    const out = execFileSync(process.execPath, [bin, path.join(consumer, "node_modules", "otel-lambda-collector", "collector", "config.yaml")], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    assert.equal(out, "");
});
