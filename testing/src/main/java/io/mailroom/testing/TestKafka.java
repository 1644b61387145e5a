package io.mailroom.testing;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** A real single-node KRaft Kafka broker for the test JVM. */
public final class TestKafka {

	// as many as Mailroom declares for its topics, so a topic auto-created by a test client first is not
	// grown later under consumers that already joined
	private static final int PARTITIONS = 12;

	private static EmbeddedKafkaKraftBroker broker;

	private TestKafka() {
	}

	/** The broker's bootstrap servers, starting it on first use. Topics are created on first use with 12 partitions. */
	public static synchronized String bootstrapServers() {
		if (broker == null) {
			broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
			broker.brokerProperty("auto.create.topics.enable", "true");
			broker.brokerProperty("num.partitions", String.valueOf(PARTITIONS));
			broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
			// requests may carry a 35 MB message; tests also send 10 MB of garbage
			broker.brokerProperty("message.max.bytes", String.valueOf(64 * 1024 * 1024));
			broker.brokerProperty("replica.fetch.max.bytes", String.valueOf(64 * 1024 * 1024));
			broker.afterPropertiesSet();
			EmbeddedKafkaKraftBroker started = broker;
			Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "test-kafka-stop"));
		}
		return broker.getBrokersAsString();
	}

}
