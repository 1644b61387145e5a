package io.mailroom.worker.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.mailroom.core.database.DatabaseErrors;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.core.services.SmtpServices.LatestFailure;
import io.mailroom.worker.queue.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest success and failure of each service, for its status page. They are a convenience, not the
 * record (that is the delivery log), so they are gathered in memory and written at most once per
 * {@link #INTERVAL} for all services together: a busy worker settles outcomes many times a second, and an
 * update (and a commit) per service each time was the largest part of the database's work per mail.
 * What is gathered is written once the writer is idle, so a page is never more than an interval behind.
 */
final class ServiceNotes {

	private static final Logger LOG = LoggerFactory.getLogger(ServiceNotes.class);

	static final Duration INTERVAL = Duration.ofSeconds(1);

	private final SmtpServices services;

	private final Map<UUID, Instant> successes = new HashMap<>();

	private final Map<UUID, LatestFailure> failures = new HashMap<>();

	private Instant lastWritten = Instant.MIN;

	ServiceNotes(SmtpServices services) {
		this.services = services;
	}

	/** Gathers the latest success and failure per service of settled outcomes. */
	void gather(List<Outcome> settled) {
		for (Outcome outcome : settled) {
			switch (outcome) {
				case Outcome.Sent sent -> successes.merge(sent.mail().serviceId(), sent.finishedAt(),
						(a, b) -> a.isAfter(b) ? a : b);
				case Outcome.Failed failed -> failed(failed.mail().serviceId(), new LatestFailure(failed.error(),
						failed.finishedAt()));
				case Outcome.Retry retry -> failed(retry.mail().serviceId(), new LatestFailure(retry.error(),
						retry.finishedAt()));
				default -> {
				}
			}
		}
	}

	private void failed(UUID service, LatestFailure failure) {
		failures.merge(service, failure, (a, b) -> b.at().isBefore(a.at()) ? a : b);
	}

	/** Writes what was gathered if the last write is an interval old, or at once if {@code idle}. */
	void writeIfDue(Instant now, boolean idle) {
		if (successes.isEmpty() && failures.isEmpty()
				|| !idle && now.isBefore(lastWritten.plus(INTERVAL))) {
			return;
		}
		try {
			services.recordSuccesses(successes);
			services.recordFailures(failures);
		}
		catch (RuntimeException ex) {
			LOG.debug("Could not note the latest outcomes on their services: {}", DatabaseErrors.summary(ex));
		}
		// given up on failure too: the next outcomes bring newer notes
		successes.clear();
		failures.clear();
		lastWritten = now;
	}

}
