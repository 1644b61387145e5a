package io.mailroom.worker.scheduling;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.mailroom.contracts.SmtpReply;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.tracing.MailSpans;
import io.mailroom.core.tracing.TraceContexts;
import io.mailroom.worker.delivery.DeliveryOutcome;
import io.mailroom.worker.queue.Outcome;
import io.mailroom.worker.queue.QueuedMail;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

/**
 * The spans of one delivery attempt, children of the request's intake span: the two waits before it,
 * recorded when the send starts with their real start times (due → claimed, claimed → sending), and the
 * send itself, which is current (and so in the logs' MDC) on the sending thread until it is closed.
 */
final class SendSpan implements AutoCloseable {

	private final Span span;

	private final Tracer.SpanInScope scope;

	private boolean ended;

	private SendSpan(Span span, Tracer.SpanInScope scope) {
		this.span = span;
		this.scope = scope;
	}

	static SendSpan start(TraceContexts traces, QueuedMail mail, SmtpService service, Instant claimedAt,
			Instant now) {
		Span span = traces.continuing(mail.traceparent()).name(MailSpans.SEND).kind(Span.Kind.CLIENT).start();
		// a trace nobody records (most of those the worker starts itself) gets only the send span, whose
		// scope still puts the trace id in the send's log lines: the waits and the attributes would be dropped
		if (!span.isNoop()) {
			span.tag(MailSpans.REQUEST_ID, mail.requestId().toString())
				.tag(MailSpans.SERVICE_ID, mail.serviceId().toString())
				.tag(MailSpans.ATTEMPT, mail.attempts() + 1)
				.tag(MailSpans.SERVER_ADDRESS, service.host())
				.tag(MailSpans.SERVER_PORT, service.port());
			Instant due = mail.dueAt() == null || mail.dueAt().isAfter(claimedAt) ? claimedAt : mail.dueAt();
			recorded(traces, MailSpans.QUEUE_WAIT, mail, due, claimedAt);
			recorded(traces, MailSpans.DISPATCH_WAIT, mail, claimedAt, now);
		}
		return new SendSpan(span, traces.tracer().withSpan(span));
	}

	/** What the attempt came to: the outcome, and the server's reply codes or the failure's code. */
	void ended(DeliveryOutcome result, Outcome outcome) {
		if (span.isNoop()) {
			end();
			return;
		}
		span.tag(MailSpans.OUTCOME, outcome.getClass().getSimpleName().toLowerCase(Locale.ROOT));
		switch (result) {
			case DeliveryOutcome.Sent sent -> reply(sent.reply());
			case DeliveryOutcome.Failed failed -> {
				Failure failure = failed.failure();
				reply(failure.smtpReply());
				span.tag(MailSpans.FAILURE_STAGE, failed.stage().name().toLowerCase(Locale.ROOT));
				String category = failure.error().category() == null ? "UNKNOWN" : failure.error().category().name();
				span.tag(MailSpans.ERROR_CATEGORY, category);
				TraceContexts.failed(span, failure.error().code() == null ? category : failure.error().code());
			}
			case DeliveryOutcome.Fenced fenced -> {
			}
		}
		end();
	}

	/** Ends the send span (if an unexpected error kept {@link #ended} from doing it) and leaves its scope. */
	@Override
	public void close() {
		end();
		scope.close();
	}

	private void end() {
		if (!ended) {
			ended = true;
			span.end();
		}
	}

	private void reply(SmtpReply reply) {
		if (reply != null) {
			span.tag(MailSpans.SMTP_REPLY_CODE, reply.code());
			if (reply.enhancedCode() != null) {
				span.tag(MailSpans.SMTP_ENHANCED_CODE, reply.enhancedCode());
			}
		}
	}

	/** A span that already happened, from {@code start} to {@code end}. */
	private static void recorded(TraceContexts traces, String name, QueuedMail mail, Instant start, Instant end) {
		traces.continuing(mail.traceparent())
			.name(name)
			.tag(MailSpans.ATTEMPT, mail.attempts() + 1)
			.startTimestamp(micros(start), TimeUnit.MICROSECONDS)
			.start()
			.end(micros(end), TimeUnit.MICROSECONDS);
	}

	private static long micros(Instant instant) {
		return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
	}

}
