"""A Python Lambda producer instrumented with the OpenTelemetry Python SDK.

One SERVER span per invocation with the semantic-convention FaaS attributes, exported
over OTLP/HTTP (protobuf) and flushed before the handler returns: Lambda freezes the
process after the response, and spans still queued in the batch processor would wait
for a thaw that may never come.

Configuration comes only from the standard variables (the collector stack's
producerEnvironment): OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS,
OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_TIMEOUT, which the
Python SDK reads in SECONDS (opentelemetry-exporter-otlp-proto-http 1.45.0,
_common._resolve_timeout: float(raw); DEFAULT_TIMEOUT = 10  # in seconds), unlike the
milliseconds of the JS, Java, Go and .NET SDKs.
"""

import logging
import os
import threading

from opentelemetry import propagate, trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import SpanKind

# Time kept back from the function's remaining time, so the handler returns before
# Lambda's own timeout turns the invocation into an error.
FLUSH_MARGIN_S = 1.0

logger = logging.getLogger("producer")


def _resource() -> Resource:
    env = os.environ
    attributes = {
        "cloud.provider": "aws",
        "cloud.platform": "aws_lambda",
        "cloud.region": env.get("AWS_REGION", ""),
        "faas.name": env.get("AWS_LAMBDA_FUNCTION_NAME", ""),
        "faas.version": env.get("AWS_LAMBDA_FUNCTION_VERSION", ""),
        "faas.instance": env.get("AWS_LAMBDA_LOG_STREAM_NAME", ""),
    }
    if env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"):
        # In bytes: the semantic conventions say the MiB value must be multiplied by 1,048,576.
        attributes["faas.max_memory"] = int(env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]) * 1048576
    if not env.get("OTEL_SERVICE_NAME"):
        # Resource.create gives attributes passed in code precedence over OTEL_SERVICE_NAME,
        # so only fall back to the function name when the variable is not set.
        attributes["service.name"] = env.get("AWS_LAMBDA_FUNCTION_NAME", "producer")
    return Resource.create(attributes)


# Module scope: runs once per cold start.
provider = TracerProvider(resource=_resource())
# add_span_processor, not TracerProvider(active_span_processor=...): that parameter takes
# a multi-span processor. Endpoint, headers and timeout come from OTEL_EXPORTER_OTLP_*.
provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
trace.set_tracer_provider(provider)
tracer = trace.get_tracer("collector-producer-example")
_cold_start = True


def trigger_of(event) -> str:
    """faas.trigger for a Lambda event: http, pubsub, datasource, timer or other."""
    if not isinstance(event, dict):
        return "other"
    if "requestContext" in event or "httpMethod" in event:
        return "http"
    if event.get("source") in ("aws.events", "aws.scheduler") or event.get("detail-type") == "Scheduled Event":
        return "timer"
    records = event.get("Records") or []
    source = (records[0].get("eventSource") or records[0].get("EventSource") or "") if records and isinstance(records[0], dict) else ""
    if source in ("aws:sqs", "aws:sns", "aws:kinesis"):
        return "pubsub"
    if source in ("aws:s3", "aws:dynamodb"):
        return "datasource"
    return "other"


def _flush(context) -> None:
    """Exports every ended span, waiting at most the function's remaining time less a margin.

    BatchSpanProcessor.force_flush ignores its timeout argument (opentelemetry-sdk 1.45.0,
    _shared_internal: "TODO: Fix force flush so the timeout is used", issue #4568) and
    blocks until the exporter returns, which OTEL_EXPORTER_OTLP_TIMEOUT bounds. A thread
    bounds it by the function's own deadline too. Export failures (401, 429 and 5xx after
    retries) are logged by the exporter itself; force_flush does not raise.
    """
    budget = max(0.0, context.get_remaining_time_in_millis() / 1000.0 - FLUSH_MARGIN_S)
    flusher = threading.Thread(target=provider.force_flush, daemon=True)
    flusher.start()
    flusher.join(budget)
    if flusher.is_alive():
        logger.error(
            "otel: span export did not finish within %.1f s (the function's remaining time less %.0f s); "
            "raise the function timeout above OTEL_EXPORTER_OTLP_TIMEOUT (seconds in Python)",
            budget,
            FLUSH_MARGIN_S,
        )


def work(event, context):
    """Replace with your own code; spans made here join the invocation's trace."""
    with tracer.start_as_current_span("say-hello"):
        return {"statusCode": 200, "body": '{"hello": "from the Python producer"}'}


def handler(event, context):
    global _cold_start
    trigger = trigger_of(event)
    headers = event.get("headers") if trigger == "http" and isinstance(event, dict) else None
    parent = propagate.extract(headers) if headers else None
    arn = context.invoked_function_arn or ""
    attributes = {
        "faas.trigger": trigger,
        "faas.invocation_id": context.aws_request_id,
        "faas.coldstart": _cold_start,
        "aws.lambda.invoked_arn": arn,
        "cloud.account.id": arn.split(":")[4] if arn.count(":") >= 4 else "",
    }
    _cold_start = False
    try:
        # The span ends (and records an exception) when the with-block exits, before the
        # flush below: flushing inside the block would leave this span for the next thaw.
        with tracer.start_as_current_span(context.function_name, context=parent, kind=SpanKind.SERVER, attributes=attributes):
            return work(event, context)
    finally:
        _flush(context)
