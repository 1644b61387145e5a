package io.mailroom.worker.delivery;

import io.mailroom.core.services.SmtpService;

/**
 * Hands one mail of a mailbox to the server that takes it, on the sessions of the mailbox's pool. What
 * the scheduler asks of a transport; {@link SmtpDelivery} is the SMTP one.
 */
public interface Delivery {

	/** A new, empty pool of sessions for a mailbox; its owner closes it when it stops sending for the mailbox. */
	MailboxConnections pool(String mailbox);

	/** Closes the pool's sessions that idled past the transport's idle timeout. */
	void closeIdle(MailboxConnections pool);

	/**
	 * Sends one mail through the service. Never throws for what the server, the network or the identity
	 * platform does: every failure comes back classified.
	 * @param pool the mailbox's pool; the caller never runs more sends at once than {@code maxSessions}
	 * @param fence asked before the transaction starts and before the mail is completed
	 */
	DeliveryOutcome send(SmtpService service, OutgoingMail mail, MailboxConnections pool, int maxSessions, Fence fence);

}
