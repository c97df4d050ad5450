// A team's own collector: the component from the package, a custom config that
// redacts an attribute, and a backend other than the default.
//
//   pulumi config set backendEndpoint https://otlp.example.com
//   pulumi config set --secret backendApiKey <key>
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { LambdaCollector } from "otel-lambda-collector";

const config = new pulumi.Config();

const collector = new LambdaCollector("collector", {
    // Read from the project folder, where Pulumi runs the program.
    collectorConfig: fs.readFileSync("collector.yaml", "utf8"),
    environment: {
        BACKEND_ENDPOINT: config.require("backendEndpoint"),
        BACKEND_API_KEY: config.requireSecret("backendApiKey"),
    },
    memorySize: 1024,
    logRetentionDays: 30,
});

export const url = collector.url;
export const tracesEndpoint = collector.tracesEndpoint;
export const producerEnvironment = collector.producerEnvironment;
