// The distribution catalogue: its version moves with the component's default
// collectorVersion, and it holds the facts the rules read, each with a source.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULTS } from "../../components/lambda/args";
import {
    CATALOGUE_VERSION,
    catalogueEntry,
    COMPONENT_KINDS,
    componentsOf,
    exporterEntry,
    OTHER_DISTRIBUTION_TYPES,
    PROVIDER_SCHEMES,
    REMOVED_TYPES,
    statefulEntry,
} from "../../rules/catalogue";
import { canonicalType, queueFactOf } from "../../rules/exporter-queues";

describe("distribution catalogue", () => {
    it("describes the collector version the component deploys by default", () => {
        assert.equal(CATALOGUE_VERSION, DEFAULTS.collectorVersion);
    });

    it("lists every component of the manifest by kind, each with a source", () => {
        assert.deepEqual(COMPONENT_KINDS.map((k) => componentsOf(k).length), [107, 29, 49, 39, 13]);
        for (const kind of COMPONENT_KINDS) {
            for (const entry of componentsOf(kind)) {
                assert.ok(entry.source.length > 0 && entry.manifestLine > 0, `${kind} ${entry.type}`);
            }
        }
        assert.deepEqual([...PROVIDER_SCHEMES].sort(), ["aes", "env", "file", "googlesecretmanager", "http", "https", "s3", "secretsmanager", "yaml"]);
    });

    it("accepts renamed types under both names and knows logging was removed", () => {
        assert.equal(catalogueEntry("exporter", "otlphttp"), catalogueEntry("exporter", "otlp_http"));
        assert.equal(canonicalType("otlp"), "otlp_grpc");
        assert.equal(catalogueEntry("exporter", "logging"), undefined);
        assert.deepEqual(REMOVED_TYPES.find((r) => r.type === "logging"), { ...REMOVED_TYPES.find((r) => r.type === "logging"), kind: "exporter", removedIn: "v0.111.0", replacement: "debug" });
        assert.equal(catalogueEntry("processor", "decouple"), undefined);
        assert.equal(OTHER_DISTRIBUTION_TYPES.find((o) => o.type === "decouple")?.distribution, "opentelemetry-lambda collector layer");
    });

    it("carries the Lambda facts the rules read, marking assumptions", () => {
        assert.equal(exporterEntry("debug")?.queue.default, "off");
        assert.equal(exporterEntry("otlp_http")?.queue.assumption, false);
        assert.equal(exporterEntry("zipkin")?.queue.assumption, true);
        assert.deepEqual(queueFactOf("prometheusremotewrite"), { kind: "queue", key: "remote_write_queue", onByDefault: true, known: true, assumption: false });
        assert.deepEqual(queueFactOf("logging"), { kind: "none" });
        assert.equal(statefulEntry("processor", "tail_sampling")?.holdsData, true);
        assert.equal(statefulEntry("processor", "cumulativetodelta")?.keepsState, true);
        assert.equal(statefulEntry("connector", "servicegraph")?.holdsData, true);
        assert.equal(statefulEntry("processor", "attributes")?.assumption, true);
    });
});
