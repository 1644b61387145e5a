package io.mailroom.contracts;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * What kind of problem stopped a mail, so a producer or an admin knows whose move it is.
 * New categories may be added: consumers must treat an unknown value like {@link #UNKNOWN}.
 */
public enum ErrorCategory {

	/** The service's Microsoft authorization is missing, expired or revoked: an admin must re-authorize. */
	AUTHORIZATION,

	/** The service or the Microsoft tenant/app is set up wrongly (secret, tenant, SMTP AUTH disabled…). */
	CONFIGURATION,

	/** The mailbox is not allowed to send as the From address. */
	SENDER,

	/** The server asked us to slow down (rate or concurrency limit); retried automatically. */
	THROTTLED,

	/** A daily sending quota is used up. */
	QUOTA,

	/** A recipient was refused. */
	RECIPIENT,

	/** The message itself was refused (size, content). */
	CONTENT,

	/** The SMTP server or identity platform could not be reached or dropped the connection. */
	NETWORK,

	/** Microsoft (or the SMTP host) reported a temporary failure on its side. */
	PROVIDER_OUTAGE,

	/** The request was invalid and was not queued. */
	INVALID_REQUEST,

	/** The request's {@code expiresAt} passed before it could be sent. */
	EXPIRED,

	/** Anything not classified above. */
	@JsonEnumDefaultValue
	UNKNOWN

}
