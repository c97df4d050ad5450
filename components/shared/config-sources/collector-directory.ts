// Where the packaged collector/ folder (Dockerfile, default config, lean distribution) is.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

/**
 * The folder holding the Dockerfile and default config, found from this file so it
 * works from the source tree, from compiled `dist/`, and from `node_modules`.
 */
export function collectorDirectory(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "collector", "Dockerfile"))) {
            return path.join(dir, "collector");
        }
        if (path.dirname(dir) === dir) {
            throw new pulumi.RunError(`collector image: no collector/Dockerfile above ${__dirname}; reinstall the package so its collector/ folder is present`);
        }
    }
}
