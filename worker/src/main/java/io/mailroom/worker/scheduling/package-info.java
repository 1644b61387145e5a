/**
 * Per-mailbox dispatch: the answer to "one slow mailbox must not hold up everyone else", within each
 * mailbox's limits, across all workers.
 *
 * <p>Kafka is only the intake; once stored, a mailbox's mail (the mail of every service that logs in as
 * it) is dispatched by the {@link io.mailroom.worker.scheduling.MailboxRuntime} of the one worker holding
 * the mailbox's lease. A runtime owns everything about its mailbox here: the lease and its generation,
 * the claimed mail, the sliding minute's permits (and the day's, where the host has a daily limit: Gmail), the SMTP
 * sessions. It sends transactional mail before bulk, within the mailbox's rate (messages per minute and per day)
 * and connection limits, and never blocks a thread
 * to wait: with nothing to do now it schedules its own wake-up, and mail that must wait longer (retries,
 * notBefore) goes back to the queue with its next attempt time. Runtimes of different mailboxes share
 * nothing but the virtual-thread executor, so a throttled, failing, slow or held mailbox delays only its
 * own mail.
 *
 * <p>Rules:
 * <ul>
 *   <li>Only {@link io.mailroom.worker.scheduling.Dispatcher} is public; runtimes, circuits, rate windows
 *       and claims are internals.</li>
 *   <li>A lease is a fence. A runtime relies on its lease only until a margin before it lapses (by its own
 *       clock, from the start of its last renewal): no SMTP transaction starts after that, and it hands back
 *       what it holds. A mail is completed only while its claim surely lasts. Renewals run on their own
 *       thread and database connections.</li>
 *   <li>Limits belong to the mailbox and hold across workers: the minute's permits are saved with the
 *       lease for the next owner; a new owner leaves room for the sessions a previous owner may still hold
 *       open; a runtime never claims more than its free permits.</li>
 *   <li>Settlement is bounded: a runtime stops claiming and sending while too many of its outcomes are
 *       unwritten; an outcome the database refuses is written without its free text, never retried
 *       forever.</li>
 *   <li>What a failure means is decided in one place each: for the mail in
 *       {@code MailboxRuntime#decide}, for the service by
 *       {@link io.mailroom.core.services.ServiceStatusChanges#attemptFailed} (always with the
 *       authorization that failed), for circuits by {@link io.mailroom.worker.scheduling.Circuits}
 *       (SMTP failures against the mailbox and host, token failures against the tenant's identity
 *       authority).</li>
 *   <li>An SMTP host's circuit counts mailboxes, not calls: it opens only when most of the mailboxes that used
 *       the host lately failed their last attempt, never because a few mailboxes fail many times (their own
 *       circuits pause them); half-open, each mailbox makes one trial call at a time (ADR 0017).</li>
 *   <li>A used-up daily limit holds the mailbox's mail until the window frees up, not a failure; what was sent in
 *       the window is read from the delivery log when a runtime starts (ADR 0016).</li>
 *   <li>Every mail has a deadline; nothing is retried, paused or held past it.</li>
 * </ul>
 */
package io.mailroom.worker.scheduling;
