package io.mailroom.worker.intake;

import java.util.UUID;
import java.util.function.UnaryOperator;

import io.mailroom.contracts.Attachment;
import io.mailroom.contracts.EmailAddress;
import io.mailroom.contracts.SendRequest;
import io.mailroom.core.failures.Failure;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextCheckTest {

	private final TextCheck check = new TextCheck(IntakeProperties.defaults());

	@Test
	void aCleanRequestPasses() {
		assertThat(check.check(request(b -> b))).isNull();
	}

	@Test
	void everyStoredOrSentTextIsCheckedAndNamed() {
		assertRefused(b -> b.subject("a\u0000"), "INVALID_TEXT", "subject contains U+0000 (NUL) at position 1.");
		assertRefused(b -> b.to(new EmailAddress("x\u0001@example.com", null)), "INVALID_TEXT",
				"to[1].address contains the control character U+0001 at position 1.");
		assertRefused(b -> b.cc(new EmailAddress("c@example.com", "C\u007f")), "INVALID_TEXT", "cc[0].name contains");
		assertRefused(b -> b.bcc(new EmailAddress("b@example.com", "B\nX")), "HEADER_INJECTION",
				"bcc[0].name contains a line break (U+000A, LF) at position 1.");
		assertRefused(b -> b.header("X-A\u0000", "v"), "INVALID_TEXT", "header name 'X-A\ufffd' contains");
		assertRefused(b -> b.header("X-A", "v\ud800"), "INVALID_TEXT", "header X-A contains a lone surrogate U+D800");
		assertRefused(b -> b.tag("k\r", "v"), "INVALID_TEXT", "tag name 'k\ufffd' contains a line break");
		assertRefused(b -> b.tag("k", "v\u001f"), "INVALID_TEXT", "tags['k'] contains");
		assertRefused(b -> b.attachment(new Attachment("a\tb\u0000.pdf", "application/pdf", "AA==")), "INVALID_TEXT",
				"attachments[0].filename contains U+0000 (NUL) at position 3.");
		assertRefused(b -> b.attachment(new Attachment("a.pdf", "text/plain\r\n", "AA==")), "HEADER_INJECTION",
				"attachments[0].contentType");
		assertRefused(b -> b.html("<p>\u0000</p>"), "INVALID_TEXT", "html contains");
		assertThat(check.check(SendRequest.builder("acct\u0000", UUID.randomUUID()).to("a@example.com").build())
			.error()
			.message()).startsWith("accountId contains U+0000");
	}

	@Test
	void bodiesMayHoldLineBreaksAndTabsButNothingElse() {
		assertThat(check.check(request(b -> b.text("a\r\nb\tc\n").html("<p>\n</p>")))).isNull();
		assertRefused(b -> b.text("bell\u0007"), "INVALID_TEXT", "text contains the control character U+0007");
	}

	@Test
	void lengthsAreCountedInCharactersAndLimited() {
		assertThat(check.check(request(b -> b.subject("😀".repeat(998))))).isNull();
		assertRefused(b -> b.subject("😀".repeat(999)), "TEXT_TOO_LONG",
				"subject is 999 characters long; at most 998 are allowed.");
		assertRefused(b -> b.to(new EmailAddress("a@example.com", "n".repeat(257))), "TEXT_TOO_LONG", "to[1].name is 257");
		assertRefused(b -> b.header("X-A", "v".repeat(901)), "TEXT_TOO_LONG", "header X-A is 901");
		assertRefused(b -> b.tag("k".repeat(257), "v"), "TEXT_TOO_LONG", "tag name 'kkk");
		assertRefused(b -> b.attachment(new Attachment("f".repeat(256), "application/pdf", "AA==")), "TEXT_TOO_LONG",
				"attachments[0].filename is 256");
	}

	@Test
	void tooManyTagsAreRefusedBeforeTheirTexts() {
		assertRefused(b -> {
			for (int i = 0; i < 51; i++) {
				b.tag("t" + i, "\u0000");
			}
			return b;
		}, "TOO_MANY_TAGS", "The request has 51 tags; at most 50 are allowed.");
	}

	@Test
	void theStorableCopyOfARefusedRequestHoldsNothingPostgresqlRefuses() {
		SendRequest refused = request(b -> b.subject("s\u0000".repeat(600))
			.to(new EmailAddress("x\u0000@example.com", null))
			.tag("k\ud800", "v\u0000"));

		SendRequest copy = check.storableCopy(refused);

		assertThat(copy.subject()).hasSize(998).endsWith("…").doesNotContain("\u0000");
		assertThat(copy.allRecipients()).extracting(EmailAddress::address)
			.containsExactly("r@example.com", "x\ufffd@example.com");
		assertThat(copy.tags()).containsEntry("k\ufffd", "v\ufffd");
		assertThat(copy.requestId()).isEqualTo(refused.requestId());
		assertThat(copy.text()).isNull();
	}

	private void assertRefused(UnaryOperator<SendRequest.Builder> change, String code, String message) {
		Failure failure = check.check(request(change));
		assertThat(failure).as(message).isNotNull();
		assertThat(failure.error().code()).isEqualTo(code);
		assertThat(failure.error().message()).contains(message);
		assertThat(failure.error().hint()).isNotBlank();
	}

	private static SendRequest request(UnaryOperator<SendRequest.Builder> change) {
		return change.apply(SendRequest.builder("acct", UUID.randomUUID())
			.to("r@example.com")
			.subject("Hello")
			.text("Hi")).build();
	}

}
