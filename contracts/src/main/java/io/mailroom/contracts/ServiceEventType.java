package io.mailroom.contracts;

/** What happened to an SMTP service. New types may be added: consumers must ignore unknown ones. */
public enum ServiceEventType {

	/** An admin authorized the service; its held mail is released. */
	AUTHORIZED,

	/** The service's grant is gone (expired, revoked, MFA or consent needed); its mail is held. */
	NEEDS_REAUTHORIZATION,

	/** The service or its Microsoft app is misconfigured (secret, tenant, app); its mail is held. */
	CONFIGURATION_ERROR,

	/** The service was deleted; its queued mail fails. */
	DELETED

}
