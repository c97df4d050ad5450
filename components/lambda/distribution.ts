// The `lambda` distribution: the component list in collector/lambda-distribution.yaml,
// read once. From it come the ocb manifest the image build compiles (a build arg, so
// the build context stays empty) and the component types the preview check allows.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse, stringify } from "yaml";
import type { DistributionComponents } from "../../rules/deployment-context";
import { collectorDirectory } from "../shared/config-sources/collector-directory";

/**
 * The collector builds the image can hold; see `LambdaCollectorArgs.distribution`.
 * `contrib`: the otelcol-contrib release binary. `lambda`: this project's ocb build.
 * A const object rather than a union, so the component schema gets an enum.
 */
export const Distribution = { Contrib: "contrib", Lambda: "lambda" } as const;
export type Distribution = (typeof Distribution)[keyof typeof Distribution];
/** Every value of {@link Distribution}. */
export const DISTRIBUTIONS: readonly Distribution[] = Object.values(Distribution);

/** The manifest sections that list Go modules, in ocb's names. */
export const MODULE_SECTIONS = ["receivers", "processors", "exporters", "extensions", "connectors", "providers"] as const;
export type ModuleSection = (typeof MODULE_SECTIONS)[number];

/** One module of the distribution. */
export interface DistributionModule {
    /** ocb's `gomod`: `<module path> <version>`, exactly as the contrib manifest writes it. */
    readonly gomod: string;
    /** Type names a config can use for it (canonical first, then deprecated aliases); URI schemes for providers. */
    readonly types: readonly string[];
}

/** collector/lambda-distribution.yaml, checked. */
export interface LambdaDistribution {
    /** ocb's `dist` section, passed through unchanged. */
    readonly dist: Readonly<Record<string, unknown>> & { readonly name: string; readonly version: string; readonly output_path: string };
    readonly modules: Readonly<Record<ModuleSection, readonly DistributionModule[]>>;
}

/** The data file's path: collector/lambda-distribution.yaml in the package. */
export function lambdaDistributionPath(): string {
    return path.join(collectorDirectory(), "lambda-distribution.yaml");
}

/**
 * Reads and checks a distribution file. Exported for tests.
 * @throws pulumi.RunError naming the file and the entry to fix.
 */
export function readLambdaDistribution(file: string = lambdaDistributionPath()): LambdaDistribution {
    const fail = (what: string): never => {
        throw new pulumi.RunError(`${file}: ${what}`);
    };
    let raw: unknown;
    try {
        raw = parse(fs.readFileSync(file, "utf8"), { uniqueKeys: true });
    } catch (err) {
        return fail(`is not valid YAML (${(err as Error).message.split("\n")[0]}); fix it`);
    }
    if (!isObject(raw) || !isObject(raw.dist)) {
        return fail("needs a `dist` section (ocb's name, version and output_path) and module lists; restore it from the package");
    }
    const dist = raw.dist;
    for (const key of ["name", "version", "output_path"]) {
        if (typeof dist[key] !== "string" || dist[key] === "") {
            fail(`dist.${key} must be a non-empty string`);
        }
    }
    if (dist.debug_compilation === true) {
        // ocb then drops `-s -w`, and the binary grows back by about a third (contrib PR #34698).
        fail("dist.debug_compilation: true keeps debug symbols in the binary, which Lambda loads at every cold start; remove it");
    }
    for (const key of Object.keys(raw)) {
        if (key !== "dist" && !(MODULE_SECTIONS as readonly string[]).includes(key)) {
            fail(`${key}: is not a section of this file; use dist, ${MODULE_SECTIONS.join(", ")}`);
        }
    }
    const modules = {} as Record<ModuleSection, DistributionModule[]>;
    for (const section of MODULE_SECTIONS) {
        const list = raw[section] ?? [];
        if (!Array.isArray(list)) {
            return fail(`${section}: must be a list of {gomod, types} entries`);
        }
        modules[section] = list.map((entry: unknown, i) => {
            const where = `${section}[${i}]`;
            if (!isObject(entry) || typeof entry.gomod !== "string" || !/^\S+ v\S+$/.test(entry.gomod)) {
                return fail(`${where}: needs gomod: "<module path> <version>", copied from the contrib manifest at the pinned release`);
            }
            const extra = Object.keys(entry).filter((k) => k !== "gomod" && k !== "types");
            if (extra.length > 0) {
                fail(`${where}.${extra[0]}: is not read; an entry has only gomod and types`);
            }
            if (!Array.isArray(entry.types) || entry.types.length === 0 || !entry.types.every((t) => typeof t === "string" && /^[a-z0-9_]+$/.test(t))) {
                return fail(`${where} (${entry.gomod}): needs types: [<type>, ...], the component type names a config uses for it (lower-case), e.g. [otlp]`);
            }
            return { gomod: entry.gomod, types: entry.types as string[] };
        });
    }
    return { dist: dist as LambdaDistribution["dist"], modules };
}

/**
 * The ocb manifest for `distribution`: its `dist` section and every module's `gomod`,
 * in file order. The text is deterministic, so the image inputs change exactly when
 * a module, a version or a dist setting changes (not on a comment edit).
 */
export function ocbManifest(distribution: LambdaDistribution): string {
    const manifest: Record<string, unknown> = { dist: distribution.dist };
    for (const section of MODULE_SECTIONS) {
        if (distribution.modules[section].length > 0) {
            manifest[section] = distribution.modules[section].map((m) => ({ gomod: m.gomod }));
        }
    }
    return stringify(manifest, { lineWidth: 0 });
}

/** The type names and provider schemes a config may use with `distribution`, for the preview check. */
export function distributionComponents(distribution: LambdaDistribution): DistributionComponents {
    const types = (section: ModuleSection) => new Set(distribution.modules[section].flatMap((m) => m.types));
    return {
        name: "lambda",
        receivers: types("receivers"),
        processors: types("processors"),
        exporters: types("exporters"),
        extensions: types("extensions"),
        connectors: types("connectors"),
        providers: types("providers"),
        howToAdd: `add its module to ${path.posix.join("collector", "lambda-distribution.yaml")} (its gomod line from the contrib manifest)`,
    };
}

/** The packaged distribution, read once when the component loads. */
export const LAMBDA_DISTRIBUTION = readLambdaDistribution();

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
