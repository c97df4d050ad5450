// Starts a policy pack the way the Pulumi CLI does (@pulumi/pulumi's run-policy-pack,
// in the pack's folder) and talks to it over its gRPC API on loopback, sending
// resource properties encoded as the engine encodes them.
import { spawn, type ChildProcess } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { AnalyzeDiagnostic, AnalyzeRequest, AnalyzerInfo, AnalyzerResourceOptions, AnalyzeResponse } from "@pulumi/pulumi/proto/analyzer_pb";

/** pulumirpc.EnforcementLevel.MANDATORY */
export const MANDATORY = 1;

export interface RunningPack {
    info(): Promise<AnalyzerInfo>;
    analyze(type: string, name: string, properties: Record<string, unknown>): Promise<AnalyzeDiagnostic[]>;
    stop(): void;
}

export async function startPack(packDir: string): Promise<RunningPack> {
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    // The first argument is the engine's address, used only for logging; nothing listens there.
    const server: ChildProcess = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
    const port = await new Promise<number>((resolve, reject) => {
        let out = "";
        let err = "";
        const timer = setTimeout(() => reject(new Error(`no port within 90 s; stderr: ${err}`)), 90_000);
        server.stdout?.on("data", (chunk: Buffer) => {
            out += chunk.toString();
            const match = /^(\d+)\s*$/m.exec(out);
            if (match) {
                clearTimeout(timer);
                resolve(Number(match[1]));
            }
        });
        server.stderr?.on("data", (chunk: Buffer) => {
            err += chunk.toString();
        });
        server.on("exit", (code) => reject(new Error(`run-policy-pack exited with ${code}: ${err}`)));
    });
    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return {
        info: () => new Promise((resolve, reject) => client.getAnalyzerInfo(new Empty(), (e, r) => (e ? reject(e) : resolve(r)))),
        analyze: (type, name, properties) => {
            const request = new AnalyzeRequest();
            request.setType(type);
            request.setName(name);
            request.setUrn(`urn:pulumi:dev::otel-lambda-collector::${type}::${name}`);
            request.setOptions(new AnalyzerResourceOptions()); // the CLI always sends options
            request.setProperties(Struct.fromJavaScript(properties as Parameters<typeof Struct.fromJavaScript>[0]));
            return new Promise((resolve, reject) =>
                client.analyze(request, (e, r: AnalyzeResponse) => (e ? reject(e) : resolve(r.getDiagnosticsList()))));
        },
        stop: () => {
            client.close();
            server.kill();
        },
    };
}
