package io.mailroom.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** What Mailroom and Java producers build with the records is what the schemas promise to everyone else. */
class JavaBuiltMessagesTest {

	private static final UUID SERVICE = UUID.fromString("0b6f3c1e-2d4a-4f7e-9c8b-1a2b3c4d5e6f");

	private static final Instant NOW = Instant.parse("2026-11-28T09:15:00.123456789Z");

	@Test
	void minimalBuiltRequestMatchesTheSchema() {
		SendRequest request = SendRequest.builder("acme", SERVICE).to("ada@example.com").text("Hello").build();

		assertThat(ContractSchemas.validate(Schemas.SEND_REQUEST, json(request))).isEmpty();
	}

	@Test
	void fullyBuiltRequestMatchesTheSchema() {
		SendRequest request = SendRequest.builder("acme", SERVICE)
			.priority(Priority.BULK)
			.to(new EmailAddress("ada@example.com", "Ada Lovelace"))
			.cc(EmailAddress.of("grace@example.com"))
			.bcc(EmailAddress.of("archive@example.org"))
			.subject("Invoice 2026-11 – Grüße")
			.text("See attachment.")
			.html("<p>See attachment.</p>")
			.attachment(Attachment.of("invoice.pdf", "application/pdf", new byte[] { 37, 80, 68, 70, 0, -1 }))
			.header("X-Campaign", "invoices")
			.notBefore(NOW)
			.expiresAt(NOW.plusSeconds(3600))
			.tag("feature", "billing")
			.build();

		assertThat(ContractSchemas.validate(Schemas.SEND_REQUEST, json(request))).isEmpty();
	}

	@Test
	void headersKeepTheProducersOrderThroughJson() throws Exception {
		SendRequest.Builder builder = SendRequest.builder("acme", SERVICE).to("ada@example.com").text("Hi");
		List<String> names = IntStream.range(0, 40).mapToObj(i -> "X-Header-" + (i * 7919 % 40)).toList();
		names.forEach(name -> builder.header(name, "v"));

		SendRequest read = MailroomJson.mapper().readValue(MailroomJson.mapper().writeValueAsBytes(builder.build()),
				SendRequest.class);

		assertThat(read.headers().keySet()).containsExactlyElementsOf(names);
	}

	@Test
	void requestWithAnEmptySubjectMatchesTheSchema() {
		// The mapper leaves empty strings out, so an empty subject must be as valid as none.
		SendRequest request = SendRequest.builder("acme", SERVICE).to("ada@example.com").subject("").text("Hi").build();

		assertThat(ContractSchemas.validate(Schemas.SEND_REQUEST, json(request))).isEmpty();
	}

	@Test
	void failedResultWithAnErrorMatchesTheSchema() {
		SendResult result = new SendResult(SendResult.SCHEMA_VERSION, UUID.randomUUID(), "acme", SERVICE,
				SendStatus.FAILED, 3, "<abc@mailroom>", new SmtpReply(535, "5.7.139", "Authentication unsuccessful"),
				new ErrorDetails(ErrorCategory.CONFIGURATION, "5.7.139", "SMTP AUTH is disabled for the mailbox.",
						"Set SmtpClientAuthenticationDisabled to false.", "https://aka.ms/smtp_auth_disabled", false),
				NOW.minusSeconds(60), NOW, Map.of("feature", "password-reset"));

		assertThat(ContractSchemas.validate(Schemas.SEND_RESULT, json(result))).isEmpty();
	}

	@Test
	void rejectedResultWithoutAttemptsMatchesTheSchema() {
		SendResult result = new SendResult(SendResult.SCHEMA_VERSION, UUID.randomUUID(), "acme", SERVICE,
				SendStatus.REJECTED, 0, null, null,
				new ErrorDetails(ErrorCategory.INVALID_REQUEST, "NO_BODY", "Neither text nor html.", null, null, false),
				null, NOW, null);

		JsonNode json = json(result);

		assertThat(json.get("attempts").asInt()).as("attempts is written even when 0").isZero();
		assertThat(ContractSchemas.validate(Schemas.SEND_RESULT, json)).isEmpty();
	}

	@Test
	void sentResultMatchesTheSchema() {
		SendResult result = new SendResult(SendResult.SCHEMA_VERSION, UUID.randomUUID(), "acme", SERVICE,
				SendStatus.SENT, 1, "<abc@mailroom>", new SmtpReply(250, null, "OK"), null, NOW.minusSeconds(2), NOW,
				null);

		assertThat(ContractSchemas.validate(Schemas.SEND_RESULT, json(result))).isEmpty();
	}

	@Test
	void failedResultWithoutAnErrorBreaksThePromiseToConsumers() {
		SendResult result = new SendResult(SendResult.SCHEMA_VERSION, UUID.randomUUID(), "acme", SERVICE,
				SendStatus.FAILED, 1, null, null, null, NOW, NOW, null);

		assertThat(ContractSchemas.validate(Schemas.SEND_RESULT, json(result)))
			.anySatisfy((error) -> assertThat(error.getProperty()).isEqualTo("error"));
	}

	@Test
	void serviceEventsMatchTheSchema() {
		ServiceEvent authorized = ServiceEvent.of(ServiceEventType.AUTHORIZED, "acme", SERVICE, null, NOW);
		ServiceEvent needsReauthorization = ServiceEvent.of(ServiceEventType.NEEDS_REAUTHORIZATION, "acme", SERVICE,
				new ErrorDetails(ErrorCategory.AUTHORIZATION, "AADSTS70008", "The refresh token has expired.",
						"Authorize the service again.", "https://login.microsoftonline.com/error?code=70008", false),
				NOW);

		assertThat(ContractSchemas.validate(Schemas.SERVICE_EVENT, json(authorized))).isEmpty();
		assertThat(ContractSchemas.validate(Schemas.SERVICE_EVENT, json(needsReauthorization))).isEmpty();
	}

	private static JsonNode json(Object message) {
		return MailroomJson.mapper().valueToTree(message);
	}

}
