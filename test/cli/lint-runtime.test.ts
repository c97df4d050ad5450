// The lint's --runtime: fargate runs the rules of a long-running container instead of
// Lambda's freeze rules, on the same fixtures.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { runLint } from "../../cli/lint";
import { defaultFargateConfig } from "../../components/fargate/presets";
import { projectRoot } from "../harness/paths";

function lint(args: string[], files: Record<string, string> = {}): { code: number; out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    const code = runLint(args, { out: (l) => out.push(l), err: (l) => err.push(l), readFile: (f) => files[f] ?? fs.readFileSync(f, "utf8") });
    return { code, out, err };
}

const UNSAFE = path.join(projectRoot, "test", "fixtures", "lint", "unsafe.yaml");
const rulesOf = (lines: string[]): string[] => [...new Set(lines.map((l) => /: ([a-z-]+)( \(advisory\))?: /.exec(l)?.[1] ?? ""))].sort();

describe("lint --runtime", () => {
    it("lambda (the default) reports the freeze rules on the unsafe fixture", () => {
        const { code, out } = lint([UNSAFE]);
        assert.equal(code, 1);
        assert.ok(rulesOf(out).includes("no-batch-processor"), out.join("\n"));
        assert.deepEqual(lint(["--runtime", "lambda", UNSAFE]).out, out);
    });

    it("fargate reports no freeze rule on the same fixture, and the container rules instead", () => {
        const { code, out } = lint(["--runtime", "fargate", UNSAFE]);
        const rules = rulesOf(out);
        for (const freeze of ["no-batch-processor", "no-queued-exporter", "no-buffering-processor", "retry-exceeds-timeout", "adapter-port"]) {
            assert.ok(!rules.includes(freeze), `${freeze} in ${rules.join(", ")}`);
        }
        assert.ok(rules.includes("health-check-extension"), rules.join(", "));
        assert.ok(rules.includes("unauthenticated-receiver"), "the start-up rules apply everywhere");
        assert.equal(code, 1);
    });

    it("fargate passes the Fargate preset, which Lambda's rules refuse", () => {
        const files = { "fargate.yaml": defaultFargateConfig() };
        assert.deepEqual(lint(["--runtime", "fargate", "fargate.yaml"], files), { code: 0, out: [], err: ["1 file(s) checked: 0 mandatory, 0 advisory finding(s)"] });
        assert.equal(lint(["fargate.yaml"], files).code, 1);
    });

    it("refuses a runtime it does not know, and the other runtime's flags, with one line", () => {
        assert.deepEqual(lint(["--runtime", "eks", UNSAFE]), { code: 2, out: [], err: ['--runtime: "eks" is not a runtime; use lambda or fargate'] });
        const timeout = lint(["--runtime", "fargate", "--function-timeout", "30", UNSAFE]);
        assert.equal(timeout.code, 2);
        assert.match(timeout.err[0], /^--function-timeout: is only read with --runtime lambda/);
        const port = lint(["--container-port", "4318", UNSAFE]);
        assert.equal(port.code, 2);
        assert.match(port.err[0], /^--container-port: is only read with --runtime fargate/);
    });

    it("fargate checks the receiver against --container-port", () => {
        const { out } = lint(["--runtime", "fargate", "--container-port", "4319", "fargate.yaml"], { "fargate.yaml": defaultFargateConfig() });
        assert.ok(out.some((l) => l.includes(": container-listener: receivers.otlp.protocols.http.endpoint: listens on port 4318")), out.join("\n"));
    });
});
