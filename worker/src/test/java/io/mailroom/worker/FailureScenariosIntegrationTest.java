package io.mailroom.worker;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SendResult;
import io.mailroom.contracts.SendStatus;
import io.mailroom.core.sandbox.TestMicrosoft;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.SmtpService;
import io.mailroom.sandbox.Scenario;
import io.mailroom.sandbox.SmtpLimits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Each failure Exchange Online and the identity platform can produce ends the way an admin can act on. */
class FailureScenariosIntegrationTest extends WorkerIntegrationTest {

	@Test
	void smtpAuthDisabledForTheMailboxHoldsTheMailAndTellsTheAdminWhatToChange() {
		SmtpService service = authorizedService();
		microsoft().scenarios().disableSmtpAuth(service.microsoft().loginEmail());
		SendRequest request = mail(service).build();

		publish(request);

		await().until(() -> "HELD".equals(statusOf(request.requestId())));
		SmtpService held = services.find(service.id()).orElseThrow();
		assertThat(held.status()).isEqualTo(ServiceStatus.CONFIGURATION_ERROR);
		assertThat(held.statusReason().code()).isEqualTo("5.7.139");
		assertThat(held.statusReason().hint()).contains("SmtpClientAuthenticationDisabled");
		assertThat(held.statusReason().helpUrl()).isEqualTo("https://aka.ms/smtp_auth_disabled");
	}

	@Test
	void sendAsDeniedHoldsTheMailWithTheSenderCategory() {
		SmtpService service = authorizedService();
		jdbc.sql("update smtp_service set from_address = 'ceo@elsewhere.example' where id = ?")
			.param(service.id())
			.update();
		SendRequest request = mail(service).build();

		publish(request);

		await().until(() -> "HELD".equals(statusOf(request.requestId())));
		SmtpService held = services.find(service.id()).orElseThrow();
		assertThat(held.statusReason().category()).isEqualTo(ErrorCategory.SENDER);
		assertThat(held.statusReason().code()).isEqualTo("5.7.60");
	}

	@Test
	void aRefusedRecipientFailsThatMailOnly() {
		SmtpService service = authorizedService();
		Scenario refusal = microsoft().scenarios()
			.rejectRecipient("gone@example.com", 550, "5.1.1", "User unknown");
		try {
			SendRequest refused = mail(service).to("gone@example.com").build();
			SendRequest fine = mail(service).build();

			publish(refused);
			publish(fine);

			SendResult result = awaitResult(refused.requestId());
			assertThat(result.status()).isEqualTo(SendStatus.FAILED);
			assertThat(result.error().category()).isEqualTo(ErrorCategory.RECIPIENT);
			assertThat(result.smtpReply().code()).isEqualTo(550);
			assertThat(result.smtpReply().enhancedCode()).isEqualTo("5.1.1");
			assertThat(awaitResult(fine.requestId()).status()).isEqualTo(SendStatus.SENT);
		}
		finally {
			refusal.clear();
		}
	}

	@Test
	void transientServerErrorsAreRetriedUntilTheMailIsSent() {
		SmtpService service = authorizedService();
		Scenario failures = microsoft().scenarios().transientFailures(2);
		try {
			SendRequest request = mail(service).build();
			publish(request);

			SendResult result = awaitResult(request.requestId());
			assertThat(result.status()).isEqualTo(SendStatus.SENT);
			assertThat(result.attempts()).isEqualTo(3);
		}
		finally {
			failures.clear();
		}
	}

	@Test
	void theMessageRateLimitIsRetriedAfterTheServersMinuteAndTheMailSent() {
		TestMicrosoft.Mailbox mailbox = TestMicrosoft.newMailbox();
		SmtpService service = authorizedService(mailbox);
		// the worker thinks the limit is higher than the server's: the server answers 421 4.4.2
		jdbc.sql("update smtp_service set rate_limit_per_minute = 1000 where id = ?").param(service.id()).update();
		Scenario limits = microsoft().scenarios()
			.smtpLimits(SmtpLimits.EXCHANGE_ONLINE.withMessageRate(3, java.time.Duration.ofSeconds(2)));
		try {
			var requests = java.util.stream.IntStream.range(0, 6).mapToObj(i -> mail(service).build()).toList();
			requests.forEach(this::publish);

			requests.forEach(r -> assertThat(awaitResult(r.requestId()).status()).isEqualTo(SendStatus.SENT));
			assertThat(requests.stream().mapToInt(r -> awaitResult(r.requestId()).attempts()).max().orElseThrow())
				.as("some mail was throttled and retried")
				.isGreaterThan(1);
		}
		finally {
			limits.clear();
		}
	}

	@Test
	void tooManyConcurrentConnectionsAreRetriedAndTheMailSent() {
		SmtpService service = authorizedService();
		jdbc.sql("update smtp_service set max_connections = 5 where id = ?").param(service.id()).update();
		var slow = microsoft().scenarios().smtpLatency(java.time.Duration.ofMillis(100));
		try {
			var requests = java.util.stream.IntStream.range(0, 12).mapToObj(i -> mail(service).build()).toList();
			requests.forEach(this::publish);

			requests.forEach(r -> assertThat(awaitResult(r.requestId()).status()).isEqualTo(SendStatus.SENT));
			assertThat(requests.stream().mapToInt(r -> awaitResult(r.requestId()).attempts()).max().orElseThrow())
				.as("connections beyond the mailbox's 3 were refused with 432 4.3.2 and their mail retried")
				.isGreaterThan(1);
		}
		finally {
			slow.clear();
		}
	}

	@Test
	void anIdentityPlatformOutageIsRetriedWithoutTouchingTheService() {
		SmtpService service = authorizedService();
		expireAccessTokens(service);
		Scenario outage = microsoft().scenarios().identityOutage(2);
		try {
			SendRequest request = mail(service).build();
			publish(request);

			SendResult result = awaitResult(request.requestId());
			assertThat(result.status()).isEqualTo(SendStatus.SENT);
			assertThat(services.find(service.id()).orElseThrow().status()).isEqualTo(ServiceStatus.AUTHORIZED);
		}
		finally {
			outage.clear();
		}
	}

	@Test
	void anExpiredClientSecretHoldsTheMailAsAConfigurationError() {
		SmtpService service = authorizedService();
		expireAccessTokens(service);
		var app = microsoft().directory().app(service.microsoft().clientId()).orElseThrow();
		microsoft().scenarios().expireClientSecret(app);
		SendRequest request = mail(service).build();

		publish(request);

		await().until(() -> "HELD".equals(statusOf(request.requestId())));
		SmtpService held = services.find(service.id()).orElseThrow();
		assertThat(held.status()).isEqualTo(ServiceStatus.CONFIGURATION_ERROR);
		assertThat(held.statusReason().code()).isEqualTo("AADSTS7000222");
	}

}
