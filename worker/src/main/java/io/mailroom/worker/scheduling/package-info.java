/**
 * Per-service dispatch: the answer to "one slow mailbox must not hold up everyone else".
 *
 * <p>Kafka is only the intake; once stored, a service's mail is dispatched by a {@link Lane} of the one
 * worker that holds the service's lease. A lane sends transactional mail before bulk, within the
 * service's rate (messages per minute) and connection limits, and never blocks a thread to wait: a lane
 * with nothing to do now schedules its own wake-up, and mail that must wait longer (retries, notBefore,
 * an open circuit) goes back to the queue with its next attempt time. Lanes of different services share
 * nothing but the virtual-thread executor, so a throttled, failing, slow or held service delays only its
 * own mail.
 *
 * <p>Rules: only {@link Dispatcher} is public; lanes, leases, rate windows and breakers are internals.
 */
package io.mailroom.worker.scheduling;
