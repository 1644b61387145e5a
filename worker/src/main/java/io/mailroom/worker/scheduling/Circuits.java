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
import io.mailroom.worker.tokens.IdentityCircuit;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Every circuit breaker of this worker, and the one place that decides what a failure counts against:
 * SMTP failures against the circuit of their mailbox and of their SMTP host, identity platform failures
 * against the circuit of their tenant's authority, and nothing else. So one tenant's identity trouble
 * pauses only that tenant's token refreshes, never the SMTP host every Microsoft mailbox shares. Only
 * failures that say the far side is unwell (network, provider outage) count; a refused recipient proves
 * the server works. Circuits are per worker: each worker learns from its own traffic.
 */
@Component
class Circuits implements IdentityCircuit {

	private static final String MAILBOX = "mailbox";

	private static final String HOST = "host";

	private static final String IDENTITY = "identity";

	private final CircuitBreakerRegistry registry;

	private final Duration openDuration;

	Circuits(SchedulingProperties settings, MeterRegistry meters) {
		SchedulingProperties.Breaker breaker = settings.breaker();
		this.openDuration = breaker.openDuration();
		this.registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
			.failureRateThreshold(breaker.failureRateThreshold())
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(breaker.slidingWindowSize())
			.minimumNumberOfCalls(breaker.minimumCalls())
			.waitDurationInOpenState(breaker.openDuration())
			.permittedNumberOfCallsInHalfOpenState(1)
			.recordExceptions(FarSideFailure.class)
			.build());
		// per-state counts instead of a gauge per breaker: a label per mailbox would explode cardinality
		for (String kind : new String[] { MAILBOX, HOST, IDENTITY }) {
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

	/** Permission to send through {@code host} as {@code mailbox} now, or null while a circuit is open. */
	SmtpPermit trySmtp(String mailbox, String host) {
		CircuitBreaker mailboxBreaker = registry.circuitBreaker(MAILBOX + ":" + mailbox);
		CircuitBreaker hostBreaker = registry.circuitBreaker(HOST + ":" + host);
		if (!mailboxBreaker.tryAcquirePermission()) {
			return null;
		}
		if (!hostBreaker.tryAcquirePermission()) {
			mailboxBreaker.releasePermission();
			return null;
		}
		return new SmtpPermit(mailboxBreaker, hostBreaker, System.nanoTime());
	}

	/** When to ask again after {@link #trySmtp} refused. */
	Instant smtpRetryAt(String mailbox, String host, Instant now) {
		boolean halfOpen = registry.circuitBreaker(MAILBOX + ":" + mailbox).getState() == CircuitBreaker.State.HALF_OPEN
				|| registry.circuitBreaker(HOST + ":" + host).getState() == CircuitBreaker.State.HALF_OPEN;
		// half-open: a trial call is under way and will close or reopen the circuit within a send's time
		return now.plus(halfOpen ? Duration.ofSeconds(1) : openDuration);
	}

	@Override
	public Call tryCall(String authority) {
		CircuitBreaker breaker = registry.circuitBreaker(IDENTITY + ":" + authority);
		if (!breaker.tryAcquirePermission()) {
			return null;
		}
		long started = System.nanoTime();
		return new Call() {

			@Override
			public void succeeded() {
				breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
			}

			@Override
			public void failed(Failure failure) {
				record(breaker, failure, System.nanoTime() - started);
			}

			@Override
			public void notMade() {
				breaker.releasePermission();
			}

		};
	}

	/** Forgets a mailbox's circuit (its services changed: give the new settings a fresh start). */
	void forget(String mailbox) {
		registry.remove(MAILBOX + ":" + mailbox);
	}

	private static void record(CircuitBreaker breaker, Failure failure, long nanos) {
		if (failure != null && farSide(failure.error().category())) {
			breaker.onError(nanos, TimeUnit.NANOSECONDS, new FarSideFailure());
		}
		else {
			breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
		}
	}

	private static boolean farSide(ErrorCategory category) {
		return category == ErrorCategory.NETWORK || category == ErrorCategory.PROVIDER_OUTAGE;
	}

	/** An acquired SMTP permission; report exactly one outcome. */
	record SmtpPermit(CircuitBreaker mailbox, CircuitBreaker host, long startNanos) {

		/** The SMTP attempt ended; {@code failure} is null when it succeeded. */
		void report(Failure failure) {
			long elapsed = System.nanoTime() - startNanos;
			record(mailbox, failure, elapsed);
			record(host, failure, elapsed);
		}

		/** No SMTP attempt was made (no token, a fenced send, a message that could not be built). */
		void release() {
			mailbox.releasePermission();
			host.releasePermission();
		}

	}

	/** Marker for failures a circuit counts; carries no stack trace because it is never thrown. */
	static final class FarSideFailure extends RuntimeException {

		FarSideFailure() {
			super("far side failure", null, false, false);
		}

	}

}
