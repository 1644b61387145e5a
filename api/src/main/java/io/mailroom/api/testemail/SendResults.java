package io.mailroom.api.testemail;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.SendResult;
import io.mailroom.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Hands the results of test emails to the requests waiting for them. Every api instance must see every
 * result (the waiting request may be on any instance), so each instance reads the topic in a consumer group
 * of its own, from the latest offset; results nobody waits for are skipped by their key without being read.
 */
@Component
class SendResults {

	private static final Logger LOG = LoggerFactory.getLogger(SendResults.class);

	private final Map<UUID, CompletableFuture<SendResult>> waiting = new ConcurrentHashMap<>();

	/** Starts waiting for the result of {@code requestId}; call before publishing the request. */
	CompletableFuture<SendResult> expect(UUID requestId) {
		return waiting.computeIfAbsent(requestId, id -> new CompletableFuture<>());
	}

	/** Stops waiting. */
	void forget(UUID requestId) {
		waiting.remove(requestId);
	}

	@KafkaListener(id = "mailroom-api-send-results", topics = Topics.SEND_RESULTS,
			groupId = "#{'mailroom-api-results-' + T(java.util.UUID).randomUUID()}",
			properties = "auto.offset.reset=latest")
	void on(ConsumerRecord<String, byte[]> record) {
		UUID requestId;
		try {
			requestId = record.key() == null ? null : UUID.fromString(record.key());
		}
		catch (IllegalArgumentException ex) {
			return;
		}
		CompletableFuture<SendResult> future = requestId == null ? null : waiting.get(requestId);
		if (future == null) {
			return;
		}
		try {
			future.complete(MailroomJson.mapper().readValue(record.value(), SendResult.class));
		}
		catch (RuntimeException ex) {
			LOG.warn("Unreadable send result for request {} at {}-{}@{}", requestId, record.topic(),
					record.partition(), record.offset());
		}
	}

}
