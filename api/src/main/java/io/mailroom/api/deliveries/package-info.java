/**
 * The delivery log as admins read it: the worker's {@code delivery} and {@code delivery_attempt} rows of a
 * service, filtered and paged, one request with its attempts, and how much mail a service holds.
 *
 * <p>Rules: read-only (the worker owns these tables); every query is scoped to the caller's account and,
 * where a service is named, to a service the caller owns; message bodies are never read.
 */
package io.mailroom.api.deliveries;
