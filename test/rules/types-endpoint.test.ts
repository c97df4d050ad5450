// Types and units as the collector decodes them, and the one receiver-endpoint rule.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkCollectorConfigText } from "../../rules/check";
import { endpointProblem } from "../../rules/startup-rules";

const findings = (text: string, rules: string[]) => checkCollectorConfigText(text, { adapterPort: 4318, functionTimeoutSeconds: 30 })
    .filter((f) => rules.includes(f.rule)).map((f) => `${f.rule} ${f.path}@${f.line}`);

describe("endpoint the adapter reaches on 127.0.0.1:AWS_LWA_PORT", () => {
    it("accepts exactly the reachable forms", () => {
        for (const ok of [undefined, null, "localhost:4318", "127.0.0.1:4318", "0.0.0.0:4318", ":4318", "[::]:4318"]) {
            assert.equal(endpointProblem(ok, 4318), undefined, String(ok));
        }
        for (const bad of ["0.0.0.0", 4318, "http://0.0.0.0:4318", "0.0.0.0:4318/", "[::1]:4318", "10.1.2.3:4318", "0.0.0.0:4319", "localhost:http", "", "[::]"]) {
            assert.ok(endpointProblem(bad, 4318), String(bad));
        }
        assert.ok(endpointProblem(undefined, 8080), "the default port is 4318");
    });

    it("reports the endpoint at its line", () => {
        const text = "receivers:\n  otlp:\n    protocols:\n      http:\n        endpoint: \"[::1]:4318\"\nexporters:\n  debug: {sending_queue: {enabled: false}}\nservice:\n  pipelines:\n    traces: {receivers: [otlp], exporters: [debug]}\n";
        assert.deepEqual(findings(text, ["adapter-port"]), ["adapter-port receivers.otlp.protocols.http.endpoint@5"]);
    });
});

describe("types and units", () => {
    const exporter = (body: string) => `receivers:\n  otlp:\n    protocols:\n      http:\nexporters:\n  otlphttp:\n    endpoint: https://x\n${body}\nservice:\n  pipelines:\n    traces: {receivers: [otlp], exporters: [otlphttp]}\n`;

    it("reads a bare integer duration as nanoseconds", () => {
        assert.deepEqual(findings(exporter("    sending_queue: {enabled: false}\n    retry_on_failure:\n      max_elapsed_time: 900"), ["duration-unit", "retry-exceeds-timeout", "config-value-type"]),
            // 900 ns is also shorter than the default initial_interval, which the collector
            // refuses; and otlphttp's 30 s request timeout still fills a 30 s function.
            ["config-value-type exporters.otlphttp.retry_on_failure.max_elapsed_time@10", "duration-unit exporters.otlphttp.retry_on_failure.max_elapsed_time@10", "retry-exceeds-timeout exporters.otlphttp.retry_on_failure@9"]);
        assert.deepEqual(findings(exporter("    sending_queue: {enabled: false}\n    retry_on_failure:\n      max_elapsed_time: \"900\""), ["config-value-type"]),
            ["config-value-type exporters.otlphttp.retry_on_failure.max_elapsed_time@10"]);
    });

    it("takes only YAML 1.2 booleans", () => {
        for (const bad of ["yes", "on", "\"false\"", "0"]) {
            const got = findings(exporter(`    sending_queue:\n      enabled: ${bad}`), ["config-value-type", "no-queued-exporter"]);
            assert.deepEqual(got, ["config-value-type exporters.otlphttp.sending_queue.enabled@9", "no-queued-exporter exporters.otlphttp.sending_queue@8"], bad);
        }
        for (const good of ["false", "False", "FALSE"]) {
            assert.deepEqual(findings(exporter(`    sending_queue:\n      enabled: ${good}`), ["config-value-type", "no-queued-exporter"]), [], good);
        }
    });
});

describe("YAML as the collector reads it", () => {
    it("keeps yes/on strings even under a %YAML 1.1 directive", () => {
        const text = "%YAML 1.1\n---\nreceivers:\n  otlp:\n    protocols:\n      http:\nexporters:\n  debug:\n    sending_queue: {enabled: no}\nservice:\n  pipelines:\n    traces: {receivers: [otlp], exporters: [debug]}\n";
        assert.deepEqual(findings(text, ["config-value-type", "no-queued-exporter"]), ["config-value-type exporters.debug.sending_queue.enabled@9", "no-queued-exporter exporters.debug.sending_queue@9"]);
    });
});
