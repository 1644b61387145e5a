package io.mailroom.core.failures;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.Arrays;

import io.mailroom.contracts.ErrorCategory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest {

	@Test
	void anInvalidRequestGetsItsCodesDefaultHintAndIsNeverRetried() {
		Failure failure = Failures.invalidRequest(InvalidRequestCodes.HEADER_INJECTION, "The subject contains a line break.");

		assertThat(failure.error().category()).isEqualTo(ErrorCategory.INVALID_REQUEST);
		assertThat(failure.error().code()).isEqualTo("HEADER_INJECTION");
		assertThat(failure.error().message()).isEqualTo("The subject contains a line break.");
		assertThat(failure.error().hint()).contains("line breaks");
		assertThat(failure.retryable()).isFalse();
		assertThat(failure.impact()).isEqualTo(ServiceImpact.NONE);
	}

	@Test
	void anInvalidRequestKeepsAHintGivenByTheCaller() {
		Failure failure = Failures.invalidRequest(InvalidRequestCodes.MESSAGE_TOO_LARGE,
				"The message is 41 MB; this service accepts 35 MB.", "Attach at most 25 MB of files.");

		assertThat(failure.error().hint()).isEqualTo("Attach at most 25 MB of files.");
	}

	@Test
	void everyInvalidRequestCodeHasADefaultHint() {
		Arrays.stream(InvalidRequestCodes.class.getFields())
			.filter((field) -> Modifier.isStatic(field.getModifiers()) && field.getType() == String.class)
			.map(FailuresTest::value)
			.forEach((code) -> assertThat(InvalidRequestCodes.defaultHint(code)).as(code).isNotBlank().endsWith("."));
	}

	@Test
	void anExpiredRequestSaysWhenItExpiredAndIsNotRetried() {
		Failure failure = Failures.expired(Instant.parse("2026-11-28T10:15:30Z"));

		assertThat(failure.error().category()).isEqualTo(ErrorCategory.EXPIRED);
		assertThat(failure.error().code()).isEqualTo("EXPIRED");
		assertThat(failure.error().message()).contains("2026-11-28T10:15:30Z");
		assertThat(failure.error().hint()).contains("later expiresAt");
		assertThat(failure.retryable()).isFalse();
	}

	@Test
	void textFromOutsideIsCleanedAndCutBeforeItGoesIntoAFailure() {
		String hugeReply = "554 5.6.0 " + "x".repeat(1_000_000) + "\u0000";
		Failure smtp = Failures.smtp(SmtpReplies.parse(hugeReply));
		Failure identity = Failures.identity("invalid_\u0000grant", null, "Odd\u0000 words \ud800.", 400);
		Failure refusal = Failures.invalidRequest(InvalidRequestCodes.SERVICE_NOT_OWNED,
				"SMTP service x does not belong to account " + "a\u0000".repeat(5000) + ".");

		assertThat(smtp.smtpReply().text()).hasSize(Failures.MAX_TEXT).endsWith("…");
		assertThat(identity.error().message()).isEqualTo("Microsoft refused the request: Odd\ufffd words \ufffd.");
		assertThat(identity.error().code()).isEqualTo("invalid_\ufffdgrant");
		assertThat(refusal.error().message()).hasSize(Failures.MAX_TEXT).doesNotContain("\u0000");
	}

	@Test
	void aReplyMadeWithoutTheParserIsCleanedWhenItIsClassified() {
		Failure failure = Failures.smtp(new io.mailroom.contracts.SmtpReply(550, null, "No\u0000 such user"));

		assertThat(failure.smtpReply().text()).isEqualTo("No\ufffd such user");
	}

	private static String value(Field field) {
		try {
			return (String) field.get(null);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
