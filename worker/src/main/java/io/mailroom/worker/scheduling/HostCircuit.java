package io.mailroom.worker.scheduling;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit of one SMTP host on this worker, shared by every mailbox on it (smtp.office365.com carries every
 * Microsoft customer). It counts mailboxes, not calls: a few hung mailboxes time out on all their connections at
 * once, and a breaker counting calls took that burst for the host going down and paused every other mailbox.
 * Here each mailbox counts once, by the outcome of its last attempt through the host, and the circuit opens only
 * when at least {@code failingMailboxes}, and more than {@code failingPercentage} % of the mailboxes active within
 * the window, failed theirs. A mailbox failing on its own is left to its own circuit.
 *
 * <p>Half-open, every mailbox may make one trial call at a time: a host that answers again is found by the first
 * mailbox that gets through, whatever a few broken mailboxes do; the first success closes the circuit, and trials
 * of {@code failingMailboxes} different mailboxes failing (none succeeding) open it again. Outcomes of calls
 * permitted before the circuit opened no longer count once it has.
 *
 * <p>Times are monotonic nanoseconds. Thread-safe.
 */
final class HostCircuit {

	private static final Logger LOG = LoggerFactory.getLogger(HostCircuit.class);

	enum State {

		CLOSED, OPEN, HALF_OPEN

	}

	/** What {@link #tryAcquire} answers. */
	sealed interface Answer {
	}

	/**
	 * Permission for one call through the host; report its end or release it exactly once.
	 *
	 * @param period the circuit's state period it was given in: a trial counts only in its own half-open period
	 */
	record Permit(HostCircuit circuit, String mailbox, boolean trial, long period) implements Answer {

		/** The call ended; {@code failed} says whether with a failure of the far side. */
		void ended(boolean failed, long nowNanos) {
			circuit.ended(this, failed, nowNanos);
		}

		/** No call was made. */
		void release() {
			circuit.release(this);
		}

	}

	/**
	 * The circuit refused a call.
	 *
	 * @param openFor how long until it lets calls through again; null while a trial call of the same mailbox is
	 *     under way (its end is the time to ask again)
	 */
	record Refused(Duration openFor) implements Answer {
	}

	/** A mailbox's last attempt through the host: failed on the far side or not, and when it ended. */
	private record Last(boolean failed, long atNanos) {
	}

	private final String host;

	private final long windowNanos;

	private final int failingMailboxes;

	private final int failingPercentage;

	private final Duration openDuration;

	private final Map<String, Last> last = new HashMap<>();

	private final Set<String> trials = new HashSet<>();

	private State state = State.CLOSED;

	private long openUntil;

	/** Bumped by every change of state, so a permit knows whether it belongs to the current one. */
	private long period;

	private long prunedAt;

	private int openings;

	HostCircuit(String host, SchedulingProperties.HostBreaker settings, Duration openDuration, long nowNanos) {
		this.host = host;
		this.windowNanos = settings.window().toNanos();
		this.failingMailboxes = settings.failingMailboxes();
		this.failingPercentage = settings.failingPercentage();
		this.openDuration = openDuration;
		this.prunedAt = nowNanos;
	}

	synchronized Answer tryAcquire(String mailbox, long nowNanos) {
		if (state == State.OPEN) {
			if (nowNanos - openUntil < 0) {
				return new Refused(Duration.ofNanos(openUntil - nowNanos));
			}
			state = State.HALF_OPEN;
			period++;
			LOG.info("SMTP host {}: letting one trial call per mailbox through", host);
		}
		if (state == State.HALF_OPEN) {
			return trials.add(mailbox) ? new Permit(this, mailbox, true, period) : new Refused(null);
		}
		return new Permit(this, mailbox, false, period);
	}

	/** The state now (an open circuit whose time is up counts as half-open). */
	synchronized State state(long nowNanos) {
		return state == State.OPEN && nowNanos - openUntil >= 0 ? State.HALF_OPEN : state;
	}

	/** How often the circuit opened. */
	synchronized int openings() {
		return openings;
	}

	private synchronized void release(Permit permit) {
		if (permit.trial() && permit.period() == period) {
			trials.remove(permit.mailbox());
		}
	}

	private synchronized void ended(Permit permit, boolean failed, long nowNanos) {
		if (permit.trial() && permit.period() == period) {
			trials.remove(permit.mailbox());
			last.put(permit.mailbox(), new Last(failed, nowNanos));
			if (!failed) {
				state = State.CLOSED;
				period++;
				LOG.info("SMTP host {} answers again: its circuit is closed", host);
			}
			else if (count(nowNanos).failing() >= failingMailboxes) {
				open(nowNanos, "trial calls of " + failingMailboxes + " mailboxes failed");
			}
			return;
		}
		if (state != State.CLOSED) {
			return; // permitted before the circuit opened: the trials decide now
		}
		last.put(permit.mailbox(), new Last(failed, nowNanos));
		if (failed) {
			Count count = count(nowNanos);
			if (count.failing() >= failingMailboxes && count.failing() * 100L > (long) count.active() * failingPercentage) {
				open(nowNanos, count.failing() + " of the " + count.active() + " mailboxes that used it within "
						+ Duration.ofNanos(windowNanos).toSeconds() + " s failed their last attempt");
			}
		}
		else if (nowNanos - prunedAt > windowNanos) {
			count(nowNanos); // forget mailboxes gone quiet, so that the map does not grow with every mailbox ever seen
		}
	}

	private void open(long nowNanos, String why) {
		state = State.OPEN;
		period++;
		openings++;
		openUntil = nowNanos + openDuration.toNanos();
		trials.clear();
		last.clear(); // the next decision is made on the trials' outcomes only
		LOG.warn("SMTP host {} looks down ({}): pausing every mailbox on it for {} s", host, why,
				openDuration.toSeconds());
	}

	/** The mailboxes active within the window and those among them whose last attempt failed; forgets the rest. */
	private Count count(long nowNanos) {
		int active = 0;
		int failing = 0;
		for (Iterator<Last> it = last.values().iterator(); it.hasNext();) {
			Last entry = it.next();
			if (nowNanos - entry.atNanos() > windowNanos) {
				it.remove();
				continue;
			}
			active++;
			if (entry.failed()) {
				failing++;
			}
		}
		prunedAt = nowNanos;
		return new Count(active, failing);
	}

	private record Count(int active, int failing) {
	}

}
