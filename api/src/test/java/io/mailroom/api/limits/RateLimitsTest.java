package io.mailroom.api.limits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import io.mailroom.testing.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The allowances, decided in a real PostgreSQL with Mailroom's schema. */
class RateLimitsTest {

	private static JdbcClient jdbc;

	private final MutableClock clock = new MutableClock();

	private final RateLimits limits = new RateLimits(new RateLimitProperties(2, Duration.ofMinutes(10), 20,
			Duration.ofMinutes(10), 60, Duration.ofMinutes(10), 20, Duration.ofMinutes(10), 600, Duration.ofMinutes(10)),
			jdbc, clock);

	private final String account = "acct-" + java.util.UUID.randomUUID();

	@BeforeAll
	static void database() {
		DataSource database = TestPostgres.dataSource(TestPostgres.newDatabase());
		Flyway.configure().dataSource(database).load().migrate();
		jdbc = JdbcClient.create(database);
	}

	@Test
	void anAccountGetsItsAllowanceThenARetryAfter() {
		limits.acquire(account, RateLimits.Action.AUTHORIZATION_START);
		limits.acquire(account, RateLimits.Action.AUTHORIZATION_START);

		RateLimited limited = catchThrowableOfType(RateLimited.class,
				() -> limits.acquire(account, RateLimits.Action.AUTHORIZATION_START));

		assertThat(limited.getStatusCode().value()).isEqualTo(429);
		// two per ten minutes refill one every five minutes
		assertThat(limited.getHeaders().getFirst("Retry-After")).isEqualTo("300");
		assertThat(limited.getBody().getDetail()).isEqualTo(
				"Your account made too many authorizations started recently; try again in 300 seconds.");
	}

	@Test
	void theAllowanceRefillsOverTheWindow() {
		limits.acquire(account, RateLimits.Action.AUTHORIZATION_START);
		limits.acquire(account, RateLimits.Action.AUTHORIZATION_START);

		clock.advance(Duration.ofMinutes(5));

		assertThatNoException().isThrownBy(() -> limits.acquire(account, RateLimits.Action.AUTHORIZATION_START));
		RateLimited limited = catchThrowableOfType(RateLimited.class,
				() -> limits.acquire(account, RateLimits.Action.AUTHORIZATION_START));
		assertThat(limited.getHeaders().getFirst("Retry-After")).isEqualTo("300");
	}

	@Test
	void aRefusedRequestDoesNotPushTheNextOneFurtherAway() {
		limits.acquire(account, RateLimits.Action.AUTHORIZATION_START);
		limits.acquire(account, RateLimits.Action.AUTHORIZATION_START);
		for (int i = 0; i < 5; i++) {
			catchThrowableOfType(RateLimited.class, () -> limits.acquire(account, RateLimits.Action.AUTHORIZATION_START));
		}

		clock.advance(Duration.ofMinutes(5));

		assertThatNoException().isThrownBy(() -> limits.acquire(account, RateLimits.Action.AUTHORIZATION_START));
	}

	@Test
	void accountsAndActionsHaveAllowancesOfTheirOwn() {
		limits.acquire(account, RateLimits.Action.AUTHORIZATION_START);
		limits.acquire(account, RateLimits.Action.AUTHORIZATION_START);

		assertThatNoException().isThrownBy(() -> limits.acquire(account + "-b", RateLimits.Action.AUTHORIZATION_START));
		assertThatNoException().isThrownBy(() -> limits.acquire(account, RateLimits.Action.TEST_EMAIL));
	}

	@Test
	void concurrentRequestsNeverGetMoreThanTheAllowance() throws Exception {
		List<Callable<Boolean>> requests = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			requests.add(() -> {
				try {
					limits.acquire(account, RateLimits.Action.TEST_EMAIL);
					return true;
				}
				catch (RateLimited ex) {
					return false;
				}
			});
		}
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			long allowed = 0;
			for (Future<Boolean> request : threads.invokeAll(requests)) {
				allowed += request.get() ? 1 : 0;
			}
			assertThat(allowed).isEqualTo(20);
		}
		finally {
			threads.shutdown();
		}
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
