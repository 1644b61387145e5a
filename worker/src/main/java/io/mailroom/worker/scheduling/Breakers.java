package io.mailroom.worker.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.mailroom.contracts.ErrorCategory;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.services.SmtpService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One circuit breaker per service and one per SMTP host. Only failures that say the far side is unwell
 * (network, provider outage) count against a circuit; a refused recipient proves the server works.
 * Breakers are per worker: each worker learns a host's health from its own traffic.
 */
final class Breakers {

	private final CircuitBreakerRegistry registry;

	private final Duration openDuration;

	Breakers(SchedulingProperties.Breaker settings, MeterRegistry meters) {
		this.openDuration = settings.openDuration();
		this.registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
			.failureRateThreshold(settings.failureRateThreshold())
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(settings.slidingWindowSize())
			.minimumNumberOfCalls(settings.minimumCalls())
			.waitDurationInOpenState(settings.openDuration())
			.permittedNumberOfCallsInHalfOpenState(1)
			.recordExceptions(FarSideFailure.class)
			.build());
		// per-state counts instead of a gauge per breaker: a label per service would explode cardinality
		for (String kind : new String[] { "service", "host" }) {
			for (CircuitBreaker.State state : new CircuitBreaker.State[] { CircuitBreaker.State.CLOSED,
					CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN }) {
				Gauge
					.builder("mailroom.circuit.breakers", registry,
							r -> r.getAllCircuitBreakers()
								.stream()
								.filter(b -> b.getName().startsWith(kind + ":") && b.getState() == state)
								.count())
					.tag("kind", kind)
					.tag("state", state.name().toLowerCase(Locale.ROOT))
					.description("Circuit breakers by kind and state")
					.register(meters);
			}
		}
	}

	/** Permission to send through {@code service} now, or null when a circuit is open. */
	Permit tryAcquire(SmtpService service) {
		CircuitBreaker serviceBreaker = registry.circuitBreaker("service:" + service.id());
		CircuitBreaker hostBreaker = registry.circuitBreaker("host:" + service.host() + ":" + service.port());
		if (!serviceBreaker.tryAcquirePermission()) {
			return null;
		}
		if (!hostBreaker.tryAcquirePermission()) {
			serviceBreaker.releasePermission();
			return null;
		}
		return new Permit(serviceBreaker, hostBreaker, System.nanoTime());
	}

	/** When to ask again after {@link #tryAcquire} refused. */
	Instant retryAt(SmtpService service, Instant now) {
		boolean halfOpen = registry.circuitBreaker("service:" + service.id())
			.getState() == CircuitBreaker.State.HALF_OPEN
				|| registry.circuitBreaker("host:" + service.host() + ":" + service.port())
					.getState() == CircuitBreaker.State.HALF_OPEN;
		// half-open: a trial call is under way and will close or reopen the circuit within a send's time
		return now.plus(halfOpen ? Duration.ofSeconds(1) : openDuration);
	}

	/** Forgets a service's breaker (deleted or changed service). */
	void forget(java.util.UUID serviceId) {
		registry.remove("service:" + serviceId);
	}

	/** An acquired permission; report exactly one outcome. */
	record Permit(CircuitBreaker service, CircuitBreaker host, long startNanos) {

		void report(Failure failure) {
			long elapsed = System.nanoTime() - startNanos;
			if (failure != null && countsAgainstCircuit(failure.error().category())) {
				FarSideFailure error = new FarSideFailure();
				service.onError(elapsed, TimeUnit.NANOSECONDS, error);
				host.onError(elapsed, TimeUnit.NANOSECONDS, error);
			}
			else {
				service.onSuccess(elapsed, TimeUnit.NANOSECONDS);
				host.onSuccess(elapsed, TimeUnit.NANOSECONDS);
			}
		}

		/** The call did not happen (no token, for instance). */
		void release() {
			service.releasePermission();
			host.releasePermission();
		}

		private static boolean countsAgainstCircuit(ErrorCategory category) {
			return category == ErrorCategory.NETWORK || category == ErrorCategory.PROVIDER_OUTAGE;
		}

	}

	/** Marker for failures a circuit counts; carries no stack trace because it is never thrown. */
	static final class FarSideFailure extends RuntimeException {

		FarSideFailure() {
			super("far side failure", null, false, false);
		}

	}

}
