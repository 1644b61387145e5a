package io.mailroom.worker.delivery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.mailroom.core.services.SmtpService;

/**
 * Sends through a {@link SmtpDelivery} the way the scheduler does, without the scheduler: a pool per
 * mailbox, up to three sessions, a fence that never says no. Close it to close its sessions.
 */
public final class Sending implements AutoCloseable {

	private final SmtpDelivery delivery;

	private final Map<String, MailboxConnections> pools = new ConcurrentHashMap<>();

	public Sending(SmtpDelivery delivery) {
		this.delivery = delivery;
	}

	public DeliveryOutcome send(SmtpService service, OutgoingMail mail) {
		return delivery.send(service, mail, pool(service), 3, Fence.OPEN);
	}

	public DeliveryOutcome send(SmtpService service, OutgoingMail mail, Fence fence) {
		return delivery.send(service, mail, pool(service), 3, fence);
	}

	public MailboxConnections pool(SmtpService service) {
		return pools.computeIfAbsent(service.mailbox(), delivery::pool);
	}

	/** Closes the sessions of the service's mailbox idle past the idle timeout, as the scheduler does periodically. */
	public void closeIdle(SmtpService service) {
		delivery.closeIdle(pool(service));
	}

	/** Sessions of the service's mailbox: open, in use, or still closing. */
	public int sessions(SmtpService service) {
		return pool(service).sessions();
	}

	/** Closes the sessions of the service's mailbox. */
	public void closeConnections(SmtpService service) {
		MailboxConnections pool = pools.remove(service.mailbox());
		if (pool != null) {
			pool.close();
		}
	}

	@Override
	public void close() {
		pools.values().forEach(MailboxConnections::close);
		pools.clear();
	}

}
