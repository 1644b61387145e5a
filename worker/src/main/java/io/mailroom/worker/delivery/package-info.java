/**
 * SMTP delivery: one mail through one service, on a pooled, already-authenticated connection of the
 * service's mailbox.
 *
 * <p>Rules of this package:
 * <ul>
 *   <li>{@link io.mailroom.worker.delivery.SmtpDelivery#send} never throws for what a server, the network
 *       or the identity platform does: every such failure comes back classified
 *       ({@link io.mailroom.core.failures.Failures}), with the stage it happened at and the authorization it
 *       used. Delivery decides nothing about the service (status, circuits): its caller does.</li>
 *   <li>Connections belong to a mailbox ({@link io.mailroom.worker.delivery.MailboxConnections}), owned by
 *       the scheduler's runtime of that mailbox, which never runs more sends than the mailbox allows. A
 *       connection counts against the mailbox from the moment it is opened until its socket is closed.
 *       It is used only while it is known good: probed with NOOP after a pause, replaced when broken,
 *       re-authenticated when its service's token changed, closed when the service changed or idled out.</li>
 *   <li>A send asks its {@link io.mailroom.worker.delivery.Fence} before MAIL FROM and before the final dot:
 *       a sender that no longer owns the mailbox or the mail hands nothing over.</li>
 *   <li>A failure after the final dot without the server's reply is unconfirmed: the server may have the
 *       mail. It is reported as such, never as a plain network error.</li>
 *   <li>TLS is not optional: STARTTLS required, TLS 1.2 or later, the server's identity checked, trust
 *       from the JVM or a configured SSL bundle, never trust-all.</li>
 *   <li>A mail's Message-ID comes from its requestId, so every retry of a request carries the same one.</li>
 *   <li>Logs name services and request ids, never tokens, passwords, addresses' content or message bodies.</li>
 * </ul>
 */
package io.mailroom.worker.delivery;
