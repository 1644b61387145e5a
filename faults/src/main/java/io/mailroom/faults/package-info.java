/**
 * The fault suite behind {@code ./run-faults}: Mailroom's real processes (two workers and the api from their
 * executable jars, a KRaft broker, a PostgreSQL server) and the Microsoft stand-in with Exchange Online's
 * limits, flooded with mail while one fault at a time is injected, then a ledger of what came out checked
 * against the goals (see {@code docs/reliability.md}).
 *
 * <p>Rules: the suite observes Mailroom only from outside, as a product and Microsoft would: requests on
 * {@code mail.send-requests}, results and dead letters on the topics, rows of the {@code delivery} table,
 * and what the stand-in received and refused. It never calls the worker's code. Each scenario gets services
 * and mailboxes of its own on the same processes, so its ledger counts nothing of another scenario, while
 * the processes carry whatever earlier faults left in them, as in production. {@link Ledger} and
 * {@link Goals} are pure functions of what was observed, so that what a figure means is tested without
 * processes.
 */
package io.mailroom.faults;
