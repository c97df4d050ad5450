// End to end, offline: the real stack program with Pulumi.dev.yaml, every resource it
// registers passed through the whole policy pack.
import assert from "node:assert/strict";
import * as path from "node:path";
import { before, it } from "node:test";
import { installMocks, loadStackConfig, projectRoot, resources, secretInput, settle, value } from "../harness/mocks";
import { runPack } from "../harness/pack";

before(async () => {
    loadStackConfig(path.join(projectRoot, "Pulumi.dev.yaml"));
    await installMocks();
    const program = await import("../../index");
    await value(program.url);
    await settle();
});

it("passes the dev stack with no violation, mandatory or advisory", () => {
    assert.ok(resources.some((r) => r.type === "aws:lambda/function:Function"));
    assert.deepEqual(runPack(resources), []);
});

it("joins the program's own resources: a wrong platform or an open receiver is caught", () => {
    const changed = resources.map((r) => {
        if (r.type === "docker-build:index:Image") {
            return { ...r, inputs: { ...r.inputs, platforms: ["linux/amd64"] } };
        }
        if (r.type === "aws:lambda/function:Function" && r.inputs.packageType === "Image") {
            const env = secretInput(r.inputs.environment).value as { variables: Record<string, string> };
            const open = env.variables.COLLECTOR_CONFIG.replace(/\n {8}auth:\n {10}authenticator: bearertokenauth\/ingest/, "");
            return { ...r, inputs: { ...r.inputs, environment: { variables: { ...env.variables, COLLECTOR_CONFIG: open } } } };
        }
        return r;
    });
    assert.deepEqual(runPack(changed).map((v) => v.policy).sort(), ["lambda-image-single-manifest", "unauthenticated-receiver"]);
});
