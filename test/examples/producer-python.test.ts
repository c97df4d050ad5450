// examples/producer-python under mocks: the image is built from app/ for the function's
// architecture, the function runs it by digest, and its environment is the collector's
// secret producerEnvironment plus OTEL_SERVICE_NAME and an export timeout in SECONDS
// (the Python SDK's unit). The handler itself is only compiled here; it runs for real,
// with the SDK from PyPI, in test/local/producers.integration.ts.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { before, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, MOCK, only, projectRoot, secretInput, settle, value } from "../harness/mocks";

const COLLECTOR_STACK = "organization/otel-lambda-collector/dev";
const exampleDir = path.join(projectRoot, "examples", "producer-python");
const producerEnvironment = {
    OTEL_EXPORTER_OTLP_ENDPOINT: MOCK.functionUrl.replace(/\/$/, ""),
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
    OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${MOCK.token}`,
};
let program: typeof import("../../examples/producer-python/index");

before(async () => {
    pulumi.runtime.setAllConfig({ "collector-producer-python:collectorStack": COLLECTOR_STACK });
    await installMocks({
        project: "collector-producer-python",
        stackReferences: {
            [COLLECTOR_STACK]: {
                outputs: { producerEnvironment, tracesEndpoint: `${MOCK.functionUrl}v1/traces` },
                secretOutputNames: ["producerEnvironment"],
            },
        },
    });
    process.chdir(exampleDir);
    program = await import("../../examples/producer-python/index");
    await value(program.producerFunctionName);
    await settle();
});

it("gives the function the OTLP variables, its service name and the export timeout in seconds, as a secret", () => {
    const environment = secretInput(only("aws:lambda/function:Function").inputs.environment);
    assert.equal(environment.secret, true);
    assert.deepEqual(environment.value, {
        variables: { ...producerEnvironment, OTEL_EXPORTER_OTLP_TIMEOUT: "15", OTEL_SERVICE_NAME: "producer-python-example" },
    });
});

it("runs the image built from app/ by digest, on the architecture it was built for", () => {
    const image = only("docker-build:index:Image").inputs as { context: { location: string }; platforms: string[]; push: boolean };
    assert.equal(image.context.location, "./app");
    assert.ok(fs.existsSync(path.join(exampleDir, image.context.location, "Dockerfile")));
    const fn = only("aws:lambda/function:Function").inputs as { packageType: string; imageUri: string; architectures: string[]; timeout: number };
    assert.equal(fn.packageType, "Image");
    assert.equal(fn.imageUri, `${MOCK.repositoryUrl}@${MOCK.digest}`);
    assert.deepEqual(image.platforms, ["linux/amd64"]);
    assert.deepEqual(fn.architectures, ["x86_64"]);
    assert.equal(fn.timeout, 30);
});

it("refuses an export timeout written in milliseconds, naming the stack key", () => {
    assert.throws(() => program.checkTimeouts(15000, 30), /^Error: collector-producer-python:exportTimeoutS: 15000 is not a number of SECONDS/);
    assert.throws(() => program.checkTimeouts(15, 16), /^Error: collector-producer-python:functionTimeout: 16 s leaves no room/);
    assert.doesNotThrow(() => program.checkTimeouts(15, 30));
});

it("ships a handler that compiles, and an image that installs the pinned SDK next to it", (t) => {
    const app = path.join(exampleDir, "app");
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "pyc-"));
    try {
        execFileSync("python3", ["-c", "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)", path.join(app, "handler.py"), path.join(out, "handler.pyc")]);
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return t.skip("python3 is not installed");
        throw error;
    } finally {
        fs.rmSync(out, { recursive: true, force: true });
    }
    const requirements = fs.readFileSync(path.join(app, "requirements.txt"), "utf8");
    for (const pkg of ["opentelemetry-api", "opentelemetry-sdk", "opentelemetry-exporter-otlp-proto-http"]) {
        assert.match(requirements, new RegExp(`^${pkg}==\\d+\\.\\d+\\.\\d+$`, "m"), `${pkg} pinned`);
    }
    const dockerfile = fs.readFileSync(path.join(app, "Dockerfile"), "utf8");
    assert.match(dockerfile, /^FROM public\.ecr\.aws\/lambda\/python:3\.12$/m);
    assert.match(dockerfile, /pip install .*-r \$\{LAMBDA_TASK_ROOT\}\/requirements\.txt --target \$\{LAMBDA_TASK_ROOT\}/);
    assert.match(dockerfile, /^CMD \["handler\.handler"\]$/m);
});
