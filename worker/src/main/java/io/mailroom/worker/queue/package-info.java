/**
 * The durable delivery queue: one {@code delivery} row per request, keyed by its requestId, that moves
 * QUEUED → SENDING → SENT | FAILED | EXPIRED, or to HELD while its service needs an admin, or is
 * REJECTED at intake. A row that reaches a final status carries {@code published_at = null} until its
 * {@link io.mailroom.contracts.SendResult} is on Kafka (an outbox).
 *
 * <p>Rules: a row is only ever changed by the worker that claimed it ({@code claimed_by}), or by the
 * owner of its service's lease when it takes over orphaned claims; every state change is a single SQL
 * statement so a killed worker leaves no half-done row; writes are batched because they are the
 * worker's main cost per message.
 */
package io.mailroom.worker.queue;
