import { checkQueuedExporters } from "../../collector/lambda-rules";
import { collectorConfigPolicy } from "../collector-config-policy";

/** Every exporter's queue is explicitly off: queued exports run after the response, into the freeze. */
export const noQueuedExporter = collectorConfigPolicy({
    name: "lambda-collector-no-queued-exporter",
    description: "Checks that every exporter in a Lambda function's collector config has its sending queue explicitly disabled.",
    enforcementLevel: "mandatory",
    remediationSteps: "Add sending_queue: {enabled: false} to every exporter. The queue is on by default for otlp, otlphttp and most contrib exporters, so a missing key means queued.",
    check: (config) => checkQueuedExporters(config),
});
