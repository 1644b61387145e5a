package io.mailroom.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SendResult;
import io.mailroom.contracts.SendStatus;
import io.mailroom.contracts.Topics;
import io.mailroom.core.CoreTestApplication;
import io.mailroom.core.sandbox.TestMicrosoft;
import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServiceFixtures;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.sandbox.MicrosoftSandbox;
import io.mailroom.sandbox.Scenario;
import io.mailroom.sandbox.SmtpLimits;
import io.mailroom.testing.TestKafka;
import io.mailroom.testing.TestPostgres;
import io.mailroom.testing.TopicRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker process killed with SIGKILL in the middle of a flood loses nothing: its replacement sends every
 * request, each with exactly one result per requestId once consumers deduplicate.
 */
class CrashRecoveryIntegrationTest {

	private static final int MAILS = 300;

	private final List<Process> workers = new ArrayList<>();

	private ConfigurableApplicationContext core;

	// workers of other test classes may still run in this JVM on the shared broker: use a broker of our own
	private final EmbeddedKafkaKraftBroker kafka = TestKafka.privateBroker();

	@AfterEach
	void stopEverything() {
		workers.forEach(Process::destroyForcibly);
		if (core != null) {
			core.close();
		}
		kafka.destroy();
	}

	@Test
	void aWorkerKilledMidFloodLosesNothing() throws Exception {
		MicrosoftSandbox microsoft = TestMicrosoft.sandbox();
		String database = TestPostgres.newDatabase();
		Path caFile = microsoft.tls().writeCaCertificate(Files.createTempFile("sandbox-ca", ".pem"));
		core = new SpringApplicationBuilder(CoreTestApplication.class).web(WebApplicationType.NONE)
			.run("--spring.datasource.url=" + database, "--spring.datasource.username=postgres",
					"--spring.datasource.password=postgres", "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
					"--spring.profiles.active=test");
		SmtpService service = basicService(microsoft, core);
		Scenario noLimits = microsoft.scenarios().smtpLimits(SmtpLimits.NONE);
		Scenario slowServer = microsoft.scenarios().smtpLatency(Duration.ofMillis(15));
		try (TopicRecorder results = TopicRecorder.fromNow(kafka.getBrokersAsString(), Topics.SEND_RESULTS)) {
			Process first = startWorker(database, caFile, "first");
			List<UUID> ids = flood(service);

			await().atMost(Duration.ofSeconds(90)).until(() -> distinct(results).size() >= MAILS / 5);
			first.destroyForcibly().waitFor();
			int beforeKill = distinct(results).size();
			assertThat(beforeKill).as("the worker was killed mid-flood").isLessThan(MAILS);

			startWorker(database, caFile, "second");
			await().atMost(Duration.ofSeconds(120)).until(() -> distinct(results).keySet().containsAll(ids));

			Map<UUID, SendResult> outcome = distinct(results);
			assertThat(outcome.values()).allSatisfy(r -> assertThat(r.status()).isEqualTo(SendStatus.SENT));
			Set<String> delivered = microsoft.mailbox()
				.messages()
				.stream()
				.map(m -> m.messageId().orElse(""))
				.collect(Collectors.toSet());
			assertThat(ids).allSatisfy(id -> assertThat(delivered).anyMatch(m -> m.contains(id.toString())));
		}
		finally {
			noLimits.clear();
			slowServer.clear();
		}
	}

	private SmtpService basicService(MicrosoftSandbox microsoft, ConfigurableApplicationContext context) {
		TestMicrosoft.Mailbox mailbox = TestMicrosoft.newMailbox();
		microsoft.directory().setBasicPassword(mailbox.upn(), "flood-password");
		SmtpService service = SmtpServiceFixtures.basicService(context.getBean(SecretBox.class), "acct-crash",
				microsoft.smtpHost(), microsoft.smtpPort(), mailbox.upn(), "flood-password");
		context.getBean(SmtpServices.class).insert(service);
		return service;
	}

	@SuppressWarnings("unchecked")
	private List<UUID> flood(SmtpService service) {
		KafkaTemplate<String, byte[]> kafka = core.getBean(KafkaTemplate.class);
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < MAILS; i++) {
			SendRequest request = SendRequest.builder(service.accountId(), service.id())
				.to("reader" + i + "@example.com")
				.subject("Digest " + i)
				.text("Your weekly digest.")
				.build();
			ids.add(request.requestId());
			kafka.send(Topics.SEND_REQUESTS, service.id().toString(), MailroomJson.mapper().writeValueAsBytes(request));
		}
		kafka.flush();
		return ids;
	}

	private Process startWorker(String database, Path caFile, String name) throws IOException {
		String java = ProcessHandle.current().info().command().orElse("java");
		Path log = Path.of("target", "crash-test-worker-" + name + ".log");
		List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"),
				WorkerApplication.class.getName(), "--spring.profiles.active=test",
				"--spring.datasource.url=" + database, "--spring.datasource.username=postgres",
				"--spring.datasource.password=postgres",
				"--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(), "--server.port=0",
				"--spring.ssl.bundle.pem.microsoft-sandbox.truststore.certificate=file:" + caFile.toAbsolutePath(),
				"--mailroom.delivery.ssl-bundle=microsoft-sandbox", "--mailroom.identity.ssl-bundle=microsoft-sandbox",
				"--mailroom.identity.authority-host=" + TestMicrosoft.sandbox().authorityHost(),
				"--mailroom.identity.graph-host=" + TestMicrosoft.sandbox().graphBaseUrl(),
				"--mailroom.identity.instance-discovery=false");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		workers.add(process);
		return process;
	}

	private static Map<UUID, SendResult> distinct(TopicRecorder results) {
		return results.records()
			.stream()
			.map(r -> MailroomJson.mapper().readValue(r.value(), SendResult.class))
			.collect(Collectors.toMap(SendResult::requestId, r -> r, (a, b) -> a));
	}

}
