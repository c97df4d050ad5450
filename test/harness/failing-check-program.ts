// A program run in its own process, as `pulumi up` runs one, whose pre-traffic check
// fails: the verdict's RunError surfaces as an unhandled rejection, which node:test
// would pin on whichever test is running. Prints what was registered and reported.
// Usage: node failing-check-program.js <name>=<status with a token>,<status without> ...
// builds one collector per argument, named <name>, whose check answers those statuses.
import { adapterResponse, failedCreates, installMocks, record, settle } from "./mocks";

async function main(): Promise<void> {
    const cases = new Map(process.argv.slice(2).map((arg) => {
        const [name, statuses] = arg.split("=");
        return [name, statuses.split(",").map(Number)] as const;
    }));
    const errors: { message: string; runError: boolean }[] = [];
    const onError = (reason: unknown) => errors.push({
        message: reason instanceof Error ? reason.message : String(reason),
        runError: (reason as { __pulumiRunError?: boolean } | null)?.__pulumiRunError === true,
    });
    process.on("unhandledRejection", onError);
    process.on("uncaughtException", onError);
    await installMocks({
        invocation: (event, inputs) => answer(cases.get(String(inputs.functionName).replace(/-9f8e7d6c$/, "")) ?? [200, 401], event),
    });
    const recorder = record();
    const { LambdaCollector } = await import("../../components/lambda/lambda-collector");
    for (const name of cases.keys()) new LambdaCollector(name);
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stored = recorder.resources.filter((r) => !failedCreates.some((f) => f.name === r.name && f.type === r.type));
    // Exit once the (large) report is flushed to the pipe.
    process.stdout.write(JSON.stringify({ resources: stored.map((r) => ({ type: r.type, name: r.name })), errors, failedCreates }), () => process.exit(0));
}

function answer([withToken, withoutToken]: readonly number[], event: Record<string, unknown>): string {
    return (event.headers as Record<string, string>).authorization
            ? adapterResponse(withToken, withToken === 200 ? new Uint8Array() : "exporting failed: 403 Forbidden from api.honeycomb.io", withToken === 200 ? "application/x-protobuf" : "text/plain")
            : adapterResponse(withoutToken, withoutToken === 200 ? new Uint8Array() : "Unauthorized", withoutToken === 200 ? "application/x-protobuf" : "text/plain");
}

void main();
