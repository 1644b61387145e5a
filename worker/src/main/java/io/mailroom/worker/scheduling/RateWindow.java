package io.mailroom.worker.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * At most {@code limit} messages per sliding minute, counted so that the server never sees more: a send
 * takes a permit when it starts and occupies it until one minute after it completes. The server counts a
 * message somewhere between our start and our completion, so a permit freed only a minute after completion
 * keeps every server-side minute within the limit, whatever the latency. Not thread-safe: owned by one lane.
 */
final class RateWindow {

	private static final Duration WINDOW = Duration.ofMinutes(1);

	private final int limit;

	private final ArrayDeque<Instant> completions = new ArrayDeque<>();

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
		completions.addLast(at);
	}

	/** Permits free at {@code now}. */
	int available(Instant now) {
		Instant cutoff = now.minus(WINDOW);
		while (!completions.isEmpty() && !completions.peekFirst().isAfter(cutoff)) {
			completions.removeFirst();
		}
		return Math.max(0, limit - inFlight - completions.size());
	}

	/** When the next permit frees up, or null if only an in-flight send can free one. */
	Instant nextPermitAt() {
		return completions.isEmpty() ? null : completions.peekFirst().plus(WINDOW);
	}

	/** Occupies every permit until {@code until} (the server said we are over its limit). */
	void exhaustUntil(Instant until) {
		Instant occupied = until.minus(WINDOW);
		while (completions.size() + inFlight < limit) {
			completions.addLast(occupied);
		}
	}

}
