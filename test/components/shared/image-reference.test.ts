// The image-reference parser that checks `baseImages`, against Docker's own: the
// parse-docker-image-name package is distribution/reference's Go code compiled to
// JavaScript (GopherJS), so it is the grammar itself, with Go's linear-time regexps.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseImageReference } from "../../../components/shared/image/collector-image";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dockerParse = require("parse-docker-image-name") as (reference: string) => { domain?: string; path?: string; tag?: string; digest?: string };

const SHA256 = `sha256:${"0123456789abcdef".repeat(4)}`;

/** References a user might type: valid ones, and near-misses of each kind. */
const VALID = [
    "alpine", "alpine:3.22", "library/alpine:3.22", "docker.io/library/alpine", "index.docker.io/library/alpine:3",
    "public.ecr.aws/docker/library/alpine:3.22",
    "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.151.0",
    `ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.151.0@${SHA256}`,
    `public.ecr.aws/awsguru/aws-lambda-adapter@${SHA256}`,
    "registry.example.com:5000/mirror/alpine", "localhost/alpine:edge", "localhost:5000/a/b/c:1.0-rc_1",
    "123456789012.dkr.ecr.us-west-2.amazonaws.com/mirror/otelcol:latest", "a/b__c/d--e/f.g", "Registry.Example.com/a",
    "mirror.example.com/a-b---c", "x:" + "t".repeat(128),
    // Not a registry (an underscore), but a valid Docker Hub path, as Docker reads it.
    "exa_mple.com/a", `sha512img@sha512:${"ab".repeat(64)}`,
];
const INVALID = [
    "", " alpine", "alpine ", "alpine:3.22 ", "Alpine", "public.ecr.aws/docker/library/Alpine:3.22", "ghcr.io/otel contrib",
    "public.ecr.aws/awsguru/aws-lambda-adapter@sha256:abc", "public.ecr.aws/awsguru/aws-lambda-adapter--:1.0",
    "a/b_.c", "a/b..c", "a/-b", "a//b", "a/b/", "/a", "a:", "a:-tag", "a:" + "t".repeat(129), "a@", "a@sha256:",
    `a@SHA256:${"0".repeat(64)}`, `a@sha256:${"A".repeat(64)}`, `a@md5:${"0".repeat(32)}`, "a:1:2", "a/b:1/c",
    "https://ghcr.io/a/b", "ghcr.io/a/b:1.0@", "-example.com/a", "example-.com/a", "a".repeat(256),
];

describe("image references", () => {
    for (const reference of VALID) {
        it(`accepts ${JSON.stringify(reference).slice(0, 80)}, as Docker does`, () => {
            const ours = parseImageReference(reference);
            assert.ok(!("error" in ours), `${reference}: ${"error" in ours ? ours.error : ""}`);
            const docker = dockerParse(reference);
            assert.ok(docker.path, `Docker's parser accepts ${reference}`);
            assert.equal(ours.tag, docker.tag);
            assert.equal(ours.digest, docker.digest);
        });
    }
    for (const reference of INVALID) {
        it(`rejects ${JSON.stringify(reference).slice(0, 80)}, as Docker does`, () => {
            assert.ok("error" in parseImageReference(reference), reference);
            assert.equal(dockerParse(reference).path, undefined, `Docker's parser rejects ${reference}`);
        });
    }

    it("agrees with Docker on every one-character edit of the valid references", () => {
        const disagreements: string[] = [];
        for (const reference of VALID) {
            for (const at of [0, 1, Math.floor(reference.length / 2), reference.indexOf("/") + 1, reference.indexOf(":") + 1, reference.length - 1, reference.length]) {
                for (const insert of [" ", "A", "-", ".", "_", "__", ":", "/", "@", "!", ":1", "@sha256:0"]) {
                    const edited = reference.slice(0, at) + insert + reference.slice(at);
                    if (/^[a-f0-9]{64}$/.test(edited)) continue; // an image id: see below
                    const ours = !("error" in parseImageReference(edited));
                    const docker = dockerParse(edited).path !== undefined;
                    if (ours !== docker) disagreements.push(`${JSON.stringify(edited)}: ours ${ours}, Docker ${docker}`);
                }
            }
        }
        assert.deepEqual(disagreements, []);
    });

    it("rejects a 64-hex name, which Docker reads as an image id", () => {
        assert.deepEqual(parseImageReference("0123456789abcdef".repeat(4)), { error: "cannot specify 64-byte hexadecimal strings" });
    });

    it("names the registry the way Docker normalizes it", () => {
        assert.deepEqual(parseImageReference("alpine:3.22"), { name: "docker.io/library/alpine", tag: "3.22", digest: undefined });
        assert.deepEqual(parseImageReference("otel/contrib"), { name: "docker.io/otel/contrib", tag: undefined, digest: undefined });
        assert.deepEqual(parseImageReference("localhost:5000/x@" + SHA256), { name: "localhost:5000/x", tag: undefined, digest: SHA256 });
    });

    it("answers a near-miss quickly: a typo must not hang pulumi preview", () => {
        const nearMisses = [
            `${"a-".repeat(120)}!`, `${"a.".repeat(60)}com/${"b-".repeat(60)}`, `x/${"a_".repeat(120)}@sha256:abc`,
            `${"a".repeat(100)}.${"b".repeat(100)}:${"9".repeat(40)}x/c`, `x@${"a+".repeat(200)}:0`,
            "public.ecr.aws/awsguru/aws-lambda-adapter:1.0 ", `${"ab-".repeat(80)}-`,
        ];
        const started = process.hrtime.bigint();
        for (const reference of nearMisses) {
            assert.ok("error" in parseImageReference(reference), reference);
        }
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        assert.ok(ms < 200, `${ms.toFixed(1)} ms`);
    });
});
