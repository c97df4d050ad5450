import { checkBatchProcessors } from "../../collector/lambda-rules";
import { collectorConfigPolicy } from "../collector-config-policy";

/** No `batch` processor: Lambda freezes the collector before a batch flushes. */
export const noBatchProcessor = collectorConfigPolicy({
    name: "lambda-collector-no-batch-processor",
    description: "Checks that a collector config in a Lambda function defines no batch processor, whose data Lambda's freeze strands.",
    enforcementLevel: "mandatory",
    remediationSteps: "Remove every batch processor (batch, batch/<name>) from processors and from the pipelines. Batch in the producer's SDK instead.",
    check: (config) => checkBatchProcessors(config),
});
