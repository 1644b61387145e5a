package io.mailroom.worker.scheduling;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

	private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

	private final RetryPolicy policy = new RetryPolicy(new SchedulingProperties.Retry(Duration.ofSeconds(30), 2.0,
			Duration.ofMinutes(30), 0.2, Duration.ofHours(24), 1.0));

	@RepeatedTest(20)
	void backoffGrowsExponentiallyWithinItsJitter() {
		assertThat(Duration.between(NOW, policy.nextAttempt(1, null, NOW))).isBetween(Duration.ofSeconds(24),
				Duration.ofSeconds(36));
		assertThat(Duration.between(NOW, policy.nextAttempt(3, null, NOW))).isBetween(Duration.ofSeconds(96),
				Duration.ofSeconds(144));
		assertThat(Duration.between(NOW, policy.nextAttempt(20, null, NOW))).isBetween(Duration.ofMinutes(24),
				Duration.ofMinutes(36));
	}

	@Test
	void theServersRequestedWaitWinsOverAShorterBackoff() {
		assertThat(policy.nextAttempt(1, Duration.ofMinutes(1), NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
	}

	@Test
	void serverWaitsCanBeScaledDownForTestServers() {
		RetryPolicy scaled = new RetryPolicy(
				new SchedulingProperties.Retry(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), 0, Duration.ofHours(1), 0.05));

		assertThat(scaled.serverWait(Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(3));
	}

}
