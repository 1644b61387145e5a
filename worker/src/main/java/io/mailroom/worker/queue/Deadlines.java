package io.mailroom.worker.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.mailroom.contracts.Priority;

/**
 * When a mail stops being worth sending. Every queued mail gets one when it is stored, so that nothing
 * waits forever: not mail that keeps failing, not mail paused by an open circuit, not mail held for an
 * admin. A producer's {@code expiresAt} can only shorten it.
 *
 * @param transactional how long a TRANSACTIONAL mail without {@code expiresAt} may wait (a password reset
 *     sent a day late is worse than not sent)
 * @param bulk the same for BULK mail
 * @param maxAge the longest any mail may wait, whatever its {@code expiresAt} says
 */
public record Deadlines(Duration transactional, Duration bulk, Duration maxAge) {

	public Deadlines {
		Objects.requireNonNull(transactional, "transactional");
		Objects.requireNonNull(bulk, "bulk");
		Objects.requireNonNull(maxAge, "maxAge");
	}

	/** The deadline of a mail accepted at {@code acceptedAt}. */
	public Instant of(Priority priority, Instant expiresAt, Instant acceptedAt) {
		Instant latest = acceptedAt.plus(maxAge);
		Instant wanted = expiresAt != null ? expiresAt
				: acceptedAt.plus(priority == Priority.BULK ? bulk : transactional);
		return wanted.isBefore(latest) ? wanted : latest;
	}

}
