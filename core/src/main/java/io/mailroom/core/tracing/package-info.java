/**
 * The trace of a mail: Micrometer Tracing spans over OpenTelemetry (ADR 0014), continuing the producer's
 * W3C {@code traceparent} record header and handing it on with the result.
 *
 * <p>Rules:
 * <ul>
 *   <li>One trace per request. Intake continues the producer's trace (or starts one) and stores its own
 *       span's {@code traceparent} with the request; every later span of the request (queue wait, each
 *       send attempt, the result) is a child of that, read back from the row
 *       ({@link io.mailroom.core.tracing.TraceContexts}).</li>
 *   <li>Span and attribute names are those of {@link io.mailroom.core.tracing.MailSpans}, nowhere else.</li>
 *   <li>Attributes carry ids, codes and outcomes: never an address, a subject, a body, a token, a password
 *       or a server's free text (which may quote an address).</li>
 *   <li>No header, however malformed, fails a mail: a trace context that cannot be read starts a new trace.</li>
 * </ul>
 */
package io.mailroom.core.tracing;
