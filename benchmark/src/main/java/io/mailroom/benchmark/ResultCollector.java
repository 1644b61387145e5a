package io.mailroom.benchmark;

import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.SendResult;
import io.mailroom.contracts.SendStatus;
import io.mailroom.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Consumes {@code mail.send-results} as a product would, from the moment it is created, noting when the
 * first result of each request arrived (results are at-least-once: later copies are ignored).
 */
final class ResultCollector implements AutoCloseable {

	private final KafkaConsumer<String, byte[]> consumer;

	private final Map<UUID, Long> consumedAt = new ConcurrentHashMap<>();

	/** Each first result as received: read only when asked, so reading costs nothing during a measurement. */
	private final Map<UUID, byte[]> firstResults = new ConcurrentHashMap<>();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final Thread poller;

	ResultCollector(String bootstrapServers) {
		this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
		List<TopicPartition> partitions = consumer.partitionsFor(Topics.SEND_RESULTS)
			.stream()
			.map(p -> new TopicPartition(p.topic(), p.partition()))
			.toList();
		consumer.assign(partitions);
		consumer.seekToEnd(partitions);
		partitions.forEach(consumer::position); // resolve "end" now, not at the first poll
		this.poller = Thread.ofPlatform().name("result-collector").daemon(true).start(this::poll);
	}

	private void poll() {
		try {
			while (running.get()) {
				var records = consumer.poll(Duration.ofMillis(100));
				long now = System.currentTimeMillis();
				for (ConsumerRecord<String, byte[]> record : records) {
					UUID requestId = UUID.fromString(record.key());
					if (consumedAt.putIfAbsent(requestId, now) == null) {
						firstResults.put(requestId, record.value());
					}
				}
			}
		}
		catch (WakeupException ex) {
			// closing
		}
		finally {
			consumer.close();
		}
	}

	/**
	 * Waits until every one of {@code requestIds} has a result.
	 * @return false if some had none after {@code timeout}
	 */
	boolean await(Collection<UUID> requestIds, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		var missing = new java.util.ArrayDeque<>(requestIds);
		while (true) {
			while (!missing.isEmpty() && consumedAt.containsKey(missing.peekFirst())) {
				missing.pollFirst();
			}
			if (missing.isEmpty()) {
				return true;
			}
			if (System.nanoTime() > deadline) {
				return false;
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
	}

	/** When the first result of the request was consumed, or null if none was. */
	Long consumedAt(UUID requestId) {
		return consumedAt.get(requestId);
	}

	/** How many of the requests ended in each status. */
	Map<SendStatus, Integer> statuses(Collection<UUID> requestIds) {
		Map<SendStatus, Integer> counts = new EnumMap<>(SendStatus.class);
		for (UUID id : requestIds) {
			byte[] result = firstResults.get(id);
			if (result != null) {
				counts.merge(MailroomJson.mapper().readValue(result, SendResult.class).status(), 1, Integer::sum);
			}
		}
		return counts;
	}

	@Override
	public void close() {
		running.set(false);
		consumer.wakeup();
		try {
			poller.join(5_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
