package io.mailroom.worker.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * At most {@code limit} messages per sliding minute, counted so that the server never sees more: a send
 * takes a permit when it starts and occupies it until one minute after it completes. The server counts a
 * message somewhere between our start and our completion, so a permit freed only a minute after completion
 * keeps every server-side minute within the limit, whatever the latency. Not thread-safe: owned by one lane.
 */
final class RateWindow {

	private static final Duration WINDOW = Duration.ofMinutes(1);

	private final int limit;

	/** When each occupied permit frees up again; never more than {@code limit - inFlight} of them. */
	private final PriorityQueue<Instant> releases = new PriorityQueue<>();

	private int inFlight;

	RateWindow(int limit) {
		this.limit = limit;
	}

	int limit() {
		return limit;
	}

	/** Takes a permit if one is free at {@code now}. */
	boolean tryAcquire(Instant now) {
		if (available(now) == 0) {
			return false;
		}
		inFlight++;
		return true;
	}

	/** Gives back a permit that was not used. */
	void release() {
		inFlight--;
	}

	/** Frees nothing yet: the permit of a completed send returns a minute after {@code at}. */
	void completed(Instant at) {
		inFlight--;
		releases.add(at.plus(WINDOW));
	}

	/** Permits free at {@code now}. */
	int available(Instant now) {
		while (!releases.isEmpty() && !releases.peek().isAfter(now)) {
			releases.poll();
		}
		return Math.max(0, limit - inFlight - releases.size());
	}

	/**
	 * When the next permit frees up, or null if only an in-flight send can free one. All permits are taken
	 * when this is asked, so the earliest release is the next free permit.
	 */
	Instant nextPermitAt() {
		return releases.peek();
	}

	/** Occupies every free permit until {@code until} (the server said we are over its limit). */
	void exhaustUntil(Instant until) {
		while (releases.size() + inFlight < limit) {
			releases.add(until);
		}
	}

}
