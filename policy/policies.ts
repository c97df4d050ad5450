// Every policy of the pack, in one explicit list (tests import this, never index.ts,
// whose PolicyPack starts the analyzer server).
import type { Policies } from "@pulumi/policy";
import { authenticatedUrl } from "./policies/authenticated-url";
import { configValid } from "./policies/config-valid";
import { lambdaImageManifest } from "./policies/lambda-image-manifest";
import { minimumMemory } from "./policies/minimum-memory";
import { noBatchProcessor } from "./policies/no-batch-processor";
import { noBufferingProcessor } from "./policies/no-buffering-processor";
import { noQueuedExporter } from "./policies/no-queued-exporter";
import { retryWithinTimeout } from "./policies/retry-within-timeout";

export const policies: Policies = [
    configValid,
    noBatchProcessor,
    noQueuedExporter,
    noBufferingProcessor,
    retryWithinTimeout,
    minimumMemory,
    authenticatedUrl,
    lambdaImageManifest,
];
