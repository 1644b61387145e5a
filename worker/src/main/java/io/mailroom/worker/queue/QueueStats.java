package io.mailroom.worker.queue;

import java.time.Duration;
import java.util.Map;

import io.mailroom.contracts.Priority;

/** How much mail waits, and for how long. */
public record QueueStats(Map<Priority, Depth> queued, Depth held) {

	/** A count of mails and the age of the oldest. */
	public record Depth(long count, Duration oldestAge) {
	}

}
