// The freeze, proven on the real collector: Lambda stops the execution environment
// once the response is written, and the local run stops (SIGSTOP) the collector and
// the adapter there too. A config that hands the span to the backend inside the
// request (the project's presets) has delivered it when the response returns; a config
// that answers first and exports later (an exporter batch, an exporter queue holding a
// retry) has not, and nothing moves while the function is frozen. The same config
// without the freeze delivers, which is why such configs pass every test off Lambda.
// The lint refuses both (rules batch-in-pipeline / no-queued-exporter); the lean build
// has no batch processor, so the batch here is the exporter's own (sending_queue.batch,
// exporterhelper v0.161.0 internal/queuebatch/config.go).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { describe, it } from "node:test";
import { otlpHttpBackend } from "../../components/shared/config-sources/backends";
import { checkCollectorConfigText } from "../../rules";
import { startReceiver } from "../harness/otlp-receiver";
import { PLAIN_TOKEN, postSpan, withTestFunction } from "../harness/local-function";

const PRODUCERS = [{ name: "default", token: PLAIN_TOKEN }];
/** Long enough for a held span to have left a process that was running (flush 1 s, retry 0.5 s). */
const HOLD_MS = 2500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The project's otlphttp preset with its exporter's settings replaced by `settings` (YAML lines, indented 4). */
function presetWith(endpoint: string, settings: string): string {
    const config = otlpHttpBackend({ endpoint }).collectorConfig;
    const edited = config.replace(/(  otlphttp\/backend:\n    endpoint: .*\n)[\s\S]*?(\n\nservice:)/, (_m, head: string, tail: string) => `${head}${settings}${tail}`);
    assert.notEqual(edited, config);
    return edited;
}

const BATCHING = "    sending_queue:\n      enabled: true\n      batch:\n        flush_timeout: 1s\n        min_size: 100000";
const QUEUE_WITH_RETRY = "    sending_queue:\n      enabled: true\n    retry_on_failure:\n      enabled: true\n      initial_interval: 500ms\n      max_interval: 500ms\n      max_elapsed_time: 60s";

async function eventually(predicate: () => boolean): Promise<boolean> {
    for (let i = 0; i < 150 && !predicate(); i++) await sleep(20);
    return predicate();
}

describe("the freeze", () => {
    it("the project's preset has delivered every span when the response returns, frozen or not", async () => {
        const receiver = await startReceiver({ token: "", expectHeader: { name: "content-type", value: "application/x-protobuf" } });
        try {
            await withTestFunction({ config: otlpHttpBackend({ endpoint: receiver.url }).collectorConfig, producers: PRODUCERS, freeze: true }, async (fn) => {
                for (let i = 0; i < 5; i++) {
                    const sent = await postSpan(fn.url, PLAIN_TOKEN, `frozen ${i}`);
                    assert.equal(sent.status, 200);
                    assert.ok(receiver.spans.some((s) => s.traceId === sent.traceId), `span ${i} delivered before the response`);
                }
                const { collector, adapter } = fn.processes();
                assert.ok(collector && adapter);
                // SIGSTOP takes effect asynchronously (the kernel stops the process at its next wake-up).
                assert.ok(await eventually(() => readState(collector.pid) === "T" && readState(adapter.pid) === "T"), "the collector and the adapter are stopped between requests");
            });
        } finally {
            await receiver.close();
        }
    });

    for (const { name, settings, rule, backendDown } of [
        { name: "an exporter batch (sending_queue.batch)", settings: BATCHING, rule: "no-queued-exporter", backendDown: false },
        { name: "an exporter queue holding a retry (backend down, then back)", settings: QUEUE_WITH_RETRY, rule: "no-queued-exporter", backendDown: true },
    ]) {
        it(`${name}: acknowledged, then held while frozen; the same config unfrozen delivers`, async () => {
            for (const freeze of [true, false]) {
                const options: { token: string; expectHeader: { name: string; value: string }; status?: number } = {
                    token: "", expectHeader: { name: "content-type", value: "application/x-protobuf" }, status: backendDown ? 503 : undefined,
                };
                const receiver = await startReceiver(options);
                const config = presetWith(receiver.url, settings);
                assert.ok(checkCollectorConfigText(config).some((f) => f.rule === rule), `the lint flags it (${rule})`);
                try {
                    await withTestFunction({ config, producers: PRODUCERS, freeze }, async (fn) => {
                        const sent = await postSpan(fn.url, PLAIN_TOKEN, `held ${freeze}`);
                        assert.equal(sent.status, 200, "the producer is told the span was accepted");
                        assert.equal(receiver.spans.length, 0, "but it has not reached the backend");
                        if (backendDown) {
                            // The first attempt's 503, if it was made before the freeze; then the backend is back.
                            await eventually(() => receiver.requests.some((r) => r.outcome === 503));
                            options.status = undefined;
                        }
                        if (freeze) {
                            await sleep(HOLD_MS);
                            assert.equal(receiver.spans.length, 0, "nothing leaves a frozen collector: on Lambda the span waits for a next request, or is lost with the environment");
                        } else {
                            assert.ok(await eventually(() => receiver.spans.some((s) => s.traceId === sent.traceId)), "unfrozen, the same config delivers it later");
                        }
                    });
                } finally {
                    await receiver.close();
                }
            }
        });
    }
});

function readState(pid: number): string {
    return /^State:\s+(\w)/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? "?";
}
