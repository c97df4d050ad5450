// One span through the real OpenTelemetry JS SDK and its OTLP/HTTP protobuf exporter,
// configured only from the environment (the exporter reads OTEL_EXPORTER_OTLP_ENDPOINT
// and OTEL_EXPORTER_OTLP_HEADERS itself). Prints the trace id; exits 1 if the export
// did not succeed. Run by test/harness/sdk-producers.ts from dist/.
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { BasicTracerProvider, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";

const results: ExportResult[] = [];
const inner = new OTLPTraceExporter();
const recording: SpanExporter = {
    export: (spans: ReadableSpan[], done: (result: ExportResult) => void) => inner.export(spans, (result) => {
        results.push(result);
        done(result);
    }),
    shutdown: () => inner.shutdown(),
};
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(recording)] });
const span = provider.getTracer("node-producer").startSpan(process.argv[2] ?? "node producer span");
const traceId = span.spanContext().traceId;
span.end();
void provider.shutdown().then(() => {
    process.stdout.write(`${traceId}\n`);
    const failed = results.find((r) => r.code !== ExportResultCode.SUCCESS);
    if (results.length === 0 || failed) {
        process.stderr.write(`export failed: ${failed?.error?.message ?? "nothing exported"}\n`);
        process.exitCode = 1;
    }
});
