package io.mailroom.core.failures;

import java.util.List;

import io.mailroom.contracts.ErrorCategory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static io.mailroom.contracts.ErrorCategory.AUTHORIZATION;
import static io.mailroom.contracts.ErrorCategory.CONFIGURATION;
import static io.mailroom.contracts.ErrorCategory.PROVIDER_OUTAGE;
import static io.mailroom.core.failures.ServiceImpact.CONFIGURATION_ERROR;
import static io.mailroom.core.failures.ServiceImpact.NEEDS_REAUTHORIZATION;
import static io.mailroom.core.failures.ServiceImpact.NONE;
import static org.assertj.core.api.Assertions.assertThat;

/** Every code of MICROSOFT-FACTS section 3, with the {@code error} and HTTP status Microsoft sends it with. */
class IdentityFailuresTest {

	static List<Expected> identityPlatformErrors() {
		return List.of(
				// The grant is gone.
				expect(70008, "invalid_grant", 400, AUTHORIZATION, NEEDS_REAUTHORIZATION, "ten minutes"),
				expect(700082, "invalid_grant", 400, AUTHORIZATION, NEEDS_REAUTHORIZATION, "every 90 days"),
				expect(50173, "invalid_grant", 400, AUTHORIZATION, NEEDS_REAUTHORIZATION, "signed in as the login email"),
				expect(70043, "invalid_grant", 400, AUTHORIZATION, NEEDS_REAUTHORIZATION, "sign-in frequency policy"),
				expect(65001, "invalid_grant", 400, AUTHORIZATION, NEEDS_REAUTHORIZATION, "grant consent"),
				expect(65001, "consent_required", 400, AUTHORIZATION, NEEDS_REAUTHORIZATION, "grant consent"),
				expect(50076, "interaction_required", 400, AUTHORIZATION, NEEDS_REAUTHORIZATION, "MFA prompt"),
				expect(50079, "interaction_required", 400, AUTHORIZATION, NEEDS_REAUTHORIZATION,
						"https://aka.ms/mfasetup"),
				expect(53003, "interaction_required", 400, AUTHORIZATION, NEEDS_REAUTHORIZATION,
						"Conditional Access policy"),
				expect(53003, "invalid_grant", 400, AUTHORIZATION, NEEDS_REAUTHORIZATION, "Conditional Access policy"),
				expect(70000, "invalid_grant", 400, AUTHORIZATION, NEEDS_REAUTHORIZATION, "new grant"),
				expect(50058, "login_required", null, AUTHORIZATION, NEEDS_REAUTHORIZATION, "when Microsoft asks"),
				expect(54005, "invalid_grant", 400, AUTHORIZATION, NEEDS_REAUTHORIZATION, "works only once"),
				expect(50057, "invalid_grant", 400, AUTHORIZATION, NEEDS_REAUTHORIZATION, "enable the account"),
				expect(501481, "invalid_grant", 400, AUTHORIZATION, NEEDS_REAUTHORIZATION, "other Authorize windows"),
				expect(530035, "access_denied", null, AUTHORIZATION, NEEDS_REAUTHORIZATION, "security defaults"),
				expect(65004, "access_denied", null, AUTHORIZATION, NEEDS_REAUTHORIZATION, "accept the permissions"),
				// The service or its app registration is set up wrongly.
				expect(7000215, "invalid_client", 401, CONFIGURATION, CONFIGURATION_ERROR,
						"secret ID was probably pasted instead of the secret VALUE"),
				expect(7000222, "invalid_client", 401, CONFIGURATION, CONFIGURATION_ERROR,
						"Create a new client secret in the app registration's Certificates & secrets"),
				expect(90002, "invalid_request", 400, CONFIGURATION, CONFIGURATION_ERROR,
						"Leave Tenant ID empty for a multi-tenant app"),
				expect(50020, null, null, CONFIGURATION, CONFIGURATION_ERROR,
						"Leave Tenant ID empty for a multi-tenant app"),
				expect(700016, "unauthorized_client", 400, CONFIGURATION, CONFIGURATION_ERROR,
						"Application (client) ID"),
				expect(50011, "invalid_request", null, CONFIGURATION, CONFIGURATION_ERROR, "Redirect URIs"),
				expect(70011, "invalid_scope", 400, CONFIGURATION, CONFIGURATION_ERROR,
						"https://outlook.office.com/SMTP.Send"),
				expect(500011, "invalid_resource", 400, CONFIGURATION, CONFIGURATION_ERROR, "consent to the app"),
				expect(9002313, "invalid_request", 400, CONFIGURATION, CONFIGURATION_ERROR, "Authorize the service again"),
				expect(9002313, "invalid_grant", 400, AUTHORIZATION, NEEDS_REAUTHORIZATION,
						"Authorize the service again"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("identityPlatformErrors")
	void everyIdentityPlatformCodeIsClassifiedWithASpecificHint(Expected expected) {
		Failure failure = Failures.identity(expected.error(), expected.code(), null, expected.httpStatus());

		assertThat(failure.error().category()).isEqualTo(expected.category());
		assertThat(failure.impact()).isEqualTo(expected.impact());
		assertThat(failure.retryable()).isFalse();
		assertThat(failure.retryAfter()).isNull();
		assertThat(failure.smtpReply()).isNull();
		assertThat(failure.error().code()).isEqualTo("AADSTS" + expected.code());
		assertThat(failure.error().helpUrl()).isEqualTo("https://login.microsoftonline.com/error?code=" + expected.code());
		assertThat(failure.error().hint()).contains(expected.hintSays())
			.isNotEqualTo(Failures.identity(expected.error(), null, null, expected.httpStatus()).error().hint());
		assertThat(failure.error().message()).isNotBlank();
	}

	@Test
	void theCodeIsFoundInMsalsMessageWhenItIsNotGivenSeparately() {
		Failure failure = Failures.identity("invalid_grant", null,
				"AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed. "
						+ "The user might have changed or reset their password.\r\nTrace ID: 0f6f9a1c-2b1e-4f1a-9d65-6b0c1a7e1d00\r\n"
						+ "Correlation ID: 6a4f0c52-7d3a-4b8e-9c2b-1f6c2d1e9a11\r\nTimestamp: 2026-10-02 08:14:55Z",
				null);

		assertThat(failure.error().code()).isEqualTo("AADSTS50173");
		assertThat(failure.impact()).isEqualTo(NEEDS_REAUTHORIZATION);
		assertThat(failure.error().message()).contains("revoked");
	}

	@Test
	void theSecretIdPastedForTheSecretValueIsNamedAsTheLikelyCause() {
		Failure failure = Failures.identity("invalid_client", null,
				"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client "
						+ "secret value, not the client secret ID, for a secret added to app 'c0ffee00-0000-4000-8000-000000000001'.",
				401);

		assertThat(failure.error().category()).isEqualTo(CONFIGURATION);
		assertThat(failure.impact()).isEqualTo(CONFIGURATION_ERROR);
		assertThat(failure.error().hint()).startsWith("The secret ID was probably pasted instead of the secret VALUE");
	}

	@Test
	void aTenantIdEnteredForAMultiTenantAppIsNamedAsTheClassicMistake() {
		for (int code : new int[] { 50020, 90002 }) {
			Failure failure = Failures.identity(null, code, null, null);

			assertThat(failure.error().hint()).containsIgnoringCase("leave Tenant ID empty for a multi-tenant app");
		}
	}

	@Test
	void anUnlistedCodeWithInvalidGrantNeedsReauthorization() {
		Failure failure = Failures.identity("invalid_grant", null,
				"AADSTS123456: Something Microsoft introduced later.\r\nTrace ID: abc\r\nCorrelation ID: def", 400);

		assertThat(failure.error().category()).isEqualTo(AUTHORIZATION);
		assertThat(failure.impact()).isEqualTo(NEEDS_REAUTHORIZATION);
		assertThat(failure.retryable()).isFalse();
		assertThat(failure.error().code()).isEqualTo("AADSTS123456");
		assertThat(failure.error().helpUrl()).isEqualTo("https://login.microsoftonline.com/error?code=123456");
		assertThat(failure.error().message()).isEqualTo("Microsoft refused the request: Something Microsoft introduced later.")
			.doesNotContain("Trace ID");
	}

	@Test
	void anUnlistedCodeWithInteractionRequiredNeedsReauthorization() {
		Failure failure = Failures.identity("interaction_required", 123457, null, 400);

		assertThat(failure.impact()).isEqualTo(NEEDS_REAUTHORIZATION);
	}

	@Test
	void anUnlistedCodeWithInvalidClientIsAConfigurationError() {
		Failure failure = Failures.identity("invalid_client", 7000999, null, 401);

		assertThat(failure.error().category()).isEqualTo(CONFIGURATION);
		assertThat(failure.impact()).isEqualTo(CONFIGURATION_ERROR);
		assertThat(failure.retryable()).isFalse();
	}

	@Test
	void anUnlistedCodeWithAnyOtherErrorIsConfigurationAndNotRetryable() {
		Failure failure = Failures.identity("invalid_request", 900999, null, 400);

		assertThat(failure.error().category()).isEqualTo(CONFIGURATION);
		assertThat(failure.impact()).isEqualTo(NONE);
		assertThat(failure.retryable()).isFalse();
		assertThat(failure.error().code()).isEqualTo("AADSTS900999");
	}

	@ParameterizedTest(name = "error={0}, status={1}")
	@CsvSource(nullValues = "null", textBlock = """
			temporarily_unavailable, null
			server_error,            null
			null,                    503
			invalid_request,         500
			null,                    429
			""")
	void microsoftsOwnOutagesAreRetried(String error, Integer httpStatus) {
		Failure failure = Failures.identity(error, null, null, httpStatus);

		assertThat(failure.error().category()).isEqualTo(PROVIDER_OUTAGE);
		assertThat(failure.retryable()).isTrue();
		assertThat(failure.impact()).isEqualTo(NONE);
		assertThat(failure.error().helpUrl()).isEqualTo("https://learn.microsoft.com/microsoft-365/enterprise/view-service-health");
	}

	@Test
	void anOutageWithAnUnlistedCodeLinksToThatCode() {
		Failure failure = Failures.identity("temporarily_unavailable", 90999, null, 503);

		assertThat(failure.error().category()).isEqualTo(PROVIDER_OUTAGE);
		assertThat(failure.error().helpUrl()).isEqualTo("https://login.microsoftonline.com/error?code=90999");
	}

	@Test
	void anErrorWithoutCodeIsReportedByItsErrorValue() {
		Failure failure = Failures.identity("invalid_grant", null, null, 400);

		assertThat(failure.error().code()).isEqualTo("invalid_grant");
		assertThat(failure.error().helpUrl()).isEqualTo("https://learn.microsoft.com/entra/identity-platform/reference-error-codes");
	}

	@Test
	void nothingToGoOnIsUnknownRatherThanAGuess() {
		Failure failure = Failures.identity(null, null, null, null);

		assertThat(failure.error().category()).isEqualTo(ErrorCategory.UNKNOWN);
		assertThat(failure.error().code()).isEqualTo("IDENTITY_ERROR");
		assertThat(failure.retryable()).isFalse();
	}

	@Test
	void identityHelpUrlPointsAtMicrosoftsLookupPage() {
		assertThat(Failures.identityHelpUrl(70008)).isEqualTo("https://login.microsoftonline.com/error?code=70008");
	}

	private static Expected expect(int code, String error, Integer httpStatus, ErrorCategory category,
			ServiceImpact impact, String hintSays) {
		return new Expected(code, error, httpStatus, category, impact, hintSays);
	}

	record Expected(int code, String error, Integer httpStatus, ErrorCategory category, ServiceImpact impact,
			String hintSays) {

		@Override
		public String toString() {
			return "AADSTS" + code + " (" + error + ")";
		}

	}

}
