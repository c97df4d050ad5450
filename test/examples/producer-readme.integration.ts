// The producer example's handler folder prepared as its README says
// (`npm ci --omit=dev --prefix handler`) in a copy outside this repository, so nothing
// can resolve from the root's node_modules: what Lambda unzips is self-contained and
// its handler exports a span through the installed SDK. `--offline` keeps `npm test`
// offline; it works because root `npm ci` has cached every package the handler's lock
// pins (asserted below). The Pulumi steps of the README need the CLI and AWS.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { after, before, it } from "node:test";
import { producerEnvironmentFor } from "../../components/shared/tokens/producer-environment";
import { startReceiver, type Receiver } from "../harness/otlp-receiver";
import { projectRoot } from "../harness/paths";

const run = promisify(execFile);
const handlerDir = path.join(projectRoot, "examples", "producer-ts", "handler");
const TOKEN = "readme-token-0123456789";
let copy: string;
let receiver: Receiver;

interface Lock { packages: Record<string, { version?: string; integrity?: string }> }
const lockOf = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as Lock;

before(async () => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), "producer-handler-"));
    for (const file of ["package.json", "package-lock.json", "index.js", "otel.js"]) {
        fs.copyFileSync(path.join(handlerDir, file), path.join(copy, file));
    }
    receiver = await startReceiver({ token: TOKEN });
});
after(async () => {
    await receiver.close();
    fs.rmSync(copy, { recursive: true, force: true });
});

it("pins only packages that the root lockfile also pins, so root `npm ci` caches them", () => {
    const root = new Set(Object.values(lockOf(path.join(projectRoot, "package-lock.json")).packages).map((p) => p.integrity));
    const missing = Object.entries(lockOf(path.join(handlerDir, "package-lock.json")).packages)
        .filter(([name, p]) => name !== "" && !root.has(p.integrity))
        .map(([name, p]) => `${name}@${p.version}`);
    assert.deepEqual(missing, [], "add these at the root with `npm install --save-dev` so the offline install below finds them");
});

it("installs offline and runs on its own: the zipped folder exports the invocation's span", { timeout: 60_000 }, async () => {
    await run("npm", ["ci", "--omit=dev", "--offline", "--no-audit", "--no-fund", "--prefix", copy], { cwd: copy });
    // A fresh Node process in the copy, as Lambda runs it: no NODE_PATH, no repository around it.
    const script = `require("./index.js").handler({}, { functionName: "f", awsRequestId: "req-readme", invokedFunctionArn: "arn:aws:lambda:us-west-2:123456789012:function:f", getRemainingTimeInMillis: () => 10000 }).then((r) => console.log(JSON.stringify(r)))`;
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...producerEnvironmentFor(receiver.url, TOKEN), OTEL_SERVICE_NAME: "readme-producer", AWS_REGION: "us-west-2" };
    const { stdout } = await run(process.execPath, ["-e", script], { cwd: copy, env });
    assert.equal(JSON.parse(stdout).statusCode, 200);
    const span = receiver.spans.find((s) => s.attributes["faas.invocation_id"] === "req-readme");
    assert.ok(span, "the span arrived before the handler's promise resolved");
    assert.equal(span.resource["service.name"], "readme-producer");
    const resolved = (await run(process.execPath, ["-p", `require.resolve("@opentelemetry/sdk-trace-node")`], { cwd: copy })).stdout.trim();
    assert.ok(resolved.startsWith(path.join(copy, "node_modules")), `the SDK comes from the folder's own node_modules: ${resolved}`);
});
