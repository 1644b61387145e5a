package io.mailroom.worker.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.mailroom.core.database.DatabaseErrors;
import io.mailroom.core.services.ServiceStatusChanges;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.core.tracing.TraceContexts;
import io.mailroom.worker.WorkerIdentity;
import io.mailroom.worker.delivery.DeliveryRouter;
import io.mailroom.worker.queue.DeliveryQueue;
import io.mailroom.worker.queue.MailStored;
import io.mailroom.worker.queue.MailboxLeases;
import io.mailroom.worker.results.ResultPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs the {@link MailboxRuntime runtimes} of the mailboxes this worker dispatches: starts one when a
 * mailbox has due mail and its lease can be had, renews leases and claims, stops runtimes whose lease was
 * lost, and runs housekeeping.
 */
@Component
public class Dispatcher implements SmartLifecycle, DisposableBean {

	private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

	private final Map<String, MailboxRuntime> runtimes = new ConcurrentHashMap<>();

	/** Mailboxes whose runtime is being started: one start at a time per mailbox. */
	private final java.util.Set<String> starting = ConcurrentHashMap.newKeySet();

	private final SchedulingProperties settings;

	private final DeliveryQueue queue;

	private final MailboxLeases leases;

	private final SmtpServices services;

	private final Outcomes outcomes;

	private final Housekeeping housekeeping;

	private final RuntimeContext context;

