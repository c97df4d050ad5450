import type { StackValidationPolicy } from "@pulumi/policy";
import { checkReceiverAuth } from "../../collector/structure-rules";
import { violationMessage } from "../collector-config-policy";
import { collectorConfigsOf } from "../function-configs";
import { FUNCTION_URL_TYPE, functionOfUrl } from "../related-resources";

/** Advisory: a public Function URL in front of a collector that checks no credentials. */
export const authenticatedUrl: StackValidationPolicy = {
    name: "lambda-collector-authenticated-url",
    description: "Checks that a collector behind a public Function URL (authorizationType NONE) authenticates requests in its OTLP/HTTP receiver.",
    enforcementLevel: "advisory",
    remediationSteps: "Add a bearertokenauth extension and set receivers.otlp.protocols.http.auth.authenticator to it; give producers the token.",
    validateStack: (args, reportViolation) => {
        for (const url of args.resources.filter((r) => r.type === FUNCTION_URL_TYPE)) {
            if (url.props.authorizationType !== "NONE") {
                continue;
            }
            const fn = functionOfUrl(url, args.resources);
            if (!fn) {
                continue;
            }
            for (const { key, config } of collectorConfigsOf(fn.props).configs) {
                for (const finding of checkReceiverAuth(config, { requireReceiverAuth: true })) {
                    reportViolation(violationMessage(fn.name, key, finding), url.urn);
                }
            }
        }
    },
};
