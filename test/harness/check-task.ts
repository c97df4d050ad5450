// The task the deploy runner receives for a collector's pre-traffic check: the input of
// the `<name>-check` Invocation, which is secret because it carries the tokens.
import assert from "node:assert/strict";
import type { CheckTask } from "../../components/lambda/deploy-runner-code";
import { secretInput, type RecordedResource } from "./mocks";

/** The check task registered for collector `name`, whether its input was secret, and the Invocation. */
export function taskOf(resources: readonly RecordedResource[], name: string): { task: CheckTask; secret: boolean; check: RecordedResource } {
    const check = resources.find((r) => r.type === "aws:lambda/invocation:Invocation" && r.name === `${name}-check`);
    assert.ok(check, `${name}-check registered`);
    const input = secretInput(check.inputs.input);
    return { task: JSON.parse(String(input.value)) as CheckTask, secret: input.secret, check };
}
