package io.mailroom.worker;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SendResult;
import io.mailroom.contracts.Topics;
import io.mailroom.core.sandbox.TestMicrosoft;
import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServiceFixtures;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.core.tokens.MicrosoftApps;
import io.mailroom.core.tokens.TokenCaches;
import io.mailroom.sandbox.MicrosoftSandbox;
import io.mailroom.testing.OtlpCollector;
import io.mailroom.testing.RealInfrastructure;
import io.mailroom.testing.TopicRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.awaitility.Awaitility.await;

/**
 * A worker running against real PostgreSQL, a real Kafka broker and the Microsoft sandbox, exporting its
 * spans to the test JVM's {@link OtlpCollector}. Every test
 * class shares one worker (one Spring context); tests keep out of each other's way by using their own
 * mailboxes and services.
 */
@SpringBootTest(classes = WorkerApplication.class)
@ContextConfiguration(initializers = RealInfrastructure.class)
@ActiveProfiles("test")
public abstract class WorkerIntegrationTest {

	protected static TopicRecorder results;

	@Autowired
	protected KafkaTemplate<String, byte[]> kafka;

	@Autowired
	protected SmtpServices services;

	@Autowired
	protected SecretBox secrets;

	@Autowired
	protected MicrosoftApps microsoftApps;

	@Autowired
	protected TokenCaches tokenCaches;

	@Autowired
	protected JdbcClient jdbc;

	@DynamicPropertySource
	static void microsoft(DynamicPropertyRegistry registry) {
		TestMicrosoft.springProperties().forEach((name, value) -> registry.add(name, () -> value));
		registry.add("management.opentelemetry.tracing.export.otlp.endpoint",
				() -> OtlpCollector.shared().tracesEndpoint());
	}

	@BeforeAll
	static void recordResults() {
		results = TopicRecorder.fromNow(Topics.SEND_RESULTS);
	}

	@AfterAll
	static void stopRecording() {
		results.close();
	}

	protected static MicrosoftSandbox microsoft() {
		return TestMicrosoft.sandbox();
	}

	/** A Microsoft OAuth2 service of a fresh sandbox mailbox, authorized like an admin would. */
	protected SmtpService authorizedService(TestMicrosoft.Mailbox mailbox) {
		SmtpService service = TestMicrosoft.storeService(services, secrets, "acct-" + UUID.randomUUID(), mailbox);
		TestMicrosoft.authorize(service, microsoftApps, tokenCaches, services);
		return services.find(service.id()).orElseThrow();
	}

	protected SmtpService authorizedService() {
		return authorizedService(TestMicrosoft.newMailbox());
	}

	/** A basic-auth service of a fresh sandbox mailbox with a password. */
	protected SmtpService basicService() {
		TestMicrosoft.Mailbox mailbox = TestMicrosoft.newMailbox();
		microsoft().directory().setBasicPassword(mailbox.upn(), "correct horse battery staple");
		SmtpService service = SmtpServiceFixtures.basicService(secrets, "acct-" + UUID.randomUUID(),
				microsoft().smtpHost(), microsoft().smtpPort(), mailbox.upn(), "correct horse battery staple");
		services.insert(service);
		return service;
	}

	/**
	 * Drops the access tokens from a service's stored cache, as if they had expired: access tokens cannot
	 * be revoked, so only a refresh notices a revoked grant.
	 */
	protected void expireAccessTokens(SmtpService service) {
		var cache = (tools.jackson.databind.node.ObjectNode) MailroomJson.mapper()
			.readTree(tokenCaches.load(service.id()).orElseThrow().json());
		cache.putObject("AccessToken");
		tokenCaches.replace(service.id(), MailroomJson.mapper().writeValueAsString(cache));
	}

	protected static SendRequest.Builder mail(SmtpService service) {
		return SendRequest.builder(service.accountId(), service.id())
			.to("recipient@" + service.fromAddress().substring(service.fromAddress().indexOf('@') + 1))
			.subject("Your password reset code")
			.text("Your code is 123456.");
	}

	/** Publishes a request as a product feature would. */
	protected void publish(SendRequest request) {
		publishRaw(request.serviceId().toString(), MailroomJson.mapper().writeValueAsBytes(request));
	}

	protected void publishRaw(String key, byte[] value) {
		kafka.send(Topics.SEND_REQUESTS, key, value).join();
	}

	/** The results published for {@code requestId} so far. */
	protected static List<SendResult> resultsOf(UUID requestId) {
		return results.records()
			.stream()
			.filter(r -> requestId.toString().equals(r.key()))
			.map(r -> MailroomJson.mapper().readValue(r.value(), SendResult.class))
			.toList();
	}

	/** Waits for the result of {@code requestId}. */
	protected static SendResult awaitResult(UUID requestId) {
		return awaitResult(requestId, Duration.ofSeconds(30));
	}

	protected static SendResult awaitResult(UUID requestId, Duration timeout) {
		return await().atMost(timeout)
			.until(() -> resultsOf(requestId).stream().findFirst(), Optional::isPresent)
			.orElseThrow();
	}

	/** The delivery row's status, as the API would read it. */
	protected String statusOf(UUID requestId) {
		return jdbc.sql("select status from delivery where request_id = ?")
			.param(requestId)
			.query(String.class)
			.optional()
			.orElse(null);
	}

}
