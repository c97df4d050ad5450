// collector/lambda-distribution.yaml, the lean distribution's component list: every
// module is the otelcol-contrib release's own module at the same version, so the lean
// build is the same code as contrib with fewer components. Failures name the file to edit.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { parse } from "yaml";
import { globalArgs, PINNED_IMAGES } from "../../components/shared/image/collector-image";
import {
    distributionComponents,
    LAMBDA_DISTRIBUTION,
    MODULE_SECTIONS,
    ocbManifest,
    readLambdaDistribution,
} from "../../components/lambda/distribution";
import { projectRoot } from "../harness/paths";
import { atRelease, readableManifestText } from "../harness/upstream-manifest";

const FILE = "collector/lambda-distribution.yaml";
const text = fs.readFileSync(path.join(projectRoot, FILE), "utf8");
const dockerfileText = fs.readFileSync(path.join(projectRoot, "collector", "Dockerfile"), "utf8");

const contrib = parse(readableManifestText) as Record<string, { gomod: string }[] | Record<string, unknown>>;
const contribLines = (section: string): string[] => {
    const list = contrib[section];
    return Array.isArray(list) ? list.map((m) => atRelease(m.gomod, PINNED_IMAGES.collector.version)) : [];
};

const scratch: string[] = [];
after(() => {
    for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes `content` as a distribution file in a scratch folder and returns its path. */
function scratchFile(content: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lean-distribution-"));
    scratch.push(dir);
    const file = path.join(dir, "lambda-distribution.yaml");
    fs.writeFileSync(file, content);
    return file;
}

describe("the lambda distribution", () => {
    it("uses, for every module, the gomod line of the contrib manifest at the pinned release, in the same section", () => {
        for (const section of MODULE_SECTIONS) {
            for (const { gomod } of LAMBDA_DISTRIBUTION.modules[section]) {
                const modulePath = gomod.split(" ")[0];
                const contribLine = Object.keys(contrib).flatMap(contribLines).find((l) => l.split(" ")[0] === modulePath);
                assert.ok(contribLine, `${FILE}: ${section}: ${modulePath} is not in otelcol-contrib; use a module of the contrib manifest`);
                assert.equal(gomod, contribLine, `${FILE}: ${section}: the contrib manifest has "${contribLine}"; copy that line exactly`);
                assert.ok(contribLines(section).includes(gomod), `${FILE}: ${modulePath} belongs under ${Object.keys(contrib).find((k) => contribLines(k).includes(gomod))}, not ${section}`);
            }
        }
    });

    it("lists each module once and gives it at least one type", () => {
        const all = MODULE_SECTIONS.flatMap((s) => LAMBDA_DISTRIBUTION.modules[s]);
        assert.equal(new Set(all.map((m) => m.gomod.split(" ")[0])).size, all.length, `${FILE}: a module is listed twice`);
        for (const section of MODULE_SECTIONS) {
            const types = LAMBDA_DISTRIBUTION.modules[section].flatMap((m) => m.types);
            assert.equal(new Set(types).size, types.length, `${FILE}: ${section}: a type is given for two modules`);
        }
    });

    it("is the release the image pins: dist.version is OTELCOL_VERSION and the builder is the same release", () => {
        const version = PINNED_IMAGES.collector.version;
        assert.equal(LAMBDA_DISTRIBUTION.dist.version, version, `${FILE}: dist.version must be OTELCOL_VERSION ${version}; update the gomod lines to the contrib manifest at that release too`);
        assert.equal(PINNED_IMAGES.builder.version, version, "collector/Dockerfile: OCB_VERSION must equal OTELCOL_VERSION (ocb writes its own otelcol version into the generated go.mod)");
        // Unstable modules carry the collector's version; stable core modules (v1.x, the providers) their own.
        for (const { gomod } of MODULE_SECTIONS.flatMap((s) => LAMBDA_DISTRIBUTION.modules[s])) {
            const moduleVersion = gomod.split(" ")[1];
            assert.ok(moduleVersion === `v${version}` || moduleVersion.startsWith("v1."), `${FILE}: ${gomod} is not at v${version}`);
        }
    });

    it("holds the components the issue and the catalogue facts call for, and none that hold data or keep state", () => {
        const components = distributionComponents(LAMBDA_DISTRIBUTION);
        assert.deepEqual([...components.receivers], ["otlp"]);
        for (const type of ["memory_limiter", "attributes", "resource", "filter", "transform", "redaction", "probabilistic_sampler"]) {
            assert.ok(components.processors.has(type), type);
        }
        // holdsData or keepsState in the catalogue (lambda-facts.md): lost or reset by Lambda's freeze.
        for (const type of ["batch", "groupbytrace", "tail_sampling", "interval", "logdedup", "cumulativetodelta", "deltatocumulative"]) {
            assert.ok(!components.processors.has(type), `${type} holds data or keeps state`);
        }
        for (const type of ["spanmetrics", "servicegraph", "datadog", "grafanacloud", "exceptions"]) {
            assert.ok(!components.connectors.has(type), `${type} holds data or keeps state`);
        }
        // routing, the AWS exporters and basicauth/headers_setter/sigv4auth left at 0.161.0: the
        // Go module proxy here does not serve their modules (or modules they need) at that
        // release (docs/lean-distribution.md, "What 0.161.0 left out").
        assert.deepEqual([...components.connectors].sort(), ["forward"]);
        assert.deepEqual([...components.exporters].sort(), ["debug", "otlp", "otlp_grpc", "otlp_http", "otlphttp"]);
        assert.deepEqual([...components.extensions].sort(), ["bearertokenauth", "oauth2client"]);
        assert.deepEqual([...components.providers].sort(), ["env", "file", "http", "https", "s3", "secretsmanager", "yaml"]);
    });

    it("makes the ocb manifest from the file: dist as written, every gomod line in order, no types, no debug build", () => {
        const manifest = parse(ocbManifest(LAMBDA_DISTRIBUTION)) as Record<string, unknown>;
        const raw = parse(text) as Record<string, { gomod: string; types: string[] }[]>;
        const dist = manifest.dist as Record<string, unknown>;
        assert.deepEqual(dist, raw.dist as unknown);
        for (const section of MODULE_SECTIONS) {
            assert.deepEqual(manifest[section], raw[section].map((m) => ({ gomod: m.gomod })), section);
        }
        assert.deepEqual(Object.keys(manifest), ["dist", ...MODULE_SECTIONS]);
        // ocb strips (-s -w) and disables cgo unless these are set.
        assert.equal(dist.debug_compilation, undefined);
        assert.equal(dist.cgo_enabled, undefined);
        // A comment edit does not change the manifest, so it does not rebuild the image.
        const commented = readLambdaDistribution(scratchFile(`# another comment\n${text.replace("receivers:\n", "receivers: # the only one\n")}`));
        assert.equal(ocbManifest(commented), ocbManifest(LAMBDA_DISTRIBUTION));
    });

    it("puts the binary where collector/Dockerfile copies it from", () => {
        const copy = /^COPY --from=lambda-build (\S+) \/app\/otelcol-lambda$/m.exec(dockerfileText);
        assert.ok(copy, "collector/Dockerfile copies the lean binary from the lambda-build stage");
        assert.equal(copy[1], path.posix.join(LAMBDA_DISTRIBUTION.dist.output_path, LAMBDA_DISTRIBUTION.dist.name),
            `${FILE}: dist.output_path/dist.name must be the path collector/Dockerfile copies`);
        // The builder image runs as uid 10001 with its home as the working directory, where the build can write.
        assert.ok(LAMBDA_DISTRIBUTION.dist.output_path.startsWith("/home/ocb/"));
        assert.ok(globalArgs(dockerfileText).get("BUILDER_IMAGE")?.includes("opentelemetry-collector-builder"));
    });

    const broken: [string, (t: string) => string, RegExp][] = [
        ["a module without types", (t) => t.replace("    types: [otlp]\n", ""), /receivers\[0\] \(go\.opentelemetry\.io\/collector\/receiver\/otlpreceiver v[\d.]+\): needs types: \[<type>, \.\.\.\]/],
        ["a gomod line without a version", (t) => t.replace(/otlpreceiver v[\d.]+/, "otlpreceiver"), /receivers\[0\]: needs gomod: "<module path> <version>"/],
        ["debug_compilation", (t) => t.replace("dist:\n", "dist:\n  debug_compilation: true\n"), /dist\.debug_compilation: true keeps debug symbols in the binary/],
        ["an unknown section", (t) => `${t}\nexporter:\n  - gomod: x v1\n`, /exporter: is not a section of this file/],
        ["an unknown entry key", (t) => t.replace("    types: [otlp]\n", "    types: [otlp]\n    import: x\n"), /receivers\[0\]\.import: is not read/],
    ];
    for (const [name, edit, expected] of broken) {
        it(`refuses ${name} with one line naming the file`, () => {
            const file = scratchFile(edit(text));
            assert.throws(() => readLambdaDistribution(file), (err: Error) => {
                assert.ok(err.message.startsWith(`${file}: `), err.message);
                assert.equal(err.message.includes("\n"), false);
                assert.match(err.message, expected);
                return true;
            });
        });
    }
});
