package io.mailroom.worker;

import java.time.Duration;
import java.util.UUID;

import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SendResult;
import io.mailroom.contracts.SendStatus;
import io.mailroom.core.google.GoogleAccounts;
import io.mailroom.core.sandbox.TestGoogle;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.SmtpService;
import io.mailroom.sandbox.GoogleSandbox;
import io.mailroom.sandbox.GoogleWorkspace;
import io.mailroom.sandbox.ReceivedMessage;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Google Workspace through Kafka and a worker to the Google stand-in: a user grant, a service account with
 * domain-wide delegation, a revoked grant held until re-authorized, and the daily sending limit held until its
 * window frees up. Gmail's day is scaled down to seconds ({@code server-wait-scale}).
 */
@TestPropertySource(properties = "mailroom.scheduling.retry.server-wait-scale=0.0001")
class GoogleWorkspaceIntegrationTest extends WorkerIntegrationTest {

	@Autowired
	GoogleAccounts googleAccounts;

	@DynamicPropertySource
	static void google(DynamicPropertyRegistry registry) {
		TestGoogle.springProperties().forEach((name, value) -> registry.add(name, () -> value));
	}

	@Test
	void aUserGrantSendsThroughGmailWithXoauth2() {
		SmtpService service = authorizedGoogleService(TestGoogle.newWorkspace(), null);

		SendResult result = sendAndAwait(service);

		assertThat(result.status()).isEqualTo(SendStatus.SENT);
		assertThat(result.smtpReply().text()).contains("gsmtp");
		assertThat(received(result).authenticatedBy()).isEqualTo(service.fromAddress());
	}

	@Test
	void aServiceAccountSendsWithoutAUserGrantOnceItsDelegationIsAllowed() {
		TestGoogle.Workspace workspace = TestGoogle.newWorkspace();
		GoogleWorkspace.ServiceAccount account = google().createServiceAccount("mailroom-" + workspace.domain().substring(0, 9), "sender");
		SmtpService service = TestGoogle.storeService(services, secrets, "acct-" + UUID.randomUUID(), workspace, account, null);
		SendRequest first = mail(service).build();

		publish(first);

		await().atMost(Duration.ofSeconds(30)).until(() -> "HELD".equals(statusOf(first.requestId())));
		SmtpService held = services.find(service.id()).orElseThrow();
		assertThat(held.status()).isEqualTo(ServiceStatus.CONFIGURATION_ERROR);
		assertThat(held.statusReason().code()).isEqualTo("unauthorized_client");
		assertThat(held.statusReason().hint()).contains("Manage Domain Wide Delegation", account.clientId(),
				"https://mail.google.com/");

		google().workspace().allowDomainWideDelegation(workspace.domain(), account.clientId(), GoogleWorkspace.MAIL_SCOPE);
		services.markAuthorized(service.id(), null, java.time.Instant.now());

		SendResult result = awaitResult(first.requestId());
		assertThat(result.status()).isEqualTo(SendStatus.SENT);
		assertThat(received(result).authenticatedBy()).isEqualTo(workspace.user());
		assertThat(tokenCaches.load(service.id())).isEmpty();
	}

	@Test
	void aRevokedGrantHoldsTheMailUntilTheServiceIsAuthorizedAgain() {
		SmtpService service = authorizedGoogleService(TestGoogle.newWorkspace(), null);
		google().workspace().revokeGrants(service.fromAddress());
		SendRequest request = mail(service).build();

		publish(request);

		await().atMost(Duration.ofSeconds(30)).until(() -> "HELD".equals(statusOf(request.requestId())));
		SmtpService held = services.find(service.id()).orElseThrow();
		assertThat(held.status()).isEqualTo(ServiceStatus.NEEDS_REAUTHORIZATION);
		assertThat(held.statusReason().code()).isEqualTo("invalid_grant");
		assertThat(held.statusReason().hint()).contains("Authorize the service again", "7 days", "Testing");

		TestGoogle.authorize(held, googleAccounts, tokenCaches, services);

		assertThat(awaitResult(request.requestId()).status()).isEqualTo(SendStatus.SENT);
	}

	@Test
	void gmailsDailyLimitHoldsTheMailUntilTheWindowFreesUpInsteadOfFailingIt() {
		TestGoogle.Workspace workspace = TestGoogle.newWorkspace();
		google().workspace().dailyLimit(workspace.user(), 1);
		SmtpService service = authorizedGoogleService(workspace, null);
		assertThat(sendAndAwait(service).status()).isEqualTo(SendStatus.SENT);
		SendRequest request = mail(service).build();

		publish(request);

		await().atMost(Duration.ofSeconds(30)).until(() -> "HELD".equals(statusOf(request.requestId())));
		assertThat(errorCodeOf(request.requestId())).isEqualTo("5.4.5");
		assertThat(resultsOf(request.requestId())).isEmpty();
		assertThat(services.find(service.id()).orElseThrow().status()).isEqualTo(ServiceStatus.AUTHORIZED);
		google().workspace().resetDailyCount(workspace.user());

		SendResult result = awaitResult(request.requestId(), Duration.ofSeconds(60));
		assertThat(result.status()).isEqualTo(SendStatus.SENT);
	}

	@Test
	void theMailboxsOwnDailyLimitHoldsMailBeforeGmailRefusesIt() {
		SmtpService service = authorizedGoogleService(TestGoogle.newWorkspace(), 1);
		assertThat(sendAndAwait(service).status()).isEqualTo(SendStatus.SENT);
		SendRequest request = mail(service).build();

		publish(request);

		await().atMost(Duration.ofSeconds(30)).until(() -> "HELD".equals(statusOf(request.requestId())));
		assertThat(errorCodeOf(request.requestId())).isEqualTo("DAILY_LIMIT");
		assertThat(google().workspace().refusedAuthentications()).doesNotContain(service.fromAddress());

		assertThat(awaitResult(request.requestId(), Duration.ofSeconds(60)).status()).isEqualTo(SendStatus.SENT);
	}

	private SmtpService authorizedGoogleService(TestGoogle.Workspace workspace, Integer dailyLimit) {
		SmtpService service = TestGoogle.storeService(services, secrets, "acct-" + UUID.randomUUID(), workspace, null,
				dailyLimit);
		TestGoogle.authorize(service, googleAccounts, tokenCaches, services);
		return services.find(service.id()).orElseThrow();
	}

	private SendResult sendAndAwait(SmtpService service) {
		SendRequest request = mail(service).build();
		publish(request);
		return awaitResult(request.requestId(), Duration.ofSeconds(30));
	}

	private String errorCodeOf(UUID requestId) {
		return jdbc.sql("select error->>'code' from delivery where request_id = ?").param(requestId).query(String.class).single();
	}

	private static GoogleSandbox google() {
		return TestGoogle.sandbox();
	}

	private static ReceivedMessage received(SendResult result) {
		return google().mailbox()
			.messages()
			.stream()
			.filter(message -> message.messageId().orElse("").equals(result.messageId()))
			.findFirst()
			.orElseThrow();
	}

}
