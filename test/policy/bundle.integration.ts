// The publishable bundle (npm run policy:bundle) is self-contained: its own files
// plus its declared dependencies are all it requires, and from its own folder it
// serves the pack.
import assert from "node:assert/strict";
import { CATALOGUE_VERSION } from "../../rules/catalogue";
import { builtinModules } from "node:module";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, it } from "node:test";
import { policies } from "../../policy/policies";
import { bundlePolicyPack } from "../../scripts/bundle-policy-pack";
import { MANDATORY, startPack, type RunningPack } from "../harness/analyzer";
import { projectRoot } from "../harness/paths";

let pack: RunningPack;
let dir: string;
let files: string[];

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-pack-"));
    files = bundlePolicyPack(projectRoot, dir);
    // Stands in for `npm install` in the bundle, which Pulumi Cloud runs; the test
    // below checks that nothing beyond the declared dependencies is required.
    fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
    pack = await startPack(dir);
});
after(() => {
    pack?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
});

it("ships only compiled JavaScript that the pack loads", () => {
    // The distribution catalogue and the exporters' runtime facts are data, shipped as the JSON files they are.
    const data = [path.join("rules", "catalogue", `otelcol-contrib-${CATALOGUE_VERSION}.json`), path.join("rules", "catalogue", "exporter-runtime.json")];
    assert.ok(files.every((f) => f.endsWith(".js") || data.includes(f)), files.join(", "));
    for (const file of data) assert.ok(files.includes(file), file);
    assert.ok(files.includes(path.join("rules", "freeze-rules.js")) && files.includes(path.join("rules", "registry.js")));
    assert.ok(!files.some((f) => f.startsWith("test") || f.includes("lambda-collector.js")), "no component or test code");
});

it("requires only its own files, Node built-ins and its declared dependencies", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies: Record<string, string>; main: string };
    assert.deepEqual(Object.keys(manifest.dependencies).sort(), ["@pulumi/policy", "@pulumi/pulumi", "yaml"]);
    assert.ok(fs.existsSync(path.join(dir, manifest.main)));
    for (const file of files) {
        const code = fs.readFileSync(path.join(dir, file), "utf8");
        for (const [, spec] of code.matchAll(/require\("([^"]+)"\)/g)) {
            if (spec.startsWith(".")) {
                const target = path.join(dir, path.dirname(file), spec);
                assert.ok(fs.existsSync(`${target}.js`) || fs.existsSync(path.join(target, "index.js")) || (spec.endsWith(".json") && fs.existsSync(target)), `${file} requires ${spec}, which is in the bundle`);
            } else {
                const pkg = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
                assert.ok(builtinModules.includes(spec.replace(/^node:/, "")) || pkg in manifest.dependencies, `${file} requires ${spec}`);
            }
        }
    }
});

it("serves the same verdicts from the bundle", async () => {
    assert.equal((await pack.info()).getPoliciesList().length, policies.length);
    const unsafe = fs.readFileSync(path.join(projectRoot, "test", "fixtures", "lint", "unsafe.yaml"), "utf8");
    const diagnostics = await pack.analyze("aws:lambda/function:Function", "fn", { packageType: "Image", memorySize: 512, timeout: 30, environment: { variables: { COLLECTOR_CONFIG: unsafe, HONEYCOMB_API_KEY: "k" } } });
    assert.deepEqual(diagnostics.filter((d) => d.getEnforcementlevel() === MANDATORY).map((d) => d.getPolicyname()).sort(),
        ["no-batch-processor", "no-queued-exporter"]);
});
