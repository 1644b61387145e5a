package io.mailroom.api.web;

import java.time.Instant;

/**
 * Who is calling: the account every query is scoped to, the person or key acting (for the audit log), and
 * what they may do. Controllers take it as {@code @AuthenticationPrincipal Caller caller}.
 *
 * @param accountId the product's account; a caller only ever sees its own account's services
 * @param actor who acts, e.g. a JWT's {@code preferred_username} or {@code api-key:<id>}
 * @param via how the caller proved who it is
 * @param role what the caller may do in the account
 * @param expiresAt when the API key the caller used expires; null for JWTs and keys without an expiry
 */
public record Caller(String accountId, String actor, Via via, Role role, Instant expiresAt) {

	/** How a caller authenticated. */
	public enum Via {

		/** A bearer JWT of the product's identity provider. */
		JWT,

		/** A Mailroom API key of the account. */
		API_KEY

	}

	/** "your API key has the operator role", for refusals. */
	String describeRole() {
		return (this.via == Via.API_KEY ? "your API key has the " : "your token grants the ") + this.role.label()
				+ " role";
	}

}
