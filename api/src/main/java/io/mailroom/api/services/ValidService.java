package io.mailroom.api.services;

import java.time.LocalDate;

/**
 * A service request that passed validation, normalized (trimmed, defaults applied, blank optional values
 * turned into null).
 */
record ValidService(String name, String host, int port, String fromAddress, String fromName, String replyTo,
		Credentials credentials, Integer messagesPerMinute, Integer maxConnections, Long maxMessageBytes) {

	/** The validated credentials; a null secret keeps the stored one. */
	sealed interface Credentials {
	}

	record OAuth2(String loginEmail, String clientId, String clientSecret, String tenantId,
			LocalDate clientSecretExpiresOn) implements Credentials {

		@Override
		public String toString() {
			return "OAuth2[loginEmail=" + loginEmail + ", clientId=" + clientId + ", tenantId=" + tenantId + "]";
		}

	}

	record Basic(String username, String password) implements Credentials {

		@Override
		public String toString() {
			return "Basic[username=" + username + "]";
		}

	}

}
