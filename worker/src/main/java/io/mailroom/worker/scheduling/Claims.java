package io.mailroom.worker.scheduling;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mails this worker holds claimed (buffered, being sent, or with an outcome not written yet), and how
 * long its claims surely last. A claim lapses in the database {@code claimTtl} after its last renewal;
 * this worker relies on it only until a margin before that, by its own monotonic clock: past that, a mail
 * is not completed (see {@link io.mailroom.worker.delivery.Fence#mayComplete()}), since housekeeping may
 * have put it back and another worker may be sending it.
 */
final class Claims {

	private final Set<UUID> held = ConcurrentHashMap.newKeySet();

	private final long ttlNanos;

	private final long marginNanos;

	/** When the last successful renewal of every claim started; claims made later last from when they were made. */
	private volatile long lastRenewalNanos = Long.MIN_VALUE / 2;

	Claims(Duration ttl, Duration margin) {
		this.ttlNanos = ttl.toNanos();
		this.marginNanos = margin.toNanos();
	}

	void add(UUID requestId) {
		held.add(requestId);
	}

	void remove(UUID requestId) {
		held.remove(requestId);
	}

	Set<UUID> held() {
		return Set.copyOf(held);
	}

	/** Every claim held when a renewal started at {@code startedNanos} was renewed. */
	void renewed(long startedNanos) {
		lastRenewalNanos = startedNanos;
	}

	/** Whether a claim made at {@code claimedNanos} may still be relied on at {@code nowNanos}. */
	boolean valid(long claimedNanos, long nowNanos) {
		long from = Math.max(claimedNanos, lastRenewalNanos);
		return nowNanos - from < ttlNanos - marginNanos;
	}

}
