/**
 * Result events: one {@link io.mailroom.contracts.SendResult} per request on {@code mail.send-results},
 * published from the delivery table (an outbox) after the outcome is committed. A result is marked
 * published only once Kafka acknowledged it; whatever a crash left unpublished is published again, so
 * consumers see each result at least once and deduplicate by requestId. Each result record carries, in its
 * {@code traceparent} header, the span that published it: the request's trace goes on to the consumer
 * ({@link io.mailroom.core.tracing}).
 */
package io.mailroom.worker.results;
