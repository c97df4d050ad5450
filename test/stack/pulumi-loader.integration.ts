// Pulumi runs index.ts through ts-node with the project's own TypeScript. This loads
// the program exactly that way (Pulumi's own helpers, type-checking on) under mocks,
// proving the pinned TypeScript and ts-node can run it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { it } from "node:test";
import { projectRoot } from "../harness/paths";

const script = `
const tsutils = require("@pulumi/pulumi/tsutils");
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
const compilerOptions = tsutils.loadTypeScriptCompilerOptions("tsconfig.json");
// As @pulumi/pulumi/cmd/run/run.js does for TypeScript >= 4.7 in a CommonJS project.
require(tsnodeRequire).register({
    compiler: typescriptRequire, project: "tsconfig.json", skipProject: false,
    compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...compilerOptions },
});
const harness = require(${JSON.stringify(path.join(__dirname, "..", "harness", "mocks.js"))});
harness.loadStackConfig("Pulumi.dev.yaml");
harness.installMocks()
    .then(() => harness.value(require("./index.ts").tracesEndpoint))
    .then((endpoint) => console.log(JSON.stringify({ endpoint, typescript: require(typescriptRequire).version, tsnode: require(tsnodeRequire).VERSION })));
`;

it("loads index.ts with the project's TypeScript through Pulumi's ts-node setup", () => {
    const out = execFileSync(process.execPath, ["-e", script], { cwd: projectRoot, encoding: "utf8", timeout: 120_000 });
    const result = JSON.parse(out.trim().split("\n").pop() ?? "{}") as { endpoint: string; typescript: string; tsnode: string };
    assert.match(result.endpoint, /^https:\/\/.+\/v1\/traces$/);
    assert.match(result.typescript, /^5\.9\./, "the pinned TypeScript, not Pulumi's vendored 3.8.3");
    assert.match(result.tsnode, /^10\./);
});
