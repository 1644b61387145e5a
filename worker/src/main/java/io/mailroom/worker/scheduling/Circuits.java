package io.mailroom.worker.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.mailroom.contracts.ErrorCategory;
import io.mailroom.core.failures.Failure;
import io.mailroom.worker.tokens.IdentityCircuit;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Autowired;
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

	private final Map<String, HostCircuit> hosts = new ConcurrentHashMap<>();

	private final SchedulingProperties.Breaker settings;

	private final Duration openDuration;

	private final LongSupplier ticker;

	@Autowired
	Circuits(SchedulingProperties settings, MeterRegistry meters) {
		this(settings, meters, System::nanoTime);
	}

	/** @param ticker monotonic nanoseconds, for the host circuits' windows and open time */
	Circuits(SchedulingProperties settings, MeterRegistry meters, LongSupplier ticker) {
		SchedulingProperties.Breaker breaker = settings.breaker();
		this.settings = breaker;
		this.openDuration = breaker.openDuration();
		this.ticker = ticker;
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
				Gauge.builder("mailroom.circuit.breakers", this, c -> c.count(kind, state.name()))
					.tag("kind", kind)
					.tag("state", state.name().toLowerCase(Locale.ROOT))
					.description("Circuit breakers by kind and state")
					.register(meters);
			}
		}
	}

	/**
	 * Permission to send through {@code host} as {@code mailbox} now, or why not: the mailbox's circuit or the
	 * host's is open, or half-open with this mailbox's trial call under way.
	 */
	SmtpAnswer trySmtp(String mailbox, String host, Instant now) {
		CircuitBreaker mailboxBreaker = registry.circuitBreaker(MAILBOX + ":" + mailbox);
		if (!mailboxBreaker.tryAcquirePermission()) {
			// half-open, the one trial call a mailbox's circuit lets through is this mailbox's own
			return new SmtpRefused(mailboxBreaker.getState() == CircuitBreaker.State.OPEN ? now.plus(openDuration) : null,
					"its own circuit");
		}
		HostCircuit.Answer hostAnswer = host(host).tryAcquire(mailbox, ticker.getAsLong());
		if (hostAnswer instanceof HostCircuit.Refused refused) {
			mailboxBreaker.releasePermission();
			return new SmtpRefused(refused.openFor() == null ? null : now.plus(refused.openFor()),
					"the circuit of SMTP host " + host);
		}
		return new SmtpPermit(mailboxBreaker, (HostCircuit.Permit) hostAnswer, ticker, System.nanoTime());
	}

	/** The circuit of an SMTP host on this worker. */
	HostCircuit host(String host) {
		return hosts.computeIfAbsent(host,
				h -> new HostCircuit(h, settings.host(), openDuration, ticker.getAsLong()));
	}

	private long count(String kind, String state) {
		if (HOST.equals(kind)) {
			long now = ticker.getAsLong();
			return hosts.values().stream().filter(h -> h.state(now).name().equals(state)).count();
		}
		return registry.getAllCircuitBreakers()
			.stream()
			.filter(b -> b.getName().startsWith(kind + ":") && b.getState().name().equals(state))
			.count();
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

	/** What {@link #trySmtp} answers. */
	sealed interface SmtpAnswer permits SmtpPermit, SmtpRefused {
	}

	/**
	 * The circuits refused an SMTP attempt.
	 *
	 * @param retryAt when to ask again; null while a trial call of this mailbox is under way: its end is the time
	 *     to ask again (it pumps the mailbox's runtime)
	 * @param circuit which circuit refused, for the log
	 */
	record SmtpRefused(Instant retryAt, String circuit) implements SmtpAnswer {
	}

	/**
	 * An acquired SMTP permission; report exactly one outcome.
	 *
	 * @param startNanos {@link System#nanoTime()} at the start, for the mailbox breaker's call durations
	 */
	record SmtpPermit(CircuitBreaker mailbox, HostCircuit.Permit host, LongSupplier ticker,
			long startNanos) implements SmtpAnswer {

		/** The SMTP attempt ended; {@code failure} is null when it succeeded. */
		void report(Failure failure) {
			record(mailbox, failure, System.nanoTime() - startNanos);
			host.ended(failure != null && farSide(failure.error().category()), ticker.getAsLong());
		}

		/** No SMTP attempt was made (no token, a fenced send, a message that could not be built). */
		void release() {
			mailbox.releasePermission();
			host.release();
		}

	}

	/** Marker for failures a circuit counts; carries no stack trace because it is never thrown. */
	static final class FarSideFailure extends RuntimeException {

		FarSideFailure() {
			super("far side failure", null, false, false);
		}

	}

}
