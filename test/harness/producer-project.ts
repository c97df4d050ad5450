// A copy of examples/producer-ts as `npm ci --omit=dev --prefix handler` leaves it, for
// running its Pulumi program under mocks in its project folder as `pulumi up` would.
// The SDK's node_modules are stubbed by the one file the program checks for; the real
// install is exercised by test/examples/producer-readme.integration.ts.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectRoot } from "./paths";

export function preparedProducerProject(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "producer-ts-"));
    fs.cpSync(path.join(projectRoot, "examples", "producer-ts", "handler"), path.join(dir, "handler"), {
        recursive: true,
        filter: (source) => !source.includes(`${path.sep}node_modules`),
    });
    const sdk = path.join(dir, "handler", "node_modules", "@opentelemetry", "sdk-trace-node");
    fs.mkdirSync(sdk, { recursive: true });
    fs.writeFileSync(path.join(sdk, "package.json"), "{}\n");
    return dir;
}
