package io.mailroom.worker.intake;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.Topics;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.core.tracing.TraceParent;
import io.mailroom.worker.queue.DeliveryQueue;
import io.mailroom.worker.queue.MailStored;
import io.mailroom.worker.queue.NewDelivery;
import io.mailroom.worker.queue.NewDelivery.FinalStatus;
import io.mailroom.worker.results.ResultPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Reads send requests in batches; see the package documentation for its rules. */
@Component
class Intake {

	private static final Logger LOG = LoggerFactory.getLogger(Intake.class);

	private final DeliveryQueue queue;

	private final SmtpServices services;

	private final ApplicationEventPublisher events;

	private final ResultPublisher results;

	private final KafkaTemplate<String, byte[]> kafka;

	private final RequestValidator validator;

	private final SchemaCheck schemaCheck = new SchemaCheck();

	private final Clock clock;

	private final Counter deadLettered;

	Intake(DeliveryQueue queue, SmtpServices services, ApplicationEventPublisher events, ResultPublisher results,
			KafkaTemplate<String, byte[]> kafka, IntakeProperties settings, MeterRegistry meters, Clock clock) {
		this.queue = queue;
		this.services = services;
		this.events = events;
		this.results = results;
		this.kafka = kafka;
		this.validator = new RequestValidator(settings);
		this.clock = clock;
		this.deadLettered = Counter.builder("mailroom.intake.dead.lettered")
			.description("Records that could not be read and went to the dead-letter topic")
			.register(meters);
	}

	@KafkaListener(id = "mailroom-intake", groupId = "${mailroom.intake.group-id:mailroom-worker}",
			topics = Topics.SEND_REQUESTS, batch = "true",
			concurrency = "${mailroom.intake.concurrency:2}")
	void receive(List<ConsumerRecord<String, byte[]>> records) {
		Instant now = clock.instant();
		List<Readable> readable = new ArrayList<>(records.size());
		List<NewDelivery> deliveries = new ArrayList<>(records.size());
		List<ProducerRecord<String, byte[]>> deadLetters = new ArrayList<>();
		for (ConsumerRecord<String, byte[]> record : records) {
			read(record, readable, deliveries, deadLetters);
		}
		Map<UUID, SmtpService> known = services.findAll(
				readable.stream().map(r -> r.request().serviceId()).collect(java.util.stream.Collectors.toSet()));
		Set<UUID> unknown = new LinkedHashSet<>();
		readable.stream().map(r -> r.request().serviceId()).filter(id -> !known.containsKey(id)).forEach(unknown::add);
		Set<UUID> deleted = new java.util.HashSet<>(services.deletedAmong(unknown));
		for (Readable r : readable) {
			deliveries.add(check(r, known.get(r.request().serviceId()), deleted, now));
		}
		List<NewDelivery> stored = queue.insert(deliveries, now);
		sendDeadLetters(deadLetters);
		results.publish(stored.stream()
			.filter(d -> d.finalStatus() != null)
			.map(d -> d.toFinished(now))
			.toList());
		events.publishEvent(new MailStored(stored.stream()
			.filter(d -> d.finalStatus() == null)
			.map(d -> known.get(d.serviceId()).mailbox())
			.collect(java.util.stream.Collectors.toSet())));
		if (LOG.isDebugEnabled()) {
			LOG.debug("Took in {} records: {} new, {} dead-lettered", records.size(), stored.size(), deadLetters.size());
		}
	}

