package io.mailroom.core.services;

/** Whether a service can send, from Mailroom's point of view. */
public enum ServiceStatus {

	/** Created with Microsoft OAuth2 but not authorized yet: an admin must click Authorize. */
	NOT_AUTHORIZED,

	/** Ready to send (basic services are ready from creation). */
	AUTHORIZED,

	/** Microsoft no longer honours the grant (expired, revoked, MFA, consent): mail is held until re-authorized. */
	NEEDS_REAUTHORIZATION,

	/** The service or its Microsoft app is misconfigured (secret, tenant, app): mail is held until fixed. */
	CONFIGURATION_ERROR;

	/** Whether mail for the service is held rather than sent. */
	public boolean holdsMail() {
		return this == NEEDS_REAUTHORIZATION || this == CONFIGURATION_ERROR;
	}

}
