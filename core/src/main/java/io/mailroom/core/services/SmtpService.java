package io.mailroom.core.services;

import java.time.Instant;
import java.util.UUID;

import io.mailroom.contracts.ErrorDetails;

/**
 * An account's SMTP service, as stored. Credentials inside {@link #authentication()} are sealed.
 *
 * @param rateLimitPerMinute messages per minute, or null for the host's default
 * @param maxConnections concurrent SMTP connections, or null for the default
 * @param maxMessageBytes largest encoded message, or null for the default
 * @param dailyLimit messages a day (rolling 24 hours) for the mailbox, or null for the host's default
 * @param version optimistic-locking version, bumped by every update
 */
public record SmtpService(UUID id, String accountId, String name, String host, int port, String fromAddress,
		String fromName, String replyTo, Authentication authentication, ServiceStatus status,
		ErrorDetails statusReason, Instant statusChangedAt, Instant authorizedAt, String authorizedAccount,
		Integer rateLimitPerMinute, Integer maxConnections, Long maxMessageBytes, Instant lastSuccessAt,
		Instant lastFailureAt, ErrorDetails lastFailure, Instant secretChangedAt, Instant createdAt,
		Instant updatedAt, long version, Integer dailyLimit) {

	/** A service without its own daily limit (the host's default applies). */
	public SmtpService(UUID id, String accountId, String name, String host, int port, String fromAddress,
			String fromName, String replyTo, Authentication authentication, ServiceStatus status,
			ErrorDetails statusReason, Instant statusChangedAt, Instant authorizedAt, String authorizedAccount,
			Integer rateLimitPerMinute, Integer maxConnections, Long maxMessageBytes, Instant lastSuccessAt,
			Instant lastFailureAt, ErrorDetails lastFailure, Instant secretChangedAt, Instant createdAt,
			Instant updatedAt, long version) {
		this(id, accountId, name, host, port, fromAddress, fromName, replyTo, authentication, status, statusReason,
				statusChangedAt, authorizedAt, authorizedAccount, rateLimitPerMinute, maxConnections, maxMessageBytes,
				lastSuccessAt, lastFailureAt, lastFailure, secretChangedAt, createdAt, updatedAt, version, null);
	}

	/** The context a secret of this service is sealed for, e.g. {@code smtp_service/<id>/client_secret}. */
	public static String secretContext(UUID serviceId, String secret) {
		return "smtp_service/" + serviceId + "/" + secret;
	}

	/**
	 * The mailbox this service sends as: its SMTP host and login account, lower case
	 * ({@code smtp.office365.com/sender@contoso.com}). Exchange Online counts its limits per mailbox, so
	 * every service with the same mailbox shares one rate window, one connection cap and one lease.
	 */
	public String mailbox() {
		return mailbox(host, authentication.login());
	}

	/** The mailbox key of a login on a host; see {@link #mailbox()}. */
	public static String mailbox(String host, String login) {
		return host.toLowerCase(java.util.Locale.ROOT) + "/" + login.toLowerCase(java.util.Locale.ROOT);
	}

	public boolean usesMicrosoftOAuth2() {
		return authentication instanceof MicrosoftOAuth2;
	}

	public boolean usesGoogleOAuth2() {
		return authentication instanceof GoogleOAuth2;
	}

	/** Whether the service signs in with an access token (Microsoft or Google), not a password. */
	public boolean usesOAuth2() {
		return usesMicrosoftOAuth2() || usesGoogleOAuth2();
	}

	/** Whether the service acts as its mailbox with the app's own authority: nobody signs in, nothing to re-authorize. */
	public boolean appOnly() {
		return switch (authentication) {
			case MicrosoftOAuth2 microsoft -> microsoft.appOnly();
			case GoogleOAuth2 google -> google.appOnly();
			case BasicAuthentication basic -> false;
		};
	}

	/** How the service hands over mail: SMTP for basic services, the Microsoft setting otherwise. */
	public Transport transport() {
		return authentication instanceof MicrosoftOAuth2 oauth2 ? oauth2.transport() : Transport.SMTP;
	}

	/**
	 * What Microsoft Graph counts this service's sends against (its app and mailbox), or null when the service
	 * never sends through Graph. Services with the same key share {@link #graphLimits()} across all workers.
	 */
	public GraphMailbox graphMailbox() {
		return authentication instanceof MicrosoftOAuth2 oauth2 && oauth2.transport().usesGraph()
				? oauth2.graphMailbox() : null;
	}

	/** Graph's limits for {@link #graphMailbox()}, or null when the service never sends through Graph. */
	public GraphLimits graphLimits() {
		return graphMailbox() == null ? null : GraphLimits.OUTLOOK;
	}

	/** The Microsoft OAuth2 settings; throws if the service uses another authentication. */
	public MicrosoftOAuth2 microsoft() {
		if (authentication instanceof MicrosoftOAuth2 oauth2) {
			return oauth2;
		}
		throw new IllegalStateException("Service " + id + " does not use Microsoft OAuth2");
	}

	/** The Google OAuth2 settings; throws if the service uses another authentication. */
	public GoogleOAuth2 google() {
		if (authentication instanceof GoogleOAuth2 oauth2) {
			return oauth2;
		}
		throw new IllegalStateException("Service " + id + " does not use Google OAuth2");
	}

}
