package io.mailroom.api.limits;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/** Token buckets per account and action. */
@Component
public class RateLimits {

	private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);

	/** The limited actions. */
	public enum Action {

		AUTHORIZATION_START("authorizations"),

		TEST_EMAIL("test emails");

		private final String description;

		Action(String description) {
			this.description = description;
		}

		String description() {
			return description;
		}

	}

	private final Map<Action, RateLimitProperties.Limit> limits;

	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

	private final Clock clock;

	RateLimits(RateLimitProperties properties, Clock clock) {
		this.limits = Map.of(Action.AUTHORIZATION_START, properties.authorizationLimit(), Action.TEST_EMAIL,
				properties.testEmailLimit());
		this.clock = clock;
	}

	/**
	 * Takes one request of {@code action} from the account's allowance.
	 * @throws RateLimited when none is left, saying when the next one will be
	 */
	public void acquire(String accountId, Action action) {
		RateLimitProperties.Limit limit = limits.get(action);
		Bucket bucket = buckets.computeIfAbsent(action + "/" + accountId, key -> new Bucket(limit.requests()));
		Duration wait = bucket.take(limit, clock.millis());
		if (!wait.isZero()) {
			LOG.info("Account {} is rate limited for {} for {}", accountId, action, wait);
			throw new RateLimited(action, wait);
		}
	}

	/** A bucket of {@code capacity} tokens that refills continuously at capacity per window. */
	private static final class Bucket {

		private double tokens;

		private long updatedAt = -1;

		Bucket(int capacity) {
			this.tokens = capacity;
		}

		/** Takes a token and returns zero, or returns how long until one is there. */
		synchronized Duration take(RateLimitProperties.Limit limit, long now) {
			double perMilli = (double) limit.requests() / limit.per().toMillis();
			if (updatedAt >= 0) {
				tokens = Math.min(limit.requests(), tokens + (now - updatedAt) * perMilli);
			}
			updatedAt = now;
			if (tokens >= 1) {
				tokens -= 1;
				return Duration.ZERO;
			}
			return Duration.ofMillis((long) Math.ceil((1 - tokens) / perMilli));
		}

	}

}
