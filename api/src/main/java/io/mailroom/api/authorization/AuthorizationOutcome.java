package io.mailroom.api.authorization;

import java.util.UUID;

import io.mailroom.contracts.ErrorDetails;

/**
 * How an authorization ended.
 *
 * @param authorizedAccount the Microsoft account that granted access, when it succeeded
 * @param error what went wrong, with code, message, hint and link, when it failed
 */
record AuthorizationOutcome(UUID serviceId, boolean succeeded, String authorizedAccount, ErrorDetails error) {

	static AuthorizationOutcome succeeded(UUID serviceId, String account) {
		return new AuthorizationOutcome(serviceId, true, account, null);
	}

	static AuthorizationOutcome failed(UUID serviceId, ErrorDetails error) {
		return new AuthorizationOutcome(serviceId, false, null, error);
	}

}
