package io.mailroom.core.services;

import java.time.LocalDate;

import io.mailroom.core.secrets.SealedSecret;

/**
 * SMTP AUTH XOAUTH2 with a delegated Microsoft token for {@code loginEmail}, obtained through the
 * service's own Entra app registration.
 *
 * @param loginEmail the mailbox that authorizes and sends (XOAUTH2 {@code user=})
 * @param clientId the app's Application (client) ID
 * @param clientSecret the app's client secret value
 * @param tenantId the tenant of a single-tenant app; null for a multi-tenant app (authority "organizations")
 * @param clientSecretExpiresOn when the secret lapses, if the admin told us, so we can warn beforehand
 */
public record MicrosoftOAuth2(String loginEmail, String clientId, SealedSecret clientSecret, String tenantId,
		LocalDate clientSecretExpiresOn) implements Authentication {

	/** The tenant segment of the authority: the tenant ID, or {@code organizations} for multi-tenant apps. */
	public String tenantSegment() {
		return tenantId == null || tenantId.isBlank() ? "organizations" : tenantId;
	}

	@Override
	public String login() {
		return loginEmail;
	}

}
