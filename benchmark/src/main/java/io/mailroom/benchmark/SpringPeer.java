package io.mailroom.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.Topics;
import io.mailroom.core.services.SmtpService;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * (d): the Spring Boot application a user would write instead of Mailroom ({@code spring-peer/}), from its
 * executable jar in a JVM of its own with the worker's heap ceiling, consuming the same send requests from a
 * topic of its own (as many partitions as {@code mail.send-requests}, so Mailroom's workers never see them)
 * and sending to the lean sink with PLAIN over STARTTLS. Cold: the cold mails are queued before it starts.
 * Warm: a burst once those are sent. It publishes no results, so a run ends with the sink's last mail.
 */
final class SpringPeer {

	static final String TOPIC = "benchmark.spring-peer.send-requests";

	private static final String GROUP = "spring-peer";

	private final Infrastructure infrastructure;

	private final LeanSinkProcess sink;

	private final Path jar;

	private final List<String> jvmOptions;

	SpringPeer(Infrastructure infrastructure, LeanSinkProcess sink, Path jar, List<String> jvmOptions) {
		this.infrastructure = infrastructure;
		this.sink = sink;
		this.jar = jar;
		this.jvmOptions = jvmOptions;
	}

	Result run(SmtpService service, List<SendRequest> cold, List<SendRequest> warm) {
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException("No Spring peer jar at " + jar.toAbsolutePath()
					+ ": build it with ./mvnw -pl benchmark -am package -DskipTests (./run-benchmark does)");
		}
		int partitions = prepareTopic();
		try (RequestPublisher requests = new RequestPublisher(infrastructure.kafka, TOPIC)) {
			Benchmark.progress("(d) " + cold.size() + " mails queued in Kafka, then the Spring peer started");
			requests.publish(cold);
			sink.reset();
			Path log = infrastructure.workDir.resolve("spring-peer.log");
			List<String> command = new ArrayList<>();
			command.add(ProcessHandle.current().info().command().orElse("java"));
			command.addAll(jvmOptions);
			command.addAll(List.of("-jar", jar.toAbsolutePath().toString(),
					"--spring.kafka.bootstrap-servers=" + infrastructure.kafka,
					"--spring.kafka.listener.concurrency=" + partitions, "--peer.topic=" + TOPIC,
					"--peer.from=" + service.fromAddress(), "--spring.mail.host=" + LeanSinkProcess.HOST,
					"--spring.mail.port=" + sink.port(), "--spring.mail.username=" + service.fromAddress(),
					"--spring.ssl.bundle.pem.sink.truststore.certificate=file:" + sink.certificate(),
					"--spring.mail.ssl.bundle=sink"));
			long started = System.currentTimeMillis();
			Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
			try {
				LeanSinkProcess.Stats first = sink.awaitMails(1, Duration.ofMinutes(3));
				Duration cpuBefore = cpu(process);
				LeanSinkProcess.Stats coldDone = sink.awaitMails(cold.size(), Benchmark.timeoutFor(cold.size()));
				Run coldRun = new Run(cold.size(), Duration.ofMillis(coldDone.lastAt() - first.firstAt()),
						cpu(process).minus(cpuBefore), coldDone.sessions());

				Benchmark.progress("(d) " + warm.size() + " mails through Kafka and the warm Spring peer");
				sink.reset();
				Duration warmBefore = cpu(process);
				long firstPublished = requests.publish(warm);
				LeanSinkProcess.Stats warmDone = sink.awaitMails(warm.size(), Benchmark.timeoutFor(warm.size()));
				Run warmRun = new Run(warm.size(), Duration.ofMillis(warmDone.lastAt() - firstPublished),
						cpu(process).minus(warmBefore), warmDone.sessions());
				return new Result(Duration.ofMillis(first.firstAt() - started), coldRun, warmRun, partitions);
			}
			finally {
				process.destroy();
				if (!process.waitFor(30, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the Spring peer", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Duration cpu(Process process) {
		return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
	}

	/**
	 * Creates the peer's topic with {@code mail.send-requests}' partitions and points the peer's consumer
	 * group at its end, so the peer takes exactly what is published from now on, including what is queued
	 * before it starts.
	 * @return the number of partitions
	 */
	private int prepareTopic() {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafka))) {
			int partitions = admin.describeTopics(List.of(Topics.SEND_REQUESTS))
				.allTopicNames()
				.get()
				.get(Topics.SEND_REQUESTS)
				.partitions()
				.size();
			if (!admin.listTopics().names().get().contains(TOPIC)) {
				admin.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1))).all().get();
			}
			Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
			for (int p = 0; p < partitions; p++) {
				latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
			}
			Map<TopicPartition, OffsetAndMetadata> ends = new java.util.HashMap<>();
			admin.listOffsets(latest).all().get().forEach((tp, end) -> ends.put(tp, new OffsetAndMetadata(end.offset())));
			admin.alterConsumerGroupOffsets(GROUP, ends).all().get();
			return partitions;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Could not prepare the Spring peer's topic", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * @param elapsed cold: first mail to last; warm: first publish to last mail at the sink
	 * @param cpu the peer's CPU over {@code elapsed}
	 * @param sessions SMTP sessions the sink saw
	 */
	record Run(int messages, Duration elapsed, Duration cpu, long sessions) {

		double throughput() {
			return messages / (elapsed.toNanos() / 1e9);
		}

	}

	/** @param startToFirstMail from starting the peer's process to the first mail the sink received */
	record Result(Duration startToFirstMail, Run cold, Run warm, int concurrency) {
	}

}
