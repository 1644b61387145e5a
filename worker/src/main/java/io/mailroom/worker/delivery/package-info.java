/**
 * SMTP delivery: one mail through one service, on a pooled, already-authenticated connection.
 *
 * <p>Rules of this package:
 * <ul>
 *   <li>{@link io.mailroom.worker.delivery.SmtpDelivery#send} never throws for what a server, the network
 *       or the identity platform does: every such failure comes back classified
 *       ({@link io.mailroom.core.failures.Failures}), for the scheduler to retry, fail or hold.</li>
 *   <li>Connections are kept per service and reused across mails (no connect, TLS handshake and AUTH per
 *       mail); a service never has more open than its {@code maxConnections}. A connection is used only
 *       while it is known good: probed with NOOP after a pause, replaced when broken, re-authenticated
 *       when the service's token changed, closed when the service changed or idled out.</li>
 *   <li>TLS is not optional: STARTTLS required, TLS 1.2 or later, the server's identity checked, trust
 *       from the JVM or a configured SSL bundle, never trust-all.</li>
 *   <li>A mail's Message-ID comes from its requestId, so every retry of a request carries the same one.</li>
 *   <li>Nothing here waits on a lock that another service's sends need.</li>
 *   <li>Logs name services and request ids, never tokens, passwords, addresses' content or message bodies.</li>
 * </ul>
 */
package io.mailroom.worker.delivery;
