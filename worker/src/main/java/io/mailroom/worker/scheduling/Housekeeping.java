package io.mailroom.worker.scheduling;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.core.database.DatabaseErrors;
import io.mailroom.worker.queue.DeliveryQueue;
import io.mailroom.worker.queue.FinishedDelivery;
import io.mailroom.worker.results.ResultPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue's periodic chores. Every worker runs them; each statement claims its rows with
 * {@code skip locked} or is idempotent, so concurrent runs share the work instead of repeating it.
 */
final class Housekeeping {

	private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

	private static final int BATCH = 500;

	static final ErrorDetails SERVICE_DELETED = new ErrorDetails(ErrorCategory.CONFIGURATION, "SERVICE_DELETED",
			"The SMTP service was deleted before this mail could be sent.",
			"Send through another service of the account.", null, false);

	static final ErrorDetails NOT_AUTHORIZED = new ErrorDetails(ErrorCategory.AUTHORIZATION, "NOT_AUTHORIZED",
			"The service has not been authorized with Microsoft yet.",
			"Open the service and select Authorize; its mail is held until then.", null, false);

	private final DeliveryQueue queue;

	private final ResultPublisher results;

	private final SchedulingProperties settings;

	private final Clock clock;

	private final Consumer<List<UUID>> wake;

	private Instant lastPurge = Instant.EPOCH;

	Housekeeping(DeliveryQueue queue, ResultPublisher results, SchedulingProperties settings, Clock clock,
			Consumer<List<UUID>> wake) {
		this.queue = queue;
		this.results = results;
		this.settings = settings;
		this.clock = clock;
		this.wake = wake;
	}

	void run() {
		try {
			Instant now = clock.instant();
			List<FinishedDelivery> expired;
			do {
				expired = queue.expireDue(io.mailroom.core.failures.Failures.expired(now).error(), now, BATCH);
				results.publish(expired);
			}
			while (expired.size() == BATCH);
			results.publish(queue.failMailOfDeletedServices(SERVICE_DELETED, now, BATCH));
			// services that may not send: their queued mail waits for an admin, visibly, until its deadline
			queue.holdMailOfServicesThatMayNotSend(NOT_AUTHORIZED);
			// the service event releases held mail at once; this catches events that were missed
			List<UUID> released = queue.releaseHeldOfAuthorizedServices(now);
			if (!released.isEmpty()) {
				wake.accept(released);
			}
			int recovered = queue.requeueLapsedClaims();
			if (recovered > 0) {
				LOG.warn("Returned {} mails to the queue whose worker stopped renewing their claims", recovered);
			}
			results.republishStragglers(now);
			if (now.isAfter(lastPurge.plusSeconds(3600))) {
				int purged = queue.purgeFinishedBefore(now.minus(settings.retention()), 10_000);
				lastPurge = purged == 10_000 ? lastPurge : now;
			}
		}
		catch (RuntimeException ex) {
			LOG.warn("Queue housekeeping failed; it runs again shortly: {}", DatabaseErrors.summary(ex));
		}
	}

}
