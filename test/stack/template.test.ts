// `pulumi new <repo>` reads the template section of Pulumi.yaml: every value it asks
// for must be a key the stack program reads, with a default the program accepts.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { installMocks, projectRoot } from "../harness/mocks";

interface Template {
    displayName: string;
    description: string;
    config: Record<string, { description: string; default?: unknown }>;
}
let template: Template;
let stack: typeof import("../../stack-config");

before(async () => {
    template = (parse(fs.readFileSync(path.join(projectRoot, "Pulumi.yaml"), "utf8")) as { template: Template }).template;
    await installMocks();
    stack = await import("../../stack-config");
});

it("describes the template and every value it asks for", () => {
    assert.ok(template.displayName.length > 10);
    assert.ok(template.description.length > 20);
    for (const [key, value] of Object.entries(template.config)) {
        assert.ok(value.description.length > 10, key);
    }
});

it("asks only for keys the stack program reads, and their defaults pass its checks", () => {
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(template.config)) {
        if (key.includes(":")) {
            assert.equal(key, "aws:region", "only the provider's region is namespaced");
        } else {
            assert.ok(stack.STACK_CONFIG_KEYS.has(key), `${key} is a setting of the stack`);
        }
        config[key.includes(":") ? key : `otel-lambda-collector:${key}`] = String(value.default);
    }
    pulumi.runtime.setAllConfig(config);
    const args = stack.readStackConfig(projectRoot);
    assert.equal(args.memorySize, 512);
    assert.equal(args.timeout, 30);
});
