package io.mailroom.worker.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/** When to try a transiently failed mail again. Whether there is time left is the mail's deadline's to say. */
final class RetryPolicy {

	private final SchedulingProperties.Retry settings;

	RetryPolicy(SchedulingProperties.Retry settings) {
		this.settings = settings;
	}

	/**
	 * The next attempt after {@code failedAttempts} failures: exponential backoff with jitter, but never
	 * sooner than the server asked ({@code serverHint}, e.g. a minute after 421 4.4.2).
	 */
	Instant nextAttempt(int failedAttempts, Duration serverHint, Instant now) {
		double backoff = settings.initialBackoff().toMillis()
				* Math.pow(settings.multiplier(), Math.max(0, failedAttempts - 1));
		backoff = Math.min(backoff, settings.maxBackoff().toMillis());
		double spread = 1 + settings.jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
		Duration wait = Duration.ofMillis((long) (backoff * spread));
		Duration serverWait = serverWait(serverHint);
		if (serverWait != null && serverWait.compareTo(wait) > 0) {
			wait = serverWait;
		}
		return now.plus(wait);
	}

	/** How long the server asked us to wait, scaled for test servers; null if it did not ask. */
	Duration serverWait(Duration serverHint) {
		return serverHint == null ? null : Duration.ofMillis((long) (serverHint.toMillis() * settings.serverWaitScale()));
	}

}
