// The lint before a local start: the registry's rules over the config, in the
// deployment the local run reproduces (the complete function environment, the image's
// AWS_LWA_PORT, the component's timeout and auth requirement, and the components of
// the lean build it runs). The same rules the component, the pack and the lint apply.
import { checkCollectorConfigText, type RuleFinding } from "../rules";
import { distributionComponents, LAMBDA_DISTRIBUTION } from "../components/lambda/distribution";
import { COMPONENT_TIMEOUT_SECONDS, IMAGE } from "../rules/lambda-facts";

export function preflightFindings(config: string, environment: Readonly<Record<string, string>>, options: { allowUnauthenticated?: boolean } = {}): RuleFinding[] {
    const port = Number(environment.AWS_LWA_PORT ?? IMAGE.adapterPort);
    const timeout = Number(environment.AWS_LAMBDA_FUNCTION_TIMEOUT ?? COMPONENT_TIMEOUT_SECONDS);
    return checkCollectorConfigText(config, {
        environment,
        environmentKeys: new Set(Object.keys(environment)),
        adapterPort: Number.isInteger(port) ? port : undefined,
        functionTimeoutSeconds: Number.isInteger(timeout) ? timeout : COMPONENT_TIMEOUT_SECONDS,
        requireReceiverAuth: options.allowUnauthenticated !== true,
        distributionComponents: distributionComponents(LAMBDA_DISTRIBUTION),
    });
}