	private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
			Thread.ofVirtual().name("mailroom-mailbox-", 0).factory());

	// renewals have a thread of their own: they must never wait behind other work
	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
			Thread.ofPlatform().name("mailroom-dispatch-timer").daemon(true).factory());

	private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(
			Thread.ofPlatform().name("mailroom-lease-renewer").daemon(true).factory());

	private final Clock clock;

	private volatile boolean running;

	private final List<ScheduledFuture<?>> chores = new CopyOnWriteArrayList<>();

	public Dispatcher(SchedulingProperties settings, DeliveryQueue queue, MailboxLeases leases, SmtpServices services,
			ServiceStatusChanges statusChanges, DeliveryRouter delivery, ResultPublisher results, Circuits circuits,
			WorkerIdentity identity, TraceContexts traces, MeterRegistry meters, Clock clock) {
		this.settings = settings;
		this.queue = queue;
		this.leases = leases;
		this.services = services;
		this.clock = clock;
		this.outcomes = new Outcomes(queue, identity.id(), results, services, clock);
		this.housekeeping = new Housekeeping(queue, results, settings, clock,
				released -> wakeMailboxes(mailboxesOf(released)));
		Claims claims = new Claims(settings.claimTtl(), settings.fenceMargin(settings.claimTtl()));
		this.context = new RuntimeContext(identity.id(), settings, queue, leases, services, statusChanges, delivery,
				outcomes, new RetryPolicy(settings.retry()), circuits, claims, executor, timer, clock, System::nanoTime,
				Counter.builder("mailroom.sends.unconfirmed")
					.description("Attempts whose connection failed after the whole mail was handed over: "
							+ "the server may have accepted the mail, and it is sent again")
					.register(meters),
				traces, this::closed);
		Gauge.builder("mailroom.lanes.active", runtimes, Map::size)
			.description("Mailboxes this worker is dispatching right now")
			.register(meters);
	}

	/** Intake stored mail: dispatch its mailboxes if no one does. */
	@EventListener
	public void on(MailStored stored) {
		wakeMailboxes(stored.mailboxes());
	}

	/** Mailboxes that may have new due mail (just stored, or released): dispatch them if no one does. */
	void wakeMailboxes(Collection<String> mailboxes) {
		if (!running) {
			return;
		}
		for (String mailbox : mailboxes) {
			MailboxRuntime runtime = runtimes.get(mailbox);
			if (runtime != null && !runtime.isClosed()) {
				runtime.wake();
			}
			else {
				executor.execute(() -> start(mailbox));
			}
		}
	}

	/**
	 * A service was re-authorized, changed, deleted or needs an admin: its mailbox's runtime (if this worker
	 * runs it) drops the service's sessions and circuit, and released held mail is dispatched.
	 */
	public void serviceChanged(UUID serviceId) {
		executor.execute(() -> {
			try {
				Optional<SmtpService> service = services.find(serviceId);
				runtimes.values()
					.stream()
					.filter(r -> service.map(s -> s.mailbox().equals(r.mailbox())).orElse(true))
					.forEach(r -> r.serviceChanged(serviceId));
				List<UUID> released = queue.releaseHeldOfAuthorizedServices(clock.instant());
				if (!released.isEmpty()) {
					wakeMailboxes(mailboxesOf(released));
				}
			}
			catch (RuntimeException ex) {
				LOG.warn("Could not take in the change of service {}: {}", serviceId, DatabaseErrors.summary(ex));
			}
		});
	}

	private List<String> mailboxesOf(Collection<UUID> serviceIds) {
		return services.findAll(serviceIds).values().stream().map(SmtpService::mailbox).distinct().toList();
	}

	private void start(String mailbox) {
		if (!running || !starting.add(mailbox)) {
			return;
		}
		try {
			MailboxRuntime existing = runtimes.get(mailbox);
			if (existing != null && !existing.isClosed()) {
				existing.wake();
				return;
			}
			long startedNanos = context.ticker().getAsLong();
			Optional<MailboxLeases.Lease> lease = leases.acquire(mailbox, context.worker(), settings.leaseTtl(),
					settings.claimTtl());
			if (lease.isEmpty()) {
				return; // another worker dispatches it
			}
			MailboxRuntime runtime = new MailboxRuntime(context, lease.get(), startedNanos,
					services.findByMailbox(mailbox));
			runtimes.put(mailbox, runtime);
			LOG.debug("Dispatching mailbox {} (lease generation {})", mailbox, lease.get().generation());
			runtime.pump();
		}
		catch (RuntimeException ex) {
			LOG.warn("Could not start dispatching mailbox {}: {}", mailbox, DatabaseErrors.summary(ex));
		}
		finally {
			starting.remove(mailbox);
		}
	}

	private void closed(MailboxRuntime runtime) {
		runtimes.remove(runtime.mailbox(), runtime);
		if (!running) {
			return;
		}
		try {
			// mail stored while the runtime was closing would otherwise wait for the next scan
			if (queue.hasDueMail(runtime.mailbox(), clock.instant())) {
				executor.execute(() -> start(runtime.mailbox()));
			}
		}
		catch (RuntimeException ex) {
			LOG.debug("Could not look for due mail of mailbox {}: {}", runtime.mailbox(), DatabaseErrors.summary(ex));
		}
	}

	private void scan() {
		try {
			List<String> due = queue.mailboxesWithDueMail(clock.instant());
			wakeMailboxes(due);
		}
		catch (RuntimeException ex) {
			LOG.warn("Could not look for due mail: {}", DatabaseErrors.summary(ex));
		}
	}

	/**
	 * Renews the leases of every running runtime and the claims of every mail this worker holds, and tells
	 * each runtime how it went. Runs on a thread of its own, with its own database connections: a busy
	 * worker must never let its leases lapse while it works.
	 */
	private void renew() {
		List<MailboxRuntime> running = new ArrayList<>(runtimes.values());
		long startedNanos = context.ticker().getAsLong();
		try {
			List<MailboxLeases.Held> held = running.stream().map(MailboxRuntime::held).filter(Objects::nonNull).toList();
			Map<String, Integer> renewed = leases.renew(context.worker(), settings.leaseTtl(), held);
			for (MailboxLeases.Held h : held) {
				MailboxRuntime runtime = runtimes.get(h.mailbox());
				if (runtime == null || runtime.generation() != h.generation()) {
					continue;
				}
				Integer foreign = renewed.get(h.mailbox());
				if (foreign != null) {
					runtime.renewed(startedNanos, foreign);
				}
				else {
					runtime.leaseLost();
				}
			}
		}
		catch (RuntimeException ex) {
			LOG.warn("Could not renew the leases of {} mailboxes: {}", running.size(), DatabaseErrors.summary(ex));
		}
		long claimsStartedNanos = context.ticker().getAsLong();
		try {
			queue.renewClaims(context.worker(), context.claims().held(), settings.claimTtl());
			context.claims().renewed(claimsStartedNanos);
		}
		catch (RuntimeException ex) {
			LOG.warn("Could not renew this worker's claims: {}", DatabaseErrors.summary(ex));
		}
		running.forEach(MailboxRuntime::tick);
	}

	@Override
	public void start() {
		running = true;
		outcomes.start();
		every(timer, settings.scanInterval(), this::scan);
		every(renewer, settings.leaseTtl().dividedBy(3), this::renew);
		every(timer, settings.housekeepingInterval(), housekeeping::run);
	}

	/**
	 * Runs a chore periodically, skipping a turn while the previous run is still going (a slow database must
	 * not pile up copies of the same chore). Renewals run on their own scheduler thread; the others on
	 * virtual threads.
	 */
	private void every(ScheduledExecutorService scheduler, Duration interval, Runnable chore) {
		AtomicBoolean busy = new AtomicBoolean();
		chores.add(scheduler.scheduleWithFixedDelay(() -> {
			if (!busy.compareAndSet(false, true)) {
				return;
			}
			Runnable run = () -> {
				try {
					chore.run();
				}
				finally {
					busy.set(false);
				}
			};
			if (scheduler == renewer) {
				run.run();
			}
			else {
				executor.execute(run);
			}
		}, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS));
	}

	/**
	 * Stops gracefully: no new sends, unsent claimed mail back to the queue, in-flight sends finish,
	 * sessions close, leases are released so another worker takes over at once, outcomes are written.
	 */
	@Override
	public void stop() {
		running = false;
		chores.forEach(chore -> chore.cancel(false));
		chores.clear();
		runtimes.values().forEach(MailboxRuntime::stop);
		Instant deadline = clock.instant().plusSeconds(30);
		while (!runtimes.isEmpty() && clock.instant().isBefore(deadline)) {
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
		renewer.shutdownNow();
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
