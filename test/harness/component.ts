// Helpers the component's tests share: an edited default config, the one-line error
// resolveArgs gives for bad arguments, and the Image inputs a component builds.
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type { LambdaCollectorArgs } from "../../components/lambda/args";
import { defaultCollectorConfig } from "../../components/shared/config-sources/default-config";
import { resolveArgs } from "../../components/lambda/validate";
import { only, record, settle, value } from "./mocks";

/** The default config with `from` replaced by `to` (which must change it). */
export function editDefaultConfig(from: string | RegExp, to: string): string {
    const base = defaultCollectorConfig();
    // A function replacer, so `$$` or `$&` in `to` are taken literally.
    const edited = base.replace(from, () => to);
    assert.notEqual(edited, base, `edit ${String(from)} applies`);
    return edited;
}

/** The RunError message resolveArgs throws for `args` (fails the test if it does not throw one). */
export function argsError(args: LambdaCollectorArgs): string {
    try {
        resolveArgs("collector", args);
    } catch (err) {
        assert.ok(pulumi.RunError.isInstance(err), `a RunError (printed without a stack trace), got ${String(err)}`);
        return (err as Error).message;
    }
    assert.fail("expected an error");
}

/** The Image inputs of a LambdaCollector built with `args` (call after installMocks). */
export async function imageInputsFor(name: string, args: LambdaCollectorArgs): Promise<Record<string, unknown>> {
    const { LambdaCollector } = await import("../../components/lambda/lambda-collector");
    const recorder = record();
    const collector = new LambdaCollector(name, args);
    await value(collector.url);
    await settle();
    return only("docker-build:index:Image", recorder.resources).inputs;
}
