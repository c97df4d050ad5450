// Credentials written into the config as text. The config travels in the function's
// environment (COLLECTOR_CONFIG), the stack's state and every preview diff; a
// credential there is readable by anyone who can read the function's configuration
// (lambda:GetFunctionConfiguration) and is rotated only by editing the config.
import { componentType, findingAt, isRecord, type CollectorConfig, type Finding } from "./config-model";

/**
 * The settings that hold a credential, per extension type, as dotted paths inside the
 * extension's settings. From each extension's README at the pinned release
 * (opentelemetry-collector-contrib extension/<name>/README.md): bearertokenauth `token`,
 * `tokens`; basicauth `htpasswd.inline`, `client_auth.password`; oauth2client
 * `client_secret`.
 */
const CREDENTIAL_SETTINGS: Readonly<Record<string, readonly string[]>> = {
    bearertokenauth: ["token", "tokens"],
    basicauth: ["htpasswd.inline", "client_auth.password"],
    oauth2client: ["client_secret"],
};

/** True when `value` as written is (or holds) text with no `${...}` reference. */
function isLiteral(value: unknown): boolean {
    if (typeof value === "string") return value !== "" && !/\$\{[^}]+\}/.test(value);
    if (Array.isArray(value)) return value.some(isLiteral);
    return false;
}

function at(settings: unknown, dotted: string): unknown {
    let node = settings;
    for (const key of dotted.split(".")) {
        if (!isRecord(node)) return undefined;
        node = node[key];
    }
    return node;
}

/** Flags each credential setting written as text in the config (judged as written, before resolution). */
export function checkLiteralCredentials(config: CollectorConfig): Finding[] {
    const findings: Finding[] = [];
    const written = isRecord(config.raw.extensions) ? config.raw.extensions : {};
    for (const [id, settings] of Object.entries(written)) {
        for (const setting of CREDENTIAL_SETTINGS[componentType(id)] ?? []) {
            if (!isLiteral(at(settings, setting))) continue;
            findings.push(findingAt(config, "literal-credential", ["extensions", id, ...setting.split(".")],
                `extensions.${id}.${setting} is written into the config as text, so it is stored in the function's environment and the stack's state in clear and every holder of the config can read it; rotating it means editing the config`,
                `reference it instead, e.g. ${componentType(id) === "bearertokenauth" ? "tokens: ${env:COLLECTOR_INGEST_TOKENS} (the component's producer tokens)" : `\${env:${componentType(id).toUpperCase()}_SECRET} with the value in collectorEnvironment, set with --secret`}`));
        }
    }
    return findings;
}
