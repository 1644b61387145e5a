/**
 * W3C trace context ({@code traceparent}) carried from a producer's record headers through the worker to
 * the result event and into the logs, so one mail's journey can be followed across systems.
 */
package io.mailroom.core.tracing;
