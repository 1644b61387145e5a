package io.mailroom.api.services;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.mailroom.core.services.BasicAuthentication;
import io.mailroom.core.services.GoogleGuidance;
import io.mailroom.core.services.GoogleOAuth2;
import io.mailroom.core.services.MicrosoftGuidance;
import io.mailroom.core.services.MicrosoftOAuth2;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.tokens.MicrosoftApps;
import io.swagger.v3.oas.annotations.media.Schema;

/** An SMTP service as the api shows it: settings without secrets, and its status. */
@Schema(name = "SmtpService")
@JsonInclude(JsonInclude.Include.NON_NULL)
record ServiceView(UUID id, String name, String host, int port, String fromAddress, String fromName, String replyTo,
		AuthenticationView authentication, LimitsView limits, @JsonUnwrapped StatusView state, Instant createdAt,
		Instant updatedAt, long version) {

	static ServiceView of(SmtpService service, StatusView status, String redirectUri, MicrosoftApps apps) {
		LimitsView limits = service.rateLimitPerMinute() == null && service.maxConnections() == null
				&& service.maxMessageBytes() == null && service.dailyLimit() == null ? null
						: new LimitsView(service.rateLimitPerMinute(), service.maxConnections(),
								service.maxMessageBytes(), service.dailyLimit());
		return new ServiceView(service.id(), service.name(), service.host(), service.port(), service.fromAddress(),
				service.fromName(), service.replyTo(), AuthenticationView.of(service, redirectUri, apps), limits, status,
				service.createdAt(), service.updatedAt(), service.version());
	}

	/**
	 * The service's login settings. Secrets appear only as whether they are set and when they last changed.
	 *
	 * @param redirectUri OAUTH2: the redirect URI to register on the app (Authentication &gt; Web)
	 * @param certificate OAUTH2 + CERTIFICATE: the certificate's thumbprint and expiry (its key is never shown)
	 * @param adminConsentUrl OAUTH2: the URL an admin opens to grant the app's permissions for the organization
	 * @param setupGuidance OAUTH2 + APPLICATION: the Exchange Online PowerShell that gives the app access to the
	 *     mailbox (both models) and turns SMTP AUTH on; for a Google service account, the Admin console's
	 *     domain-wide delegation to add
	 * @param serviceAccount OAUTH2 + GOOGLE + APPLICATION: the service account's address and client ID (its key is
	 *     never shown)
	 */
	@Schema(name = "SmtpAuthentication")
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record AuthenticationView(@Schema(allowableValues = { "OAUTH2", "BASIC" }) String type,
			@Schema(allowableValues = { "MICROSOFT", "GOOGLE" }) String provider, String loginEmail, String clientId,
			SecretView clientSecret, String tenantId, LocalDate clientSecretExpiresOn, String redirectUri,
			@Schema(allowableValues = { "DELEGATED", "APPLICATION" }) String access,
			@Schema(allowableValues = { "SECRET", "CERTIFICATE" }) String credential,
			@Schema(allowableValues = { "SMTP", "GRAPH", "SMTP_WITH_GRAPH_FALLBACK" }) String transport,
			CertificateView certificate, String adminConsentUrl, String setupGuidance, String username,
			SecretView password, ServiceAccountView serviceAccount) {

		static AuthenticationView of(SmtpService service, String redirectUri, MicrosoftApps apps) {
			SecretView secret = new SecretView(true, service.secretChangedAt());
			return switch (service.authentication()) {
				case MicrosoftOAuth2 oauth2 -> new AuthenticationView("OAUTH2", "MICROSOFT", oauth2.loginEmail(),
						oauth2.clientId(), oauth2.clientSecret() == null ? new SecretView(false, null) : secret,
						oauth2.tenantId(), oauth2.clientSecretExpiresOn(), redirectUri, oauth2.access().name(),
						oauth2.credential().name(), oauth2.transport().name(),
						oauth2.certificate() == null ? null
								: new CertificateView(oauth2.certificate().thumbprint(), oauth2.certificate().notAfter()),
						apps.adminConsentUrl(oauth2, redirectUri),
						oauth2.appOnly() ? MicrosoftGuidance.powerShell(oauth2, service.fromAddress()) : null, null, null,
						null);
				case GoogleOAuth2 google -> new AuthenticationView("OAUTH2", "GOOGLE", google.loginEmail(),
						google.clientId(), google.appOnly() ? null
								: google.clientSecret() == null ? new SecretView(false, null) : secret,
						null, null, google.appOnly() ? null : redirectUri, google.access().name(),
						google.appOnly() ? null : "SECRET", "SMTP", null, null,
						google.appOnly() ? GoogleGuidance.domainWideDelegation(google) : null, null, null,
						google.serviceAccount() == null ? null
								: new ServiceAccountView(google.serviceAccount().clientEmail(),
										google.serviceAccount().clientId()));
				case BasicAuthentication basic -> new AuthenticationView("BASIC", null, null, null, null, null, null,
						null, null, null, null, null, null, null, basic.username(),
						basic.password() == null ? new SecretView(false, null) : secret, null);
			};
		}

	}

	/** A Google service account as shown: its address and the client ID to allow under domain-wide delegation. */
	@Schema(name = "ServiceAccountState")
	record ServiceAccountView(String clientEmail, String clientId) {
	}

	/** A certificate credential as shown: which one (thumbprint, as Entra shows it) and until when. */
	@Schema(name = "CertificateState")
	record CertificateView(String thumbprint, Instant expiresAt) {
	}

	/** A write-only secret: whether it is set, and when it last changed. */
	@Schema(name = "SecretState")
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record SecretView(boolean set, Instant changedAt) {
	}

	@Schema(name = "SmtpLimitsView")
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record LimitsView(Integer messagesPerMinute, Integer maxConnections, Long maxMessageBytes, Integer messagesPerDay) {
	}

}
