// The Fargate stack keys' own checks, read as `pulumi up` reads them.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { installMocks } from "../harness/mocks";

type StackRuntime = typeof import("../../stack-runtime");
let stack: StackRuntime;

before(async () => {
    await installMocks();
    stack = await import("../../stack-runtime");
});

function fargateError(values: Record<string, string>): string {
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(values).map(([k, v]) => [k.includes(":") ? k : `otel-lambda-collector:${k}`, v])));
    try {
        stack.readFargateStackConfig();
    } catch (err) {
        assert.ok(pulumi.RunError.isInstance(err), String(err));
        return (err as Error).message;
    }
    return assert.fail("expected an error");
}

describe("Fargate stack keys", () => {
    it("refuses a certificate of another region than the stack's, naming the key", () => {
        const arn = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
        assert.equal(fargateError({ "aws:region": "us-west-2", runtime: "fargate", domainName: "otel.example.com", certificateArn: arn }),
            `otel-lambda-collector:certificateArn: "${arn}" is a certificate in us-east-1, but the stack deploys to us-west-2 (aws:region), and API Gateway takes a certificate of its own region; request or import the certificate in us-west-2`);
    });
});
