"""Runs examples/producer-python's handler as Lambda's Python runtime would: imported
once (a cold start), then invoked with a Function URL event and a context object. The
SDK is configured only from the environment (the collector's producerEnvironment).
Prints the handler's response as JSON."""

import json
import os
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "producer-python", "app"))

import handler  # noqa: E402  (the example's module scope runs here, as at a cold start)


class Context:
    """The attributes of the Lambda context object the handler reads (awslambdaric LambdaContext)."""

    def __init__(self, name, timeout_s):
        self.function_name = name
        self.function_version = "$LATEST"
        self.aws_request_id = str(uuid.uuid4())
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{name}"
        self._deadline = time.monotonic() + timeout_s

    def get_remaining_time_in_millis(self):
        return int(max(0.0, self._deadline - time.monotonic()) * 1000)


event = {"version": "2.0", "routeKey": "$default", "rawPath": "/", "rawQueryString": "", "headers": {"host": "local"},
         "requestContext": {"http": {"method": "GET", "path": "/"}}, "isBase64Encoded": False}
response = handler.handler(event, Context(os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "producer-python"), 15))
print(json.dumps(response))
