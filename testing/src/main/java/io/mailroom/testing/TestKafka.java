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
			broker = startBroker();
		}
		return broker.getBrokersAsString();
	}

	/**
	 * A broker of its own, for a test that must not share topics with the workers other tests leave running
	 * in the same JVM. The caller destroys it.
	 */
	public static EmbeddedKafkaKraftBroker privateBroker() {
		return startBroker();
	}

	private static EmbeddedKafkaKraftBroker startBroker() {
		EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
		started.brokerProperty("auto.create.topics.enable", "true");
		started.brokerProperty("num.partitions", String.valueOf(PARTITIONS));
		started.brokerProperty("group.initial.rebalance.delay.ms", "0");
		// requests may carry a 35 MB message; tests also send 10 MB of garbage
		started.brokerProperty("message.max.bytes", String.valueOf(64 * 1024 * 1024));
		started.brokerProperty("replica.fetch.max.bytes", String.valueOf(64 * 1024 * 1024));
		started.afterPropertiesSet();
		Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "test-kafka-stop"));
		return started;
	}

}
