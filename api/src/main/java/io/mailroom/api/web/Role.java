package io.mailroom.api.web;

import java.util.Locale;

/**
 * What a caller may do in its account. An admin may do everything an operator may.
 */
public enum Role {

	/** Watches and checks: reads services and their status, the delivery log, and sends test emails. */
	OPERATOR,

	/** Sets up: creates, changes, authorizes and deletes services, manages API keys, reads the audit log. */
	ADMIN;

	/** Whether a caller with this role may do what {@code needed} may. */
	public boolean includes(Role needed) {
		return compareTo(needed) >= 0;
	}

	/** As the API and the documentation write it: {@code admin}, {@code operator}. */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

}
