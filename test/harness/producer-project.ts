// A copy of examples/producer-ts as `npm ci --omit=dev --prefix handler` leaves it, for
// running its Pulumi program under mocks in its project folder as `pulumi up` would.
// The SDK's node_modules are stubbed by the one file the program checks for; the real
// install is exercised by test/examples/producer-readme.integration.ts.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectRoot } from "./paths";

export function preparedProducerProject(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "producer-ts-"));
    fs.cpSync(path.join(projectRoot, "examples", "producer-ts", "handler"), path.join(dir, "handler"), {
        recursive: true,
        filter: (source) => !source.includes(`${path.sep}node_modules`),
    });
    const sdk = path.join(dir, "handler", "node_modules", "@opentelemetry", "sdk-trace-node");
    fs.mkdirSync(sdk, { recursive: true });
    fs.writeFileSync(path.join(sdk, "package.json"), "{}\n");
    return dir;
}

/** The producer example's program, run under mocks in a prepared copy of its folder. */
export interface LoadedProducer {
    readonly program: typeof import("../../examples/producer-ts/index");
    /** The prepared project folder the program runs in. */
    readonly dir: string;
    /** Returns to the previous folder and removes the copy. */
    readonly cleanup: () => void;
}

/**
 * Runs examples/producer-ts as `pulumi up` would: with `config` (keys without the
 * `collector-producer:` namespace), a collector stack `stack` whose outputs are
 * `outputs` (the names in `secretOutputNames` secret), in its prepared project folder.
 */
export async function loadProducerExample(stack: string, config: Record<string, string>, outputs: Record<string, unknown>, secretOutputNames: string[]): Promise<LoadedProducer> {
    const pulumi = await import("@pulumi/pulumi");
    const { installMocks, settle, value } = await import("./mocks");
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries({ collectorStack: stack, ...config }).map(([k, v]) => [`collector-producer:${k}`, v])));
    await installMocks({ project: "collector-producer", stackReferences: { [stack]: { outputs, secretOutputNames } } });
    const cwd = process.cwd();
    const dir = preparedProducerProject();
    process.chdir(dir); // Pulumi runs a program in its project folder.
    const program = await import("../../examples/producer-ts/index");
    await value(program.producerFunctionName);
    await settle();
    return {
        program,
        dir,
        cleanup: () => {
            process.chdir(cwd);
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
