package io.mailroom.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster (broker and KRaft controller in one server) in this JVM, from Kafka's
 * own artifacts, its log directory kept between runs. Kafka's internal Scala classes stay in this module.
 */
final class LocalKafka implements AutoCloseable {

	private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);

	/** Mailroom's topics allow a 35 MB message as base64 JSON; the broker must accept what they allow. */
	private static final String MAX_RECORD_BYTES = String.valueOf(64 * 1024 * 1024);

	private final KafkaRaftServer server;

	private final String bootstrapServers;

	private LocalKafka(KafkaRaftServer server, String bootstrapServers) {
		this.server = server;
		this.bootstrapServers = bootstrapServers;
	}

	static LocalKafka start(Path logDirectory, int port, int controllerPort) {
		String bootstrapServers = "localhost:" + port;
		Properties properties = new Properties();
		properties.putAll(Map.ofEntries(Map.entry("process.roles", "broker,controller"), Map.entry("node.id", "1"),
				Map.entry("controller.quorum.bootstrap.servers", "localhost:" + controllerPort),
				Map.entry("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort),
				Map.entry("advertised.listeners", "PLAINTEXT://" + bootstrapServers),
				Map.entry("controller.listener.names", "CONTROLLER"),
				Map.entry("inter.broker.listener.name", "PLAINTEXT"),
				Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
				Map.entry("log.dirs", logDirectory.toString()),
				// one node: every internal topic has one replica
				Map.entry("offsets.topic.replication.factor", "1"),
				Map.entry("transaction.state.log.replication.factor", "1"),
				Map.entry("transaction.state.log.min.isr", "1"),
				Map.entry("share.coordinator.state.topic.replication.factor", "1"),
				Map.entry("share.coordinator.state.topic.min.isr", "1"),
				// a consumer joining alone should not wait 3 s for others
				Map.entry("group.initial.rebalance.delay.ms", "0"),
				Map.entry("message.max.bytes", MAX_RECORD_BYTES), Map.entry("replica.fetch.max.bytes", MAX_RECORD_BYTES),
				// a development broker: a week of records is plenty, and the disk stays small
				Map.entry("log.retention.hours", "168"), Map.entry("log.segment.bytes", String.valueOf(64 * 1024 * 1024))));
		try {
			Files.createDirectories(logDirectory);
			format(logDirectory.resolveSibling("kafka.properties"), properties);
			KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
			server.startup();
			LocalKafka kafka = new LocalKafka(server, bootstrapServers);
			kafka.awaitBroker(Duration.ofSeconds(30));
			return kafka;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start Kafka in " + logDirectory, ex);
		}
	}

	String bootstrapServers() {
		return this.bootstrapServers;
	}

	/**
	 * Formats the log directory the first time (a new cluster with this node as its only controller); later
	 * runs find it formatted and keep it.
	 */
	private static void format(Path configFile, Properties properties) throws IOException {
		try (OutputStream out = Files.newOutputStream(configFile)) {
			properties.store(out, "Written by the local run on every start; edit LocalKafka instead");
		}
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		int status = StorageTool.execute(new String[] { "format", "--cluster-id", clusterId(properties),
				"--config", configFile.toString(), "--standalone", "--ignore-formatted" },
				new PrintStream(output, true, StandardCharsets.UTF_8));
		if (status != 0) {
			throw new IllegalStateException("Could not format Kafka's log directory: " + output.toString(StandardCharsets.UTF_8));
		}
		LOG.debug("kafka-storage format: {}", output.toString(StandardCharsets.UTF_8).strip());
	}

	/** The cluster ID the log directory was formatted with; a new one for a new directory. */
	private static String clusterId(Properties properties) throws IOException {
		Path meta = Path.of(properties.getProperty("log.dirs")).resolve("meta.properties");
		if (Files.exists(meta)) {
			Properties formatted = new Properties();
			try (Reader in = Files.newBufferedReader(meta)) {
				formatted.load(in);
			}
			return formatted.getProperty("cluster.id");
		}
		return Uuid.randomUuid().toString();
	}

	/** The server answers before its broker has joined the cluster; clients want the broker. */
	private void awaitBroker(Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers,
				AdminClientConfig.CLIENT_ID_CONFIG, "mailroom-local-readiness"))) {
			while (true) {
				try {
					if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
						return;
					}
				}
				catch (Exception ex) {
					if (Instant.now().isAfter(deadline)) {
						throw new IllegalStateException("Kafka did not come up within " + timeout, ex);
					}
				}
				if (Instant.now().isAfter(deadline)) {
					throw new IllegalStateException("Kafka did not come up within " + timeout);
				}
				Thread.sleep(100);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for Kafka", ex);
		}
	}

	@Override
	public void close() {
		this.server.shutdown();
		this.server.awaitShutdown();
	}

}
