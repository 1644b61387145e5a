package io.mailroom.core.failures;

import java.time.Duration;

import io.mailroom.contracts.ErrorCategory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Gmail's SMTP replies and Google's OAuth errors, as the catalogue reads them. */
class GoogleFailuresTest {

	@Test
	void gmailsXoauth2ErrorChallengeAndBadCredentialsRefreshTheTokenOnce() {
		Failure challenge = Failures.smtp(SmtpReplies.parse(
				"334 eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ=="));
		Failure refused = Failures.smtp(SmtpReplies.parse("535-5.7.8 Username and Password not accepted. For more "
				+ "information, go to\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials x1 - gsmtp"));

		assertThat(challenge.impact()).isEqualTo(ServiceImpact.REFRESH_TOKEN_ONCE);
		assertThat(challenge.error().message()).contains("Gmail");
		assertThat(refused.impact()).isEqualTo(ServiceImpact.REFRESH_TOKEN_ONCE);
		assertThat(refused.error().code()).isEqualTo("5.7.8");
	}

	@Test
	void theDailyLimitIsAQuotaThatWaitsADayAndHoldsNothing() {
		Failure failure = Failures.smtp(SmtpReplies.parse("550-5.4.5 Daily user sending limit exceeded. For more "
				+ "information on Gmail\n550-5.4.5 sending limits go to\n550 5.4.5  https://support.google.com/a/answer/166852 x - gsmtp"));

		assertThat(failure.error().category()).isEqualTo(ErrorCategory.QUOTA);
		assertThat(failure.retryAfter()).isEqualTo(Duration.ofHours(24));
		assertThat(failure.impact()).isEqualTo(ServiceImpact.NONE);
		assertThat(failure.error().hint()).contains("holds the mail");
	}

	@Test
	void gmailsOtherRepliesGetTheirOwnRows() {
		assertThat(Failures.smtp(SmtpReplies.parse("534-5.7.9 Application-specific password required. x - gsmtp")).impact())
			.isEqualTo(ServiceImpact.CONFIGURATION_ERROR);
		assertThat(Failures.smtp(SmtpReplies.parse("530-5.7.0 Authentication Required. x - gsmtp")).impact())
			.isEqualTo(ServiceImpact.CONFIGURATION_ERROR);
		Failure logins = Failures.smtp(SmtpReplies.parse("454-4.7.0 Too many login attempts, please try again later. x - gsmtp"));
		assertThat(logins.retryable()).isTrue();
		assertThat(logins.retryAfter()).isEqualTo(Duration.ofMinutes(5));
		Failure later = Failures.smtp(SmtpReplies.parse("421-4.7.0 Try again later, closing connection. (MAIL) x - gsmtp"));
		assertThat(later.error().category()).isEqualTo(ErrorCategory.THROTTLED);
		Failure blocked = Failures.smtp(SmtpReplies.parse("552-5.7.0 This message was blocked because its content "
				+ "presents a potential\n552-5.7.0 security issue. x - gsmtp"));
		assertThat(blocked.error().category()).isEqualTo(ErrorCategory.CONTENT);
		assertThat(blocked.retryable()).isFalse();
		// Exchange's 4.7.0 is still an outage, not Gmail's throttling
		assertThat(Failures.smtp(SmtpReplies.parse("451 4.7.0 Temporary server error. Please try again later. PRX4"))
			.error().category()).isEqualTo(ErrorCategory.PROVIDER_OUTAGE);
	}

	@Test
	void googlesInvalidGrantNeedsReauthorizationWithTheTestingAppsSevenDays() {
		Failure failure = Failures.google("invalid_grant", "Token has been expired or revoked.", 400);

		assertThat(failure.impact()).isEqualTo(ServiceImpact.NEEDS_REAUTHORIZATION);
		assertThat(failure.error().code()).isEqualTo("invalid_grant");
		assertThat(failure.error().hint()).contains("7 days", "Testing", "In production", "Internal");
	}

	@Test
	void serviceAccountErrorsAreConfigurationAndOutagesAreRetried() {
		assertThat(Failures.google("unauthorized_client", "Client is unauthorized to retrieve access tokens", 401).impact())
			.isEqualTo(ServiceImpact.CONFIGURATION_ERROR);
		assertThat(Failures.google("invalid_grant", "Invalid email or User ID", 400).impact())
			.isEqualTo(ServiceImpact.CONFIGURATION_ERROR);
		assertThat(Failures.google("invalid_grant", "Invalid JWT Signature.", 400).error().hint()).contains("JSON key");
		Failure outage = Failures.google(null, null, 503);
		assertThat(outage.retryable()).isTrue();
		assertThat(outage.error().category()).isEqualTo(ErrorCategory.PROVIDER_OUTAGE);
		assertThat(Failures.google("access_denied", null, null).impact()).isEqualTo(ServiceImpact.NONE);
	}

}
