package io.mailroom.worker;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;

import io.mailroom.contracts.Attachment;
import io.mailroom.contracts.EmailAddress;
import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SendResult;
import io.mailroom.contracts.SendStatus;
import io.mailroom.contracts.Topics;
import io.mailroom.core.services.SmtpService;
import io.mailroom.testing.TopicRecorder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Nothing a producer sends can crash or stall intake, and every refusal says what to fix. */
class IntakeIntegrationTest extends WorkerIntegrationTest {

	private TopicRecorder deadLetters;

	@BeforeEach
	void recordDeadLetters() {
		deadLetters = TopicRecorder.fromNow(Topics.SEND_REQUESTS_DLT);
	}

	@AfterEach
	void stopRecordingDeadLetters() {
		deadLetters.close();
	}

	@Test
	void aRecordThatIsNotJsonIsDeadLetteredWithTheReasonAndIntakeGoesOn() {
		SmtpService service = authorizedService();
		publishRaw(service.id().toString(), "this is not json {".getBytes(StandardCharsets.UTF_8));
		SendRequest next = mail(service).build();
		publish(next);

		assertThat(awaitResult(next.requestId()).status()).isEqualTo(SendStatus.SENT);
		ConsumerRecord<String, byte[]> dead = awaitDeadLetter("this is not json {");
		assertThat(reason(dead)).startsWith("not JSON");
	}

	@Test
	void emptyRecordsAndTenMegabytesOfGarbageAreDeadLettered() {
		SmtpService service = authorizedService();
		byte[] garbage = new byte[10 * 1024 * 1024];
		new Random(42).nextBytes(garbage);
		publishRaw(service.id().toString(), new byte[0]);
		publishRaw(service.id().toString(), garbage);
		SendRequest next = mail(service).build();
		publish(next);

		assertThat(awaitResult(next.requestId()).status()).isEqualTo(SendStatus.SENT);
		await().until(() -> deadLetters.records().size() >= 2);
		assertThat(deadLetters.records()).extracting(IntakeIntegrationTest::reason).contains("empty record");
		assertThat(deadLetters.records()).anySatisfy(r -> assertThat(r.value()).hasSize(garbage.length));
	}

	@Test
	void aRecordWithWrongTypesIsDeadLetteredAndRejectedWhenItsRequestIdCanBeRead() {
		SmtpService service = authorizedService();
		UUID requestId = UUID.randomUUID();
		String json = """
				{"schemaVersion": 1, "requestId": "%s", "accountId": "%s", "serviceId": "%s",
				 "to": "not-a-list", "subject": "Hi", "text": "Hello"}""".formatted(requestId, service.accountId(),
				service.id());
		publishRaw(service.id().toString(), json.getBytes(StandardCharsets.UTF_8));

		SendResult result = awaitResult(requestId);
		assertThat(result.status()).isEqualTo(SendStatus.REJECTED);
		assertThat(result.error().code()).isEqualTo("SCHEMA_VIOLATION");
		assertThat(reason(awaitDeadLetter(json))).contains("does not match the SendRequest schema");
	}

	@Test
	void invalidRequestsAreRejectedWithAReasonTheProducerCanActOn() {
		SmtpService service = authorizedService();

		assertRejected(mail(service).to(EmailAddress.of("not an address")).build(), "INVALID_ADDRESS", "to[1]");
		assertRejected(mail(service).subject("Hello\r\nBcc: victim@example.com").build(), "HEADER_INJECTION",
				"subject");
		assertRejected(
				mail(service).to(new EmailAddress("x@example.com", "Evil\nBcc: victim@example.com")).build(),
				"HEADER_INJECTION", "line break");
		assertRejected(mail(service).header("Bcc", "victim@example.com").build(), "INVALID_HEADER", "X-");
		assertRejected(mail(service).header("X-Campaign", "a\r\nBcc: v@example.com").build(), "HEADER_INJECTION",
				"X-Campaign");
		assertRejected(SendRequest.builder(service.accountId(), service.id())
			.to("a@example.com")
			.subject("No body")
			.build(), "NO_BODY", "text");
		SendRequest.Builder crowded = mail(service);
		for (int i = 0; i < 500; i++) {
			crowded.to("r" + i + "@example.com");
		}
		assertRejected(crowded.build(), "TOO_MANY_RECIPIENTS", "501");
		assertRejected(mail(service).attachment(new Attachment("a.pdf", "application/pdf", "***")).build(),
				"INVALID_ATTACHMENT", "base64");
		byte[] large = new byte[40 * 1024 * 1024];
		Arrays.fill(large, (byte) 'x');
		assertRejected(mail(service).attachment(Attachment.of("large.bin", "application/octet-stream", large)).build(),
				"MESSAGE_TOO_LARGE", "MB");
	}

	@Test
	void requestsForUnknownDeletedOrForeignServicesAreRejected() {
		SmtpService service = authorizedService();
		SmtpService deleted = authorizedService();
		services.markDeleted(deleted.accountId(), deleted.id(), Instant.now());

		assertRejected(SendRequest.builder(service.accountId(), UUID.randomUUID()).to("a@example.com").text("x").build(),
				"UNKNOWN_SERVICE", "no SMTP service");
		assertRejected(mail(deleted).build(), "UNKNOWN_SERVICE", "deleted");
		assertRejected(SendRequest.builder("another-account", service.id()).to("a@example.com").text("x").build(),
				"SERVICE_NOT_OWNED", "another-account");
	}

	@Test
	void aRequestThatExpiredBeforeArrivingIsExpiredNotSent() {
		SmtpService service = authorizedService();
		SendRequest request = mail(service).expiresAt(Instant.now().minusSeconds(1)).build();

		publish(request);

		SendResult result = awaitResult(request.requestId());
		assertThat(result.status()).isEqualTo(SendStatus.EXPIRED);
		assertThat(result.error().category()).isEqualTo(ErrorCategory.EXPIRED);
	}

	private void assertRejected(SendRequest request, String code, String messagePart) {
		publish(request);
		SendResult result = awaitResult(request.requestId());
		assertThat(result.status()).as(code).isEqualTo(SendStatus.REJECTED);
		assertThat(result.error().category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
		assertThat(result.error().code()).isEqualTo(code);
		assertThat(result.error().message()).contains(messagePart);
		assertThat(result.error().hint()).isNotBlank();
		assertThat(result.error().retryable()).isFalse();
	}

	private ConsumerRecord<String, byte[]> awaitDeadLetter(String value) {
		return await().until(() -> deadLetters.records()
			.stream()
			.filter(r -> new String(r.value(), StandardCharsets.UTF_8).equals(value))
			.findFirst(), java.util.Optional::isPresent).orElseThrow();
	}

	private static String reason(ConsumerRecord<String, byte[]> record) {
		return new String(record.headers().lastHeader(Topics.DLT_REASON_HEADER).value(), StandardCharsets.UTF_8);
	}

}
