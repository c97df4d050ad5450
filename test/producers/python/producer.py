"""One span through the real OpenTelemetry Python SDK and its OTLP/HTTP exporter,
configured only from the environment (the exporter reads OTEL_EXPORTER_OTLP_ENDPOINT
and OTEL_EXPORTER_OTLP_HEADERS itself, and unquotes the header value). Prints the trace
id; exits 1 if the export did not succeed."""

import sys

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult


class Recording(SpanExporter):
    def __init__(self, inner):
        self.inner = inner
        self.results = []

    def export(self, spans):
        result = self.inner.export(spans)
        self.results.append(result)
        return result

    def shutdown(self):
        self.inner.shutdown()


recording = Recording(OTLPSpanExporter())
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(recording))
span = provider.get_tracer("python-producer").start_span(sys.argv[1] if len(sys.argv) > 1 else "python producer span")
trace_id = format(span.get_span_context().trace_id, "032x")
span.end()
provider.shutdown()
print(trace_id)
sys.exit(0 if recording.results and all(r == SpanExportResult.SUCCESS for r in recording.results) else 1)
