package io.mailroom.api.services;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.mailroom.core.services.BasicAuthentication;
import io.mailroom.core.services.MicrosoftOAuth2;
import io.mailroom.core.services.SmtpService;
import io.swagger.v3.oas.annotations.media.Schema;

/** An SMTP service as the api shows it: settings without secrets, and its status. */
@Schema(name = "SmtpService")
@JsonInclude(JsonInclude.Include.NON_NULL)
record ServiceView(UUID id, String name, String host, int port, String fromAddress, String fromName, String replyTo,
		AuthenticationView authentication, LimitsView limits, @JsonUnwrapped StatusView state, Instant createdAt,
		Instant updatedAt, long version) {

	static ServiceView of(SmtpService service, StatusView status, String redirectUri) {
		LimitsView limits = service.rateLimitPerMinute() == null && service.maxConnections() == null
				&& service.maxMessageBytes() == null ? null
						: new LimitsView(service.rateLimitPerMinute(), service.maxConnections(),
								service.maxMessageBytes());
		return new ServiceView(service.id(), service.name(), service.host(), service.port(), service.fromAddress(),
				service.fromName(), service.replyTo(), AuthenticationView.of(service, redirectUri), limits, status,
				service.createdAt(), service.updatedAt(), service.version());
	}

	/**
	 * The service's login settings. Secrets appear only as whether they are set and when they last changed.
	 *
	 * @param redirectUri OAUTH2: the redirect URI to register on the app (Authentication &gt; Web)
	 */
	@Schema(name = "SmtpAuthentication")
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record AuthenticationView(@Schema(allowableValues = { "OAUTH2", "BASIC" }) String type,
			@Schema(allowableValues = "MICROSOFT") String provider, String loginEmail, String clientId,
			SecretView clientSecret, String tenantId, LocalDate clientSecretExpiresOn, String redirectUri,
			String username, SecretView password) {

		static AuthenticationView of(SmtpService service, String redirectUri) {
			SecretView secret = new SecretView(true, service.secretChangedAt());
			return switch (service.authentication()) {
				case MicrosoftOAuth2 oauth2 -> new AuthenticationView("OAUTH2", "MICROSOFT", oauth2.loginEmail(),
						oauth2.clientId(), oauth2.clientSecret() == null ? new SecretView(false, null) : secret,
						oauth2.tenantId(), oauth2.clientSecretExpiresOn(), redirectUri, null, null);
				case BasicAuthentication basic -> new AuthenticationView("BASIC", null, null, null, null, null, null,
						null, basic.username(), basic.password() == null ? new SecretView(false, null) : secret);
			};
		}

	}

	/** A write-only secret: whether it is set, and when it last changed. */
	@Schema(name = "SecretState")
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record SecretView(boolean set, Instant changedAt) {
	}

	@Schema(name = "SmtpLimitsView")
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record LimitsView(Integer messagesPerMinute, Integer maxConnections, Long maxMessageBytes) {
	}

}
