package io.mailroom.api.authorization;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.ErrorDetails;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReturnUrlsTest {

	private final ReturnUrls returnUrls = new ReturnUrls(new AuthorizationProperties(
			URI.create("https://mail.example.com"), "/oauth2/custom-smtp-token",
			List.of("https://app.example.com/settings/smtp", "http://localhost:3000"), Duration.ofMinutes(10), true));

	@Test
	void urlsUnderAnAllowedPrefixAreAllowed() {
		assertThat(returnUrls.allowed("https://app.example.com/settings/smtp")).isTrue();
		assertThat(returnUrls.allowed("https://APP.example.com/settings/smtp/42?tab=auth")).isTrue();
		assertThat(returnUrls.allowed("https://app.example.com:443/settings/smtp/42")).isTrue();
		assertThat(returnUrls.allowed("http://localhost:3000/anything")).isTrue();
	}

	@Test
	void lookAlikesAreNot() {
		assertThat(returnUrls.allowed("https://app.example.com.evil.test/settings/smtp")).isFalse();
		assertThat(returnUrls.allowed("https://app.example.com/settings/smtpx")).isFalse();
		assertThat(returnUrls.allowed("https://app.example.com/settings/smtp/../../admin")).isFalse();
		assertThat(returnUrls.allowed("http://app.example.com/settings/smtp")).isFalse();
		assertThat(returnUrls.allowed("https://app.example.com:8443/settings/smtp")).isFalse();
		assertThat(returnUrls.allowed("https://user@app.example.com/settings/smtp")).isFalse();
		assertThat(returnUrls.allowed("//app.example.com/settings/smtp")).isFalse();
		assertThat(returnUrls.allowed("javascript:alert(1)")).isFalse();
		assertThat(returnUrls.allowed("http://localhost:3001/")).isFalse();
	}

	@Test
	void theOutcomeTravelsAsQueryParametersKeepingTheUrlsOwn() {
		UUID service = UUID.randomUUID();
		URI failed = ReturnUrls.withOutcome("https://app.example.com/settings/smtp?tab=auth",
				AuthorizationOutcome.failed(service, new ErrorDetails(ErrorCategory.AUTHORIZATION, "AADSTS65004",
						"The person declined & left.", "Click Authorize again.",
						"https://login.microsoftonline.com/error?code=65004", false)));

		assertThat(failed.getRawQuery()).startsWith("tab=auth&authorization=failed&serviceId=" + service)
			.contains("code=AADSTS65004", "message=The%20person%20declined%20%26%20left.",
					"helpUrl=https://login.microsoftonline.com/error?code%3D65004");
	}

}
