package io.mailroom.core.services;

/** Whose authority a service sends with. Provider-neutral: Google's service accounts are APPLICATION too. */
public enum Access {

	/** A signed-in user authorized the app (authorization code, refresh token): today's default. */
	DELEGATED,

	/**
	 * The app itself (client credentials): no user grant, nothing to re-authorize, no 90-day limit; an
	 * admin gives the app its permissions and the mailbox access once.
	 */
	APPLICATION

}
