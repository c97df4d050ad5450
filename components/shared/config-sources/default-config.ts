import * as fs from "node:fs";
import * as path from "node:path";
import { collectorDirectory } from "../image/collector-image";

/** The default collector config (collector/config.yaml): OTLP/HTTP with bearer auth, exporting to the `debug` exporter. */
export function defaultCollectorConfig(): string {
    return fs.readFileSync(path.join(collectorDirectory(), "config.yaml"), "utf8");
}
