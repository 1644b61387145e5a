package io.mailroom.api.services;

import java.time.LocalDate;

import io.mailroom.core.google.ServiceAccountKeys;
import io.mailroom.core.services.Access;
import io.mailroom.core.services.CredentialKind;
import io.mailroom.core.services.Transport;
import io.mailroom.core.tokens.ClientCertificates;

/**
 * A service request that passed validation, normalized (trimmed, defaults applied, blank optional values
 * turned into null).
 */
record ValidService(String name, String host, int port, String fromAddress, String fromName, String replyTo,
		Credentials credentials, Integer messagesPerMinute, Integer maxConnections, Long maxMessageBytes,
		Integer messagesPerDay) {

	/** The validated credentials; a null secret keeps the stored one. */
	sealed interface Credentials {
	}

	/**
	 * @param certificate a newly uploaded certificate credential, read and checked; null keeps the stored one
	 *     (or there is none, for a secret)
	 */
	record OAuth2(String loginEmail, String clientId, String clientSecret, String tenantId,
			LocalDate clientSecretExpiresOn, Access access, CredentialKind credential, Transport transport,
			ClientCertificates.Opened certificate) implements Credentials {

		@Override
		public String toString() {
			return "OAuth2[loginEmail=" + loginEmail + ", clientId=" + clientId + ", tenantId=" + tenantId + "]";
		}

	}

	/**
	 * Google Workspace: an OAuth client (clientId and secret; a null secret keeps the stored one) or a service
	 * account (a newly uploaded key, read; a null key keeps the stored one).
	 */
	record Google(String loginEmail, String clientId, String clientSecret, Access access, String serviceAccountKey,
			ServiceAccountKeys.Described serviceAccount) implements Credentials {

		@Override
		public String toString() {
			return "Google[loginEmail=" + loginEmail + ", clientId=" + clientId + ", access=" + access + "]";
		}

	}

	record Basic(String username, String password) implements Credentials {

		@Override
		public String toString() {
			return "Basic[username=" + username + "]";
		}

	}

}
