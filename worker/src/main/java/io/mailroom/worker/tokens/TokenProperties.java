package io.mailroom.worker.tokens;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the worker keeps access tokens ({@code mailroom.tokens.*}).
 *
 * @param refreshMargin a token with less than this left is refreshed before use (default 5m), so that it
 *     never expires during a send or while a connection authenticated with it is reused
 * @param refreshTimeout the longest one identity platform call may take, on top of MSAL's own connect and
 *     read timeouts (default 30s); the sends waiting for it then get a retryable failure
 * @param keepAliveAfter an authorized service whose token cache was not refreshed for this long gets one
 *     silent refresh (default 30d), so its refresh token never reaches Microsoft's 90-day inactivity limit
 * @param keepAliveInterval how often the worker looks for such services (default 1h)
 */
@Validated
@ConfigurationProperties("mailroom.tokens")
public record TokenProperties(@NotNull @DefaultValue("5m") Duration refreshMargin,
		@NotNull @DefaultValue("30s") Duration refreshTimeout, @NotNull @DefaultValue("30d") Duration keepAliveAfter,
		@NotNull @DefaultValue("1h") Duration keepAliveInterval) {

	public TokenProperties {
		if (refreshMargin != null && refreshMargin.isNegative()) {
			throw new IllegalArgumentException("mailroom.tokens.refresh-margin must not be negative");
		}
		if (keepAliveAfter != null && keepAliveAfter.compareTo(Duration.ofDays(89)) > 0) {
			throw new IllegalArgumentException(
					"mailroom.tokens.keep-alive-after must stay well below Microsoft's 90-day inactivity limit");
		}
		if (refreshTimeout != null && !refreshTimeout.isPositive()
				|| keepAliveInterval != null && !keepAliveInterval.isPositive()
				|| keepAliveAfter != null && !keepAliveAfter.isPositive()) {
			throw new IllegalArgumentException("mailroom.tokens durations must be positive");
		}
	}

	/** The defaults, for code and tests that run without Spring's binding. */
	public static TokenProperties defaults() {
		return new TokenProperties(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofDays(30),
				Duration.ofHours(1));
	}

}
