// One span through the real OpenTelemetry Go SDK and its OTLP/HTTP exporter
// (otlptracehttp), configured only from the environment: the exporter reads
// OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_HEADERS itself (its envconfig
// percent-decodes header values). Prints the trace id; exits 1 if the export failed.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	exporter, err := otlptracehttp.New(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "exporter:", err)
		os.Exit(1)
	}
	// A synchronous processor: ExportSpans's error is the collector's answer.
	recorder := &recordingExporter{SpanExporter: exporter}
	provider := sdktrace.NewTracerProvider(sdktrace.WithSyncer(recorder))
	name := "go producer span"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	_, span := provider.Tracer("go-producer").Start(ctx, name)
	traceID := span.SpanContext().TraceID().String()
	span.End()
	_ = provider.Shutdown(ctx)
	fmt.Println(traceID)
	if recorder.err != nil {
		fmt.Fprintln(os.Stderr, "export:", recorder.err)
		os.Exit(1)
	}
}

type recordingExporter struct {
	sdktrace.SpanExporter
	err error
}

func (r *recordingExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	if err := r.SpanExporter.ExportSpans(ctx, spans); err != nil {
		r.err = err
		return err
	}
	return nil
}
