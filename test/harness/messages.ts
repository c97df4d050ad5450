// The exact wording of the findings that many tests meet, written once. The table in
// test/rules/messages.test.ts proves each rule renders exactly this text; other tests
// build their expectations from these constants and assert what is theirs to assert
// (rule id, path, line, where the text appears), so a change of wording is one edit.

/** no-batch-processor, for a batch processor that a pipeline uses. */
export const BATCH_IN_PIPELINE = "the batch processor holds telemetry until its timeout, and Lambda freezes the collector after each response, so batched data is lost while producers see success; remove it and drop it from every pipeline";
/** no-batch-processor, for a batch processor no pipeline uses. */
export const BATCH_UNUSED = "the batch processor holds telemetry until its timeout, and Lambda freezes the collector after each response, so batched data is lost while producers see success; remove it (it is defined, even if no pipeline uses it)";
/** no-queued-exporter, for an exporter whose queue is on by default. */
export const QUEUE_ON_BY_DEFAULT = "sending_queue is enabled by default; set sending_queue.enabled: false";
/** retry-exceeds-timeout, for the exporter's default retry budget against a 30 s function. */
export const RETRY_DEFAULT_30S = "a backend that never answers holds the invocation for up to 330s: each attempt waits up to 30s (timeout, the otlp_http default), and retries go on for up to 300s (retry_on_failure.max_elapsed_time, the default); but the function times out after 30s and the export dies with it; set timeout and retry_on_failure.max_elapsed_time so that together they end below 30s";