	private void read(ConsumerRecord<String, byte[]> record, List<Readable> readable, List<NewDelivery> deliveries,
			List<ProducerRecord<String, byte[]>> deadLetters) {
		TraceParent trace = TraceParent.parse(header(record, TraceParent.HEADER));
		String traceparent = trace == null ? null : trace.value();
		Instant enqueuedAt = Instant.ofEpochMilli(record.timestamp());
		byte[] value = record.value();
		if (value == null || value.length == 0) {
			deadLetters.add(deadLetter(record, "empty record"));
			return;
		}
		JsonNode tree;
		try {
			tree = MailroomJson.mapper().readTree(value);
		}
		catch (JacksonException ex) {
			deadLetters.add(deadLetter(record, "not JSON: " + ex.getOriginalMessage()));
			return;
		}
		if (tree == null || !tree.isObject()) {
			deadLetters.add(deadLetter(record, "not a JSON object"));
			return;
		}
		SendRequest request;
		try {
			request = MailroomJson.mapper().treeToValue(tree, SendRequest.class);
		}
		catch (JacksonException ex) {
			String reason = "does not match the SendRequest schema: " + ex.getOriginalMessage();
			deadLetters.add(deadLetter(record, reason));
			UUID requestId = uuid(tree, "requestId");
			if (requestId != null) {
				ErrorDetails error = Failures
					.invalidRequest("SCHEMA_VIOLATION", "The request " + reason + ".",
							"Check the request against send-request.schema.json.")
					.error();
				deliveries.add(NewDelivery.finished(FinalStatus.REJECTED, requestId, uuid(tree, "serviceId"),
						text(tree, "accountId"), null, error, traceparent, enqueuedAt));
			}
			return;
		}
		if (request.requestId() == null) {
			deadLetters.add(deadLetter(record, "requestId is missing"));
			return;
		}
		readable.add(new Readable(request, tree, value, traceparent, enqueuedAt));
	}

	private NewDelivery check(Readable r, SmtpService service, Set<UUID> deleted, Instant now) {
		SendRequest request = r.request();
		Failure failure = validator.validate(request);
		if (failure == null) {
			failure = schemaCheck.check(r.tree());
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
			return NewDelivery.finished(FinalStatus.REJECTED, request.requestId(), request.serviceId(),
					request.accountId(), request, failure.error(), r.traceparent(), r.enqueuedAt());
		}
		if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
			return NewDelivery.finished(FinalStatus.EXPIRED, request.requestId(), request.serviceId(),
					request.accountId(), request, Failures.expired(request.expiresAt()).error(), r.traceparent(),
					r.enqueuedAt());
		}
		return NewDelivery.queued(request, r.json(), r.traceparent(), r.enqueuedAt());
	}

	private void sendDeadLetters(List<ProducerRecord<String, byte[]>> deadLetters) {
		if (deadLetters.isEmpty()) {
			return;
		}
		List<CompletableFuture<?>> sends = deadLetters.stream().<CompletableFuture<?>>map(kafka::send).toList();
		try {
			// the batch is committed only once its dead letters are safe: otherwise they would be lost
			CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not dead-letter " + deadLetters.size() + " records", ex);
		}
		deadLettered.increment(deadLetters.size());
		deadLetters.forEach(d -> LOG.warn("Dead-lettered a record of {}: {}", Topics.SEND_REQUESTS,
				new String(d.headers().lastHeader(Topics.DLT_REASON_HEADER).value(), StandardCharsets.UTF_8)));
	}

	private static ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
		ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.SEND_REQUESTS_DLT, null, record.key(),
				record.value(), record.headers());
		dead.headers().add(Topics.DLT_REASON_HEADER, truncate(reason).getBytes(StandardCharsets.UTF_8));
		dead.headers()
			.add("mailroom-dlt-origin", (record.topic() + "-" + record.partition() + "@" + record.offset())
				.getBytes(StandardCharsets.UTF_8));
		return dead;
	}

	private static String truncate(String reason) {
		return reason.length() > 500 ? reason.substring(0, 500) + "…" : reason;
	}

	private static String header(ConsumerRecord<String, byte[]> record, String name) {
		Header header = record.headers().lastHeader(name);
		return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.US_ASCII);
	}

	private static UUID uuid(JsonNode tree, String field) {
		String value = text(tree, field);
		try {
			return value == null ? null : UUID.fromString(value);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static String text(JsonNode tree, String field) {
		JsonNode node = tree.get(field);
		return node != null && node.isString() ? node.asString() : null;
	}

	private record Readable(SendRequest request, JsonNode tree, byte[] json, String traceparent, Instant enqueuedAt) {
	}

}
