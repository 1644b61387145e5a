package io.mailroom.core.failures;

import java.time.Duration;

import io.mailroom.contracts.ErrorCategory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Microsoft Graph's answers to sending mail, as the catalogue reads them. */
class GraphFailuresTest {

	@Test
	void throttlingIsRetriedAfterGraphsRetryAfter() {
		Failure failure = Failures.graph(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.",
				Duration.ofSeconds(7));

		assertThat(failure.error().category()).isEqualTo(ErrorCategory.THROTTLED);
		assertThat(failure.retryable()).isTrue();
		assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(7));
		assertThat(failure.error().code()).isEqualTo("ApplicationThrottled");
	}

	@Test
	void sendAsDeniedAndMailboxWithoutRestApiHoldTheService() {
		assertThat(Failures.graph(403, "ErrorSendAsDenied", "", null).impact()).isEqualTo(ServiceImpact.CONFIGURATION_ERROR);
		assertThat(Failures.graph(404, "MailboxNotEnabledForRESTAPI", "", null).impact())
			.isEqualTo(ServiceImpact.CONFIGURATION_ERROR);
		assertThat(Failures.graph(404, "ErrorMailboxNotEnabledForRESTAPI", "", null).error().hint())
			.contains("Verify setup");
	}

	@Test
	void tooLargeFailsTheMailAndOutagesAreRetried() {
		Failure tooLarge = Failures.graph(413, "RequestEntityTooLarge", "", null);
		Failure unhealthy = Failures.graph(503, "ResourceUnhealthy", "", null);
		Failure unknown = Failures.graph(502, null, null, null);

		assertThat(tooLarge.retryable()).isFalse();
		assertThat(tooLarge.error().category()).isEqualTo(ErrorCategory.CONTENT);
		assertThat(unhealthy.retryable()).isTrue();
		assertThat(unhealthy.error().category()).isEqualTo(ErrorCategory.PROVIDER_OUTAGE);
		assertThat(unknown.retryable()).isTrue();
		assertThat(unknown.error().code()).isEqualTo("HTTP_502");
	}

	@Test
	void aRefusedTokenIsRefreshedOnce() {
		assertThat(Failures.graph(401, "InvalidAuthenticationToken", "", null).impact())
			.isEqualTo(ServiceImpact.REFRESH_TOKEN_ONCE);
	}

}
