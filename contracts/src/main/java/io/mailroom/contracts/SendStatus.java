package io.mailroom.contracts;

/** The final outcome of a {@link SendRequest}. */
public enum SendStatus {

	/** The SMTP server accepted the message ({@code 250} after DATA). */
	SENT,

	/** It could not be sent: a permanent error, or transient errors until the retry window closed. */
	FAILED,

	/** Its {@code expiresAt} passed before it could be sent; it was not sent. */
	EXPIRED,

	/** The request itself was invalid (see the error); it was never queued. */
	REJECTED

}
