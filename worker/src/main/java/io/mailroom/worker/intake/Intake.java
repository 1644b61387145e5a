package io.mailroom.worker.intake;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.Topics;
import io.mailroom.core.database.DatabaseErrors;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.core.failures.InvalidRequestCodes;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.core.text.SafeText;
import io.mailroom.core.tracing.TraceContexts;
import io.mailroom.worker.intake.BatchStore.Entry;
import io.mailroom.worker.intake.BatchStore.Refusal;
import io.mailroom.worker.intake.RecordReader.Read;
import io.mailroom.worker.queue.DeliveryQueue;
import io.mailroom.worker.queue.MailStored;
import io.mailroom.worker.queue.NewDelivery;
import io.mailroom.worker.queue.NewDelivery.FinalStatus;
import io.mailroom.worker.results.ResultPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Reads send requests in batches; see the package documentation for its rules. */
@Component
class Intake {

	private static final Logger LOG = LoggerFactory.getLogger(Intake.class);

	private final SmtpServices services;

	private final ApplicationEventPublisher events;

	private final ResultPublisher results;

	private final DeadLetters deadLetters;

	private final BatchStore store;

	private final RecordReader reader;

	private final RequestValidator validator;

	private final TextCheck texts;

	private final SchemaCheck schemaCheck = new SchemaCheck();

	private final IntakeProperties settings;

	private final TraceContexts traces;

	private final Clock clock;

	Intake(DeliveryQueue queue, SmtpServices services, ApplicationEventPublisher events, ResultPublisher results,
			KafkaTemplate<String, byte[]> kafka, IntakeProperties settings, TraceContexts traces, MeterRegistry meters,
			Clock clock) {
		this.services = services;
		this.events = events;
		this.results = results;
		this.deadLetters = new DeadLetters(kafka, meters);
		this.store = new BatchStore(queue);
		this.reader = new RecordReader(settings);
		this.validator = new RequestValidator(settings);
		this.texts = new TextCheck(settings);
		this.settings = settings;
		this.traces = traces;
		this.clock = clock;
	}

	@KafkaListener(id = "mailroom-intake", groupId = "${mailroom.intake.group-id:mailroom-worker}",
			topics = Topics.SEND_REQUESTS, batch = "true",
			concurrency = "${mailroom.intake.concurrency:2}")
	void receive(List<ConsumerRecord<String, byte[]>> records) {
		Instant now = clock.instant();
		IntakeSpans spans = new IntakeSpans(traces, now);
		try {
			receive(records, now, spans);
		}
		catch (RuntimeException | Error ex) {
			spans.notStored();
			throw ex;
		}
	}

	private void receive(List<ConsumerRecord<String, byte[]>> records, Instant now, IntakeSpans spans) {
		List<Entry> entries = new ArrayList<>(records.size());
		List<Arrival> requests = new ArrayList<>(records.size());
		List<ProducerRecord<String, byte[]>> copies = new ArrayList<>();
		for (ConsumerRecord<String, byte[]> record : records) {
			Arrival arrival = new Arrival(record, null, spans.start(record));
			switch (read(record)) {
				case Read.Unreadable unreadable -> copies.add(DeadLetters.unanswered(record, unreadable.reason()));
				case Read.Refused refused -> entries.add(new Entry(record,
						NewDelivery.finished(FinalStatus.REJECTED, refused.requestId(), refused.serviceId(),
								refused.accountId(), null, refused.failure().error(), arrival.traceparent(),
								arrival.enqueuedAt())));
				case Read.Request request -> requests.add(new Arrival(record, request, arrival.traceparent()));
			}
		}
		Set<UUID> serviceIds = requests.stream().map(a -> a.request().request().serviceId()).collect(Collectors.toSet());
		Map<UUID, SmtpService> known = services.findAll(serviceIds);
		Set<UUID> unknown = new LinkedHashSet<>(serviceIds);
		unknown.removeAll(known.keySet());
		Set<UUID> deleted = new HashSet<>(services.deletedAmong(unknown));
		for (Arrival arrival : requests) {
			NewDelivery delivery;
			try {
				delivery = check(arrival, known.get(arrival.request().request().serviceId()), deleted, now);
			}
			catch (RuntimeException | StackOverflowError ex) {
				// a gap in the checks: answer the producer, keep the record for operators, go on with the batch
				copies.add(DeadLetters.answered(arrival.record(), "intake could not check it: " + describe(ex)));
				delivery = fallback(arrival.queued(), unprocessable("could not check the request", ex));
			}
			entries.add(new Entry(arrival.record(), delivery));
		}
		List<Refusal> refused = new ArrayList<>();
		List<NewDelivery> stored = new ArrayList<>(store.store(entries, now, refused));
		for (Refusal refusal : refused) {
			copies.add(DeadLetters.answered(refusal.entry().source(),
					"PostgreSQL refused to store it: " + describe(refusal.cause())));
			stored.addAll(storeFallback(refusal, now));
		}
		deadLetters.send(copies);
		spans.stored(entries, stored);
		results.publish(stored.stream()
			.filter(d -> d.finalStatus() != null)
			.map(d -> d.toFinished(now))
			.toList());
		events.publishEvent(new MailStored(stored.stream()
			.filter(d -> d.finalStatus() == null && known.containsKey(d.serviceId()))
			.map(d -> known.get(d.serviceId()).mailbox())
			.collect(Collectors.toSet())));
		if (LOG.isDebugEnabled()) {
			LOG.debug("Took in {} records: {} new, {} dead-lettered", records.size(), stored.size(), copies.size());
		}
	}

