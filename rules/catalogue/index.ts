// The catalogue of the pinned collector distribution, as data with its source
// (otelcol-contrib-0.161.0.json beside this file): every component type by kind,
// the confmap providers, removed and renamed types, components of other
// distributions, and the per-component Lambda facts the rules read. Each fact names
// the file and version it was read from, or carries `assumption: true`.
import data from "./otelcol-contrib-0.161.0.json";

/** The otelcol-contrib version the catalogue describes; must equal DEFAULTS.collectorVersion (a test checks). */
export const CATALOGUE_VERSION: string = data._source.version;
/** Where the component list comes from: the distribution's manifest at the release tag. */
export const CATALOGUE_SOURCE: string = data._source.manifest;

export type ComponentKind = "receiver" | "processor" | "exporter" | "extension" | "connector";
export const COMPONENT_KINDS: readonly ComponentKind[] = ["receiver", "processor", "exporter", "extension", "connector"];

interface Base {
    /** The type a v0.151.0 config can certainly use. */
    readonly type: string;
    /** Older names the collector still accepts for this type (deprecated aliases). */
    readonly aliases: readonly string[];
    readonly module: string;
    readonly manifestLine: number;
    readonly source: string;
    /** Where the Lambda facts below were read, with version. */
    readonly factSource?: string;
    /** True when the facts were not read from the component's source. */
    readonly assumption?: boolean;
}

export interface ReceiverEntry extends Base {
    /** True: only receives pushed data on a listener. False: scrapes, polls, reads files or consumes. Null: produces nothing. */
    readonly push: boolean | null;
    readonly pushNote?: string;
}

export interface StatefulEntry extends Base {
    /** Keeps telemetry in memory and emits it later (lost or delayed by Lambda's freeze). */
    readonly holdsData: boolean;
    /** Keeps per-series or per-trace state that a cold start discards. */
    readonly keepsState: boolean;
    /** The setting(s) controlling how long data or state is held, with defaults. */
    readonly waitKey: string | null;
}

export interface ExporterEntry extends Base {
    readonly queue: {
        /** `on`/`off`: the queue's default when its key is absent; `none`: the exporter has no queue. */
        readonly default: "on" | "off" | "none";
        /** The key of the queue settings (`sending_queue`, or `remote_write_queue` for prometheusremotewrite). */
        readonly key: string;
        readonly detail: string;
        readonly assumption: boolean;
    };
}

export type CatalogueEntry = ReceiverEntry | StatefulEntry | ExporterEntry | Base;

export interface RemovedType {
    readonly kind: string;
    readonly type: string;
    readonly removedIn: string;
    readonly replacement: string | null;
    readonly source: string;
}

export interface OtherDistributionType {
    readonly kind: string;
    readonly type: string;
    readonly distribution: string;
    readonly note: string;
}

export interface PendingRename {
    readonly kind: string;
    readonly typeAt0151: string;
    readonly snakeCaseType: string;
    readonly note: string;
}

export interface Provider {
    readonly scheme: string;
    readonly module: string;
    readonly manifestLine: number;
}

const components = data.components as unknown as Readonly<Record<ComponentKind, readonly CatalogueEntry[]>>;

/** Every component of `kind`, in manifest order. */
export function componentsOf(kind: ComponentKind): readonly CatalogueEntry[] {
    return components[kind];
}

const BY_NAME: ReadonlyMap<string, CatalogueEntry> = new Map(
    COMPONENT_KINDS.flatMap((kind) => components[kind].flatMap((entry) => [entry.type, ...entry.aliases].map((name) => [`${kind}:${name}`, entry] as const))),
);

/** The catalogue entry of a type name (canonical or a deprecated alias) of `kind`; undefined when the distribution lacks it. */
export function catalogueEntry(kind: ComponentKind, type: string): CatalogueEntry | undefined {
    return BY_NAME.get(`${kind}:${type}`);
}

/** The exporter facts of a type, or undefined for a type the distribution lacks. */
export function exporterEntry(type: string): ExporterEntry | undefined {
    return catalogueEntry("exporter", type) as ExporterEntry | undefined;
}

/** The processor or connector facts of a type. */
export function statefulEntry(kind: "processor" | "connector", type: string): StatefulEntry | undefined {
    return catalogueEntry(kind, type) as StatefulEntry | undefined;
}

export function receiverEntry(type: string): ReceiverEntry | undefined {
    return catalogueEntry("receiver", type) as ReceiverEntry | undefined;
}

/** Every name (types and aliases) of `kind` the distribution accepts. */
export function namesOf(kind: ComponentKind): string[] {
    return components[kind].flatMap((entry) => [entry.type, ...entry.aliases]);
}

/** Types the distribution had and removed, with their replacement. */
export const REMOVED_TYPES: readonly RemovedType[] = data.removed;
/** Components of other distributions (the opentelemetry-lambda layer, ADOT), named in messages. */
export const OTHER_DISTRIBUTION_TYPES: readonly OtherDistributionType[] = data.otherDistributions;
/** Snake-case renames that may or may not exist at this version; the old name always works. */
export const PENDING_RENAMES: readonly PendingRename[] = data.pendingRenames;
/** The confmap providers (schemes) the distribution is built with. */
export const PROVIDERS: readonly Provider[] = data.providers;
export const PROVIDER_SCHEMES: ReadonlySet<string> = new Set(data.providers.map((p) => p.scheme));
