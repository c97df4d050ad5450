// A first `pulumi preview`: the generated token does not exist yet. The config must
// still be a known value on the function, because the policy pack reads it there.
import assert from "node:assert/strict";
import * as path from "node:path";
import { before, it } from "node:test";
import { installMocks, loadStackConfig, only, projectRoot, secretInput, settle } from "../harness/mocks";
import { defaultCollectorConfig } from "../../components/shared/config-sources/default-config";

before(async () => {
    loadStackConfig(path.join(projectRoot, "Pulumi.dev.yaml"));
    await installMocks({ preview: true, unknownToken: true });
    await import("../../index");
    await settle();
});

it("keeps the collector config known while the token is unknown", async () => {
    const fn = only("aws:lambda/function:Function").inputs;
    // The environment is secret (the tokens are), known or not; the pack unwraps it.
    const environment = secretInput(fn.environment);
    assert.equal(environment.secret, true);
    const variables = (environment.value as { variables?: Record<string, unknown> }).variables ?? {};
    assert.equal(variables.COLLECTOR_CONFIG, defaultCollectorConfig());
    // The mock engine passes an unknown input through as its Unknown marker.
    assert.deepEqual({ ...(variables.COLLECTOR_INGEST_TOKENS as object) }, { __pulumiUnknown: true });
});
