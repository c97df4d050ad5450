// What the stack program renders for one stack, without the Pulumi CLI or AWS: the
// program (index.ts) runs under Pulumi's mock engine (pulumi.runtime.setMocks, as the
// tests run it) with the stack's Pulumi.<stack>.yaml, and the function's environment
// is read from the registered aws.lambda.Function. Generated tokens are fresh ones
// (a deployed stack's tokens are in its state, which only the CLI can read).
import * as fs from "node:fs";
import * as path from "node:path";
import { parseKeyPairsIntoRecord } from "@opentelemetry/core";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { IMAGE, TOKENS_ENV_VAR } from "../rules/lambda-facts";
import { generateToken } from "./function-environment";
import type { Producer } from "./local-collector";

/** A stack that cannot be rendered, in one line with the fix. */
export class StackRenderError extends Error {}

export interface RenderedStack {
    readonly config: string;
    /** The function's variables other than the config and the tokens, which the local run sets itself. */
    readonly environment: Record<string, string>;
    readonly producers: Producer[];
}

/** Renders `Pulumi.<stack>.yaml` of the project in `projectDir` (which holds Pulumi.yaml and index.ts). */
export async function renderStack(stack: string, projectDir: string): Promise<RenderedStack> {
    const stackFile = path.join(projectDir, `Pulumi.${stack}.yaml`);
    const projectFile = path.join(projectDir, "Pulumi.yaml");
    if (!fs.existsSync(stackFile) || !fs.existsSync(projectFile)) {
        throw new StackRenderError(`--stack: no Pulumi.${stack}.yaml beside a Pulumi.yaml in ${projectDir}; run from the project folder, or give the config with --config`);
    }
    const project = String((parse(fs.readFileSync(projectFile, "utf8")) as { name?: unknown }).name ?? "");
    const doc = parse(fs.readFileSync(stackFile, "utf8")) as { config?: Record<string, unknown> } | null;
    const config: Record<string, string> = {};
    for (const [key, raw] of Object.entries(doc?.config ?? {})) {
        if (typeof raw === "object" && raw !== null && "secure" in raw) {
            throw new StackRenderError(`--stack: ${key} is encrypted in Pulumi.${stack}.yaml, and only the Pulumi CLI can decrypt it; give the config with --config and the secret with --env`);
        }
        config[key] = typeof raw === "string" ? raw : JSON.stringify(raw);
    }
    pulumi.runtime.setAllConfig(config);
    let variables: Record<string, unknown> | undefined;
    await pulumi.runtime.setMocks({
        newResource(args) {
            const inputs = args.inputs as Record<string, unknown>;
            if (args.type === "aws:lambda/function:Function") {
                const environment = unwrapSecret(inputs.environment) as { variables?: Record<string, unknown> } | undefined;
                // The collector's function, not the deploy runner beside it.
                if (environment?.variables?.[IMAGE.configVariable] !== undefined) variables = environment.variables;
                return { id: `${args.name}-id`, state: { ...inputs, arn: `arn:aws:lambda:us-east-1:000000000000:function:${String(inputs.name)}`, version: "1", lastModified: "2026-01-01T00:00:00.000+0000" } };
            }
            return { id: `${args.name}-id`, state: { ...inputs, ...outputsOf(args.type, inputs) } };
        },
        call(args) {
            if (args.token === "aws:index/getRegion:getRegion") return { id: "us-east-1", region: "us-east-1", name: "us-east-1" };
            if (args.token === "aws:ecr/getAuthorizationToken:getAuthorizationToken") return { userName: "AWS", password: "local", proxyEndpoint: "https://000000000000.dkr.ecr.us-east-1.amazonaws.com" };
            return {};
        },
    }, project, stack, false);
    let program: { producerEnvironments?: pulumi.Output<Record<string, Record<string, string>>> };
    try {
        if (!require.extensions[".ts"]) {
            // The compiled bin loads the TypeScript program as Pulumi does: with ts-node.
            let tsNode: { register(options: object): unknown };
            try {
                tsNode = require("ts-node") as typeof tsNode;
            } catch {
                throw new StackRenderError(`--stack: loading ${path.join(projectDir, "index.ts")} needs ts-node; run \`npm ci\` in the project folder`);
            }
            tsNode.register({ transpileOnly: true, project: path.join(projectDir, "tsconfig.json") });
        }
        program = require(path.join(projectDir, "index")) as typeof program;
    } catch (error) {
        if (error instanceof StackRenderError) throw error;
        // The stack program's own one-line errors (stack-config.ts) are RunErrors.
        throw new StackRenderError(`--stack ${stack}: ${(error as Error).message.split("\n")[0]}`);
    }
    if (program.producerEnvironments === undefined) {
        throw new StackRenderError(`--stack: ${projectDir}/index.ts exports no producerEnvironments; it is not this project's stack program`);
    }
    const environments = await new Promise<Record<string, Record<string, string>>>((resolve) => program.producerEnvironments!.apply(resolve));
    if (variables === undefined) throw new StackRenderError(`--stack ${stack}: the program registered no Lambda function`);
    const plain: Record<string, string> = {};
    for (const [key, value] of Object.entries(variables)) {
        const known = unwrapSecret(value);
        if (typeof known === "string") plain[key] = known;
    }
    const { [IMAGE.configVariable]: collectorConfig, [TOKENS_ENV_VAR]: _tokens, ...environment } = plain;
    if (collectorConfig === undefined) throw new StackRenderError(`--stack ${stack}: the function has no ${IMAGE.configVariable}; secretStore "secretsmanager" is not supported locally, give --config instead`);
    const producers = Object.entries(environments).map(([name, producer]) => {
        const authorization = parseKeyPairsIntoRecord(producer.OTEL_EXPORTER_OTLP_HEADERS ?? "").authorization ?? "";
        return { name, token: authorization.replace(/^Bearer /, "") };
    });
    return { config: collectorConfig, environment, producers };
}

