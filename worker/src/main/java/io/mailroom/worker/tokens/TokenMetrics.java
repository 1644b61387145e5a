package io.mailroom.worker.tokens;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.mailroom.core.failures.Failure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The token meters. Tags are small fixed sets (sources, outcomes, error codes): never a service id or an
 * address, which would make one time series per customer.
 */
final class TokenMetrics {

	private final MeterRegistry registry;

	/** Looked up once per source and outcome: every mail counts an acquisition, and a lookup builds an id. */
	private final Map<String, Counter> acquisitions = new ConcurrentHashMap<>();

	TokenMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void acquired(AccessToken.Source source) {
		acquisitions(source.name(), "success").increment();
	}

	void notAcquired(AccessToken.Source triedSource) {
		acquisitions(triedSource.name(), "failure").increment();
	}

	/** One call that reached the identity platform, however it ended. */
	void identityCall(Duration latency, boolean succeeded) {
		Timer.builder("mailroom.token.refresh")
			.description("Latency of identity platform token calls")
			.tag("outcome", succeeded ? "success" : "failure")
			.register(registry)
			.record(latency);
	}

	void refreshFailed(Failure failure) {
		Counter.builder("mailroom.token.refresh.failures")
			.description("Failed token refreshes, by Microsoft error code or failure category")
			.tag("code", code(failure))
			.register(registry)
			.increment();
	}

	private Counter acquisitions(String source, String outcome) {
		return acquisitions.computeIfAbsent(source + ' ' + outcome, key -> Counter.builder("mailroom.token.acquisitions")
			.description("Access tokens handed to senders, by where they came from")
			.tag("source", source.toLowerCase(Locale.ROOT))
			.tag("outcome", outcome)
			.register(registry));
	}

	/** {@code AADSTS70008} where Microsoft gave a code, else the category: a bounded set either way. */
	static String code(Failure failure) {
		String code = failure.error().code();
		if (code != null && code.matches("AADSTS\\d{1,9}")) {
			return code;
		}
		return failure.error().category().name();
	}

}
