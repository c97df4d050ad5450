// The base-image versions live in one place, collector/Dockerfile's ARG defaults: the
// build uses them, the component reads them, and Renovate bumps them there. Every
// failure here names that file, because it is the one to edit.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { DEFAULTS } from "../../components/lambda/args";
import { BASE_IMAGE_NAMES, globalArgs, PINNED_IMAGES, pinnedImages } from "../../components/shared/image/collector-image";
import { projectRoot } from "../harness/paths";

const DOCKERFILE = "collector/Dockerfile";
const dockerfileText = fs.readFileSync(path.join(projectRoot, DOCKERFILE), "utf8");

interface RegexManager {
    customType: string;
    managerFilePatterns: string[];
    matchStrings: string[];
    datasourceTemplate?: string;
    depNameTemplate?: string;
}
const renovate = JSON.parse(fs.readFileSync(path.join(projectRoot, "renovate.json"), "utf8")) as {
    customManagers?: RegexManager[];
    packageRules?: { matchDepNames?: string[]; groupName?: string }[];
};

/** A managerFilePatterns entry: `/.../` is a regex (Renovate's rule); this config uses no globs. */
function filePattern(pattern: string): RegExp {
    const regex = /^\/(.*)\/([a-z]*)$/.exec(pattern);
    assert.ok(regex, `renovate.json: ${pattern} is written as a /regex/ (a glob would need Renovate's own matcher to check)`);
    return new RegExp(regex[1], regex[2]);
}

/** What Renovate's regex manager extracts from a file: every match of every matchString ("any" strategy). */
function extract(manager: RegexManager, text: string): { datasource?: string; depName?: string; currentValue?: string; index: number }[] {
    return manager.matchStrings.flatMap((source) => [...text.matchAll(new RegExp(source, "g"))].map((m) => ({
        datasource: m.groups?.datasource ?? manager.datasourceTemplate,
        depName: m.groups?.depName ?? manager.depNameTemplate,
        currentValue: m.groups?.currentValue,
        index: (m.index ?? 0) + m[0].lastIndexOf(m.groups?.currentValue ?? ""),
    })));
}

const managers = (renovate.customManagers ?? []).filter((m) => m.managerFilePatterns.some((p) => filePattern(p).test(DOCKERFILE)));

const scratch: string[] = [];
after(() => {
    for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

describe("pinned versions", () => {
    it("are the component's defaults, read from collector/Dockerfile", () => {
        const args = globalArgs(dockerfileText);
        assert.equal(DEFAULTS.collectorVersion, args.get("OTELCOL_VERSION"), `edit ARG OTELCOL_VERSION in ${DOCKERFILE}, not the component`);
        assert.equal(DEFAULTS.adapterVersion, args.get("LWA_VERSION"), `edit ARG LWA_VERSION in ${DOCKERFILE}, not the component`);
        assert.equal(PINNED_IMAGES.alpine.version, args.get("ALPINE_VERSION"), `edit ARG ALPINE_VERSION in ${DOCKERFILE}`);
    });

    // A quoted literal is a pin; a citation in a comment ("@v0.151.0") is not, and the
    // catalogue's version names the release its facts were read from (a test compares
    // it with the pinned version instead).
    it("appear in no source file but collector/Dockerfile", () => {
        const sources = ["index.ts", "stack-config.ts", ...["components", "rules", "policy", "cli", "examples"].flatMap((dir) =>
            fs.readdirSync(path.join(projectRoot, dir), { recursive: true, encoding: "utf8" })
                .filter((f) => /\.(ts|ya?ml|json)$/.test(f) && !f.includes("node_modules") && !f.startsWith("catalogue"))
                .map((f) => path.join(dir, f)))];
        const quoted = (v: string) => new RegExp(`["'\`]${v.replace(/\./g, "\\.")}["'\`]`);
        for (const file of sources) {
            const text = fs.readFileSync(path.join(projectRoot, file), "utf8");
            for (const name of BASE_IMAGE_NAMES) {
                assert.ok(!quoted(PINNED_IMAGES[name].version).test(text), `${file} pins ${name} version ${PINNED_IMAGES[name].version}: read it from ${DOCKERFILE} (PINNED_IMAGES) instead`);
            }
        }
    });

    it("are what Renovate's regex manager finds in collector/Dockerfile, one dependency per base image", () => {
        assert.equal(managers.length, 1, "renovate.json: one regex manager whose managerFilePatterns match collector/Dockerfile");
        assert.equal(managers[0].customType, "regex");
        const found = extract(managers[0], dockerfileText).map(({ datasource, depName, currentValue }) => ({ datasource, depName, currentValue }));
        const expected = BASE_IMAGE_NAMES.map((name) => ({ datasource: "docker", depName: PINNED_IMAGES[name].repository, currentValue: PINNED_IMAGES[name].version }));
        const byName = (a: { depName?: string }, b: { depName?: string }) => (a.depName ?? "").localeCompare(b.depName ?? "");
        assert.deepEqual(found.sort(byName), expected.sort(byName),
            `each ARG *_VERSION in ${DOCKERFILE} needs "# renovate: datasource=docker depName=<the repository its *_IMAGE default pulls>" on the line above`);
    });

    it("bump the contrib image and the collector builder in one pull request, since the lean distribution follows both", () => {
        const names = [PINNED_IMAGES.collector.repository, PINNED_IMAGES.builder.repository];
        const rule = (renovate.packageRules ?? []).find((r) => names.every((n) => r.matchDepNames?.includes(n)));
        assert.ok(rule?.groupName, "renovate.json: a packageRule with groupName whose matchDepNames has both repositories");
    });

    it("reach the component when Renovate bumps them, with no other edit", () => {
        const [otelcol] = extract(managers[0], dockerfileText).filter((d) => d.depName === PINNED_IMAGES.collector.repository);
        assert.ok(otelcol?.currentValue);
        const bumped = `${dockerfileText.slice(0, otelcol.index)}9.99.0${dockerfileText.slice(otelcol.index + otelcol.currentValue.length)}`;
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "collector-bump-"));
        scratch.push(dir);
        fs.writeFileSync(path.join(dir, "Dockerfile"), bumped);
        const pinned = pinnedImages(path.join(dir, "Dockerfile"));
        assert.equal(pinned.collector.version, "9.99.0");
        assert.equal(pinned.collector.repository, PINNED_IMAGES.collector.repository);
        assert.equal(pinned.adapter.version, PINNED_IMAGES.adapter.version);
    });

    it("fail loudly, naming the Dockerfile, when an ARG the component reads is missing", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "collector-broken-"));
        scratch.push(dir);
        const file = path.join(dir, "Dockerfile");
        fs.writeFileSync(file, dockerfileText.replace(/^ARG LWA_VERSION=.*$/m, "ARG LWA_VERSION"));
        assert.throws(() => pinnedImages(file), (err: Error) =>
            err.message === `${file}: needs ARG LWA_VERSION=<version> and ARG ADAPTER_IMAGE=<repository>:\${LWA_VERSION} before the first FROM; restore them (the component reads its default images there)`);
    });
});
