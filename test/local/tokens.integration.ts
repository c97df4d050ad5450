// Named producers on the real collector: each producer's token is accepted, and a
// producer taken out of the list (a revoked token: the function restarts with the new
// COLLECTOR_INGEST_TOKENS, as a deploy does) is refused with 401 while the others
// still pass.
import assert from "node:assert/strict";
import { it } from "node:test";
import { defaultCollectorConfig } from "../../components/shared/config-sources/default-config";
import { ENCODED_TOKEN, PLAIN_TOKEN, postSpan, withTestFunction } from "../harness/local-function";

const SECOND = "second-producer-token_0123456789abcdefghij";

it("accepts each named producer's token, and refuses one revoked by a redeploy", async () => {
    const producers = [{ name: "default", token: PLAIN_TOKEN }, { name: "mobile", token: ENCODED_TOKEN }, { name: "batch-jobs", token: SECOND }];
    await withTestFunction({ config: defaultCollectorConfig(), producers }, async (fn) => {
        assert.deepEqual(Object.keys(fn.producerEnvironments), ["default", "mobile", "batch-jobs"]);
        for (const { name, token } of producers) assert.equal((await postSpan(fn.url, token)).status, 200, name);
    });
    // "mobile" removed from producers: its token is revoked.
    await withTestFunction({ config: defaultCollectorConfig(), producers: producers.filter((p) => p.name !== "mobile") }, async (fn) => {
        assert.equal((await postSpan(fn.url, ENCODED_TOKEN)).status, 401, "the revoked token");
        assert.equal((await postSpan(fn.url, PLAIN_TOKEN)).status, 200);
        assert.equal((await postSpan(fn.url, SECOND)).status, 200);
    });
});
