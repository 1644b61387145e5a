package io.mailroom.api.limits;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How often an account may do each limited action, across all api instances; each allowance refills evenly
 * over its window.
 *
 * @param authorizationStarts authorization starts per {@code authorizationWindow} (default 10)
 * @param authorizationWindow default 10 minutes
 * @param testEmails test emails per {@code testEmailWindow} (default 20)
 * @param testEmailWindow default 10 minutes
 * @param serviceChanges services created, changed or deleted per {@code serviceChangeWindow} (default 60)
 * @param serviceChangeWindow default 10 minutes
 * @param apiKeyChanges API keys created or revoked per {@code apiKeyChangeWindow} (default 20)
 * @param apiKeyChangeWindow default 10 minutes
 * @param deliveryLogReads delivery log searches and reads per {@code deliveryLogWindow} (default 600)
 * @param deliveryLogWindow default 10 minutes
 */
@Validated
@ConfigurationProperties("mailroom.api.rate-limits")
record RateLimitProperties(@Min(1) @DefaultValue("10") int authorizationStarts,
		@NotNull @DefaultValue("10m") Duration authorizationWindow, @Min(1) @DefaultValue("20") int testEmails,
		@NotNull @DefaultValue("10m") Duration testEmailWindow, @Min(1) @DefaultValue("60") int serviceChanges,
		@NotNull @DefaultValue("10m") Duration serviceChangeWindow, @Min(1) @DefaultValue("20") int apiKeyChanges,
		@NotNull @DefaultValue("10m") Duration apiKeyChangeWindow, @Min(1) @DefaultValue("600") int deliveryLogReads,
		@NotNull @DefaultValue("10m") Duration deliveryLogWindow) {

	/** At most {@code requests} per {@code per}. */
	record Limit(int requests, Duration per) {

		Limit {
			if (per.toMillis() < requests) {
				throw new IllegalArgumentException("mailroom.api.rate-limits: a window of " + per + " is too short for "
						+ requests + " requests (at least one millisecond each)");
			}
		}

		/** How long one request's share of the window is. */
		Duration interval() {
			return per.dividedBy(requests);
		}

	}

	Limit limit(RateLimits.Action action) {
		return switch (action) {
			case AUTHORIZATION_START -> new Limit(authorizationStarts, authorizationWindow);
			case TEST_EMAIL -> new Limit(testEmails, testEmailWindow);
			case SERVICE_CHANGE -> new Limit(serviceChanges, serviceChangeWindow);
			case API_KEY_CHANGE -> new Limit(apiKeyChanges, apiKeyChangeWindow);
			case DELIVERY_LOG_READ -> new Limit(deliveryLogReads, deliveryLogWindow);
		};
	}

}
