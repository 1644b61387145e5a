package io.mailroom.worker.scheduling;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.mailroom.contracts.SmtpReply;
import io.mailroom.core.services.SmtpService;
import io.mailroom.worker.delivery.Delivery;
import io.mailroom.worker.delivery.DeliveryOutcome;
import io.mailroom.worker.delivery.Fence;
import io.mailroom.worker.delivery.MailboxConnections;
import io.mailroom.worker.delivery.OutgoingMail;

/**
 * A transport that takes every mail at once, or holds sends at the server's door until the test lets
 * them through, and asks the fence exactly where SMTP does: before the transaction and before completing
 * it. It records what it was given, what it completed, and how many sends ran at once.
 */
final class FakeDelivery implements Delivery {

	/** Mails completed: the server has them. */
	final List<UUID> completed = new CopyOnWriteArrayList<>();

	/** Mails whose send started (the transaction began). */
	final List<UUID> started = new CopyOnWriteArrayList<>();

	/** Mails the fence stopped, before the transaction or before completion. */
	final List<UUID> fenced = new CopyOnWriteArrayList<>();

	private final AtomicInteger concurrent = new AtomicInteger();

	final AtomicInteger mostConcurrent = new AtomicInteger();

	/** Permits to complete; unlimited until {@link #holdSends()}. */
	private volatile Semaphore door;

	private volatile CountDownLatch arrivals = new CountDownLatch(0);

	/** From now on sends wait at the door until {@link #letThrough(int)}. */
	void holdSends(int expectedArrivals) {
		door = new Semaphore(0);
		arrivals = new CountDownLatch(expectedArrivals);
	}

	/** Waits until the expected number of sends arrived at the door. */
	boolean awaitArrivals() throws InterruptedException {
		return arrivals.await(30, TimeUnit.SECONDS);
	}

	void letThrough(int sends) {
		door.release(sends);
	}

	@Override
	public MailboxConnections pool(String mailbox) {
		return new MailboxConnections(mailbox);
	}

	@Override
	public void closeIdle(MailboxConnections pool) {
	}

	@Override
	public DeliveryOutcome send(SmtpService service, OutgoingMail mail, MailboxConnections pool, int maxSessions,
			Fence fence) {
		String messageId = "<" + mail.requestId() + "@fake>";
		if (!fence.mayStart()) {
			fenced.add(mail.requestId());
			return new DeliveryOutcome.Fenced(messageId);
		}
		started.add(mail.requestId());
		int now = concurrent.incrementAndGet();
		mostConcurrent.accumulateAndGet(now, Math::max);
		try {
			Semaphore waiting = door;
			if (waiting != null) {
				arrivals.countDown();
				waiting.acquireUninterruptibly();
			}
			if (!fence.mayComplete()) {
				fenced.add(mail.requestId());
				return new DeliveryOutcome.Fenced(messageId);
			}
			completed.add(mail.requestId());
			return new DeliveryOutcome.Sent(messageId, new SmtpReply(250, "2.0.0", "OK"));
		}
		finally {
			concurrent.decrementAndGet();
		}
	}

}
