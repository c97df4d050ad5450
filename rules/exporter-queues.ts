// Which collector exporters queue by default, read from the distribution catalogue
// (rules/catalogue/otelcol-contrib-0.151.0.json, each fact with its source or marked
// as an assumption). This is the single place the rules ask.
// A type the catalogue lacks is treated as queued unless its queue is explicitly
// disabled: most exporters are built on exporterhelper, whose sending_queue is
// enabled by default.
import { CATALOGUE_VERSION, catalogueEntry, exporterEntry, REMOVED_TYPES } from "./catalogue";
import runtime from "./catalogue/exporter-runtime.json";

/** The collector version the queue facts were checked against. */
export const QUEUE_FACTS_VERSION = `v${CATALOGUE_VERSION}`;

export type QueueFact =
    | { readonly kind: "none" }
    | { readonly kind: "queue"; readonly key: string; readonly onByDefault: boolean; readonly known: boolean; readonly assumption: boolean };

/** The canonical type of an exporter type name (`otlphttp` → `otlp_http`); the name itself when the catalogue lacks it. */
export function canonicalType(type: string): string {
    return catalogueEntry("exporter", type)?.type ?? type;
}

/**
 * The queue facts of an exporter type. A removed type (`logging`) has no queue to
 * report: the collector refuses it before any queue exists, and the
 * unknown-component-type rule says so.
 */
export function queueFactOf(type: string): QueueFact {
    const entry = exporterEntry(type);
    if (entry) {
        return entry.queue.default === "none"
            ? { kind: "none" }
            : { kind: "queue", key: entry.queue.key, onByDefault: entry.queue.default === "on", known: true, assumption: entry.queue.assumption };
    }
    if (REMOVED_TYPES.some((removed) => removed.kind === "exporter" && removed.type === type)) {
        return { kind: "none" };
    }
    return { kind: "queue", key: "sending_queue", onByDefault: true, known: false, assumption: true };
}

/** An exporter's per-attempt request timeout default, where it was read in source. */
export interface TimeoutFact {
    readonly key: string;
    readonly defaultSeconds: number;
    readonly source: string;
}

/** An exporter that hands data to its own agent or writer, which flushes on its own timer whatever sending_queue says. */
export interface OwnWriterFact {
    readonly signals: readonly string[];
    readonly what: string;
    readonly flushSeconds: number;
    readonly source: string;
    readonly assumption: boolean;
}

/** The request timeout default of a (canonical) exporter type; undefined when not read in its source. */
export function timeoutFactOf(type: string): TimeoutFact | undefined {
    return runtime.timeouts.find((t) => t.type === type);
}

/** The own-writer fact of a (canonical) exporter type, if it has one (rules/catalogue/exporter-runtime.json). */
export function ownWriterOf(type: string): OwnWriterFact | undefined {
    return runtime.ownWriters.find((w) => w.type === type);
}
