package io.mailroom.worker.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.mailroom.core.services.ServiceStatusChanges;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.worker.WorkerIdentity;
import io.mailroom.worker.delivery.DeliveryRouter;
import io.mailroom.worker.queue.DeliveryQueue;
import io.mailroom.worker.results.ResultPublisher;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Runs the lanes of the services this worker dispatches: starts a lane when a service has due mail and
 * its lease can be had, renews leases, stops lanes whose lease was lost, and runs housekeeping.
 */
@Component
public class Dispatcher implements SmartLifecycle, DisposableBean {

	private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

	private final Map<UUID, Lane> lanes = new ConcurrentHashMap<>();

	/** Per-service rate windows outlive lanes: a lane that closes and reopens within a minute must remember. */
	private final Map<UUID, RateWindow> rateWindows = new ConcurrentHashMap<>();

	private final SchedulingProperties settings;

	private final DeliveryQueue queue;

	private final SmtpServices services;

	private final Leases leases;

	private final Outcomes outcomes;

	private final Housekeeping housekeeping;

	private final LaneContext context;

	private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
			Thread.ofVirtual().name("mailroom-lane-", 0).factory());

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
			Thread.ofPlatform().name("mailroom-dispatch-timer").daemon(true).factory());

	private final Clock clock;

	private volatile boolean running;

	private final List<java.util.concurrent.ScheduledFuture<?>> chores = new java.util.concurrent.CopyOnWriteArrayList<>();

	public Dispatcher(SchedulingProperties settings, DeliveryQueue queue, SmtpServices services,
			ServiceStatusChanges statusChanges, DeliveryRouter delivery, ResultPublisher results, JdbcClient jdbc,
			WorkerIdentity identity, MeterRegistry meters, Clock clock) {
		this.settings = settings;
		this.queue = queue;
		this.services = services;
		this.clock = clock;
		this.leases = new Leases(jdbc, identity.id(), settings.leaseTtl());
		this.outcomes = new Outcomes(queue, identity.id(), results, services, clock);
		this.housekeeping = new Housekeeping(queue, results, settings, clock, this::wake);
		this.context = new LaneContext(identity.id(), settings, queue, services, statusChanges, delivery, outcomes,
				new RetryPolicy(settings.retry()), new Breakers(settings.breaker(), meters), executor, timer, clock,
				this::closed);
		Gauge.builder("mailroom.lanes.active", lanes, Map::size)
			.description("Services this worker is dispatching right now")
			.register(meters);
	}

	/** Services that may have new due mail (just stored, or released): dispatch them if no one does. */
	public void wake(Collection<UUID> serviceIds) {
		if (!running) {
			return;
		}
		for (UUID serviceId : serviceIds) {
			Lane lane = lanes.get(serviceId);
			if (lane != null && !lane.isClosed()) {
				lane.wake();
			}
			else {
				executor.execute(() -> start(serviceId));
			}
		}
	}

	/** A service was re-authorized, changed or deleted: release its held mail and start afresh. */
	public void serviceChanged(UUID serviceId) {
		Lane lane = lanes.get(serviceId);
		if (lane != null) {
			lane.stop();
		}
		context.breakers().forget(serviceId);
		executor.execute(() -> {
			try {
				List<UUID> released = queue.releaseHeldOfAuthorizedServices(clock.instant());
				wake(released.contains(serviceId) ? released : List.of(serviceId));
			}
			catch (RuntimeException ex) {
				LOG.warn("Could not release held mail of service {}: {}", serviceId, ex.toString());
			}
		});
	}

	private void start(UUID serviceId) {
		if (!running) {
			return;
		}
		try {
			if (!leases.acquire(serviceId)) {
				return; // another worker dispatches it
			}
			queue.requeueOrphans(serviceId, context.worker());
			SmtpService service = services.find(serviceId).orElse(null);
			RateWindow rate = rateWindow(service);
			Lane lane = new Lane(serviceId, context, rate);
			Lane existing = lanes.putIfAbsent(serviceId, lane);
			if (existing != null && !existing.isClosed()) {
				existing.wake();
				return;
			}
			if (existing != null) {
				lanes.put(serviceId, lane);
			}
			lane.pump();
		}
		catch (RuntimeException ex) {
			LOG.warn("Could not start dispatching service {}: {}", serviceId, ex.toString());
		}
	}

	private RateWindow rateWindow(SmtpService service) {
		if (service == null) {
			return null;
		}
		Integer limit = service.rateLimitPerMinute();
		if (limit == null && settings.microsoftHosts().contains(service.host().toLowerCase(java.util.Locale.ROOT))) {
			limit = settings.microsoftRatePerMinute();
		}
		if (limit == null) {
			rateWindows.remove(service.id());
			return null;
		}
		int perMinute = limit;
		return rateWindows.compute(service.id(),
				(id, window) -> window != null && window.limit() == perMinute ? window : new RateWindow(perMinute));
	}

	private void closed(Lane lane) {
		lanes.remove(lane.serviceId(), lane);
		executor.execute(() -> {
			try {
				if (lanes.containsKey(lane.serviceId())) {
					return; // the service's next lane started meanwhile and holds the lease now
				}
				leases.release(lane.serviceId());
				// mail stored while the lane was closing would otherwise wait for the next scan
				if (queue.hasDueMail(lane.serviceId(), clock.instant())) {
					start(lane.serviceId());
				}
			}
			catch (RuntimeException ex) {
				LOG.warn("Could not release the lease of service {}: {}", lane.serviceId(), ex.toString());
			}
		});
	}

	private void scan() {
		try {
			List<UUID> due = queue.servicesWithDueMail(clock.instant());
			wake(due.stream().filter(id -> !lanes.containsKey(id)).toList());
		}
		catch (RuntimeException ex) {
			LOG.warn("Could not look for due mail: {}", ex.toString());
		}
	}

	private void renewLeases() {
		try {
			Set<UUID> lost = leases.renew(lanes.keySet());
			for (UUID serviceId : lost) {
				Lane lane = lanes.get(serviceId);
				if (lane != null) {
					LOG.warn("Lost the lease of service {} to {}; stopping its lane", serviceId,
							leases.holder(serviceId).orElse("no one"));
					lane.stop();
				}
			}
		}
		catch (RuntimeException ex) {
			LOG.warn("Could not renew leases: {}", ex.toString());
		}
	}

	@Override
	public void start() {
		running = true;
		outcomes.start();
		Duration renewEvery = settings.leaseTtl().dividedBy(3);
		every(settings.scanInterval(), this::scan);
		every(renewEvery, this::renewLeases);
		every(settings.housekeepingInterval(), housekeeping::run);
	}

	/**
	 * Runs a chore periodically on a virtual thread, skipping a turn while the previous run is still going
	 * (a slow database must not pile up copies of the same chore).
	 */
	private void every(Duration interval, Runnable chore) {
		java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean();
		chores.add(timer.scheduleWithFixedDelay(() -> {
			if (busy.compareAndSet(false, true)) {
				executor.execute(() -> {
					try {
						chore.run();
					}
					finally {
						busy.set(false);
					}
				});
			}
		}, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS));
	}

	/**
	 * Stops gracefully: no new sends, unsent claimed mail back to the queue, in-flight sends finish,
	 * outcomes are written, leases released so another worker takes over at once.
	 */
	@Override
	public void stop() {
		running = false;
		chores.forEach(chore -> chore.cancel(false));
		chores.clear();
		lanes.values().forEach(Lane::stop);
		Instant deadline = clock.instant().plusSeconds(30);
		while (!lanes.isEmpty() && clock.instant().isBefore(deadline)) {
			try {
				TimeUnit.MILLISECONDS.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		try {
			outcomes.stop(Duration.ofSeconds(30));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void destroy() {
		timer.shutdownNow();
		executor.shutdown();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Stop before the Kafka listeners' and web server's phase ends, after intake stopped. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 1000;
	}

}