	private Read read(ConsumerRecord<String, byte[]> record) {
		try {
			return reader.read(record.value());
		}
		catch (RuntimeException | StackOverflowError ex) {
			// hostile input that a parser or mapper did not expect must cost one record, never the partition
			return new Read.Unreadable("intake could not read it: " + describe(ex));
		}
	}

	private NewDelivery check(Arrival arrival, SmtpService service, Set<UUID> deleted, Instant now) {
		SendRequest request = arrival.request().request();
		Failure failure = validator.validate(request);
		if (failure == null) {
			failure = schemaCheck.check(arrival.request().tree());
		}
		if (failure == null && service == null) {
			failure = deleted.contains(request.serviceId())
					? Failures.invalidRequest("UNKNOWN_SERVICE", "SMTP service " + request.serviceId() + " was deleted.",
							"Send through one of the account's current services.")
					: Failures.invalidRequest("UNKNOWN_SERVICE", "There is no SMTP service " + request.serviceId() + ".",
							"Check serviceId: it must be the id of an SMTP service of the account.");
		}
		if (failure == null && !service.accountId().equals(request.accountId())) {
			failure = Failures.invalidRequest("SERVICE_NOT_OWNED",
					"SMTP service " + request.serviceId() + " does not belong to account " + request.accountId() + ".",
					"Send with the accountId that owns the service.");
		}
		if (failure == null) {
			failure = validator.validateSize(request, service);
		}
		if (failure != null) {
			return arrival.finished(FinalStatus.REJECTED, failure.error(), texts.storableCopy(request));
		}
		if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
			return arrival.finished(FinalStatus.EXPIRED, Failures.expired(request.expiresAt()).error(), request);
		}
		return arrival.queued();
	}

	/**
	 * Stores in place of a delivery PostgreSQL refused what is left of it when its texts are dropped, so its
	 * producer still gets a final result: REJECTED (or the final status it already had).
	 */
	private List<NewDelivery> storeFallback(Refusal refusal, Instant now) {
		NewDelivery refusedDelivery = refusal.entry().delivery();
		NewDelivery fallback = fallback(refusedDelivery, refusedDelivery.finalStatus() != null ? null
				: unprocessable("could not store the request: PostgreSQL refused it (SQLSTATE "
						+ DatabaseErrors.sqlState(refusal.cause()) + ")", refusal.cause()));
		List<Refusal> refusedAgain = new ArrayList<>();
		List<NewDelivery> stored = store.store(List.of(new Entry(refusal.entry().source(), fallback)), now,
				refusedAgain);
		refusedAgain.forEach(again -> LOG.error("Request {} cannot be stored even without its texts; its record is on {}",
				refusedDelivery.requestId(), Topics.SEND_REQUESTS_DLT, again.cause()));
		return stored;
	}

	private NewDelivery fallback(NewDelivery delivery, ErrorDetails error) {
		return NewDelivery.finished(delivery.finalStatus() != null ? delivery.finalStatus() : FinalStatus.REJECTED,
				delivery.requestId(), delivery.serviceId(),
				SafeText.clean(delivery.accountId(), settings.maxAccountIdLength()), null,
				error != null ? error : delivery.error(), delivery.traceparent(), delivery.enqueuedAt());
	}

	private static ErrorDetails unprocessable(String what, Throwable cause) {
		LOG.error("Mailroom {} that passed intake's checks", what, cause);
		return Failures.invalidRequest(InvalidRequestCodes.UNPROCESSABLE_REQUEST, "Mailroom " + what + ".").error();
	}

	private static String describe(Throwable ex) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		return SafeText.clean(cause.getClass().getSimpleName() + ": " + cause.getMessage(), 300);
	}

	/**
	 * A record as it arrived, with the request read from it (null for a record that is not one) and the
	 * trace context of its intake span.
	 */
	private record Arrival(ConsumerRecord<String, byte[]> record, Read.Request request, String traceparent) {

		Instant enqueuedAt() {
			return Instant.ofEpochMilli(record.timestamp());
		}

		NewDelivery queued() {
			return NewDelivery.queued(request.request(), request.json(), traceparent(), enqueuedAt());
		}

		/** The request, final on arrival; its row and result keep what {@code kept} holds of it. */
		NewDelivery finished(FinalStatus status, ErrorDetails error, SendRequest kept) {
			return NewDelivery.finished(status, kept.requestId(), kept.serviceId(), kept.accountId(), kept, error,
					traceparent(), enqueuedAt());
		}

	}

}
