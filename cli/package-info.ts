// The name and version of this package, for the CLIs' --version, found from this
// file so it works from the source tree, from dist/ and from node_modules.
import * as fs from "node:fs";
import * as path from "node:path";

export function packageVersion(): string {
    for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
        const file = path.join(dir, "package.json");
        if (fs.existsSync(file)) {
            const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
            if (pkg.name === "otel-lambda-collector" && pkg.version) {
                return pkg.version;
            }
        }
    }
    return "unknown";
}
