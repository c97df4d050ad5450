// The lean collector `npm run -s real:build` puts in the cache, for the tests that ask
// the real collector (*.integration.ts). CI builds it first (.ci/run). Without it a
// test fails with the one-line fix: a missing binary is never a silent skip.
import * as fs from "node:fs";
import { plan } from "../../local/binaries";

/**
 * The built lean collector's path.
 * @throws Error naming the missing binary and `npm run -s real:build`.
 */
export function leanCollector(): string {
    const binary = plan().binaries.collector;
    try {
        fs.accessSync(binary, fs.constants.X_OK);
        return binary;
    } catch {
        throw new Error(`the lean collector is not built (${binary}); run npm run -s real:build`);
    }
}
