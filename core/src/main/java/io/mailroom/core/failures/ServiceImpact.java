package io.mailroom.core.failures;

/**
 * What a failure means for the service it happened on, beyond the one mail.
 */
public enum ServiceImpact {

	/** Only this mail is affected. */
	NONE,

	/**
	 * The SMTP server refused the access token ({@code 535 5.7.3}): refresh the token once, forcing it, and
	 * retry once. If the fresh token is refused too, report the failure with
	 * {@code failure.withImpact(NEEDS_REAUTHORIZATION)}: the remaining causes (a token issued to another
	 * account, a missing SMTP.Send permission, a missing mailbox permission) need an admin.
	 */
	REFRESH_TOKEN_ONCE,

	/** Microsoft no longer honours the grant: hold the service's mail until an admin authorizes it again. */
	NEEDS_REAUTHORIZATION,

	/**
	 * The service, its Microsoft app or the mailbox is set up so that every mail will fail the same way
	 * (wrong secret, SMTP AUTH disabled, no Send As permission…): hold the service's mail until it is fixed.
	 */
	CONFIGURATION_ERROR

}
