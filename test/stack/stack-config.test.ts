// Bad input fails at preview with one line naming the field and the fix.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { installMocks } from "../harness/mocks";
import { DEFAULTS, type LambdaCollectorArgs } from "../../components/lambda/args";
import { defaultCollectorConfig } from "../../components/shared/config-sources/default-config";
import { resolveArgs } from "../../components/lambda/validate";
import { BATCH_UNUSED, QUEUE_ON_BY_DEFAULT, RETRY_DEFAULT_30S } from "../harness/messages";
import { argsError, editDefaultConfig } from "../harness/component";

type Lib = typeof import("../../components/lambda/lambda-collector");
type StackConfig = typeof import("../../stack-config");
let lib: Lib;
let stack: StackConfig;

before(async () => {
    await installMocks();
    lib = await import("../../components/lambda/lambda-collector");
    stack = await import("../../stack-config");
});

describe("component arguments", () => {
    const cases: [string, () => LambdaCollectorArgs, string][] = [
        ["YAML that does not parse, with its line",
            () => ({ collectorConfig: "receivers:\n  otlp: {protocols: {http: {}}\nexporters: [" }),
            "collector config: not valid YAML: Flow map in block collection must be sufficiently indented and end with a } (line 3)"],
        ["a YAML list instead of a mapping",
            () => ({ collectorConfig: "- receivers\n- exporters\n" }),
            "collector config: config is a list, but a collector config must be a mapping with receivers, exporters and service sections (line 1)"],
        ["an empty config",
            () => ({ collectorConfig: "# nothing here\n" }),
            "collector config: config is empty; a collector config needs at least receivers, exporters and service.pipelines (line 1)"],
        ["a pipeline naming an undefined exporter",
            () => ({ collectorConfig: editDefaultConfig("traces:\n      receivers: [otlp]\n      exporters: [debug]", "traces:\n      receivers: [otlp]\n      exporters: [otlphttp/missing]") }),
            "collector config: service.pipelines.traces.exporters: exporter \"otlphttp/missing\" is not defined; add it under exporters (or connectors) or remove it from this list (line 33)"],
        ["a pipeline naming an undefined processor",
            () => ({ collectorConfig: editDefaultConfig("traces:\n      receivers: [otlp]", "traces:\n      processors: [transform/redact]\n      receivers: [otlp]") }),
            "collector config: service.pipelines.traces.processors: processor \"transform/redact\" is not defined; add it under processors or remove it from this list (line 32)"],
        ["an authenticator that is defined but not enabled",
            () => ({ collectorConfig: editDefaultConfig("  extensions: [bearertokenauth/ingest]\n", "") }),
            "collector config: receivers.otlp.protocols.http.auth.authenticator: authenticator \"bearertokenauth/ingest\" is defined but not enabled, so the collector fails to start; add it to service.extensions (line 19)"],
        ["an ${env:...} the function does not define",
            () => ({ collectorConfig: editDefaultConfig("verbosity: basic", "verbosity: ${env:DEBUG_VERBOSITY}") }),
            "collector config: exporters.debug.verbosity: references ${env:DEBUG_VERBOSITY}, which the function environment does not define; the collector only logs a warning and uses an empty string, which usually fails its config validation (a 500 on every request, with no detail) or sends an empty credential; set it in the component's environment (a secret belongs in a secret config value), or write ${env:DEBUG_VERBOSITY:-} if empty is intended (line 24)"],
        ["a receiver on another port than the adapter's",
            () => ({ collectorConfig: editDefaultConfig("127.0.0.1:4318", "127.0.0.1:4319") }),
            "collector config: receivers.otlp.protocols.http.endpoint: listens on port 4319, but the Lambda Web Adapter forwards requests to AWS_LWA_PORT 4318, so it never sees the collector ready; set the port to 4318 (line 17)"],
        ["a receiver without an authenticator on a public URL",
            () => ({ collectorConfig: editDefaultConfig(/\n {8}auth:\n {10}authenticator: bearertokenauth\/ingest/, "") }),
            "collector config: receivers.otlp.protocols.http: has no auth.authenticator, and the Function URL is public, so anyone who learns the URL can send telemetry to your backend; add auth: {authenticator: bearertokenauth/...} or opt in explicitly with allowUnauthenticated (line 15)"],
        ["a pipeline's exporters as a string instead of a list",
            () => ({ collectorConfig: editDefaultConfig("exporters: [debug]\n    metrics", "exporters: debug\n    metrics") }),
            "collector config: service.pipelines.traces.exporters: must be a list of component ids, not a string (\"debug\") (line 33)"],
        ["a section as a list",
            () => ({ collectorConfig: `processors: [batch]\n${defaultCollectorConfig()}` }),
            "collector config: processors: must be a mapping of component id to settings, not a list (line 1)"],
        ["memory below Lambda's minimum",
            () => ({ memorySize: 64 }),
            "memorySize: 64 is not a whole number of MB between 128 and 10240; set memorySize within that range"],
        ["a timeout above Lambda's maximum",
            () => ({ timeout: 901 }),
            "timeout: 901 is not a whole number of seconds between 1 and 900; set timeout within that range"],
        ["a fractional timeout",
            () => ({ timeout: 2.5 }),
            "timeout: 2.5 is not a whole number of seconds between 1 and 900; set timeout within that range"],
        ["a retention CloudWatch does not accept",
            () => ({ logRetentionDays: 10 }),
            "logRetentionDays: 10 is not a retention CloudWatch accepts; use one of 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (0 keeps logs forever)"],
        ["an environment over 4 KB",
            () => ({ environment: { BIG_VALUE: "x".repeat(3500) } }),
            "environment: 4725 bytes is over Lambda's 4096-byte limit for all variables together (629 too many); taking the space: BIG_VALUE 3514 bytes from environment.BIG_VALUE, COLLECTOR_CONFIG 1125 bytes from collectorConfig, COLLECTOR_INGEST_TOKENS 82 bytes from producers; to fit, set secretStore to \"secretsmanager\" (the tokens and every environment value move into one secret, and the environment keeps only the config, the secret's ARN and a version id, about 201 bytes), or shorten environment.BIG_VALUE, or shorten collectorConfig (comments, unused components and long values count)"],
        // Lambda counts UTF-8 bytes: 2000 "é" are 2000 UTF-16 code units (under the
        // limit with the rest) but 4000 bytes, which the AWS API refuses.
        ["an environment over 4 KB in UTF-8 bytes, though under 4096 characters",
            () => ({ environment: { BIG_VALUE: "\u00e9".repeat(2000) } }),
            "environment: 5225 bytes is over Lambda's 4096-byte limit for all variables together (1129 too many); taking the space: BIG_VALUE 4014 bytes from environment.BIG_VALUE, COLLECTOR_CONFIG 1125 bytes from collectorConfig, COLLECTOR_INGEST_TOKENS 82 bytes from producers; to fit, set secretStore to \"secretsmanager\" (the tokens and every environment value move into one secret, and the environment keeps only the config, the secret's ARN and a version id, about 201 bytes), or shorten environment.BIG_VALUE, or shorten collectorConfig (comments, unused components and long values count)"],
        ["a reserved environment key",
            () => ({ environment: { AWS_REGION: "eu-west-1" } }),
            "environment.AWS_REGION: is reserved by Lambda and cannot be set; choose another name"],
        ["an environment key the component owns",
            () => ({ environment: { COLLECTOR_CONFIG: "x" } }),
            "environment.COLLECTOR_CONFIG: is set by the component; pass the config as collectorConfig"],
        ["an invalid function name",
            () => ({ functionName: "my collector" }),
            "functionName: \"my collector\" must be 1-64 letters, digits, hyphens or underscores"],
        ["an image tag with a slash",
            () => ({ collectorVersion: "latest/evil" }),
            `collectorVersion: "latest/evil" is not a valid image tag; use a version such as ${DEFAULTS.collectorVersion}`],
    ];
    for (const [name, args, expected] of cases) {
        it(`rejects ${name}`, () => {
            const message = argsError(args());
            assert.equal(message, expected);
            assert.ok(!message.includes("\n"), "one line");
        });
    }

    it("reports every problem at once, one per line", () => {
        assert.equal(argsError({ memorySize: 64, timeout: 0 }).split("\n").length, 2);
    });

    it("accepts an unauthenticated receiver only when asked to", () => {
        const config = editDefaultConfig(/\n {8}auth:\n {10}authenticator: bearertokenauth\/ingest/, "");
        assert.doesNotThrow(() => resolveArgs("collector", { collectorConfig: config, allowUnauthenticated: true }));
    });

    it("accepts env references the caller defines or defaults", () => {
        const config = editDefaultConfig("verbosity: basic", "verbosity: ${env:DEBUG_VERBOSITY}");
        assert.doesNotThrow(() => resolveArgs("collector", { collectorConfig: config, environment: { DEBUG_VERBOSITY: "basic" } }));
        assert.doesNotThrow(() => resolveArgs("collector", { collectorConfig: editDefaultConfig("verbosity: basic", "verbosity: ${env:DEBUG_VERBOSITY:-basic}") }));
    });

    it("returns warnings, without failing, about batching and queues: the policy pack gives that verdict", () => {
        const config = editDefaultConfig("exporters:\n", "processors:\n  batch:\nexporters:\n  otlphttp/backend:\n    endpoint: https://otlp.example.com\n");
        const { warnings } = resolveArgs("collector", { collectorConfig: config });
        assert.deepEqual(warnings, [
            `collector config: processors.batch: ${BATCH_UNUSED} (line 22)`,
            `collector config: exporters.otlphttp/backend: ${QUEUE_ON_BY_DEFAULT} (line 24)`,
            `collector config: exporters.otlphttp/backend: ${RETRY_DEFAULT_30S} (line 24)`,
        ]);
    });

    it("fails the constructor itself, before any child exists", () => {
        assert.throws(() => new lib.LambdaCollector("bad", { memorySize: 20000 }), (err: Error) =>
            pulumi.RunError.isInstance(err) && err.message === "memorySize: 20000 is not a whole number of MB between 128 and 10240; set memorySize within that range");
    });
});

