// The catalogue is data with a source: every component and provider it lists is a
// gomod line of the newest otelcol-contrib manifest readable here (the verbatim copy in
// test/fixtures/upstream, see test/harness/upstream-manifest.ts), moved to the pinned
// release, at the line it cites; and the manifest has nothing the catalogue lacks. The lean distribution is a subset of it, by type and by module.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { it } from "node:test";
import { parse } from "yaml";
import { readLambdaDistribution } from "../../components/lambda/distribution";
import { CATALOGUE_VERSION } from "../../rules/catalogue";
import { projectRoot } from "../harness/paths";
import { atRelease, readableManifestText } from "../harness/upstream-manifest";

interface Entry { type?: string; scheme?: string; aliases?: string[]; module: string; manifestLine: number }
const catalogue = JSON.parse(fs.readFileSync(path.join(projectRoot, "rules", "catalogue", `otelcol-contrib-${CATALOGUE_VERSION}.json`), "utf8")) as {
    components: Record<string, Entry[]>;
    providers: Entry[];
};
const manifestText = readableManifestText;
const manifest = parse(manifestText) as Record<string, { gomod: string }[]>;
const moved = (gomod: string): string => atRelease(gomod, CATALOGUE_VERSION);
/** The copy's comment header shifts the upstream line numbers the catalogue cites. */
const header = manifestText.split("\n").findIndex((line) => !line.startsWith("#"));
const lines = manifestText.split("\n");

const SECTION_OF_KIND: Record<string, string> = {
    receiver: "receivers", processor: "processors", exporter: "exporters", extension: "extensions", connector: "connectors",
};

it("lists exactly the manifest's modules, by kind, at the lines it cites", () => {
    for (const [kind, entries] of Object.entries(catalogue.components)) {
        const section = SECTION_OF_KIND[kind];
        assert.ok(section, `kind ${kind}`);
        assert.deepEqual(entries.map((e) => e.module).sort(), manifest[section].map((m) => moved(m.gomod)).sort(), `${section} of the manifest`);
        for (const entry of entries) {
            assert.equal(moved(lines[entry.manifestLine - 1 + header].trim().replace(/^- gomod: /, "")), entry.module, `${entry.type} cites manifest line ${entry.manifestLine}`);
        }
    }
    assert.deepEqual(catalogue.providers.map((p) => p.module).sort(), manifest.providers.map((m) => moved(m.gomod)).sort());
});

it("holds every type of the lean distribution, as the same kind and module", () => {
    const lean = readLambdaDistribution();
    for (const [section, modules] of Object.entries(lean.modules)) {
        for (const module of modules) {
            if (section === "providers") {
                assert.ok(catalogue.providers.some((p) => p.module === module.gomod), `${module.gomod} is a contrib provider`);
                continue;
            }
            const kind = Object.keys(SECTION_OF_KIND).find((k) => SECTION_OF_KIND[k] === section) as string;
            const entry = catalogue.components[kind].find((e) => e.module === module.gomod);
            assert.ok(entry, `${module.gomod} is a contrib ${kind}`);
            for (const type of module.types) {
                assert.ok(type === entry.type || (entry.aliases ?? []).includes(type), `${type} names ${entry.type}`);
            }
        }
    }
});
