/**
 * The durable delivery queue: one {@code delivery} row per request, keyed by its requestId, that moves
 * QUEUED → SENDING → SENT | FAILED | EXPIRED, or to HELD while its service needs an admin, or is
 * REJECTED at intake; and the mailbox leases that say which worker may dispatch a mailbox's mail. The
 * statement that makes a row final also puts it in {@code unpublished_result} (the outbox), where it stays
 * until its {@link io.mailroom.contracts.SendResult} is on Kafka.
 *
 * <p>Rules:
 * <ul>
 *   <li>A lease is a fence: a claim proves the lease generation it is made under in the same transaction
 *       (the lease row stays locked until the claim commits), and a release proves it too.</li>
 *   <li>A claimed row is changed only by the worker that claimed it, proving its claim (worker and
 *       generation), until the claim lapses by the database's clock; only then does housekeeping put it
 *       back. Taking a lease over never touches the previous owner's claims.</li>
 *   <li>Every state change is a single SQL statement (or one transaction), so a killed worker leaves no
 *       half-done row; writes are batched because they are the worker's main cost per message, and a batch is
 *       one statement (its rows as arrays, {@code unnest}), not one per row.</li>
 *   <li>Every queued row has a deadline ({@code expires_at}, see {@link io.mailroom.worker.queue.Deadlines}):
 *       nothing waits forever.</li>
 * </ul>
 */
package io.mailroom.worker.queue;
