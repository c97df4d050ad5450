// Several config files as the collector merges them (`--config a.yaml --config
// b.yaml`): retrieved in order and merged raw, before any expansion, with koanf's
// maps.Merge (knadh/koanf maps/maps.go @maps/v0.1.2 l.114-137, called from
// confmap/internal/conf.go @v0.151.0 l.102-108): map + map merges deeply; anything
// else, lists included, is replaced by the later value.
import { buildConfig, isRecord, type CollectorConfig } from "./config-model";

export interface NamedConfig {
    readonly file: string;
    readonly config: CollectorConfig;
}

/** koanf maps.Merge: `later` over `earlier`, maps deep-merged, everything else replaced. */
export function mergeMaps(earlier: Readonly<Record<string, unknown>>, later: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...earlier };
    for (const [key, value] of Object.entries(later)) {
        const before = out[key];
        out[key] = isRecord(value) && isRecord(before) ? mergeMaps(before, value) : value;
    }
    return out;
}

/** Leading segments of `path` that exist in `root`. */
function depthIn(root: unknown, path: readonly string[]): number {
    let node = root;
    let depth = 0;
    for (const segment of path) {
        if (Array.isArray(node) && /^\d+$/.test(segment) && Number(segment) < node.length) {
            node = node[Number(segment)];
        } else if (isRecord(node) && Object.prototype.hasOwnProperty.call(node, segment)) {
            node = node[segment];
        } else {
            break;
        }
        depth++;
    }
    return depth;
}

/** One config from several files; a finding's line and file are those of the file that set the value last. */
export function mergeConfigs(configs: readonly NamedConfig[]): CollectorConfig {
    const root = configs.reduce<Record<string, unknown>>((merged, { config }) => mergeMaps(merged, config.raw), {});
    const owner = (path: readonly string[]): NamedConfig => {
        let best = configs[configs.length - 1];
        let bestDepth = -1;
        for (const candidate of configs) {
            const depth = depthIn(candidate.config.raw, path);
            if (depth >= bestDepth) {
                best = candidate;
                bestDepth = depth;
            }
        }
        return best;
    };
    return buildConfig(root, root, false, (path) => owner(path).config.lineOf(path), (path) => owner(path).file);
}
