import { checkBufferingProcessors } from "../../collector/lambda-rules";
import { collectorConfigPolicy } from "../collector-config-policy";

/** Advisory: processors that wait (groupbytrace, tail_sampling, interval, queuebatch). */
export const noBufferingProcessor = collectorConfigPolicy({
    name: "lambda-collector-no-buffering-processor",
    description: "Checks that a Lambda function's collector config has no processor that holds data across time, such as groupbytrace or tail_sampling.",
    enforcementLevel: "advisory",
    remediationSteps: "Move stateful processing to a persistent collector; keep per-request processing (transform, filter, attributes) in Lambda.",
    check: (config) => checkBufferingProcessors(config),
});
