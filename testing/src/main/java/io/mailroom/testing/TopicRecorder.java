package io.mailroom.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Records everything published on a topic from now on (or from the beginning), the way a product's
 * consumer would see it. Close it when done.
 */
public final class TopicRecorder implements AutoCloseable {

	private final KafkaConsumer<String, byte[]> consumer;

	private final List<ConsumerRecord<String, byte[]>> records = new CopyOnWriteArrayList<>();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final Thread poller;

	private TopicRecorder(String bootstrapServers, String topic, boolean fromNow) {
		// partitions that appear later (a topic grown after we joined) hold only new records: read them whole
		this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.GROUP_ID_CONFIG, "recorder-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
				"earliest", ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000, ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
				67_108_864), new StringDeserializer(), new ByteArrayDeserializer());
		this.consumer.subscribe(List.of(topic));
		// join the group before returning, so that nothing published after this constructor is missed
		while (this.consumer.assignment().isEmpty()) {
			this.consumer.poll(Duration.ofMillis(100)).forEach(records::add);
		}
		if (fromNow) {
			records.clear();
			this.consumer.seekToEnd(this.consumer.assignment());
			this.consumer.assignment().forEach(this.consumer::position);
		}
		this.poller = Thread.ofPlatform().name("recorder-" + topic).daemon(true).start(this::poll);
	}

	/** Records what is published on {@code topic} after this call. */
	public static TopicRecorder fromNow(String topic) {
		return new TopicRecorder(TestKafka.bootstrapServers(), topic, true);
	}

	/** Records what is published on {@code topic} of another broker after this call. */
	public static TopicRecorder fromNow(String bootstrapServers, String topic) {
		return new TopicRecorder(bootstrapServers, topic, true);
	}

	/** Records everything on {@code topic}, including what was published before. */
	public static TopicRecorder fromBeginning(String topic) {
		return new TopicRecorder(TestKafka.bootstrapServers(), topic, false);
	}

	/** The records so far, in arrival order. */
	public List<ConsumerRecord<String, byte[]>> records() {
		return List.copyOf(records);
	}

	private void poll() {
		try {
			while (running.get()) {
				consumer.poll(Duration.ofMillis(100)).forEach(records::add);
			}
		}
		catch (WakeupException ex) {
			// closing
		}
		finally {
			consumer.close();
		}
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
