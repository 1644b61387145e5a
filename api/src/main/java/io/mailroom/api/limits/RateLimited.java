package io.mailroom.api.limits;

import java.time.Duration;

import io.mailroom.api.web.Problems;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** An account did an action too often: a 429 problem with {@code Retry-After}. */
public class RateLimited extends ErrorResponseException {

	RateLimited(RateLimits.Action action, Duration retryAfter) {
		super(HttpStatus.TOO_MANY_REQUESTS, Problems.of(HttpStatus.TOO_MANY_REQUESTS, Problems.RATE_LIMITED,
				"Too many requests", "Your account made too many " + action.description() + " recently; try again in "
						+ seconds(retryAfter) + " seconds."),
				null);
		getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(seconds(retryAfter)));
	}

	private static long seconds(Duration wait) {
		return Math.max(1, (wait.toMillis() + 999) / 1000);
	}

}
