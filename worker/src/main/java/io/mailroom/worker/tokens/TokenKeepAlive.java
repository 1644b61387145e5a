package io.mailroom.worker.tokens;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.ServiceStatusChanges;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Refreshes, once, the tokens of authorized services that have not sent for
 * {@link TokenProperties#keepAliveAfter()}: Microsoft drops a refresh token after 90 days without use, and
 * a customer who sends one mail a quarter should not have to re-authorize every time.
 *
 * <p>Every worker runs it; two runs at once are harmless. Each service is checked again just before its
 * refresh (a run elsewhere may have just done it), and if two workers still refresh the same service, the
 * token cache's compare-and-set keeps the first one saved and the other worker adopts it. The first run
 * waits a minute plus a random share of the interval, so workers started together drift apart.
 */
@Component
class TokenKeepAlive implements SmartLifecycle {

	private static final Logger LOG = LoggerFactory.getLogger(TokenKeepAlive.class);

	/** Services refreshed per run at most; the rest wait for the next run. */
	private static final int BATCH = 500;

	private final AccessTokens tokens;

	private final IdleTokenCaches idle;

	private final SmtpServices services;

	private final TokenProperties properties;

	private final ServiceStatusChanges statusChanges;

	private final Clock clock;

	private ScheduledExecutorService timer;

	TokenKeepAlive(AccessTokens tokens, IdleTokenCaches idle, SmtpServices services, TokenProperties properties,
			ServiceStatusChanges statusChanges, ObjectProvider<Clock> clock) {
		this.tokens = tokens;
		this.idle = idle;
		this.services = services;
		this.properties = properties;
		this.statusChanges = statusChanges;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	/**
	 * One run: refreshes the services due.
	 * @return how many services were refreshed
	 */
	int refreshIdleServices() {
		Instant cutoff = clock.instant().minus(properties.keepAliveAfter());
		List<UUID> due = idle.refreshedBefore(cutoff, BATCH);
		int refreshed = 0;
		for (UUID id : due) {
			Optional<SmtpService> service = services.find(id);
			if (service.isEmpty() || service.get().status() != ServiceStatus.AUTHORIZED
					|| !idle.stillRefreshedBefore(id, cutoff)) {
				continue;
			}
			try {
				tokens.keepAlive(service.get());
				refreshed++;
			}
			catch (TokenUnavailable ex) {
				// a broken grant: the admin hears of it now rather than at the next send
				boolean marked = statusChanges.attemptFailed(service.get(), ex.failure(), ex.authorizationVersion(),
						clock.instant());
				LOG.warn("Keep-alive refresh of service {} failed: {}{}", id, ex.failure().error().code(),
						marked ? "; service marked " + ex.failure().impact() : "");
			}
		}
		if (!due.isEmpty()) {
			LOG.info("Keep-alive refreshed {} of {} services idle since {}", refreshed, due.size(), cutoff);
		}
		return refreshed;
	}

	private void runSafely() {
		try {
			refreshIdleServices();
		}
		catch (RuntimeException ex) {
			LOG.warn("Keep-alive run failed; trying again in {}", properties.keepAliveInterval(), ex);
		}
	}

	@Override
	public synchronized void start() {
		if (timer != null) {
			return;
		}
		timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("token-keep-alive").factory());
		Duration interval = properties.keepAliveInterval();
		long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, interval.toMillis() / 4));
		long firstRun = Math.min(Duration.ofMinutes(1).toMillis(), interval.toMillis()) + jitter;
		timer.scheduleWithFixedDelay(this::runSafely, firstRun, interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		if (timer != null) {
			timer.shutdownNow();
			timer = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return timer != null;
	}

}
