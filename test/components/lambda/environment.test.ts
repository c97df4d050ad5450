// A size error found only once secret values are known reaches the user as the same
// one line as at preview: the SDK's serializer prefixes `error serializing property`
// to errors thrown in an input, and that must not change this one. Run in a child
// process, because the rejection is, by design, unhandled (the Pulumi runtime
// reports it), which node:test would count against the test.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { it } from "node:test";
import { projectRoot } from "../../harness/mocks";

const SCRIPT = `
const pulumi = require(${JSON.stringify(path.join(projectRoot, "node_modules", "@pulumi", "pulumi"))});
const { functionEnvironment } = require(${JSON.stringify(path.join(projectRoot, "dist", "components", "lambda", "environment"))});
const unhandled = [];
process.on("unhandledRejection", (e) => unhandled.push(e));
(async () => {
    await pulumi.runtime.setMocks({ newResource: (a) => ({ id: "x", state: a.inputs }), call: () => ({}) }, "p", "s", false);
    const variables = functionEnvironment({ BIG: pulumi.secret("x".repeat(5000)), T: pulumi.secret("t") }, "T");
    let caught;
    try { await pulumi.runtime.serializeProperties("fn", { environment: { variables } }); } catch (e) { caught = e; }
    await new Promise((r) => setTimeout(r, 100));
    console.log(JSON.stringify({
        runError: pulumi.RunError.isInstance(caught),
        message: caught && caught.message,
        oneError: unhandled.every((e) => e === caught),
    }));
})();
`;

it("reports an environment over 4 KB, known only at deployment, as one clean line", () => {
    const result = JSON.parse(execFileSync(process.execPath, ["-e", SCRIPT], { encoding: "utf8" }).trim().split("\n").pop() as string) as {
        runError: boolean; message: string; oneError: boolean;
    };
    assert.equal(result.runError, true, "a RunError: printed without a stack trace");
    assert.equal(result.message, "environment: 5018 bytes is over Lambda's 4096-byte limit for all variables together (922 too many); taking the space: BIG 5008 bytes, T 7 bytes; to fit, shorten the values");
    assert.equal(result.oneError, true, "every awaiter sees the same error, which the runtime reports once");
});
