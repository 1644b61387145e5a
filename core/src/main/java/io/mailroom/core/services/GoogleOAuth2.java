package io.mailroom.core.services;

import java.util.Objects;

import io.mailroom.core.secrets.SealedSecret;

/**
 * Google Workspace OAuth2 for Gmail SMTP (XOAUTH2, scope {@code https://mail.google.com/}): a user's grant through
 * the customer's own OAuth client, or a service account with domain-wide delegation that acts as the mailbox.
 *
 * @param loginEmail the mailbox that sends (XOAUTH2 {@code user=}); for delegated access also the account that
 *     signs in, for a service account the {@code sub} of its JWT bearer grant
 * @param clientId the OAuth client's ID ({@code …apps.googleusercontent.com}); null for a service account
 * @param clientSecret the OAuth client's secret; null for a service account
 * @param access delegated (a user's grant) or application (a service account)
 * @param serviceAccount the service account's key; null for delegated access
 */
public record GoogleOAuth2(String loginEmail, String clientId, SealedSecret clientSecret, Access access,
		ServiceAccount serviceAccount) implements Authentication {

	/** The scope of Gmail's SMTP, IMAP and POP: the only one XOAUTH2 accepts. */
	public static final String MAIL_SCOPE = "https://mail.google.com/";

	public GoogleOAuth2 {
		Objects.requireNonNull(access, "access");
	}

	public boolean appOnly() {
		return access == Access.APPLICATION;
	}

	@Override
	public String login() {
		return loginEmail;
	}

	/**
	 * A service account's key as stored: the JSON key file sealed like a secret, and what the Workspace admin
	 * must see (the account's e-mail, and the client ID to allow under domain-wide delegation).
	 *
	 * @param key the JSON key file Google Cloud console downloads, sealed
	 * @param clientEmail the service account's address ({@code …@….iam.gserviceaccount.com})
	 * @param clientId the service account's numeric client ID (its "Unique ID")
	 */
	public record ServiceAccount(SealedSecret key, String clientEmail, String clientId) {

		public ServiceAccount {
			Objects.requireNonNull(key, "key");
			Objects.requireNonNull(clientEmail, "clientEmail");
			Objects.requireNonNull(clientId, "clientId");
		}

	}

}