/** A mock input's value: the engine passes a secret as Pulumi's wire-format wrapper. */
function unwrapSecret(value: unknown): unknown {
    const wrapper = value as Record<string, unknown> | null;
    return typeof wrapper === "object" && wrapper !== null && wrapper[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig ? wrapper.value : value;
}

/** Outputs the program reads from its other resources, with local stand-ins. */
function outputsOf(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (type) {
        case "random:index/randomPassword:RandomPassword":
            return { result: pulumi.secret(generateToken(Number(inputs.length) || 48)) };
        case "random:index/randomId:RandomId":
            return { hex: "10ca1000" };
        case "aws:ecr/repository:Repository":
            return { name: "local", repositoryUrl: "000000000000.dkr.ecr.us-east-1.amazonaws.com/local", registryId: "000000000000" };
        case "docker-build:index:Image":
            return { digest: `sha256:${"0".repeat(64)}` };
        case "aws:iam/role:Role":
            return { name: "local", arn: "arn:aws:iam::000000000000:role/local" };
        case "aws:lambda/functionUrl:FunctionUrl":
            return { functionUrl: "http://127.0.0.1/" };
        case "aws:lambda/invocation:Invocation":
            // The pre-traffic check's verdict is not what a local run renders; a healthy answer lets the program finish.
            return { result: JSON.stringify({ statusCode: String(unwrapSecret(inputs.input)).includes('"authorization"') ? 200 : 401, headers: {}, isBase64Encoded: false }) };
        case "aws:secretsmanager/secret:Secret":
            return { arn: "arn:aws:secretsmanager:us-east-1:000000000000:secret:local" };
        case "aws:secretsmanager/secretVersion:SecretVersion":
            return { versionId: "local" };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { arn: `arn:aws:logs:us-east-1:000000000000:log-group:${String(inputs.name)}:*` };
        default:
            // Any other resource's ARN, for the policies that name it.
            return { arn: `arn:aws:${type.split(":")[1]?.split("/")[0] ?? "local"}:us-east-1:000000000000:${type.split(":")[2] ?? "resource"}/local` };
    }
}
