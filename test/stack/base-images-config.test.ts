// The stack keys `baseImages` (set with `pulumi config set --path baseImages.collector ...`)
// and `distribution` reach the component; a wrong value fails with one line naming the stack key.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { installMocks } from "../harness/mocks";
import { resolveArgs } from "../../components/lambda/validate";

const project = "otel-lambda-collector";
let stack: typeof import("../../stack-config");

before(async () => {
    await installMocks();
    stack = await import("../../stack-config");
});

function configured(values: Record<string, string>): void {
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(values).map(([k, v]) => [`${project}:${k}`, v])));
}

function stackError(values: Record<string, string>): string {
    configured(values);
    try {
        // As index.ts does: the stack's args through the component's own checks.
        stack.withStackKeys(project, () => resolveArgs("collector", stack.readStackConfig()));
    } catch (err) {
        assert.ok(pulumi.RunError.isInstance(err), String(err));
        return (err as Error).message;
    }
    assert.fail("expected an error");
}

describe("stack key baseImages", () => {
    it("passes the references to the component as given", () => {
        configured({ baseImages: JSON.stringify({ collector: "mirror.example.com/otel/contrib", alpine: "mirror.example.com/library/alpine:3.22" }) });
        assert.deepEqual(stack.readStackConfig().baseImages, { collector: "mirror.example.com/otel/contrib", alpine: "mirror.example.com/library/alpine:3.22" });
    });

    it("is optional", () => {
        configured({});
        assert.equal(stack.readStackConfig().baseImages, undefined);
    });

    const cases: [string, string, string][] = [
        ["a base image the Dockerfile does not have", JSON.stringify({ golang: "golang:1.26" }),
            `${project}:baseImages.golang: is not a base image of the collector image; use collector, alpine, adapter, builder`],
        ["a reference that is not a string", JSON.stringify({ collector: 42 }),
            `${project}:baseImages.collector: must be an image reference string, not 42`],
        ["a plain string instead of an object", JSON.stringify("ghcr.io/x"),
            `${project}:baseImages: "ghcr.io/x" is not an object; set it with pulumi config set --path baseImages.collector <image reference>`],
        ["a value that is not JSON", "ghcr.io/x",
            `${project}:baseImages: "ghcr.io/x" is not valid JSON; set it with pulumi config set --path baseImages.collector <image reference>`],
    ];
    for (const [name, raw, expected] of cases) {
        it(`rejects ${name}`, () => {
            assert.equal(stackError({ baseImages: raw }), expected);
        });
    }
});

describe("stack key distribution", () => {
    it("passes lambda to the component", () => {
        configured({ distribution: "lambda" });
        assert.equal(stack.readStackConfig().distribution, "lambda");
    });

    it("is optional (the component then builds contrib)", () => {
        configured({});
        assert.equal(stack.readStackConfig().distribution, undefined);
    });

    it("rejects a distribution that does not exist, naming the stack key", () => {
        assert.equal(stackError({ distribution: "core" }),
            `${project}:distribution: "core" is not a collector distribution; use "contrib" or "lambda" (see docs/lean-distribution.md)`);
    });
});
