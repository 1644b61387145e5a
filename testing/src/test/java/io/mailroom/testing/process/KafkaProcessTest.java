package io.mailroom.testing.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A broker in a process of its own that can be stopped and started again under running clients. */
class KafkaProcessTest {

	@TempDir
	Path directory;

	private KafkaProcess kafka;

	@AfterEach
	void stopBroker() {
		if (kafka != null) {
			kafka.close();
		}
	}

	@Test
	void recordsSurviveARestartAndAProducerKeepsWhatItSentWhileTheBrokerWasDown() throws Exception {
		kafka = KafkaProcess.start(directory);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
						ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000, ProducerConfig.MAX_BLOCK_MS_CONFIG, 180_000),
				new StringSerializer(), new StringSerializer())) {
			producer.send(new ProducerRecord<>("notes", "before")).get(30, TimeUnit.SECONDS);
			long firstPid = kafka.pid();

			kafka.stop();
			assertThat(kafka.running()).isFalse();
			// without a broker the client forgets the topic and send() blocks until it is back
			var during = CompletableFuture.supplyAsync(() -> producer.send(new ProducerRecord<>("notes", "during")));
			kafka.restart();

			during.get(120, TimeUnit.SECONDS).get(120, TimeUnit.SECONDS);
			assertThat(kafka.pid()).isNotEqualTo(firstPid);
		}
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG,
						"test", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
				new StringDeserializer(), new StringDeserializer())) {
			consumer.subscribe(List.of("notes"));
			List<String> read = new java.util.ArrayList<>();
			await().atMost(Duration.ofSeconds(60)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach((ConsumerRecord<String, String> r) -> read.add(r.value()));
				return read.size() >= 2;
			});
			assertThat(read).containsExactly("before", "during");
		}
	}

}
