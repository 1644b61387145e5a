package io.mailroom.worker.results;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.SendResult;
import io.mailroom.contracts.Topics;
import io.mailroom.core.database.DatabaseErrors;
import io.mailroom.core.tracing.MailSpans;
import io.mailroom.core.tracing.TraceContexts;
import io.mailroom.worker.queue.DeliveryQueue;
import io.mailroom.worker.queue.FinishedDelivery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Publishes final results and counts them; the single place every final outcome passes through. */
@Component
public class ResultPublisher {

	private static final Logger LOG = LoggerFactory.getLogger(ResultPublisher.class);

	/** How long a final delivery may stay unpublished before housekeeping publishes it again. */
	private static final Duration STRAGGLER_AGE = Duration.ofSeconds(30);

	private final KafkaTemplate<String, byte[]> kafka;

	private final DeliveryQueue queue;

	private final MeterRegistry meters;

	private final TraceContexts traces;

	// marking as published is database work: keep it off the Kafka producer's I/O thread
	private final Executor marker = Executors.newVirtualThreadPerTaskExecutor();

	/** Meters of every result, looked up once per tag values: a lookup builds an id (outcome and category). */
	private final Map<String, Counter> sendCounters = new ConcurrentHashMap<>();

	/** By priority and outcome. */
	private final Map<String, Timer> latencies = new ConcurrentHashMap<>();

	public ResultPublisher(KafkaTemplate<String, byte[]> kafka, DeliveryQueue queue, MeterRegistry meters,
			TraceContexts traces) {
		this.kafka = kafka;
		this.queue = queue;
		this.meters = meters;
		this.traces = traces;
	}

	/**
	 * Publishes the results of these deliveries; returns once they are handed to the producer. Each result
	 * record carries, in its {@code traceparent} header, the span that published it: a child of its
	 * request's intake span, so the consumer's spans join the request's trace.
	 */
	public void publish(List<FinishedDelivery> finished) {
		if (finished.isEmpty()) {
			return;
		}
		List<CompletableFuture<UUID>> sends = new ArrayList<>(finished.size());
		for (FinishedDelivery delivery : finished) {
			SendResult result = delivery.toResult();
			ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.SEND_RESULTS,
					delivery.requestId().toString(), MailroomJson.mapper().writeValueAsBytes(result));
			Span span = TraceContexts
				.onTopic(traces.continuing(delivery.traceparent()).name(MailSpans.RESULT_PUBLISH), Span.Kind.PRODUCER,
						Topics.SEND_RESULTS)
				.start();
			if (!span.isNoop()) {
				span.tag(MailSpans.REQUEST_ID, delivery.requestId().toString())
					.tag(MailSpans.RESULT_STATUS, delivery.status().name());
			}
			traces.handOn(span, record.headers());
			sends.add(kafka.send(record).thenApply(sent -> {
				span.end();
				count(delivery);
				return delivery.requestId();
			}).exceptionally(ex -> {
				TraceContexts.failed(span, "NOT_PUBLISHED");
				span.end();
				LOG.warn("Could not publish the result of {}; it is published again later: {}", delivery.requestId(),
						ex.toString());
				return null;
			}));
		}
		CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).thenRunAsync(() -> {
			List<UUID> published = sends.stream().map(CompletableFuture::join).filter(id -> id != null).toList();
			try {
				queue.markPublished(published);
			}
			catch (RuntimeException ex) {
				LOG.warn("Could not mark {} results as published; they may be published twice: {}", published.size(),
						DatabaseErrors.summary(ex));
			}
		}, marker);
	}

	/** Publishes results a crash or a broker outage left behind. */
	public void republishStragglers(Instant now) {
		List<FinishedDelivery> stragglers = queue.unpublished(now.minus(STRAGGLER_AGE), 500);
		if (!stragglers.isEmpty()) {
			LOG.info("Publishing {} results that were not published yet", stragglers.size());
			publish(stragglers);
		}
	}

	private void count(FinishedDelivery delivery) {
		String outcome = delivery.status().name().toLowerCase(Locale.ROOT);
		String category = delivery.error() == null || delivery.error().category() == null ? "none"
				: delivery.error().category().name().toLowerCase(Locale.ROOT);
		sendCounters.computeIfAbsent(outcome + ' ' + category, key -> Counter.builder("mailroom.sends")
			.description("Requests that reached a final outcome")
			.tag("outcome", outcome)
			.tag("category", category)
			.register(meters)).increment();
		if (delivery.error() != null && delivery.error().code() != null) {
			// codes come from a bounded catalogue (AADSTS, enhanced SMTP codes, Mailroom's own), never free text
			Counter.builder("mailroom.send.failures")
				.description("Requests that ended without being sent, by error category and code")
				.tag("category", category)
				.tag("code", delivery.error().code())
				.register(meters)
				.increment();
		}
		if (delivery.enqueuedAt() != null && delivery.finishedAt() != null) {
			String priority = delivery.priority().name().toLowerCase(Locale.ROOT);
			latencies.computeIfAbsent(priority + ' ' + outcome, key -> Timer.builder("mailroom.send.latency")
				.description("From the producer's enqueue to the final outcome")
				.tag("priority", priority)
				.tag("outcome", outcome)
				.publishPercentileHistogram()
				.minimumExpectedValue(Duration.ofMillis(5))
				.maximumExpectedValue(Duration.ofHours(24))
				.register(meters)).record(Duration.between(delivery.enqueuedAt(), delivery.finishedAt()));
		}
	}

}
