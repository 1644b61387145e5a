package io.mailroom.api.limits;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How often an account may do each limited action, per api instance; each allowance refills evenly over
 * its window.
 *
 * @param authorizationStarts authorization starts per {@code authorizationWindow} (default 10)
 * @param authorizationWindow default 10 minutes
 * @param testEmails test emails per {@code testEmailWindow} (default 20)
 * @param testEmailWindow default 10 minutes
 */
@Validated
@ConfigurationProperties("mailroom.api.rate-limits")
record RateLimitProperties(@Min(1) @DefaultValue("10") int authorizationStarts,
		@NotNull @DefaultValue("10m") Duration authorizationWindow, @Min(1) @DefaultValue("20") int testEmails,
		@NotNull @DefaultValue("10m") Duration testEmailWindow) {

	/** At most {@code requests} per {@code per}. */
	record Limit(int requests, Duration per) {
	}

	Limit authorizationLimit() {
		return new Limit(authorizationStarts, authorizationWindow);
	}

	Limit testEmailLimit() {
		return new Limit(testEmails, testEmailWindow);
	}

}
