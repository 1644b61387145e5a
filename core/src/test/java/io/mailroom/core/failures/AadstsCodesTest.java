package io.mailroom.core.failures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class AadstsCodesTest {

	@Test
	void findsTheCodeInMsalsExceptionMessage() {
		String message = "AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed. "
				+ "The user might have changed or reset their password. The grant was issued on '2026-03-01T10:00:00.000Z' "
				+ "and the TokensValidFrom date (before which tokens are not valid) for this user is "
				+ "'2026-06-01T08:12:45.000Z'. Trace ID: 2b7c6a1e-8f0d-4a52-9c13-5e7d0b4c1200 Correlation ID: "
				+ "9e0f3c7a-1d2b-4e5f-8a6b-7c8d9e0f1a2b Timestamp: 2026-06-02 09:30:11Z";

		assertThat(AadstsCodes.find(message)).hasValue(50173);
	}

	@Test
	void findsTheCodeInATokenEndpointErrorDescription() {
		assertThat(AadstsCodes.find("AADSTS700082: The refresh token has expired due to inactivity. The token was issued "
				+ "on 2026-01-05T10:11:12Z and was inactive for 90.00:00:00.\r\nTrace ID: 1\r\nCorrelation ID: 2"))
			.hasValue(700082);
	}

	@Test
	void findsTheCodeInAnAuthorizeRedirectThatIsStillUrlEncoded() {
		assertThat(AadstsCodes.find("AADSTS65004%3a+User+declined+to+consent+to+access+the+app.%0d%0aTrace+ID%3a+x"))
			.hasValue(65004);
	}

	@Test
	void findsTheCodeBehindMsalsWrapperExceptions() {
		assertThat(AadstsCodes.find("java.util.concurrent.CompletionException: com.microsoft.aad.msal4j.MsalServiceException: "
				+ "AADSTS7000222: The provided client secret keys for app 'c0ffee00' are expired."))
			.hasValue(7000222);
	}

	@Test
	void takesTheFirstOfSeveralCodes() {
		assertThat(AadstsCodes.find("AADSTS50076: Due to a configuration change... see AADSTS50079")).hasValue(50076);
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "invalid_grant", "AADSTS", "AADSTS: no number", "AADSTS12345678901234: too long to be a code" })
	void findsNothingWhereThereIsNoCode(String text) {
		assertThat(AadstsCodes.find(text)).isEmpty();
	}

}
