package io.mailroom.worker.intake;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.mailroom.contracts.Topics;
import io.mailroom.core.tracing.MailSpans;
import io.mailroom.core.tracing.TraceContexts;
import io.mailroom.worker.intake.BatchStore.Entry;
import io.mailroom.worker.queue.NewDelivery;
import io.micrometer.tracing.Span;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The intake spans of one poll: one per record, continuing the producer's trace (or starting one), from
 * the poll's arrival (when its requests become due) until it is stored. The {@code traceparent} of a record's span is what is stored with
 * its request, so that every later span of the request is a child of it.
 */
final class IntakeSpans {

	private final TraceContexts traces;

	private final long arrivedMicros;

	private final Map<ConsumerRecord<String, byte[]>, Span> spans = new IdentityHashMap<>();

	IntakeSpans(TraceContexts traces, Instant arrived) {
		this.traces = traces;
		this.arrivedMicros = ChronoUnit.MICROS.between(Instant.EPOCH, arrived);
	}

	/** Starts the span of a record; returns the {@code traceparent} to store with its request. */
	String start(ConsumerRecord<String, byte[]> record) {
		Span span = TraceContexts
			.onTopic(traces.continuing(record.headers()).name(MailSpans.INTAKE), Span.Kind.CONSUMER, Topics.SEND_REQUESTS)
			.startTimestamp(arrivedMicros, TimeUnit.MICROSECONDS)
			.start();
		spans.put(record, span);
		return traces.traceparent(span);
	}

	/**
	 * Ends the spans once the poll is stored: a request that was new says what it became (queued, rejected,
	 * expired), one stored before is a duplicate, a record without a request was dead-lettered.
	 */
	void stored(List<Entry> entries, List<NewDelivery> stored) {
		Map<UUID, NewDelivery> byId = new HashMap<>();
		stored.forEach(delivery -> byId.putIfAbsent(delivery.requestId(), delivery));
		for (Entry entry : entries) {
			Span span = spans.remove(entry.source());
			if (span == null) {
				continue;
			}
			if (span.isNoop()) {
				// not recorded: its attributes would be dropped (the ids' text is made per mail)
				span.end();
				continue;
			}
			NewDelivery delivery = entry.delivery();
			NewDelivery isNew = byId.get(delivery.requestId());
			span.tag(MailSpans.REQUEST_ID, delivery.requestId().toString());
			if (delivery.serviceId() != null) {
				span.tag(MailSpans.SERVICE_ID, delivery.serviceId().toString());
			}
			span.tag(MailSpans.INTAKE_OUTCOME, isNew == null ? "duplicate"
					: isNew.finalStatus() == null ? "queued" : isNew.finalStatus().name().toLowerCase(Locale.ROOT));
			span.end();
		}
		spans.values().forEach(span -> span.tag(MailSpans.INTAKE_OUTCOME, "dead-lettered").end());
		spans.clear();
	}

	/** The poll could not be stored (the database or the broker is away): it is read again, with new spans. */
	void notStored() {
		spans.values().forEach(span -> {
			TraceContexts.failed(span, "NOT_STORED");
			span.end();
		});
		spans.clear();
	}

}
