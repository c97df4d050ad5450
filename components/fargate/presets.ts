// The project's ready-made configs (collector/config.yaml and the backend presets of
// components/shared/config-sources/backends.ts) are written for Lambda: a receiver on 127.0.0.1 for the
// adapter, no batch processor, every queue off, retries inside the function timeout.
// A long-running collector behind a load balancer wants the opposite, so the presets
// are converted here, explicitly, and never a caller's own config (which the rules
// judge instead: rules/fargate-rules.ts).
import { parseDocument, isMap, isSeq, visit, type Document } from "yaml";
import type { BackendConfig } from "../shared/config-sources/backends";
import { defaultCollectorConfig } from "../shared/config-sources/default-config";
import { CONTAINER_PORT, HEALTH_CHECK } from "../../rules/fargate-facts";

export interface FargatePresetOptions {
    /**
     * Keep each exporter's queue on the task's disk (a file_storage extension under
     * /var/lib/otelcol/queue) instead of in memory: a bigger buffer through a backend
     * outage, bounded by the task's ephemeral storage (20 GiB by default) instead of its
     * memory. It does not survive the task's replacement (a deployment, scale-in or a
     * crash stops the task and its disk goes with it). Default: false.
     */
    readonly persistentQueue?: boolean;
}

const QUEUE_STORAGE = "file_storage/queue";

/**
 * `config` (one of the project's presets) made for a long-running container: OTLP/HTTP
 * receivers on 0.0.0.0:4318, a health_check extension on 0.0.0.0:13133 in
 * service.extensions, a batch processor at the end of every pipeline, a sending queue
 * on every exporter, and the exporters' retry budget back at the collector's default
 * (the Lambda presets cut it to fit the function timeout).
 */
export function fargatePreset(config: string, options: FargatePresetOptions = {}): string {
    const doc = parseDocument(config);
    if (doc.errors.length > 0) {
        return config; // The config rules report the syntax error.
    }
    // The presets' comments explain Lambda's constraints, which no longer hold.
    visit(doc, {
        Node(_, node) {
            node.comment = undefined;
            node.commentBefore = undefined;
        },
    });
    doc.commentBefore = " Converted for a long-running collector on Fargate (components/fargate/presets.ts):\n receivers on 0.0.0.0, a health_check extension for the load balancer,\n a batch processor in every pipeline and a sending queue on every exporter.";
    doc.comment = null;
    const receivers = doc.get("receivers");
    if (isMap(receivers)) {
        for (const item of receivers.items) {
            const id = String((item.key as { value?: unknown })?.value ?? item.key);
            if (id.split("/")[0] === "otlp" && doc.hasIn(["receivers", id, "protocols", "http"])) {
                doc.setIn(["receivers", id, "protocols", "http", "endpoint"], `0.0.0.0:${CONTAINER_PORT}`);
            }
        }
    }
    doc.setIn(["extensions", "health_check"], doc.createNode({ endpoint: `0.0.0.0:${HEALTH_CHECK.port}` }));
    appendTo(doc, ["service", "extensions"], "health_check");
    if (options.persistentQueue) {
        doc.setIn(["extensions", QUEUE_STORAGE], doc.createNode({ directory: "/var/lib/otelcol/queue", create_directory: true }));
        appendTo(doc, ["service", "extensions"], QUEUE_STORAGE);
    }
    doc.setIn(["processors", "batch"], doc.createNode({}));
    const pipelines = doc.getIn(["service", "pipelines"]);
    if (isMap(pipelines)) {
        for (const item of pipelines.items) {
            const id = String((item.key as { value?: unknown })?.value ?? item.key);
            appendTo(doc, ["service", "pipelines", id, "processors"], "batch");
        }
    }
    const exporters = doc.get("exporters");
    if (isMap(exporters)) {
        for (const item of exporters.items) {
            const id = String((item.key as { value?: unknown })?.value ?? item.key);
            doc.setIn(["exporters", id, "sending_queue"], doc.createNode(options.persistentQueue ? { enabled: true, storage: QUEUE_STORAGE } : { enabled: true }));
            doc.deleteIn(["exporters", id, "retry_on_failure"]);
        }
    }
    return doc.toString({ lineWidth: 0 });
}

/** A backend preset (debugBackend, honeycombBackend, otlpHttpBackend) converted with {@link fargatePreset}; its environment is unchanged. */
export function fargateBackend(backend: BackendConfig, options: FargatePresetOptions = {}): BackendConfig {
    return { collectorConfig: fargatePreset(backend.collectorConfig, options), environment: backend.environment };
}

/** The default config (collector/config.yaml) converted for Fargate. */
export function defaultFargateConfig(): string {
    return fargatePreset(defaultCollectorConfig());
}

/** Appends `value` to the list at `path` (created when missing), once. */
function appendTo(doc: Document, path: string[], value: string): void {
    const list = doc.getIn(path);
    if (isSeq(list)) {
        if (!list.items.some((i) => (i as { value?: unknown })?.value === value || i === value)) list.add(value);
        return;
    }
    doc.setIn(path, doc.createNode([value], { flow: true }));
}
