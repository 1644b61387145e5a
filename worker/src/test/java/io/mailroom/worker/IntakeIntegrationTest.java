package io.mailroom.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;

import io.mailroom.contracts.Attachment;
import io.mailroom.contracts.EmailAddress;
import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.MailroomJson;
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

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Nothing a producer sends can crash or stall intake, and every refusal says what to fix. */
class IntakeIntegrationTest extends WorkerIntegrationTest {

	@Autowired
	private KafkaListenerEndpointRegistry listeners;

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
	void aRecordWithWrongTypesGetsOneAnswerARejectedResultWhenItsRequestIdCanBeRead() {
		SmtpService service = authorizedService();
		UUID requestId = UUID.randomUUID();
		String json = """
				{"schemaVersion": 1, "requestId": "%s", "accountId": "%s", "serviceId": "%s",
				 "to": "not-a-list", "subject": "Hi", "text": "Hello"}""".formatted(requestId, service.accountId(),
				service.id());
		publishRaw(service.id().toString(), json.getBytes(StandardCharsets.UTF_8));
		// same key, same partition: once this one is dead-lettered, the record before it was handled
		publishRaw(service.id().toString(), "sentinel".getBytes(StandardCharsets.UTF_8));

		SendResult result = awaitResult(requestId);
		assertThat(result.status()).isEqualTo(SendStatus.REJECTED);
		assertThat(result.error().code()).isEqualTo("SCHEMA_VIOLATION");
		assertThat(result.error().message()).contains("does not match the SendRequest schema");
		awaitDeadLetter("sentinel");
		assertThat(deadLetters.records()).noneSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
			.isEqualTo(json));
	}

	@Test
	void aNulInTheSubjectIsRejectedWithItsPositionAndTheMailBehindItIsSent() {
		SmtpService service = authorizedService();
		SendRequest poisoned = mail(service).subject("Your code is\u0000 42").build();
		SendRequest next = mail(service).build();

		publish(poisoned);
		publish(next);

		SendResult rejected = awaitResult(poisoned.requestId());
		assertThat(rejected.status()).isEqualTo(SendStatus.REJECTED);
		assertThat(rejected.error().code()).isEqualTo("INVALID_TEXT");
		assertThat(rejected.error().message()).isEqualTo("subject contains U+0000 (NUL) at position 12.");
		assertThat(rejected.error().hint()).contains("Remove U+0000 (NUL) from subject");
		assertThat(awaitResult(next.requestId()).status()).isEqualTo(SendStatus.SENT);
		assertThat(jdbc.sql("select subject from delivery where request_id = ?")
			.param(poisoned.requestId())
			.query(String.class)
			.single()).isEqualTo("Your code is\ufffd 42");
	}

	@Test
	void whatPostgresqlOrSmtpRefuseInAnyStoredTextIsRejectedNamingTheField() {
		SmtpService service = authorizedService();

		assertRejected(SendRequest.builder(service.accountId() + "\u0000", service.id()).to("a@example.com").text("x").build(),
				"INVALID_TEXT", "accountId contains U+0000");
		assertRejected(mail(service).to(new EmailAddress("b@example.com", "Ada\u001b[31m")).build(), "INVALID_TEXT",
				"to[1].name contains the control character U+001B at position 3");
		assertRejected(mail(service).text("Hello\u0007").build(), "INVALID_TEXT", "text contains the control character U+0007");
		assertRejected(mail(service).html("<p>\ud800</p>").build(), "INVALID_TEXT",
				"html contains a lone surrogate U+D800 at position 3");
		assertRejected(mail(service).tag("feature", "reset\u0000").build(), "INVALID_TEXT", "tags['feature']");
		assertRejected(mail(service).tag("feature\nx", "reset").build(), "INVALID_TEXT", "tag name 'feature");
		assertRejected(mail(service).header("X-Campaign", "spring\u0000").build(), "INVALID_TEXT", "header X-Campaign");
		assertRejected(mail(service).attachment(Attachment.of("a\u0000.pdf", "application/pdf", new byte[] { 1 })).build(),
				"INVALID_TEXT", "attachments[0].filename");
		assertRejected(mail(service).attachment(Attachment.of("a.pdf", "application/pdf\r\nBcc: x@example.com",
				new byte[] { 1 })).build(), "HEADER_INJECTION", "attachments[0].contentType");
	}

	@Test
	void textsLongerThanExchangeTakesAreRejectedAtIntakeNotAtTheServer() {
		SmtpService service = authorizedService();

		assertRejected(mail(service).subject("x".repeat(1024 * 1024)).build(), "TEXT_TOO_LONG",
				"subject is 1048576 characters long; at most 998 are allowed.");
		assertRejected(mail(service).to(new EmailAddress("b@example.com", "n".repeat(257))).build(), "TEXT_TOO_LONG",
				"to[1].name");
		assertRejected(mail(service).header("X-Campaign", "v".repeat(901)).build(), "TEXT_TOO_LONG", "header X-Campaign");
		assertRejected(mail(service).tag("feature", "t".repeat(257)).build(), "TEXT_TOO_LONG", "tags['feature']");
		SendRequest.Builder tagged = mail(service);
		for (int i = 0; i < 51; i++) {
			tagged.tag("t" + i, "v");
		}
		assertRejected(tagged.build(), "TOO_MANY_TAGS", "51 tags");
	}

	@Test
	void aRecordThatIsNotUtf8IsRejectedWhenItsRequestIdCanBeReadAndDeadLetteredOtherwise() {
		SmtpService service = authorizedService();
		SendRequest request = mail(service).subject("Grüße").build();
		byte[] json = MailroomJson.mapper().writeValueAsBytes(request);
		byte[] latin1 = new String(json, StandardCharsets.UTF_8).getBytes(StandardCharsets.ISO_8859_1);
		byte[] noRequestId = "{\"subject\": \"Gr\u00fc\u00dfe\"}".getBytes(StandardCharsets.ISO_8859_1);

		publishRaw(service.id().toString(), latin1);
		publishRaw(service.id().toString(), noRequestId);

		SendResult result = awaitResult(request.requestId());
		assertThat(result.status()).isEqualTo(SendStatus.REJECTED);
		assertThat(result.error().code()).isEqualTo("INVALID_TEXT");
		assertThat(result.error().message()).startsWith("The record is not UTF-8: byte 0xFC at offset");
		ConsumerRecord<String, byte[]> dead = await()
			.until(() -> deadLetters.records().stream().filter(r -> Arrays.equals(r.value(), noRequestId)).findFirst(),
					java.util.Optional::isPresent)
			.orElseThrow();
		assertThat(reason(dead)).isEqualTo("not UTF-8: byte 0xFC at offset 15 is not part of a UTF-8 character; "
				+ "requestId is missing or not a UUID");
	}

	@Test
	void aRequestPostgresqlRefusesDespiteTheChecksIsSplitOffItsBatchAndTheRestIsStored() {
		SmtpService service = authorizedService();
		SendRequest before = mail(service).build();
		SendRequest refused = mail(service).subject("refused by the database").build();
		SendRequest after = mail(service).build();

		withDatabaseRule("new.subject = 'refused by the database'", "22023", () -> {
			publishAsOneBatch(before, refused, after);

			assertThat(awaitResult(before.requestId()).status()).isEqualTo(SendStatus.SENT);
			assertThat(awaitResult(after.requestId()).status()).isEqualTo(SendStatus.SENT);
			SendResult result = awaitResult(refused.requestId());
			assertThat(result.status()).isEqualTo(SendStatus.REJECTED);
			assertThat(result.error().code()).isEqualTo("UNPROCESSABLE_REQUEST");
			assertThat(result.error().message()).contains("PostgreSQL refused it (SQLSTATE 22023)");
			assertThat(result.error().hint()).contains("contact Mailroom support");
			ConsumerRecord<String, byte[]> copy = awaitDeadLetter(new String(
					MailroomJson.mapper().writeValueAsBytes(refused), StandardCharsets.UTF_8));
			assertThat(reason(copy)).startsWith("PostgreSQL refused to store it").contains("refused by a test rule");
			assertThat(copy.headers().lastHeader("mailroom-dlt-answered").value()).asString().isEqualTo("REJECTED");
		});
	}

	@Test
	void anUnavailableDatabaseMakesIntakeRetryTheWholeBatchUntilItIsBack() {
		SmtpService service = authorizedService();
		SendRequest first = mail(service).subject("while the database is down").build();
		SendRequest second = mail(service).build();
		jdbc.sql("create table if not exists test_outage (down boolean)").update();
		jdbc.sql("insert into test_outage values (true)").update();

		withDatabaseRule("new.subject = 'while the database is down' and exists (select 1 from test_outage)", "53000",
				() -> {
					publishAsOneBatch(first, second);
					// nothing is set aside or skipped while the database refuses for want of resources
					await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(4))
						.until(() -> resultsOf(first.requestId()).isEmpty() && statusOf(second.requestId()) == null);

					jdbc.sql("delete from test_outage").update();

					assertThat(awaitResult(first.requestId()).status()).isEqualTo(SendStatus.SENT);
					assertThat(awaitResult(second.requestId()).status()).isEqualTo(SendStatus.SENT);
				});
	}

	/**
	 * Runs {@code body} while PostgreSQL refuses to store a delivery row that matches {@code condition},
	 * with {@code sqlState}: a real refusal, for what intake's checks cannot foresee.
	 */
	private void withDatabaseRule(String condition, String sqlState, Runnable body) {
		jdbc.sql("""
				create or replace function test_refuse() returns trigger language plpgsql as $$
				begin
				  if %s then
				    raise exception 'refused by a test rule' using errcode = '%s';
				  end if;
				  return new;
				end $$""".formatted(condition, sqlState)).update();
		jdbc.sql("create trigger test_refuse before insert on delivery for each row execute function test_refuse()")
			.update();
		try {
			body.run();
		}
		finally {
			jdbc.sql("drop trigger test_refuse on delivery").update();
		}
	}

	/** Publishes while intake is paused, so that it reads all of them in one poll. */
	private void publishAsOneBatch(SendRequest... requests) {
		MessageListenerContainer intake = listeners.getListenerContainer("mailroom-intake");
		intake.pause();
		await().until(intake::isContainerPaused);
		try {
			for (SendRequest request : requests) {
				publish(request);
			}
		}
		finally {
			intake.resume();
		}
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
