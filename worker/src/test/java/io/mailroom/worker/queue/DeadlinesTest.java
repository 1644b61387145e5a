package io.mailroom.worker.queue;

import java.time.Duration;
import java.time.Instant;

import io.mailroom.contracts.Priority;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlinesTest {

	private static final Instant ACCEPTED = Instant.parse("2026-12-03T10:00:00Z");

	private final Deadlines deadlines = new Deadlines(Duration.ofHours(6), Duration.ofHours(24), Duration.ofHours(24));

	@Test
	void mailWithoutExpiresAtGetsTheDefaultOfItsPriority() {
		assertThat(deadlines.of(Priority.TRANSACTIONAL, null, ACCEPTED)).isEqualTo(ACCEPTED.plus(Duration.ofHours(6)));
		assertThat(deadlines.of(Priority.BULK, null, ACCEPTED)).isEqualTo(ACCEPTED.plus(Duration.ofHours(24)));
	}

	@Test
	void aProducersExpiresAtShortensTheDeadline() {
		Instant soon = ACCEPTED.plus(Duration.ofMinutes(15));

		assertThat(deadlines.of(Priority.BULK, soon, ACCEPTED)).isEqualTo(soon);
	}

	@Test
	void noMailWaitsLongerThanTheMaximumAgeWhateverItsExpiresAtSays() {
		Instant inAWeek = ACCEPTED.plus(Duration.ofDays(7));

		assertThat(deadlines.of(Priority.TRANSACTIONAL, inAWeek, ACCEPTED)).isEqualTo(ACCEPTED.plus(Duration.ofHours(24)));
	}

}
