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
 * @param version optimistic-locking version, bumped by every update
 */
public record SmtpService(UUID id, String accountId, String name, String host, int port, String fromAddress,
		String fromName, String replyTo, Authentication authentication, ServiceStatus status,
		ErrorDetails statusReason, Instant statusChangedAt, Instant authorizedAt, String authorizedAccount,
		Integer rateLimitPerMinute, Integer maxConnections, Long maxMessageBytes, Instant lastSuccessAt,
		Instant lastFailureAt, ErrorDetails lastFailure, Instant secretChangedAt, Instant createdAt,
		Instant updatedAt, long version) {

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

	/** The OAuth2 settings; throws if the service uses basic authentication. */
	public MicrosoftOAuth2 microsoft() {
		if (authentication instanceof MicrosoftOAuth2 oauth2) {
			return oauth2;
		}
		throw new IllegalStateException("Service " + id + " uses basic authentication");
	}

}