describe("stack configuration", () => {
    const project = "otel-lambda-collector";
    /** readStackConfig's error for a stack whose config is `values`. */
    /**
     * Sets the stack config to `values`, marking the secret keys secret as
     * `pulumi config set --secret` does, except those listed in `plain`.
     */
    function setStackConfig(values: Record<string, string>, plain: string[] = []): void {
        pulumi.runtime.setAllConfig(
            Object.fromEntries(Object.entries(values).map(([k, v]) => [`${project}:${k}`, v])),
            Object.keys(values).filter((k) => stack.SECRET_KEYS.has(k) && !plain.includes(k)).map((k) => `${project}:${k}`));
    }
    function stackError(values: Record<string, string>, dir = process.cwd(), plain: string[] = []): string {
        setStackConfig(values, plain);
        try {
            // As index.ts does: the stack's args through the component's own checks.
            stack.withStackKeys(project, () => resolveArgs("collector", stack.readStackConfig(dir)));
        } catch (err) {
            assert.ok(pulumi.RunError.isInstance(err) || (err as Error).name === "ConfigTypeError" || (err as Error).name === "ConfigMissingError", String(err));
            return (err as Error).message;
        }
        assert.fail("expected an error");
    }

    const cases: [string, Record<string, string>, string][] = [
        ["a misspelt key", { memroySize: "512" },
            "otel-lambda-collector:memroySize: is not a setting of this stack (did you mean memorySize?); see the configuration reference in README.md"],
        ["an unknown backend", { backend: "datadog" },
            "otel-lambda-collector:backend: \"datadog\" is not a backend; use debug, honeycomb or otlphttp (or collectorConfigFile for your own config)"],
        ["a key of another backend", { backend: "otlphttp", otlpEndpoint: "https://otlp.example.com", honeycombApiKey: "k" },
            "otel-lambda-collector:honeycombApiKey: is only read with backend honeycomb; remove it or set backend to honeycomb"],
        ["a backend and a config file together", { backend: "debug", collectorConfigFile: "collector.yaml" },
            "otel-lambda-collector:backend: cannot be combined with collectorConfigFile, which is a whole config with its own exporters; remove one of them"],
        ["headers that are not JSON", { backend: "otlphttp", otlpEndpoint: "https://otlp.example.com", otlpHeaders: "x-api-key: 1" },
            "otel-lambda-collector:otlpHeaders: the 12-character value is not valid JSON; set it with pulumi config set --secret otlpHeaders '{\"NAME\":\"value\"}'"],
        ["an endpoint that is not a URL", { backend: "otlphttp", otlpEndpoint: "otlp.example.com:4318" },
            "otel-lambda-collector:otlpEndpoint: \"otlp.example.com:4318\" must be an http(s) URL; OTLP/HTTP is the only protocol this exporter speaks"],
        ["a Honeycomb endpoint over plain http", { backend: "honeycomb", honeycombApiKey: "k", honeycombEndpoint: "http://api.honeycomb.io" },
            "otel-lambda-collector:honeycombEndpoint: \"http://api.honeycomb.io\" must use https; the API key would otherwise cross the network in clear text"],
        ["a config file that does not exist", { collectorConfigFile: "missing.yaml" },
            "otel-lambda-collector:collectorConfigFile: cannot read \"missing.yaml\" (ENOENT); give the path of a collector config file relative to the project folder"],
        ["an architecture Lambda lacks", { architecture: "arm32" },
            "otel-lambda-collector:architecture: \"arm32\" is not a Lambda architecture; use \"arm64\" or \"x86_64\""],
        ["a memory size that is not a number", { memorySize: "lots" },
            "otel-lambda-collector:memorySize: \"lots\" is not a whole number of MB; write digits only, without units, signs, separators or spaces (e.g. pulumi config set memorySize 1024)"],
        // The "Why" list: each stack input gets one line naming its key.
        ["a timeout with a unit, which getNumber read as 1 second", { timeout: "1m" },
            "otel-lambda-collector:timeout: \"1m\" is not a whole number of seconds; write digits only, without units, signs, separators or spaces (e.g. pulumi config set timeout 30)"],
        ["a timeout of 5m", { timeout: "5m" },
            "otel-lambda-collector:timeout: \"5m\" is not a whole number of seconds; write digits only, without units, signs, separators or spaces (e.g. pulumi config set timeout 30)"],
        ["a memory size with a thousands separator, echoed whole", { memorySize: "1,024" },
            "otel-lambda-collector:memorySize: \"1,024\" is not a whole number of MB; write digits only, without units, signs, separators or spaces (e.g. pulumi config set memorySize 1024)"],
        ["a fractional memory size", { memorySize: "512.5" },
            "otel-lambda-collector:memorySize: \"512.5\" is not a whole number of MB; write digits only, without units, signs, separators or spaces (e.g. pulumi config set memorySize 1024)"],
        ["a timeout out of range, named by its stack key", { timeout: "901" },
            "otel-lambda-collector:timeout: 901 is not a whole number of seconds between 1 and 900; set timeout within that range"],
        ["an endpoint with a leading space", { backend: "otlphttp", otlpEndpoint: " https://otlp.example.com" },
            "otel-lambda-collector:otlpEndpoint: \" https://otlp.example.com\" has space around it; remove it (the URL is used exactly as written)"],
        ["an endpoint with a trailing space", { backend: "otlphttp", otlpEndpoint: "https://otlp.example.com " },
            "otel-lambda-collector:otlpEndpoint: \"https://otlp.example.com \" has space around it; remove it (the URL is used exactly as written)"],
        ["an endpoint with a user and password", { backend: "otlphttp", otlpEndpoint: "https://user:pass@otlp.example.com" },
            "otel-lambda-collector:otlpEndpoint: \"otlp.example.com\" URL carries a user name or password, which would be stored in the non-secret config; remove it and send credentials as a secret header"],
        ["an endpoint with a query", { backend: "otlphttp", otlpEndpoint: "https://otlp.example.com/?tenant=a" },
            "otel-lambda-collector:otlpEndpoint: \"https://otlp.example.com/?tenant=a\" has a query or fragment, which the exporter would put before the /v1/<signal> it appends; remove it"],
        ["an endpoint with a fragment", { backend: "otlphttp", otlpEndpoint: "https://otlp.example.com/#x" },
            "otel-lambda-collector:otlpEndpoint: \"https://otlp.example.com/#x\" has a query or fragment, which the exporter would put before the /v1/<signal> it appends; remove it"],
        ["an endpoint already ending in /v1/traces", { backend: "otlphttp", otlpEndpoint: "https://otlp.example.com/otlp/v1/traces" },
            "otel-lambda-collector:otlpEndpoint: \"https://otlp.example.com/otlp/v1/traces\" ends in /v1/traces; drop it and give the base URL: the exporter appends /v1/<signal> itself"],
        ["plain http with secret headers", { backend: "otlphttp", otlpEndpoint: "http://otlp.example.com", otlpHeaders: JSON.stringify({ "x-api-key": "k" }) },
            "otel-lambda-collector:otlpEndpoint: \"http://otlp.example.com\" uses plain http while the exporter sends secret headers, which would cross the network in clear text; use https, or set allowInsecureBackend to true if the network is private"],
        ["an empty Honeycomb API key", { backend: "honeycomb", honeycombApiKey: "" },
            "otel-lambda-collector:honeycombApiKey: is empty; set the secret value (pulumi config set --secret ...)"],
        ["a header given twice", { backend: "otlphttp", otlpEndpoint: "https://otlp.example.com", otlpHeaders: '{"x-api-key":"a","x-api-key":"b"}' },
            "otel-lambda-collector:otlpHeaders: a name is given twice in the JSON object, and only the last would be kept; keep one"],
        ["a header in two spellings", { backend: "otlphttp", otlpEndpoint: "https://otlp.example.com", otlpHeaders: '{"X-Api-Key":"a","x-api-key":"b"}' },
            "otel-lambda-collector:otlpHeaders: \"X-Api-Key\" and \"x-api-key\" name the same header (header names are case-insensitive); keep one"],
        ["a header name with a space", { backend: "otlphttp", otlpEndpoint: "https://otlp.example.com", otlpHeaders: '{"x api":"k"}' },
            "otel-lambda-collector:otlpHeaders[\"x api\"]: is not a valid HTTP header name; use letters, digits and hyphens"],
        ["a header named __proto__", { backend: "otlphttp", otlpEndpoint: "https://otlp.example.com", otlpHeaders: '{"__proto__":"supersecret1"}' },
            "otel-lambda-collector:otlpHeaders: \"__proto__\" cannot be used as a name here; use another name"],
        ["an endpoint with a backslash", { backend: "honeycomb", honeycombApiKey: "k".repeat(32), honeycombEndpoint: "https://h\\x" },
            "otel-lambda-collector:honeycombEndpoint: \"https://h\\\\x\" has \"\\\\\" at position 10, which is not allowed in a URL, so the collector refuses it (\"endpoint must be a valid URL\"); percent-encode it or remove it"],
        ["an empty header value", { backend: "otlphttp", otlpEndpoint: "https://otlp.example.com", otlpHeaders: JSON.stringify({ "x-api-key": "" }) },
            "otel-lambda-collector:otlpHeaders.x-api-key: is empty; set the secret value (pulumi config set --secret ...)"],
        ["a header value with a newline, without echoing it", { backend: "otlphttp", otlpEndpoint: "https://otlp.example.com", otlpHeaders: JSON.stringify({ "x-api-key": "secret-value\n" }) },
            "otel-lambda-collector:otlpHeaders.x-api-key: the 13-character secret has a control character (U+000A) at position 13, which an HTTP header cannot carry; remove it (a pasted newline?)"],
        ["an empty collectorConfigFile", { collectorConfigFile: "" },
            "otel-lambda-collector:collectorConfigFile: is empty; give the path of your collector config relative to the project folder, or remove the key (pulumi config rm collectorConfigFile)"],
        ["a short ingest token, not echoed", { ingestToken: "a,b=c" },
            "otel-lambda-collector:ingestToken: the given token is 5 characters long; use at least 32 (or leave it unset to get a generated 48-character token)"],
        ["an ingest token with a character SDKs alter", { ingestToken: "abc%20def".padEnd(40, "x") },
            "otel-lambda-collector:ingestToken: the given token (40 characters) has \"%\" at position 4, which some OpenTelemetry SDK or the HTTP header would alter; use only letters, digits and - . _ ~ + / (with = only as trailing padding)"],
        ["producers that are not a list", { producers: "web,batch" },
            "otel-lambda-collector:producers: \"web,batch\" is not valid JSON; set it as a list, e.g. pulumi config set --path 'producers[0]' value"],
        ["an empty producers list", { producers: "[]" },
            "otel-lambda-collector:producers: is empty; name at least one producer (the default is [\"default\"]), since a collector nobody can send to is useless"],
        ["an unknown secret store", { secretStore: "vault" },
            "otel-lambda-collector:secretStore: \"vault\" is not a secret store; use \"environment\" or \"secretsmanager\""],
        ["a secret ARN that is not one", { secretArns: JSON.stringify(["my-secret"]) },
            "otel-lambda-collector:secretArns[0]: \"my-secret\" is not a Secrets Manager secret ARN; use the secret's ARN, arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters> (or without the 6-character suffix)"],
        ["a reserved concurrency of 0", { reservedConcurrency: "0" },
            "otel-lambda-collector:reservedConcurrency: 0 is not a whole number of at least 1; set the most concurrent executions you will pay for, or leave it unset for no ceiling (0 would refuse every request)"],
        // Missing required keys: our own line with the exact command (--secret for a secret).
        ["a Honeycomb backend without its API key", { backend: "honeycomb" },
            "otel-lambda-collector:honeycombApiKey: is required with backend honeycomb; set it with pulumi config set --secret honeycombApiKey <your Honeycomb ingest API key>"],
        ["an OTLP backend without its endpoint", { backend: "otlphttp" },
            "otel-lambda-collector:otlpEndpoint: is required with backend otlphttp; set it with pulumi config set otlpEndpoint https://otlp.example.com"],
        // Values that would otherwise be silently altered: refused, never rewritten.
        ["an endpoint with trailing slashes", { backend: "otlphttp", otlpEndpoint: "https://otlp.example.com//" },
            "otel-lambda-collector:otlpEndpoint: \"https://otlp.example.com//\" ends in \"/\"; drop the trailing slash (write \"https://otlp.example.com\"): the URL is used exactly as written, and the exporter appends /v1/<signal>"],
        ["a Honeycomb endpoint with a trailing slash", { backend: "honeycomb", honeycombApiKey: "k", honeycombEndpoint: "https://api.honeycomb.io/" },
            "otel-lambda-collector:honeycombEndpoint: \"https://api.honeycomb.io/\" ends in \"/\"; drop the trailing slash (write \"https://api.honeycomb.io\"): the URL is used exactly as written, and the exporter appends /v1/<signal>"],
        ["an endpoint ending in /v1/", { backend: "otlphttp", otlpEndpoint: "https://otlp.example.com/v1/" },
            "otel-lambda-collector:otlpEndpoint: \"https://otlp.example.com/v1/\" ends in /v1/; drop it and give the base URL: the exporter appends /v1/<signal> itself"],
        ["an endpoint ending in /v1", { backend: "otlphttp", otlpEndpoint: "https://otlp.example.com/otlp/v1" },
            "otel-lambda-collector:otlpEndpoint: \"https://otlp.example.com/otlp/v1\" ends in /v1; drop it and give the base URL: the exporter appends /v1/<signal> itself"],
        ["an invalid percent-encoding in the path", { backend: "otlphttp", otlpEndpoint: "https://otlp.example.com/%zz" },
            "otel-lambda-collector:otlpEndpoint: \"https://otlp.example.com/%zz\" has \"%\" at position 26 without two hex digits after it, which is not a valid percent-encoding; write a literal % as %25"],
        ["a Honeycomb API key with space around it, not echoed", { backend: "honeycomb", honeycombApiKey: " hcaik_x " },
            "otel-lambda-collector:honeycombApiKey: the 9-character secret has space around it; remove it (the value is used exactly as written, never trimmed)"],
        ["a header value with space around it, not echoed", { backend: "otlphttp", otlpEndpoint: "https://otlp.example.com", otlpHeaders: JSON.stringify({ "x-api-key": "abc " }) },
            "otel-lambda-collector:otlpHeaders.x-api-key: the 4-character secret has space around it; remove it (the value is used exactly as written, never trimmed)"],
        // Booleans: exactly true or false, the raw value echoed with the fix.
        ["alarms=yes", { alarms: "yes" },
            "otel-lambda-collector:alarms: \"yes\" is not true or false; set it with pulumi config set alarms true|false"],
        ["dashboard=False", { dashboard: "False" },
            "otel-lambda-collector:dashboard: \"False\" is not true or false; set it with pulumi config set dashboard true|false"],
        ["preTrafficCheck=0", { preTrafficCheck: "0" },
            "otel-lambda-collector:preTrafficCheck: \"0\" is not true or false; set it with pulumi config set preTrafficCheck true|false"],
        ["allowInsecureBackend=on", { backend: "otlphttp", otlpEndpoint: "https://otlp.example.com", allowInsecureBackend: "on" },
            "otel-lambda-collector:allowInsecureBackend: \"on\" is not true or false; set it with pulumi config set allowInsecureBackend true|false"],
        // JSON keys echo the raw value, except a secret's (its length instead).
        ["secretArns that are not JSON", { secretArns: "arn:aws:x" },
            "otel-lambda-collector:secretArns: \"arn:aws:x\" is not valid JSON; set it as a list, e.g. pulumi config set --path 'secretArns[0]' value"],
        ["baseImages that are not JSON", { baseImages: "alpine" },
            "otel-lambda-collector:baseImages: \"alpine\" is not valid JSON; set it with pulumi config set --path baseImages.collector <image reference>"],
        ["producerTokens that are not JSON, not echoed", { producerTokens: "web=abc" },
            "otel-lambda-collector:producerTokens: the 7-character value is not valid JSON; set it with pulumi config set --secret producerTokens '{\"NAME\":\"value\"}'"],
    ];
    for (const [name, values, expected] of cases) {
        it(`rejects ${name}`, () => {
            assert.equal(stackError(values), expected);
        });
    }

    it("accepts an upper-case https scheme for Honeycomb, and plain http with headers only when allowed", () => {
        setStackConfig({ backend: "honeycomb", honeycombApiKey: "k", honeycombEndpoint: "HTTPS://api.honeycomb.io" });
        assert.doesNotThrow(() => stack.readStackConfig());
        setStackConfig({
            backend: "otlphttp", otlpEndpoint: "http://collector.internal:4318",
            otlpHeaders: JSON.stringify({ "x-api-key": "k" }), allowInsecureBackend: "true",
        });
        assert.doesNotThrow(() => stack.readStackConfig());
    });

    it("refuses every secret key set in plain text, naming it with the --secret fix and without the value", () => {
        const values: Record<string, string> = {
            ingestToken: "t".repeat(40), producers: JSON.stringify(["web"]), producerTokens: JSON.stringify({ web: "w".repeat(40) }),
        };
        for (const [key, extra] of [
            ["ingestToken", {}], ["producerTokens", {}],
            ["honeycombApiKey", { backend: "honeycomb", honeycombApiKey: "hcaik_secret" }],
            ["otlpHeaders", { backend: "otlphttp", otlpEndpoint: "https://otlp.example.com", otlpHeaders: JSON.stringify({ "x-api-key": "secret" }) }],
            ["collectorEnvironment", { collectorConfigFile: "collector.yaml", collectorEnvironment: JSON.stringify({ VERB: "secret" }) }],
        ] as [string, Record<string, string>][]) {
            const all = { ...values, ...extra };
            const message = stackError(all, process.cwd(), [key]);
            const example = key === "ingestToken" || key === "honeycombApiKey" ? "<value>" : "'{\"NAME\":\"value\"}'";
            assert.equal(message, `otel-lambda-collector:${key}: is stored in plain text in Pulumi.${pulumi.getStack()}.yaml (${all[key].length} characters); set it as a secret: pulumi config set --secret ${key} ${example}`);
            assert.ok(!message.includes("secret\"") && !message.includes("hcaik_secret") && !message.includes("t".repeat(40)), message);
        }
    });

    it("refuses a config key in a misspelt project namespace, naming the right one", () => {
        pulumi.runtime.setAllConfig({ "otel-lamda-collector:timeout": "10", "aws:region": "us-west-2", "pulumi:disable-default-providers": "[]" });
        assert.throws(() => stack.readStackConfig(), (err: Error) => pulumi.RunError.isInstance(err) && err.message ===
            "otel-lamda-collector:timeout: namespace \"otel-lamda-collector\" is not this project's, so the value would be ignored; use otel-lambda-collector:timeout (pulumi config rm 'otel-lamda-collector:timeout', then pulumi config set timeout ...)");
        pulumi.runtime.setAllConfig({ "aws:region": "us-west-2" });
        assert.doesNotThrow(() => stack.readStackConfig());
    });

    it("refuses an empty or space-padded collectorEnvironment value, without echoing it", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "collector-config-"));
        fs.writeFileSync(path.join(dir, "collector.yaml"), defaultCollectorConfig());
        assert.equal(stackError({ collectorConfigFile: "collector.yaml", collectorEnvironment: JSON.stringify({ VERB: "" }) }, dir),
            "otel-lambda-collector:collectorEnvironment.VERB: is empty, so the collector would read an empty string; set a value or remove the variable");
        assert.equal(stackError({ collectorConfigFile: "collector.yaml", collectorEnvironment: JSON.stringify({ VERB: "basic\t" }) }, dir),
            "otel-lambda-collector:collectorEnvironment.VERB: the 6-character value has space around it; remove it (the value is used exactly as written, never trimmed)");
        assert.equal(stackError({ collectorConfigFile: "collector.yaml", collectorEnvironment: "VERB=basic" }, dir),
            "otel-lambda-collector:collectorEnvironment: the 10-character value is not valid JSON; set it with pulumi config set --secret collectorEnvironment '{\"NAME\":\"value\"}'");
    });

    it("passes endpoints through exactly as written", () => {
        setStackConfig({ backend: "otlphttp", otlpEndpoint: "https://otlp.example.com/otlp" });
        assert.match(stack.readStackConfig().collectorConfig ?? "", /endpoint: https:\/\/otlp\.example\.com\/otlp\n/);
    });

    it("names collectorConfigFile and the file in the config's findings, and the backend for a preset's", () => {
        setStackConfig({ collectorConfigFile: "my.yaml" });
        assert.throws(() => stack.withStackKeys(project, () => new lib.LambdaCollector("file-findings", {
            collectorConfig: editDefaultConfig("verbosity: basic", "verbosity: ${env:DEBUG_VERBOSITY}"),
        })), (err: Error) => pulumi.RunError.isInstance(err) && /^otel-lambda-collector:collectorConfigFile \(my\.yaml\): exporters\.debug\.verbosity: references \$\{env:DEBUG_VERBOSITY\}[^\n]*\(line 24\)$/.test(err.message));
        setStackConfig({ backend: "debug" });
        assert.throws(() => stack.withStackKeys(project, () => new lib.LambdaCollector("preset-findings", {
            collectorConfig: editDefaultConfig("127.0.0.1:4318", "127.0.0.1:4319"),
        })), (err: Error) => pulumi.RunError.isInstance(err) && err.message.startsWith("otel-lambda-collector:backend: receivers.otlp.protocols.http.endpoint: listens on port 4319"));
    });

    it("names collectorConfigFile or collectorEnvironment in the 4 KB environment error", () => {
        const big = "x".repeat(5000);
        setStackConfig({ collectorConfigFile: "my.yaml", collectorEnvironment: JSON.stringify({ BIG: big }) });
        assert.throws(() => stack.withStackKeys(project, () => new lib.LambdaCollector("env-big", { environment: { BIG: big } })),
            (err: Error) => pulumi.RunError.isInstance(err) && /^otel-lambda-collector:collectorEnvironment\.BIG: environment: \d+ bytes is over Lambda's 4096-byte limit[^\n]*taking the space: BIG 5008 bytes from otel-lambda-collector:collectorEnvironment\.BIG, /.test(err.message), "the variable, its share and its key");
        setStackConfig({ collectorConfigFile: "my.yaml" });
        const padded = defaultCollectorConfig() + "\n" + Array.from({ length: 60 }, (_, i) => `# padding comment ${i} ${"-".repeat(60)}`).join("\n") + "\n";
        assert.throws(() => stack.withStackKeys(project, () => new lib.LambdaCollector("config-big", { collectorConfig: padded })),
            (err: Error) => pulumi.RunError.isInstance(err) && /^otel-lambda-collector:collectorConfigFile \(my\.yaml\): environment: \d+ bytes is over/.test(err.message));
    });

    describe("the 4 KB environment error names what takes the space, its stack key and the fixes that apply", () => {
        const sizeError = (values: Record<string, string>): string => {
            const message = stackError(values);
            assert.doesNotMatch(message, /\n/, "one line");
            assert.match(message, /bytes is over Lambda's 4096-byte limit/);
            return message;
        };
        it("a long API key: honeycombApiKey, not backend, and secretStore as a fix", () => {
            const message = sizeError({ backend: "honeycomb", honeycombApiKey: "k".repeat(3500) });
            assert.match(message, /^otel-lambda-collector:honeycombApiKey: environment: /);
            assert.match(message, /HONEYCOMB_API_KEY 3522 bytes from otel-lambda-collector:honeycombApiKey/);
            assert.match(message, /set otel-lambda-collector:secretStore to "secretsmanager"/);
            assert.doesNotMatch(message, /remove comments from the collector config/);
        });
        it("a long header: that otlpHeaders entry", () => {
            const message = sizeError({ backend: "otlphttp", otlpEndpoint: "https://o.example.com", otlpHeaders: JSON.stringify({ "x-api-key": "h".repeat(3600) }) });
            assert.match(message, /^otel-lambda-collector:otlpHeaders\.x-api-key: environment: /);
            assert.match(message, /OTLP_HEADER_X_API_KEY 3626 bytes from otel-lambda-collector:otlpHeaders\.x-api-key/);
        });
        it("many producers: the producers key, fewer producers and secretStore as fixes", () => {
            const producers = Array.from({ length: 70 }, (_, i) => `p${i}`);
            const message = sizeError({ producers: JSON.stringify(producers) });
            assert.match(message, /^otel-lambda-collector:producers: environment: /);
            assert.match(message, /COLLECTOR_INGEST_TOKENS \d+ bytes from otel-lambda-collector:producers/);
            assert.match(message, /name fewer otel-lambda-collector:producers \(each generated token takes 51 bytes\)/);
            assert.match(message, /set otel-lambda-collector:secretStore to "secretsmanager"/);
        });
        it("with secretsmanager, only the config is left to shorten", () => {
            const padded = defaultCollectorConfig() + "\n" + Array.from({ length: 60 }, (_, i) => `# padding comment ${i} ${"-".repeat(60)}`).join("\n") + "\n";
            const message = argsError({ collectorConfig: padded, secretStore: "secretsmanager" });
            assert.match(message, /taking the space: COLLECTOR_CONFIG \d+ bytes from collectorConfig/);
            assert.match(message, /to fit, shorten collectorConfig/);
            assert.doesNotMatch(message, /secretsmanager"/);
        });
    });

    it("sizes the preset exporters to the stack's timeout", () => {
        setStackConfig({ backend: "honeycomb", honeycombApiKey: "k", timeout: "10" });
        const config = stack.readStackConfig().collectorConfig ?? "";
        assert.match(config, /timeout: 3s/);
        assert.match(config, /max_elapsed_time: 5s/);
    });

    it("names the stack key for reserved collectorEnvironment keys", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "collector-config-"));
        fs.writeFileSync(path.join(dir, "collector.yaml"), defaultCollectorConfig());
        for (const key of ["AWS_LWA_PORT", "AWS_LWA_INVOKE_MODE", "PATH", "LD_PRELOAD", "AWS_REGION", "COLLECTOR_INGEST_TOKENS"]) {
            const message = stackError({ collectorConfigFile: "collector.yaml", collectorEnvironment: JSON.stringify({ [key]: "x" }) }, dir);
            assert.match(message, new RegExp(`^otel-lambda-collector:collectorEnvironment\\.${key}: [^\n]+$`));
        }
        assert.equal(stackError({ collectorConfigFile: "collector.yaml", collectorEnvironment: JSON.stringify({ AWS_LWA_PORT: "9999" }) }, dir),
            "otel-lambda-collector:collectorEnvironment.AWS_LWA_PORT: is a Lambda Web Adapter setting the image fixes (collector/Dockerfile); the component's port and invoke-mode checks rely on it; choose another name");
    });

    it("reads producers, their tokens, the secret store and the concurrency ceiling", () => {
        setStackConfig({
            producers: JSON.stringify(["web", "batch"]),
            producerTokens: JSON.stringify({ batch: "b".repeat(40) }),
            secretStore: "secretsmanager",
            reservedConcurrency: "25",
            memorySize: "1024",
        });
        const args = stack.readStackConfig();
        assert.deepEqual(args.producers, ["web", "batch"]);
        assert.deepEqual(Object.keys(args.producerTokens ?? {}), ["batch"]);
        assert.equal(args.secretStore, "secretsmanager");
        assert.equal(args.reservedConcurrency, 25);
        assert.equal(args.memorySize, 1024);
    });

    it("reads the pre-traffic check, dashboard and alarm settings", () => {
        setStackConfig({
            preTrafficCheck: "false",
            dashboard: "false",
            alarms: "true",
            alarmTopicArn: "arn:aws:sns:us-west-2:123456789012:alerts",
        });
        const args = stack.readStackConfig();
        assert.deepEqual([args.preTrafficCheck, args.dashboard, args.alarms, args.alarmTopicArn],
            [false, false, true, "arn:aws:sns:us-west-2:123456789012:alerts"]);
        assert.throws(() => stack.withStackKeys(project, () => new lib.LambdaCollector("topic", { alarmTopicArn: "alerts" })), (err: Error) =>
            pulumi.RunError.isInstance(err) && err.message === "otel-lambda-collector:alarmTopicArn: \"alerts\" is not an SNS topic ARN; pass a topic ARN such as arn:aws:sns:us-east-1:123456789012:alerts, or leave it unset");
    });

    it("names the stack key in the component's own errors, and in the backend presets'", () => {
        assert.throws(() => stack.withStackKeys(project, () => new lib.LambdaCollector("keys", { functionName: "my collector", timeout: 0 })), (err: Error) =>
            pulumi.RunError.isInstance(err) && err.message === [
                "otel-lambda-collector:timeout: 0 is not a whole number of seconds between 1 and 900; set timeout within that range",
                "otel-lambda-collector:functionName: \"my collector\" must be 1-64 letters, digits, hyphens or underscores",
            ].join("\n"));
        assert.equal(stackError({ backend: "honeycomb", honeycombApiKey: "k", honeycombMetricsDataset: "my dataset" }),
            "otel-lambda-collector:honeycombMetricsDataset: \"my dataset\" has \" \" at position 3, which a dataset name cannot carry; use up to 128 characters without spaces, quotes or backslashes");
    });

    it("reads a custom config file and its environment", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "collector-config-"));
        fs.writeFileSync(path.join(dir, "collector.yaml"), defaultCollectorConfig());
        setStackConfig({
            collectorConfigFile: "collector.yaml",
            collectorEnvironment: JSON.stringify({ EXTRA: "value" }),
        });
        const args = stack.readStackConfig(dir);
        assert.equal(args.collectorConfig, defaultCollectorConfig());
        assert.deepEqual(Object.keys(args.environment ?? {}), ["EXTRA"]);
    });
});
