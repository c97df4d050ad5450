// The newest otelcol-contrib manifest readable here, and how its lines map to the
// pinned release. The pinned release's own manifest (v0.161.0) is in no snapshot of
// open-telemetry/opentelemetry-collector-releases this project can read, so module
// paths and sections are checked against v0.151.0's, with versions moved to the pinned
// release: the collector's own modules move with it, and the stable core modules (v1.x)
// by the same number of minor releases (v0.151.0 ships v1.57.0, v0.161.0 ships v1.67.0).
// `npm run -s real:build` proves that the moved lines resolve and compile together.
import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot } from "./paths";

export const READABLE_MANIFEST_VERSION = "0.151.0";
export const READABLE_MANIFEST_FILE = path.join(projectRoot, "test", "fixtures", "upstream", `otelcol-contrib-${READABLE_MANIFEST_VERSION}-manifest.yaml`);
export const readableManifestText = fs.readFileSync(READABLE_MANIFEST_FILE, "utf8");

const minor = (version: string): number => Number(version.replace(/^v/, "").split(".")[1]);

/** A gomod line of the readable manifest, moved to release `version` (e.g. "0.161.0"). */
export function atRelease(gomod: string, version: string): string {
    const [modulePath, moduleVersion] = gomod.split(" ");
    const steps = minor(version) - minor(READABLE_MANIFEST_VERSION);
    const moved = moduleVersion.startsWith("v1.") ? `v1.${minor(moduleVersion) + steps}.0` : `v${version}`;
    return `${modulePath} ${moved}`;
}
