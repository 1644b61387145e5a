package io.mailroom.benchmark;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Publishes send requests as a product feature does (key: serviceId), remembering each request's record
 * timestamp: its enqueue time, where latency starts.
 */
final class RequestPublisher implements AutoCloseable {

	private final KafkaProducer<String, byte[]> producer;

	private final Map<UUID, Long> enqueuedAt = new ConcurrentHashMap<>();

	private final String topic;

	RequestPublisher(String bootstrapServers) {
		this(bootstrapServers, Topics.SEND_REQUESTS);
	}

	/** Publishes to {@code topic} instead of {@code mail.send-requests}: the Spring peer's own. */
	RequestPublisher(String bootstrapServers, String topic) {
		this.topic = topic;
		this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(),
				new ByteArraySerializer());
	}

	/**
	 * Publishes the requests as fast as the producer takes them (their JSON is written first, so the burst
	 * is not slowed by the producer's own work) and waits until the broker has them all.
	 * @return when the first one was published, in epoch milliseconds
	 */
	long publish(List<SendRequest> requests) {
		List<byte[]> values = new ArrayList<>(requests.size());
		requests.forEach(request -> values.add(MailroomJson.mapper().writeValueAsBytes(request)));
		long first = System.currentTimeMillis();
		for (int i = 0; i < requests.size(); i++) {
			publish(requests.get(i), values.get(i));
		}
		producer.flush();
		return first;
	}

	/** Publishes one request without waiting for the broker. */
	void publishOne(SendRequest request) {
		publish(request, MailroomJson.mapper().writeValueAsBytes(request));
	}

	private void publish(SendRequest request, byte[] value) {
		long now = System.currentTimeMillis();
		enqueuedAt.put(request.requestId(), now);
		producer.send(new ProducerRecord<>(topic, null, now, request.serviceId().toString(), value));
	}

	/** When the request was published (its record's timestamp). */
	long enqueuedAt(UUID requestId) {
		Long at = enqueuedAt.get(requestId);
		if (at == null) {
			throw new IllegalArgumentException("Request " + requestId + " was not published");
		}
		return at;
	}

	/** The partition of {@code mail.send-requests} a service's requests go to (the default partitioner's choice). */
	int partitionOf(UUID serviceId) {
		int partitions = producer.partitionsFor(Topics.SEND_REQUESTS).size();
		return Utils.toPositive(Utils.murmur2(serviceId.toString().getBytes(StandardCharsets.UTF_8))) % partitions;
	}

	void flush() {
		producer.flush();
	}

	@Override
	public void close() {
		producer.close();
	}

}
