// The image's build context holds no file under the ignore rules as Docker reads them
// (a maintained port of Docker's matcher, not a pattern of our own). The docker-build
// provider hashes every context file's bytes, path and permission bits into
// contextHash, so any file left in the context makes two checkouts (umask 022 vs 002)
// rebuild and push the image on every deploy.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import ignore from "@balena/dockerignore";
import { projectRoot } from "../harness/paths";

const collectorDir = path.join(projectRoot, "collector");
const dockerfilePath = path.join(collectorDir, "Dockerfile");

/**
 * The ignore file for a build, in the precedence BuildKit and the docker-build provider
 * share (pulumi-docker-build provider/internal/context.go @v0.0.22, getIgnorePatterns):
 * `<Dockerfile>.dockerignore` beside the Dockerfile first, then `<context>/.dockerignore`.
 */
function ignoreFileFor(dockerfile: string, context: string): string | undefined {
    return [`${dockerfile}.dockerignore`, path.join(context, ".dockerignore")].find((f) => fs.existsSync(f));
}

/** Every file under `dir`, as a context-relative path with forward slashes. */
function filesUnder(dir: string, prefix = ""): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const relative = prefix + entry.name;
        return entry.isDirectory() ? filesUnder(path.join(dir, entry.name), `${relative}/`) : [relative];
    });
}

/** The files a build with this context and Dockerfile would send. */
function contextFiles(context: string, dockerfile: string): string[] {
    const ignoreFile = ignoreFileFor(dockerfile, context);
    const rules = ignoreFile === undefined ? "" : fs.readFileSync(ignoreFile, "utf8");
    return ignore().add(rules).filter(filesUnder(context));
}

const scratch: string[] = [];
after(() => {
    for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

describe("collector image build context", () => {
    it("is read from collector/.dockerignore, with no Dockerfile-specific ignore file overriding it", () => {
        assert.equal(ignoreFileFor(dockerfilePath, collectorDir), path.join(collectorDir, ".dockerignore"));
    });

    it("sends no file: the Dockerfile, the ignore file and the default config are all excluded", () => {
        const present = filesUnder(collectorDir);
        for (const file of ["Dockerfile", ".dockerignore", "config.yaml"]) {
            assert.ok(present.includes(file), `${file} is in the folder (so the check below means something)`);
        }
        assert.deepEqual(contextFiles(collectorDir, dockerfilePath), []);
    });

    it("stays empty whatever else lands in the folder: dotfiles, nested folders, odd names", () => {
        const copy = fs.mkdtempSync(path.join(os.tmpdir(), "collector-context-"));
        scratch.push(copy);
        fs.cpSync(collectorDir, copy, { recursive: true });
        const stray = [".env", "notes.md", "manifest.yaml", "build/otelcol", ".git/HEAD", "a b/c d.txt", "!Dockerfile", "#x", "deep/er/still/file"];
        for (const file of stray) {
            fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
            fs.writeFileSync(path.join(copy, file), "x", { mode: 0o664 });
        }
        assert.deepEqual(contextFiles(copy, path.join(copy, "Dockerfile")), []);
    });

    it("is the matcher Docker's rules need: it keeps what an exception re-includes", () => {
        // The old ignore file kept the Dockerfile in the context; the matcher must see that.
        assert.deepEqual(ignore().add("*\n!Dockerfile\n").filter(["Dockerfile", "config.yaml"]), ["Dockerfile"]);
        assert.deepEqual(ignore().add("*\n!sub/keep\n").filter(["sub/keep", "sub/drop"]), ["sub/keep"]);
    });
});
