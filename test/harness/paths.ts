// Where the project is, from source (test/harness) or compiled (dist/test/harness).
import * as fs from "node:fs";
import * as path from "node:path";

export const projectRoot = [path.resolve(__dirname, "..", ".."), path.resolve(__dirname, "..", "..", "..")]
    .find((dir) => fs.existsSync(path.join(dir, "Pulumi.yaml"))) as string;
