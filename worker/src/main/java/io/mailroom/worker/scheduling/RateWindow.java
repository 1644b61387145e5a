package io.mailroom.worker.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * At most {@code limit} messages per sliding minute, counted so that the server never sees more: a send
 * takes a permit when it starts and occupies it until one minute after it completes. The server counts a
 * message somewhere between our start and our completion, so a permit freed only a minute after completion
 * keeps every server-side minute within the limit, whatever the latency. Not thread-safe: owned by one
 * mailbox runtime.
 *
 * <p>The window outlives its owner: it is saved with the mailbox's lease ({@link #snapshot}) and the next
 * owner starts from it ({@link #restore}), so a lease that moves to another worker does not start an
 * empty minute.
 */
final class RateWindow {

	static final Duration WINDOW = Duration.ofMinutes(1);

	private final int limit;

	/** How long a completed send occupies its permit: a minute, or a day for a daily limit. */
	private final Duration window;

	/** When each occupied permit frees up again; never more than {@code limit - inFlight} of them. */
	private final PriorityQueue<Instant> releases = new PriorityQueue<>();

	private int inFlight;

	RateWindow(int limit) {
		this(limit, WINDOW);
	}

	/** At most {@code limit} messages per sliding {@code window} (a day for Gmail's daily sending limit). */
	RateWindow(int limit, Duration window) {
		this.limit = limit;
		this.window = window;
	}

	/**
	 * A window with the permits a previous owner saved.
	 * @param millisUntilFree for each permit in use, how long until it frees up
	 */
	static RateWindow restore(int limit, List<Long> millisUntilFree, Instant now) {
		return restore(limit, WINDOW, millisUntilFree, now);
	}

	/** {@link #restore(int, List, Instant)} for a window of another length. */
	static RateWindow restore(int limit, Duration length, List<Long> millisUntilFree, Instant now) {
		RateWindow window = new RateWindow(limit, length);
		for (long millis : millisUntilFree) {
			window.releases.add(now.plusMillis(millis));
		}
		return window;
	}

	/** The same permits under another limit (the mailbox's services changed). */
	RateWindow withLimit(int newLimit, Instant now) {
		RateWindow window = restore(newLimit, this.window, snapshot(now, Duration.ZERO, 0), now);
		window.inFlight = inFlight;
		return window;
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
		releases.add(at.plus(window));
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

	/**
	 * The permits in use, as milliseconds from {@code now} until each frees up, for the next owner. Sends
	 * in flight, and {@code reserved} mails claimed but not sent yet, are counted as if they completed
	 * {@code reserve} from now: the latest they can (a claim is never sent after it lapses).
	 */
	List<Long> snapshot(Instant now, Duration reserve, int reserved) {
		available(now);
		List<Long> millis = new ArrayList<>(releases.size() + inFlight + reserved);
		for (Instant release : releases) {
			millis.add(Math.max(0, Duration.between(now, release).toMillis()));
		}
		for (int i = 0; i < inFlight + reserved; i++) {
			millis.add(reserve.plus(window).toMillis());
		}
		return millis;
	}

}
