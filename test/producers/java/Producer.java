// One span through the real OpenTelemetry Java SDK, configured only from the
// environment (AutoConfiguredOpenTelemetrySdk: OTEL_EXPORTER_OTLP_ENDPOINT, _HEADERS,
// _PROTOCOL, OTEL_SERVICE_NAME). The header value is decoded by the SDK itself
// (java.net.URLDecoder, where a literal "+" would become a space). Prints the trace id;
// exits 1 if the export did not succeed (the autoconfigured exporter is wrapped to see
// its result: the batch processor's forceFlush succeeds even when the export failed).
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

public class Producer {
    public static void main(String[] args) {
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
            .addSpanExporterCustomizer((exporter, config) -> new SpanExporter() {
                @Override
                public CompletableResultCode export(Collection<SpanData> spans) {
                    CompletableResultCode result = exporter.export(spans);
                    result.whenComplete(() -> (result.isSuccess() ? succeeded : failed).incrementAndGet());
                    return result;
                }

                @Override
                public CompletableResultCode flush() {
                    return exporter.flush();
                }

                @Override
                public CompletableResultCode shutdown() {
                    return exporter.shutdown();
                }
            })
            .build()
            .getOpenTelemetrySdk();
        Span span = sdk.getTracer("java-producer").spanBuilder(args.length > 0 ? args[0] : "java producer span").startSpan();
        String traceId = span.getSpanContext().getTraceId();
        span.end();
        sdk.getSdkTracerProvider().forceFlush().join(20, TimeUnit.SECONDS);
        sdk.close();
        System.out.println(traceId);
        System.exit(succeeded.get() > 0 && failed.get() == 0 ? 0 : 1);
    }
}
