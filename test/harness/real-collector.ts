// The lean collector `npm run -s real:build` puts in the cache, for the tests that ask
// the real collector (*.integration.ts). CI builds it first (.ci/run); elsewhere a test
// that needs it is skipped with this reason.
import * as fs from "node:fs";
import { plan } from "../../local/binaries";

/** The built lean collector's path, or undefined when it is not built here. */
export function leanCollector(): string | undefined {
    const binary = plan().binaries.collector;
    try {
        fs.accessSync(binary, fs.constants.X_OK);
        return binary;
    } catch {
        return undefined;
    }
}

/** Why a test that needs the lean collector is skipped, or false when it is built. */
export function skipWithoutCollector(): string | false {
    return leanCollector() === undefined ? `the lean collector is not built (${plan().binaries.collector}); run npm run -s real:build` : false;
}
