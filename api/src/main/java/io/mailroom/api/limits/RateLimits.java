package io.mailroom.api.limits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.mailroom.core.database.SqlValues.timestamptz;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Rate limits per account and action, kept in PostgreSQL so that every api instance draws on the same
 * allowance. Each request is decided and recorded by one atomic statement (a generic cell rate algorithm, the
 * token bucket's equivalent with one timestamp per bucket): concurrent requests of an account queue on its
 * row, nothing is read and written back in two steps.
 */
@Component
public class RateLimits {

	private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);

	/** The limited actions. */
	public enum Action {

		AUTHORIZATION_START("authorizations started"),

		TEST_EMAIL("test emails"),

		SERVICE_CHANGE("changes to SMTP services"),

		API_KEY_CHANGE("API key changes"),

		DELIVERY_LOG_READ("delivery log reads");

		private final String description;

		Action(String description) {
			this.description = description;
		}

		String description() {
			return description;
		}

	}

	private final RateLimitProperties properties;

	private final JdbcClient jdbc;

	private final Clock clock;

	RateLimits(RateLimitProperties properties, JdbcClient jdbc, Clock clock) {
		this.properties = properties;
		this.jdbc = jdbc;
		this.clock = clock;
		for (Action action : Action.values()) {
			properties.limit(action); // a window too short for its requests stops the start
		}
	}

	/**
	 * Takes one request of {@code action} from the account's allowance.
	 * @throws RateLimited when none is left, saying when the next one will be
	 */
	public void acquire(String accountId, Action action) {
		RateLimitProperties.Limit limit = properties.limit(action);
		long interval = limit.interval().toNanos() / 1000;
		long tolerance = limit.per().toNanos() / 1000 - interval;
		Instant now = clock.instant();
		String bucket = action.name() + "/" + accountId;
		// Allowed while the bucket's next_at is at most a window less one interval ahead of now; each allowed
		// request moves next_at one interval on. A refused request changes nothing (the update's where fails,
		// and then no row comes back).
		boolean allowed = jdbc.sql("""
				insert into api_rate_limit as limited (bucket, next_at)
				values (:bucket, :now + make_interval(secs => :interval / 1e6))
				on conflict (bucket) do update
				set next_at = greatest(limited.next_at, :now) + make_interval(secs => :interval / 1e6)
				where greatest(limited.next_at, :now) <= :now + make_interval(secs => :tolerance / 1e6)
				returning next_at""")
			.param("bucket", bucket)
			.param("now", timestamptz(now))
			.param("interval", interval)
			.param("tolerance", tolerance)
			.query(Object.class)
			.optional()
			.isPresent();
		if (!allowed) {
			Instant nextAt = jdbc.sql("select next_at from api_rate_limit where bucket = ?")
				.param(bucket)
				.query((rs, row) -> rs.getObject("next_at", java.time.OffsetDateTime.class).toInstant())
				.single();
			Duration wait = Duration.between(now, nextAt.minus(Duration.ofNanos(tolerance * 1000)));
			LOG.info("Account {} is rate limited for {} for {}", accountId, action, wait);
			throw new RateLimited(action, wait.isNegative() ? Duration.ZERO : wait);
		}
	}

}
