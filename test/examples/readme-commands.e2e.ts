// Each example's README, followed as a new user would from a fresh clone: every
// command of its "From a fresh clone" block up to the first `pulumi` command (which
// needs the CLI and AWS) runs in a clone of this repository and must succeed.
// Run by `npm run test:examples` (and by CI): it installs packages from the npm
// registry, so it is kept out of the offline `npm test`.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { projectRoot } from "../harness/paths";

let clone: string;

before(() => {
    clone = fs.mkdtempSync(path.join(os.tmpdir(), "example-readmes-"));
    // The committed tree, as a user's clone has it (uncommitted files are not part of it).
    execFileSync("git", ["clone", "--quiet", projectRoot, clone]);
});
after(() => fs.rmSync(clone, { recursive: true, force: true }));

/** The commands of the README's "From a fresh clone" block that run before the first `pulumi` command. */
export function offlineCommands(readme: string): string[] {
    const section = readme.split(/^## From a fresh clone$/m)[1];
    assert.ok(section, "the README has a \"From a fresh clone\" section");
    const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
    assert.ok(block, "with a sh block");
    const lines = block.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
    const firstPulumi = lines.findIndex((l) => /^(pulumi|export PULUMI)/.test(l));
    return firstPulumi === -1 ? lines : lines.slice(0, firstPulumi);
}

describe("example READMEs from a fresh clone", () => {
    const examples = fs.readdirSync(path.join(projectRoot, "examples")).filter((d) => fs.existsSync(path.join(projectRoot, "examples", d, "README.md")));

    it("every example has a README", () => {
        for (const dir of fs.readdirSync(path.join(projectRoot, "examples"))) {
            assert.ok(examples.includes(dir), `examples/${dir}/README.md`);
        }
    });

    for (const example of examples) {
        it(`examples/${example}: its commands succeed`, { timeout: 600_000 }, () => {
            const commands = offlineCommands(fs.readFileSync(path.join(projectRoot, "examples", example, "README.md"), "utf8"));
            // One shell, so `cd` carries over as it does for the reader; -e stops at the first failure.
            execFileSync("bash", ["-euo", "pipefail", "-c", commands.join("\n")], {
                cwd: clone,
                stdio: ["ignore", "pipe", "pipe"],
                env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false" },
            });
        });
    }
});
