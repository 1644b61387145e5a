package io.mailroom.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.mailroom.contracts.EmailAddress;
import io.mailroom.contracts.Priority;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SendResult;
import io.mailroom.contracts.SendStatus;
import io.mailroom.core.sandbox.TestMicrosoft;
import io.mailroom.core.services.SmtpService;
import io.mailroom.sandbox.ReceivedMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Mail goes from Kafka through the worker to the sandbox's Exchange Online, and results come back. */
class DeliveryIntegrationTest extends WorkerIntegrationTest {

	@Test
	void mailIsDeliveredWithXoauth2AndItsResultPublished() {
		SmtpService service = authorizedService();
		SendRequest request = mail(service).cc(new EmailAddress("copy@example.com", "Copy"))
			.bcc(EmailAddress.of("hidden@example.com"))
			.tag("feature", "password-reset")
			.build();

		publish(request);
		SendResult result = awaitResult(request.requestId());

		assertThat(result.status()).isEqualTo(SendStatus.SENT);
		assertThat(result.attempts()).isEqualTo(1);
		assertThat(result.tags()).containsEntry("feature", "password-reset");
		assertThat(result.smtpReply().code()).isEqualTo(250);
		assertThat(result.messageId()).contains(request.requestId().toString());
		ReceivedMessage received = microsoft().mailbox()
			.messages()
			.stream()
			.filter(m -> m.messageId().orElse("").contains(request.requestId().toString()))
			.findFirst()
			.orElseThrow();
		assertThat(received.authenticatedBy()).isEqualTo(service.microsoft().loginEmail());
		assertThat(received.from()).hasValueSatisfying(from -> assertThat(from).contains(service.fromAddress()));
		assertThat(received.contentAsString()).doesNotContain("hidden@example.com");
		assertThat(received.recipients()).contains("hidden@example.com", "copy@example.com");
	}

	@Test
	void mailIsDeliveredWithBasicAuthentication() {
		SmtpService service = basicService();
		SendRequest request = mail(service).build();

		publish(request);

		assertThat(awaitResult(request.requestId()).status()).isEqualTo(SendStatus.SENT);
	}

	@Test
	void manyMailsOfOneServiceShareAFewAuthenticatedConnections() {
		SmtpService service = authorizedService();
		long sessionsBefore = microsoft().stats().authenticatedSessions(service.microsoft().loginEmail());
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			SendRequest request = mail(service).build();
			ids.add(request.requestId());
			publish(request);
		}

		ids.forEach(id -> assertThat(awaitResult(id).status()).isEqualTo(SendStatus.SENT));

		long sessions = microsoft().stats().authenticatedSessions(service.microsoft().loginEmail()) - sessionsBefore;
		assertThat(sessions).isBetween(1L, 3L);
	}

	@Test
	void aRequestPublishedTwiceIsSentOnce() {
		SmtpService service = authorizedService();
		SendRequest request = mail(service).build();

		publish(request);
		awaitResult(request.requestId());
		publish(request);
		SendRequest marker = mail(service).build();
		publish(marker);
		awaitResult(marker.requestId());

		assertThat(resultsOf(request.requestId())).hasSize(1);
		assertThat(microsoft().mailbox()
			.messages()
			.stream()
			.filter(m -> m.messageId().orElse("").contains(request.requestId().toString())))
			.hasSize(1);
	}

	@Test
	void mailIsNotSentBeforeItsNotBefore() {
		SmtpService service = authorizedService();
		Instant notBefore = Instant.now().plusSeconds(2);
		SendRequest request = mail(service).notBefore(notBefore).build();

		publish(request);
		SendResult result = awaitResult(request.requestId(), Duration.ofSeconds(20));

		assertThat(result.status()).isEqualTo(SendStatus.SENT);
		assertThat(result.occurredAt()).isAfterOrEqualTo(notBefore);
	}

	@Test
	void transactionalMailOvertakesQueuedBulkMailOfTheSameService() {
		SmtpService service = authorizedService();
		// one connection and a slow server: bulk mail queues up behind it
		jdbc.sql("update smtp_service set max_connections = 1 where id = ?").param(service.id()).update();
		var slowServer = microsoft().scenarios().smtpLatency(Duration.ofMillis(150));
		try {
			List<UUID> bulk = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				SendRequest request = mail(service).priority(Priority.BULK).build();
				bulk.add(request.requestId());
				publish(request);
			}
			await().until(() -> !resultsOf(bulk.getFirst()).isEmpty());

			SendRequest urgent = mail(service).priority(Priority.TRANSACTIONAL).build();
			publish(urgent);
			SendResult urgentResult = awaitResult(urgent.requestId());
			bulk.forEach(WorkerIntegrationTest::awaitResult);

			long bulkSentAfter = bulk.stream()
				.map(id -> resultsOf(id).getFirst())
				.filter(r -> r.occurredAt().isAfter(urgentResult.occurredAt()))
				.count();
			assertThat(bulkSentAfter).as("bulk mails sent after the transactional one").isGreaterThanOrEqualTo(5);
		}
		finally {
			slowServer.clear();
		}
	}

}
