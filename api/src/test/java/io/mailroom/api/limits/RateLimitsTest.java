package io.mailroom.api.limits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RateLimitsTest {

	private final MutableClock clock = new MutableClock();

	private final RateLimits limits = new RateLimits(
			new RateLimitProperties(2, Duration.ofMinutes(10), 20, Duration.ofMinutes(10)), clock);

	@Test
	void anAccountGetsItsAllowanceThenARetryAfter() {
		limits.acquire("acct-a", RateLimits.Action.AUTHORIZATION_START);
		limits.acquire("acct-a", RateLimits.Action.AUTHORIZATION_START);

		RateLimited limited = catchThrowableOfType(RateLimited.class,
				() -> limits.acquire("acct-a", RateLimits.Action.AUTHORIZATION_START));

		assertThat(limited.getStatusCode().value()).isEqualTo(429);
		// two per ten minutes refill one every five minutes
		assertThat(limited.getHeaders().getFirst("Retry-After")).isEqualTo("300");
	}

	@Test
	void theAllowanceRefillsOverTheWindow() {
		limits.acquire("acct-a", RateLimits.Action.AUTHORIZATION_START);
		limits.acquire("acct-a", RateLimits.Action.AUTHORIZATION_START);

		clock.advance(Duration.ofMinutes(5));

		assertThatNoException().isThrownBy(() -> limits.acquire("acct-a", RateLimits.Action.AUTHORIZATION_START));
	}

	@Test
	void accountsAndActionsHaveAllowancesOfTheirOwn() {
		limits.acquire("acct-a", RateLimits.Action.AUTHORIZATION_START);
		limits.acquire("acct-a", RateLimits.Action.AUTHORIZATION_START);

		assertThatNoException().isThrownBy(() -> limits.acquire("acct-b", RateLimits.Action.AUTHORIZATION_START));
		assertThatNoException().isThrownBy(() -> limits.acquire("acct-a", RateLimits.Action.TEST_EMAIL));
	}

	private static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-11-28T12:00:00Z");

		void advance(Duration duration) {
			now = now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneId.of("UTC");
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return now;
		}

	}

}
