package io.mailroom.testing.process;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka cluster (broker and KRaft controller in one server) in a process of its own,
 * from Kafka's own artifacts on this JVM's class path ({@code kafka.Kafka}), so that it can be stopped and
 * started again on the same ports and log directory while its clients keep running.
 */
public final class KafkaProcess implements AutoCloseable {

	/** Mailroom's topics allow a 35 MB message as base64 JSON; the broker must accept what they allow. */
	private static final String MAX_RECORD_BYTES = String.valueOf(64 * 1024 * 1024);

	private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

	private final Path directory;

	private final Path config;

	private final Path log;

	private final int port;

	private volatile Process process;

	private KafkaProcess(Path directory, int port) {
		this.directory = directory;
		this.config = directory.resolve("server.properties");
		this.log = directory.resolve("kafka.log");
		this.port = port;
	}

	/**
	 * Formats a new cluster in {@code directory} (its log directory, configuration and log file) and starts
	 * it on free ports; returns once the broker serves clients.
	 */
	public static KafkaProcess start(Path directory) {
		KafkaProcess kafka = new KafkaProcess(directory.toAbsolutePath(), Processes.freePort());
		kafka.configure(Processes.freePort());
		kafka.run("kafka-storage format", List.of("kafka.tools.StorageTool", "format", "--standalone", "--cluster-id",
				Uuid.randomUuid().toString(), "--config", kafka.config.toString()));
		kafka.launch();
		return kafka;
	}

	public String bootstrapServers() {
		return "localhost:" + port;
	}

	public long pid() {
		return process.pid();
	}

	public boolean running() {
		return process.isAlive();
	}

	/** Stops the broker gracefully ({@code SIGTERM}: controlled shutdown), as an operator would. */
	public void stop() {
		Processes.stop(process, Duration.ofSeconds(60));
	}

	/** Starts the stopped broker again: same ports, same log directory; returns once it serves clients. */
	public void restart() {
		if (process.isAlive()) {
			throw new IllegalStateException("Kafka is still running (pid " + process.pid() + ")");
		}
		launch();
	}

	@Override
	public void close() {
		if (process.isAlive()) {
			stop();
		}
	}

	private void configure(int controllerPort) {
		Properties properties = new Properties();
		properties.putAll(Map.ofEntries(Map.entry("process.roles", "broker,controller"), Map.entry("node.id", "1"),
				Map.entry("controller.quorum.bootstrap.servers", "localhost:" + controllerPort),
				Map.entry("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort),
				Map.entry("advertised.listeners", "PLAINTEXT://" + bootstrapServers()),
				Map.entry("controller.listener.names", "CONTROLLER"), Map.entry("inter.broker.listener.name", "PLAINTEXT"),
				Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
				Map.entry("log.dirs", directory.resolve("data").toString()),
				// one node: every internal topic has one replica
				Map.entry("offsets.topic.replication.factor", "1"), Map.entry("transaction.state.log.replication.factor", "1"),
				Map.entry("transaction.state.log.min.isr", "1"),
				Map.entry("share.coordinator.state.topic.replication.factor", "1"),
				Map.entry("share.coordinator.state.topic.min.isr", "1"),
				Map.entry("group.initial.rebalance.delay.ms", "0"), Map.entry("num.partitions", "12"),
				Map.entry("message.max.bytes", MAX_RECORD_BYTES), Map.entry("replica.fetch.max.bytes", MAX_RECORD_BYTES)));
		try {
			Files.createDirectories(directory);
			try (OutputStream out = Files.newOutputStream(config)) {
				properties.store(out, "A test broker; written by KafkaProcess");
			}
			Files.writeString(directory.resolve("logback.xml"), """
					<configuration>
					  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
					    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
					  </appender>
					  <root level="INFO"><appender-ref ref="OUT"/></root>
					</configuration>
					""", StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not configure Kafka in " + directory, ex);
		}
	}

	private List<String> command(List<String> mainAndArguments) {
		List<String> command = new ArrayList<>(List.of(Processes.java(), "-Xmx512m",
				"-Dlogback.configurationFile=" + directory.resolve("logback.xml"), "-cp",
				System.getProperty("java.class.path")));
		command.addAll(mainAndArguments);
		return command;
	}

	/** Runs a Kafka tool to completion. */
	private void run(String what, List<String> mainAndArguments) {
		try {
			Process tool = new ProcessBuilder(command(mainAndArguments)).redirectErrorStream(true)
				.redirectOutput(Redirect.appendTo(log.toFile()))
				.start();
			if (!tool.waitFor(2, TimeUnit.MINUTES) || tool.exitValue() != 0) {
				tool.destroyForcibly();
				throw new IllegalStateException(what + " failed; see " + log);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + what, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + what, ex);
		}
	}

	private void launch() {
		try {
			process = new ProcessBuilder(command(List.of("kafka.Kafka", config.toString()))).redirectErrorStream(true)
				.redirectOutput(Redirect.appendTo(log.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start Kafka", ex);
		}
		Process started = process;
		Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "kafka-process-stop"));
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
				AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
			// the server answers before its broker has joined the cluster; clients want the broker
			Processes.await("Kafka", started, log, START_TIMEOUT,
					() -> !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty());
		}
	}

}
