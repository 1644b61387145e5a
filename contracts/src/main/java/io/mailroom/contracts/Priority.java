package io.mailroom.contracts;

/** How urgent a mail is. A service sends all its due TRANSACTIONAL mail before any BULK mail. */
public enum Priority {

	/** A person is waiting for it: password resets, verification codes, receipts. The default. */
	TRANSACTIONAL,

	/** Nobody waits for this one mail: subscription notifications, digests, announcements. */
	BULK

}
