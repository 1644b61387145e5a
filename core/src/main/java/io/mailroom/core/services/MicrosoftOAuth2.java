package io.mailroom.core.services;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

import io.mailroom.core.secrets.SealedSecret;

/**
 * Microsoft OAuth2 through the service's own Entra app registration: a delegated token of {@code loginEmail}
 * or an app-only token for it, over SMTP XOAUTH2 or Microsoft Graph.
 *
 * @param loginEmail the mailbox that sends (XOAUTH2 {@code user=}, Graph {@code /users/{loginEmail}}); for
 *     delegated access also the account that authorizes
 * @param clientId the app's Application (client) ID
 * @param clientSecret the app's client secret value; null when the app proves itself with a certificate
 * @param tenantId the tenant of a single-tenant app; null for a multi-tenant app (authority "organizations");
 *     required for application access (client credentials need a tenant)
 * @param clientSecretExpiresOn when the secret lapses, if the admin told us, so we can warn beforehand
 * @param access delegated (a user's grant) or application (client credentials)
 * @param transport SMTP, Graph, or SMTP falling back to Graph
 * @param certificate the certificate credential, or null when the app uses a secret
 */
public record MicrosoftOAuth2(String loginEmail, String clientId, SealedSecret clientSecret, String tenantId,
		LocalDate clientSecretExpiresOn, Access access, Transport transport, ClientCertificate certificate)
		implements Authentication {

	public MicrosoftOAuth2 {
		Objects.requireNonNull(access, "access");
		Objects.requireNonNull(transport, "transport");
	}

	/** Delegated access with a client secret over SMTP: what every service had before access kinds existed. */
	public MicrosoftOAuth2(String loginEmail, String clientId, SealedSecret clientSecret, String tenantId,
			LocalDate clientSecretExpiresOn) {
		this(loginEmail, clientId, clientSecret, tenantId, clientSecretExpiresOn, Access.DELEGATED, Transport.SMTP,
				null);
	}

	/** The tenant segment of the authority: the tenant ID, or {@code organizations} for multi-tenant apps. */
	public String tenantSegment() {
		return tenantId == null || tenantId.isBlank() ? "organizations" : tenantId;
	}

	/** Secret or certificate. */
	public CredentialKind credential() {
		return certificate != null ? CredentialKind.CERTIFICATE : CredentialKind.SECRET;
	}

	public boolean appOnly() {
		return access == Access.APPLICATION;
	}

	/** When the credential in use lapses, if known: the certificate's expiry, or the secret's date as told. */
	public Instant credentialExpiresAt() {
		if (certificate != null) {
			return certificate.notAfter();
		}
		return clientSecretExpiresOn == null ? null : clientSecretExpiresOn.atStartOfDay(ZoneOffset.UTC).toInstant();
	}

	/** What Graph counts this service's sends against. */
	public GraphMailbox graphMailbox() {
		return new GraphMailbox(clientId, loginEmail);
	}

	@Override
	public String login() {
		return loginEmail;
	}

}
