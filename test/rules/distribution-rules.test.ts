// component-not-in-distribution as a pure function: a custom build's component list
// arrives in the DeploymentContext; without one (contrib) the rule does not run.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkCollectorConfigText } from "../../rules/check";
import type { DistributionComponents } from "../../rules/deployment-context";

const SMALL: DistributionComponents = {
    name: "tiny",
    receivers: new Set(["otlp"]),
    processors: new Set(["attributes"]),
    exporters: new Set(["otlp_http", "otlphttp", "debug"]),
    extensions: new Set(["bearertokenauth"]),
    connectors: new Set(["forward"]),
    providers: new Set(["env"]),
    howToAdd: "add its module to the manifest",
};

const CONFIG = `receivers:
  otlp:
    protocols:
      http:
        endpoint: 0.0.0.0:4318
processors:
  attributes/a: {actions: []}
  transform: {}
exporters:
  otlphttp/b:
    endpoint: \${env:ENDPOINT}
  otlp_http:
    endpoint: https://x.example.com
  file:
    path: \${file:/tmp/p}
connectors:
  forward/x: {}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [attributes/a]
      exporters: [otlphttp/b]
`;

const found = (distributionComponents?: DistributionComponents) =>
    checkCollectorConfigText(CONFIG, { distributionComponents }).filter((f) => f.rule === "component-not-in-distribution");

describe("component-not-in-distribution", () => {
    it("does not run without a distribution's list (contrib)", () => {
        assert.deepEqual(found(undefined), []);
    });

    it("reports each defined component whose type the build lacks, used or not, with its line and the fix", () => {
        const findings = found(SMALL);
        assert.deepEqual(findings.map((f) => [f.path, f.line, f.severity]), [
            ["processors.transform", 8, "mandatory"],
            ["exporters.file", 14, "mandatory"],
            ["exporters.file.path", 15, "mandatory"],
        ]);
        assert.equal(findings[0].message, `processor type "transform" is not in the tiny distribution, so the collector would refuse to start ("unknown type"); it has attributes`);
        assert.equal(findings[0].hint, "set distribution to contrib, or add the processor's module to the manifest");
        assert.match(findings[2].message, /^references \$\{file:\.\.\.\}, but the tiny distribution has no "file" config provider/);
        assert.equal(findings[2].hint, "set distribution to contrib, or add the provider's module to the manifest");
    });

    it("accepts a type by any of its names (otlphttp and otlp_http) and ids with a name after the slash", () => {
        const paths = found(SMALL).map((f) => f.path);
        for (const ok of ["exporters.otlphttp/b", "exporters.otlp_http", "processors.attributes/a", "connectors.forward/x", "receivers.otlp"]) {
            assert.ok(!paths.includes(ok), ok);
        }
    });

    it("leaves ${NAME}, ${env:NAME}, escaped $${file:x} and ${NAME:-x} to the other rules", () => {
        const text = CONFIG.replace("path: ${file:/tmp/p}", () => "path: $${file:x}/${PATH_X}/${NAME:-x}");
        const paths = checkCollectorConfigText(text, { distributionComponents: SMALL })
            .filter((f) => f.rule === "component-not-in-distribution").map((f) => f.path);
        assert.deepEqual(paths, ["processors.transform", "exporters.file"]);
    });
});
