package io.mailroom.api.web;

/**
 * Who is calling: the account every query is scoped to, and the person or key acting, for the audit log.
 * Controllers take it as {@code @AuthenticationPrincipal Caller caller}.
 *
 * @param accountId the product's account; a caller only ever sees its own account's services
 * @param actor who acts, e.g. a JWT's {@code preferred_username} or {@code api-key:<id>}
 * @param via how the caller proved who it is
 */
public record Caller(String accountId, String actor, Via via) {

	/** How a caller authenticated. */
	public enum Via {

		/** A bearer JWT of the product's identity provider. */
		JWT,

		/** A Mailroom API key of the account. */
		API_KEY

	}

}
