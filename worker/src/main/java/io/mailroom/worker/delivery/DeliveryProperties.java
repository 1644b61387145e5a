package io.mailroom.worker.delivery;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the worker talks SMTP ({@code mailroom.delivery.*}).
 *
 * @param connectTimeout TCP connect timeout (default 10s)
 * @param readTimeout longest wait for a server reply (default 60s: Exchange may take a while after DATA)
 * @param writeTimeout longest a write may block, e.g. on a stalled server while sending a large mail
 *     (default 60s)
 * @param probeAfter a pooled connection idle longer than this is checked with NOOP before use (default 10s)
 * @param idleTimeout a pooled connection idle longer than this is closed (default 60s), well before
 *     servers drop idle sessions themselves
 * @param sslBundle a Spring SSL bundle whose trust material verifies SMTP servers (a private CA such as the
 *     sandbox's); empty (default) for the JVM's trust store
 * @param ehloName the name to announce in EHLO; empty (default) for this host's name
 */
@Validated
@ConfigurationProperties("mailroom.delivery")
public record DeliveryProperties(@NotNull @DefaultValue("10s") Duration connectTimeout,
		@NotNull @DefaultValue("60s") Duration readTimeout, @NotNull @DefaultValue("60s") Duration writeTimeout,
		@NotNull @DefaultValue("10s") Duration probeAfter, @NotNull @DefaultValue("60s") Duration idleTimeout,
		String sslBundle, String ehloName) {

	public DeliveryProperties {
		for (Duration duration : new Duration[] { connectTimeout, readTimeout, writeTimeout, idleTimeout }) {
			if (duration != null && !duration.isPositive()) {
				throw new IllegalArgumentException("mailroom.delivery timeouts must be positive");
			}
		}
		if (probeAfter != null && probeAfter.isNegative()) {
			throw new IllegalArgumentException("mailroom.delivery.probe-after must not be negative");
		}
	}

	/** The defaults, for code and tests that run without Spring's binding. */
	public static DeliveryProperties defaults() {
		return new DeliveryProperties(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(60),
				Duration.ofSeconds(10), Duration.ofSeconds(60), null, null);
	}

	/** These settings with other pool timings, for tests and tuning. */
	public DeliveryProperties withPoolTimings(Duration probeAfter, Duration idleTimeout) {
		return new DeliveryProperties(connectTimeout, readTimeout, writeTimeout, probeAfter, idleTimeout, sslBundle,
				ehloName);
	}

}
