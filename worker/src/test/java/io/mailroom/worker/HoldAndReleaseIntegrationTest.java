package io.mailroom.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SendResult;
import io.mailroom.contracts.SendStatus;
import io.mailroom.contracts.ServiceEvent;
import io.mailroom.contracts.ServiceEventType;
import io.mailroom.contracts.Topics;
import io.mailroom.core.sandbox.TestMicrosoft;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.ServiceStatusChanges;
import io.mailroom.core.services.SmtpService;
import io.mailroom.testing.TopicRecorder;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Mail of a service whose grant is gone waits for an admin instead of failing. */
class HoldAndReleaseIntegrationTest extends WorkerIntegrationTest {

	@Autowired
	ServiceStatusChanges statusChanges;

	@Test
	void aRevokedGrantHoldsTheMailUntilTheServiceIsAuthorizedAgainThenSendsIt() {
		SmtpService service = authorizedService();
		expireAccessTokens(service);
		microsoft().scenarios().revokeGrants(service.microsoft().loginEmail());
		try (TopicRecorder events = TopicRecorder.fromNow(Topics.SERVICE_EVENTS)) {
			SendRequest request = mail(service).build();
			publish(request);

			await().until(() -> "HELD".equals(statusOf(request.requestId())));
			SmtpService held = services.find(service.id()).orElseThrow();
			assertThat(held.status()).isEqualTo(ServiceStatus.NEEDS_REAUTHORIZATION);
			assertThat(held.statusReason().code()).isEqualTo("AADSTS50173");
			assertThat(held.statusReason().category()).isEqualTo(ErrorCategory.AUTHORIZATION);
			ServiceEvent event = await().until(() -> events(events, service), e -> !e.isEmpty()).getFirst();
			assertThat(event.type()).isEqualTo(ServiceEventType.NEEDS_REAUTHORIZATION);
			assertThat(event.error().code()).isEqualTo("AADSTS50173");
			assertThat(resultsOf(request.requestId())).isEmpty();

			TestMicrosoft.authorize(held, microsoftApps, tokenCaches, services);
			statusChanges.authorized(held, held.microsoft().loginEmail(), Instant.now());

			SendResult result = awaitResult(request.requestId());
			assertThat(result.status()).isEqualTo(SendStatus.SENT);
		}
	}

	@Test
	void heldMailWhoseExpiryPassesIsExpiredNotSent() {
		SmtpService service = authorizedService();
		expireAccessTokens(service);
		microsoft().scenarios().revokeGrants(service.microsoft().loginEmail());
		jdbc.sql("update smtp_service set status = 'NEEDS_REAUTHORIZATION' where id = ?").param(service.id()).update();
		SendRequest request = mail(service).expiresAt(Instant.now().plusSeconds(2)).build();

		publish(request);

		SendResult result = awaitResult(request.requestId(), Duration.ofSeconds(20));
		assertThat(result.status()).isEqualTo(SendStatus.EXPIRED);
		assertThat(result.error().category()).isEqualTo(ErrorCategory.EXPIRED);
		assertThat(result.attempts()).isZero();
	}

	@Test
	void mailForAServiceNotAuthorizedYetIsHeldAndSentOnceItIs() {
		TestMicrosoft.Mailbox mailbox = TestMicrosoft.newMailbox();
		SmtpService service = TestMicrosoft.storeService(services, secrets, "acct-new", mailbox);
		SendRequest request = mail(service).build();

		publish(request);
		await().until(() -> "HELD".equals(statusOf(request.requestId())));

		TestMicrosoft.authorize(service, microsoftApps, tokenCaches, services);
		statusChanges.authorized(service, mailbox.upn(), Instant.now());

		assertThat(awaitResult(request.requestId()).status()).isEqualTo(SendStatus.SENT);
	}

	private static List<ServiceEvent> events(TopicRecorder recorder, SmtpService service) {
		return recorder.records()
			.stream()
			.filter(r -> service.id().toString().equals(r.key()))
			.map(r -> MailroomJson.mapper().readValue(r.value(), ServiceEvent.class))
			.toList();
	}

}
