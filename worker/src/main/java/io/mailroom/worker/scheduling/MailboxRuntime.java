package io.mailroom.worker.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.Priority;
import io.mailroom.core.database.DatabaseErrors;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.core.failures.ServiceImpact;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.SmtpService;
import io.mailroom.worker.delivery.DeliveryOutcome;
import io.mailroom.worker.delivery.Fence;
import io.mailroom.worker.delivery.MailboxConnections;
import io.mailroom.worker.delivery.OutgoingMail;
import io.mailroom.worker.queue.MailboxLeases;
import io.mailroom.worker.queue.Outcome;
import io.mailroom.worker.queue.QueuedMail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything this worker holds for one mailbox while it holds the mailbox's lease: the lease and its
 * generation, the mail it claimed, the sliding minute's permits, the SMTP sessions, and the dispatch
 * that ties them together. One object, one lifecycle: it starts with an acquired lease and ends with the
 * lease released (or lost), its sessions closed.
 *
 * <p>{@link #pump()} is the only place that decides what happens next. It never blocks: it starts claims
 * and sends on virtual threads, or schedules its own wake-up when the minute's permits are used up, and
 * every finished claim, send or settled outcome calls it again.
 *
 * <p>Its limits hold across workers. The lease is a fence: the runtime relies on it only until a margin
 * before it lapses in the database (by its own monotonic clock, from the start of the last renewal), and
 * no SMTP transaction starts after that; a mail is completed only while its claim surely lasts. It never
 * opens more sessions than the mailbox allows minus those a previous owner may still hold, never claims
 * more mail than it has permits for, and stops claiming while its outcomes cannot be written.
 */
final class MailboxRuntime implements Outcomes.Owner {

	private static final Logger LOG = LoggerFactory.getLogger(MailboxRuntime.class);

	private static final Duration URGENT_CHECK_INTERVAL = Duration.ofSeconds(1);

	/** A bug of ours, not the far side's: retried, and never counted against a circuit. */
	private static final Failure INTERNAL_ERROR = new Failure(new ErrorDetails(ErrorCategory.UNKNOWN, "INTERNAL_ERROR",
			"Mailroom failed unexpectedly while sending this mail.",
			"It is retried automatically; if it keeps failing, report it with the requestId.", null, true), null,
			ServiceImpact.NONE, null);

	private final String mailbox;

	private final RuntimeContext context;

	private final long generation;

	private final MailboxConnections pool;

	private final ReentrantLock lock = new ReentrantLock();

	private final ArrayDeque<Claimed> buffer = new ArrayDeque<>();

	/** Until when (monotonic nanos) the lease may be relied on to start transactions. */
	private volatile long leaseDeadline;

	private Map<UUID, SmtpService> services;

	private int maxConnections;

	private RateWindow rate;

	/** The mailbox's daily sending limit (Gmail's), or null when its host has none. */
	private RateWindow daily;

	/** The server said the mailbox's daily limit is used up: nothing is sent before then. */
	private Instant quotaResetsAt = Instant.EPOCH;

	/** Until when the mailbox's queued mail was last held for its daily limit (again only for new mail). */
	private Instant deferredUntil = Instant.EPOCH;

	/** Sessions a previous owner may still hold open on the mailbox. */
	private int foreignSessions;

	private int sending;

	/** Outcomes submitted and not written yet. */
	private int unsettled;

	private boolean claiming;

	/** The last claim found less than it asked for: nothing more is due right now. */
	private boolean drained;

	/** Send nothing new: the lease is lost or lapsing, or the worker stops. */
	private boolean stopping;

	private boolean leaseLost;

	private boolean closed;

	/** An open circuit pauses dispatch until then; the lease is kept meanwhile. */
	private Instant pausedUntil = Instant.EPOCH;

	private ScheduledFuture<?> wakeUp;

	/** When the runtime last looked for transactional mail that arrived behind the bulk mail it holds. */
	private Instant lastUrgentCheck = Instant.EPOCH;

	/** A claimed mail and when (monotonic nanos, and the wall-clock time for its trace) its claim started. */
	private record Claimed(QueuedMail mail, long claimedNanos, Instant claimedAt) {
	}

	MailboxRuntime(RuntimeContext context, MailboxLeases.Lease lease, long acquiredNanos,
			List<SmtpService> mailboxServices) {
		this.mailbox = lease.mailbox();
		this.context = context;
		this.generation = lease.generation();
		this.pool = context.delivery().pool(mailbox);
		this.leaseDeadline = deadline(acquiredNanos);
		this.foreignSessions = lease.foreignSessions();
		Instant now = context.clock().instant();
		applyServices(mailboxServices, now);
		if (rate != null) {
			rate = RateWindow.restore(rate.limit(), lease.window(), now);
		}
		if (daily != null) {
			// the day's count is the mail the mailbox's services sent in the window, whoever sent it
			Duration window = dailyWindow();
			List<Long> untilFree = context.queue().sentSince(mailbox, now.minus(window)).stream()
				.map(sent -> Duration.between(now, sent.plus(window)).toMillis())
				.toList();
			daily = RateWindow.restore(daily.limit(), window, untilFree, now);
		}
	}

	String mailbox() {
		return mailbox;
	}

	long generation() {
		return generation;
	}

	/** New mail may be due: claim again even if the last claim came back short. */
	void wake() {
		lock.lock();
		try {
			drained = false;
			lastUrgentCheck = Instant.EPOCH;
		}
		finally {
			lock.unlock();
		}
		pump();
	}

	/** Stops sending (the worker stops): unsent claimed mail goes back to the queue; in-flight sends finish. */
	void stop() {
		lock.lock();
		try {
			stopping = true;
		}
		finally {
			lock.unlock();
		}
		pump();
	}

	/** The lease was renewed by a renewal that started at {@code startedNanos}. */
	void renewed(long startedNanos, int foreignSessions) {
		lock.lock();
		try {
			leaseDeadline = deadline(startedNanos);
			this.foreignSessions = foreignSessions;
		}
		finally {
			lock.unlock();
		}
		pump();
	}

	/** Another worker holds the lease now: send nothing more, hand back what is claimed. */
	void leaseLost() {
		lock.lock();
		try {
			if (!leaseLost) {
				LOG.warn("Lost the lease of mailbox {} to {}; handing back its mail", mailbox,
						context.leases().holder(mailbox).orElse("no one"));
			}
			leaseLost = true;
			stopping = true;
		}
		finally {
			lock.unlock();
		}
		pump();
	}

	/** Periodic upkeep: idle sessions close, and an idle runtime whose sessions are all closed ends. */
	void tick() {
		context.delivery().closeIdle(pool);
		pump();
	}

	/** What the lease row should say about this runtime now; null once it ended or lost its lease. */
	MailboxLeases.Held held() {
		lock.lock();
		try {
			if (closed || leaseLost) {
				return null;
			}
			return new MailboxLeases.Held(mailbox, generation, pool.sessions(), window(context.clock().instant()));
		}
		finally {
			lock.unlock();
		}
	}

	/** A service of this mailbox was re-authorized, changed, deleted or needs an admin: use its new state. */
	void serviceChanged(UUID serviceId) {
		pool.closeIdleOf(serviceId);
		context.circuits().forget(mailbox);
		wake();
	}

	boolean isClosed() {
		lock.lock();
		try {
			return closed;
		}
		finally {
			lock.unlock();
		}
	}

	@Override
	public void settled(Outcome outcome) {
		context.claims().remove(outcome.mail().requestId());
		boolean wasBlocked;
		lock.lock();
		try {
			wasBlocked = unsettled >= context.settings().maxUnsettled();
			unsettled--;
		}
		finally {
			lock.unlock();
		}
		if (wasBlocked) {
			pump();
		}
	}

	void pump() {
		List<Runnable> toStart = new ArrayList<>();
		List<Outcome> handBack = List.of();
		boolean closeNow;
		Instant now = context.clock().instant();
		lock.lock();
		try {
			if (closed) {
				return;
			}
			cancelWakeUp();
			if (!stopping && context.ticker().getAsLong() >= leaseDeadline) {
				// no renewal for too long (the database is away, or this process was paused): another worker
				// may take the mailbox over as soon as the lease lapses, so stop before it can
				LOG.warn("The lease of mailbox {} was not renewed in time; stopping its dispatch", mailbox);
				leaseLost = true;
				stopping = true;
			}
			if (stopping) {
				// also what a claim in flight when the runtime stopped brought back
				handBack = handBackBuffer(now);
				if (leaseLost) {
					pool.close(); // idle sessions now; those in use once their send ends
				}
			}
			boolean paused = now.isBefore(pausedUntil);
			if (paused) {
				scheduleWakeUp(pausedUntil);
			}
			int sessions = maxSessions();
			Instant dayEnds = dailyLimitReachedUntil(now);
			if (!stopping && dayEnds != null) {
				toStart.addAll(holdForDailyLimit(dayEnds));
			}
			while (!stopping && !paused && sending < sessions && unsettled < context.settings().maxUnsettled()) {
				if (freePermits(now) == 0) {
					scheduleWakeUp(nextPermitAt(now));
					break;
				}
				if (buffer.isEmpty()) {
					if (!claiming && !drained) {
						claiming = true;
						int limit = Math.min(context.settings().claimBatch(), freePermits(now));
						toStart.add(() -> claim(limit, false));
					}
					break;
				}
				Claimed next = buffer.peekFirst();
				SmtpService service = services.get(next.mail().serviceId());
				Circuits.SmtpAnswer answer = context.circuits().trySmtp(mailbox, hostOf(service), now);
				if (answer instanceof Circuits.SmtpRefused refused) {
					if (refused.retryAt() != null) {
						pause(refused.retryAt(), refused.circuit(), now, toStart);
					}
					// else a trial call of this mailbox is under way: the rest waits for its end, which pumps again
					break;
				}
				Circuits.SmtpPermit permit = (Circuits.SmtpPermit) answer;
				if (rate != null) {
					rate.tryAcquire(now);
				}
				if (daily != null) {
					daily.tryAcquire(now);
				}
				buffer.pollFirst();
				sending++;
				toStart.add(() -> send(next, service, permit));
			}
			if (sessions == 0 && !stopping && !buffer.isEmpty()) {
				LOG.debug("Mailbox {} waits for a previous owner's {} sessions to close", mailbox, foreignSessions);
			}
			if (!stopping && !paused && !claiming && !buffer.isEmpty()
					&& buffer.peekFirst().mail().priority() == Priority.BULK
					&& now.isAfter(lastUrgentCheck.plus(URGENT_CHECK_INTERVAL))
					&& unsettled < context.settings().maxUnsettled()) {
				// transactional mail that arrived after this bulk mail was claimed must not wait behind it
				claiming = true;
				lastUrgentCheck = now;
				int bulk = (int) buffer.stream().filter(c -> c.mail().priority() == Priority.BULK).count();
				int free = Math.max(0, Math.min(context.settings().claimBatch(), freePermits(now)) - buffer.size());
				int limit = Math.min(context.settings().claimBatch(), bulk + free);
				toStart.add(() -> claim(limit, true));
			}
			boolean idle = sending == 0 && !claiming && buffer.isEmpty();
			closeNow = idle && (stopping || drained && !paused && pool.sessions() == 0);
			if (closeNow) {
				closed = true;
				cancelWakeUp();
			}
		}
		finally {
			lock.unlock();
		}
		handBack.forEach(this::submit);
		toStart.forEach(context.executor()::execute);
		if (closeNow) {
			context.executor().execute(this::finish);
		}
	}

	/**
	 * Claims up to {@code limit} due mails of the mailbox, proving the lease in the same transaction; with
	 * {@code urgent}, only transactional ones, which take the place of bulk mail already claimed.
	 */
	private void claim(int limit, boolean urgent) {
		Instant now = context.clock().instant();
		long claimedNanos = context.ticker().getAsLong();
		Optional<List<QueuedMail>> claimed;
		try {
			applyServices(context.services().findByMailbox(mailbox), now);
			List<Long> window;
			lock.lock();
			try {
				window = window(now);
			}
			finally {
				lock.unlock();
			}
			claimed = limit <= 0 ? Optional.of(List.of())
					: context.queue().claim(mailbox, context.worker(), generation, limit,
							context.settings().claimTtl(), now, urgent, window,
							rate == null ? 0 : reserve().toMillis());
		}
		catch (RuntimeException ex) {
			LOG.warn("Could not claim mail of mailbox {}; trying again shortly: {}", mailbox, DatabaseErrors.summary(ex));
			lock.lock();
			try {
				claiming = false;
				scheduleWakeUp(now.plusSeconds(1));
			}
			finally {
				lock.unlock();
			}
			return;
		}
		if (claimed.isEmpty()) {
			lock.lock();
			try {
				claiming = false;
			}
			finally {
				lock.unlock();
			}
			leaseLost();
			return;
		}
		List<Outcome> notSendable = new ArrayList<>();
		List<Claimed> sendable = new ArrayList<>();
		for (QueuedMail mail : claimed.get()) {
			context.claims().add(mail.requestId());
			if (!knowsService(mail.serviceId())) {
				// a service that started sending as this mailbox after its services were read, and was gone at once
				notSendable.add(new Outcome.Requeued(mail, now.plusSeconds(1)));
			}
			else if (!mail.deadline().isAfter(now)) {
				notSendable.add(new Outcome.Expired(mail, Failures.expired(mail.deadline()).error(), now));
			}
			else {
				sendable.add(new Claimed(mail, claimedNanos, now));
			}
		}
		lock.lock();
		try {
			if (urgent) {
				for (int i = sendable.size() - 1; i >= 0; i--) {
					buffer.addFirst(sendable.get(i));
				}
				// the buffer never holds more than the minute's free permits: bulk mail makes room
				int over = rate == null && daily == null ? 0 : buffer.size() - freePermits(now);
				for (Iterator<Claimed> it = buffer.descendingIterator(); over > 0 && it.hasNext();) {
					Claimed last = it.next();
					if (last.mail().priority() == Priority.BULK) {
						it.remove();
						notSendable.add(new Outcome.Requeued(last.mail(), now));
						over--;
					}
				}
			}
			else {
				buffer.addAll(sendable);
				drained = claimed.get().size() < limit;
			}
			claiming = false;
		}
		finally {
			lock.unlock();
		}
		notSendable.forEach(this::submit);
		pump();
	}

	private void send(Claimed claimed, SmtpService service, Circuits.SmtpPermit permit) {
		try (SendSpan span = SendSpan.start(context.traces(), claimed.mail(), service, claimed.claimedAt(),
				context.clock().instant())) {
			sendTraced(claimed, service, permit, span);
		}
	}

	private void sendTraced(Claimed claimed, SmtpService service, Circuits.SmtpPermit permit, SendSpan span) {
		QueuedMail mail = claimed.mail();
		Instant started = context.clock().instant();
		DeliveryOutcome result;
		try {
			result = context.delivery()
				.send(service, new OutgoingMail(mail.requestId(), mail.request()), pool, maxSessionsNow(),
						fence(claimed));
		}
		catch (RuntimeException ex) {
			LOG.error("Unexpected error sending {}", mail, ex);
			result = DeliveryOutcome.Failed.of(INTERNAL_ERROR, null, DeliveryOutcome.Stage.COMPOSE, null);
		}
		Instant finished = context.clock().instant();
		boolean reachedServer = switch (result) {
			case DeliveryOutcome.Sent sent -> {
				permit.report(null);
				yield true;
			}
			case DeliveryOutcome.Failed failed when failed.stage() == DeliveryOutcome.Stage.TRANSPORT -> {
				permit.report(failed.failure());
				yield true;
			}
			default -> {
				permit.release();
				yield false;
			}
		};
		Outcome outcome = decide(mail, service, result, started, finished);
		span.ended(result, outcome);
		if (outcome.unconfirmed()) {
			context.unconfirmedSends().increment();
		}
		log(mail, outcome, result);
		lock.lock();
		try {
			sending--;
			if (daily != null) {
				if (result instanceof DeliveryOutcome.Sent) {
					daily.completed(finished);
				}
				else {
					daily.release(); // only what the server took counts against the day
				}
			}
			if (outcome instanceof Outcome.Deferred deferred && deferred.until().isAfter(quotaResetsAt)) {
				quotaResetsAt = deferred.until();
			}
			if (rate != null) {
				if (reachedServer) {
					rate.completed(finished);
				}
				else {
					rate.release();
				}
				if (result instanceof DeliveryOutcome.Failed failed && failed.failure().smtpReply() != null
						&& failed.failure().smtpReply().code() == 421 && failed.failure().retryAfter() != null) {
					// the server counts differently from us: respect its minute, not ours
					rate.exhaustUntil(finished.plus(context.retry().serverWait(failed.failure().retryAfter())));
				}
			}
		}
		finally {
			lock.unlock();
		}
		submit(outcome);
		if (outcome instanceof Outcome.Held held) {
			hold(service, held.error(), finished);
		}
		pump();
	}

	/** What becomes of a mail after an attempt; the only place that decides it. */
	private Outcome decide(QueuedMail mail, SmtpService service, DeliveryOutcome result, Instant started,
			Instant finished) {
		return switch (result) {
			case DeliveryOutcome.Sent sent -> new Outcome.Sent(mail, sent.messageId(), sent.reply(), started, finished);
			case DeliveryOutcome.Fenced fenced -> new Outcome.Requeued(mail, finished);
			case DeliveryOutcome.Failed failed -> decideFailed(mail, service, failed, started, finished);
		};
	}

	private Outcome decideFailed(QueuedMail mail, SmtpService service, DeliveryOutcome.Failed failed, Instant started,
			Instant finished) {
		Failure failure = failed.failure();
		boolean attempted = failure.smtpReply() != null || failed.stage() == DeliveryOutcome.Stage.TRANSPORT
				&& failure.error().category() == ErrorCategory.NETWORK;
		if (failure.impact() == ServiceImpact.NEEDS_REAUTHORIZATION
				|| failure.impact() == ServiceImpact.CONFIGURATION_ERROR) {
			boolean marked = context.statusChanges()
				.attemptFailed(service, failure, failed.authorizationVersion(), finished);
			if (marked || stillHeld(service)) {
				return new Outcome.Held(mail, failure.smtpReply(), failure.error(), finished);
			}
			// an admin authorized or fixed the service since this attempt started: try again with that
			return new Outcome.Requeued(mail, finished);
		}
		if (usedUpTheDay(failure)) {
			// the mailbox may send nothing more today: the mail waits for the window, it has not failed
			return new Outcome.Deferred(mail, failure.smtpReply(), failure.error(),
					finished.plus(context.retry().serverWait(failure.retryAfter())));
		}
		if (failure.retryable()) {
			Instant next = context.retry().nextAttempt(mail.attempts() + 1, failure.retryAfter(), finished);
			if (next.isBefore(mail.deadline())) {
				return new Outcome.Retry(mail, failed.messageId(), failure.smtpReply(), failure.error(), attempted,
						failed.unconfirmed(), next, started, finished);
			}
		}
		return new Outcome.Failed(mail, failed.messageId(), failure.smtpReply(), failure.error(), attempted,
				failed.unconfirmed(), started, finished);
	}

	/** A server's answer that the mailbox's daily quota is used up (Gmail's {@code 550 5.4.5}, Exchange's quotas). */
	private static boolean usedUpTheDay(Failure failure) {
		return failure.error().category() == ErrorCategory.QUOTA && failure.retryAfter() != null;
	}

	/** Messages the mailbox may start now: the lowest of its minute's and its day's free permits. */
	private int freePermits(Instant now) {
		if (now.isBefore(quotaResetsAt)) {
			return 0;
		}
		int free = Integer.MAX_VALUE;
		if (rate != null) {
			free = Math.min(free, rate.available(now));
		}
		if (daily != null) {
			free = Math.min(free, daily.available(now));
		}
		return free;
	}

	/** When the next permit frees up, all being taken; null if only an in-flight send can free one. */
	private Instant nextPermitAt(Instant now) {
		if (now.isBefore(quotaResetsAt)) {
			return quotaResetsAt;
		}
		if (daily != null && daily.available(now) == 0) {
			return daily.nextPermitAt();
		}
		return rate == null ? null : rate.nextPermitAt();
	}

	/** Until when the mailbox may send nothing more today, or null while it may. */
	private Instant dailyLimitReachedUntil(Instant now) {
		if (now.isBefore(quotaResetsAt)) {
			return quotaResetsAt;
		}
		return daily != null && daily.available(now) == 0 ? daily.nextPermitAt() : null;
	}

	/**
	 * The day's limit is reached: what this runtime claimed and the mailbox's queued mail are held until the
	 * window frees up (housekeeping releases them then), so nothing is claimed, tried and refused meanwhile.
	 */
	private List<Runnable> holdForDailyLimit(Instant until) {
		// again when new mail may have arrived since (a wake-up makes the runtime look for due mail)
		if (!until.isAfter(deferredUntil) && drained) {
			return List.of();
		}
		deferredUntil = until;
		drained = true;
		ErrorDetails reason = dailyLimitReason(until);
		List<Outcome> held = new ArrayList<>();
		for (Claimed claimed : buffer) {
			held.add(new Outcome.Deferred(claimed.mail(), null, reason, until));
		}
		buffer.clear();
		LOG.info("Mailbox {} reached its daily sending limit; its mail waits until {}", mailbox, until);
		return List.of(() -> {
			held.forEach(this::submit);
			try {
				context.queue().deferQueued(mailbox, until, reason);
			}
			catch (RuntimeException ex) {
				LOG.warn("Could not hold the queued mail of mailbox {} for its daily limit: {}", mailbox, DatabaseErrors.summary(ex));
			}
		});
	}

	private ErrorDetails dailyLimitReason(Instant until) {
		int limit = daily == null ? 0 : daily.limit();
		return new ErrorDetails(ErrorCategory.QUOTA, "DAILY_LIMIT",
				"The mailbox reached its daily sending limit" + (limit > 0 ? " of " + limit + " messages" : "")
						+ " in a rolling 24 hours.",
				"Nothing to do: Mailroom holds the mail and sends it from " + until + ", when the window frees up "
						+ "(mail whose deadline comes first expires).",
				"https://support.google.com/a/answer/166852", true);
	}

	private Duration dailyWindow() {
		Duration day = Duration.ofDays(1);
		Duration scaled = context.retry().serverWait(day);
		return scaled.isZero() ? Duration.ofMillis(1) : scaled;
	}

	/** Whether the service of a claimed mail is known, reading it if it is new to this runtime. */
	private boolean knowsService(UUID serviceId) {
		lock.lock();
		try {
			if (services.containsKey(serviceId)) {
				return true;
			}
		}
		finally {
			lock.unlock();
		}
		Optional<SmtpService> service = context.services().find(serviceId);
		service.ifPresent(found -> {
			lock.lock();
			try {
				services.put(found.id(), found);
			}
			finally {
				lock.unlock();
			}
		});
		return service.isPresent();
	}

	private boolean stillHeld(SmtpService service) {
		return context.services().find(service.id()).map(s -> s.status().holdsMail()).orElse(false);
	}

	/**
	 * Holds a service's mail until an admin acts: the mail of that service this runtime holds, and what is
	 * queued. The mailbox's other services keep sending.
	 */
	private void hold(SmtpService service, ErrorDetails reason, Instant at) {
		List<Outcome> held = new ArrayList<>();
		lock.lock();
		try {
			for (Iterator<Claimed> it = buffer.iterator(); it.hasNext();) {
				Claimed claimed = it.next();
				if (claimed.mail().serviceId().equals(service.id())) {
					it.remove();
					held.add(new Outcome.Held(claimed.mail(), null, reason, at));
				}
			}
		}
		finally {
			lock.unlock();
		}
		held.forEach(this::submit);
		try {
			context.queue().holdQueued(service.id(), reason);
		}
		catch (RuntimeException ex) {
			LOG.warn("Could not hold the queued mail of service {}; housekeeping does: {}", service.id(), DatabaseErrors.summary(ex));
		}
		pool.closeIdleOf(service.id());
	}

	/** An open circuit: claimed mail goes back to the queue until {@code until}; the lease is kept meanwhile. */
	private void pause(Instant until, String circuit, Instant now, List<Runnable> toStart) {
		LOG.info("Mailbox {} pauses its dispatch until {}: {} is open", mailbox, until, circuit);
		pausedUntil = until;
		List<Claimed> unsent = new ArrayList<>(buffer);
		buffer.clear();
		drained = false;
		scheduleWakeUp(until);
		toStart.add(() -> unsent.forEach(c -> submit(new Outcome.Requeued(c.mail(), until))));
	}

	private List<Outcome> handBackBuffer(Instant now) {
		List<Outcome> back = new ArrayList<>(buffer.size());
		for (Claimed claimed : buffer) {
			back.add(new Outcome.Requeued(claimed.mail(), now));
		}
		buffer.clear();
		return back;
	}

	private void submit(Outcome outcome) {
		lock.lock();
		try {
			unsettled++;
		}
		finally {
			lock.unlock();
		}
		context.outcomes().submit(outcome, this);
	}

	/**
	 * The runtime ended: its sessions close (and are waited for, since the next owner may open its own as
	 * soon as the lease is free), then the lease is released with the minute's permits for the next owner.
	 */
	private void finish() {
		pool.close();
		long waitUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (pool.sessions() > 0 && System.nanoTime() < waitUntil) {
			try {
				TimeUnit.MILLISECONDS.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		try {
			boolean lost;
			List<Long> window;
			lock.lock();
			try {
				lost = leaseLost;
				window = window(context.clock().instant());
			}
			finally {
				lock.unlock();
			}
			if (lost) {
				context.leases().reportLostSessions(mailbox, context.worker(), pool.sessions());
			}
			else {
				context.leases()
					.release(new MailboxLeases.Held(mailbox, generation, pool.sessions(), window), context.worker());
			}
		}
		catch (RuntimeException ex) {
			LOG.warn("Could not release the lease of mailbox {}; it lapses on its own: {}", mailbox, DatabaseErrors.summary(ex));
		}
		context.onClosed().accept(this);
	}

	/**
	 * The fence of one send: no transaction starts after the lease may have lapsed, and the mail is not
	 * completed after its claim may have.
	 */
	private Fence fence(Claimed claimed) {
		return new Fence() {

			@Override
			public boolean mayStart() {
				return !leaseLostNow() && context.ticker().getAsLong() < leaseDeadline;
			}

			@Override
			public boolean mayComplete() {
				return context.claims().valid(claimed.claimedNanos(), context.ticker().getAsLong());
			}

		};
	}

	private boolean leaseLostNow() {
		lock.lock();
		try {
			return leaseLost;
		}
		finally {
			lock.unlock();
		}
	}

	/** The mailbox's services and the limits they imply (the lowest of theirs, else the defaults). */
	private void applyServices(List<SmtpService> mailboxServices, Instant now) {
		Map<UUID, SmtpService> byId = mailboxServices.stream()
			.collect(Collectors.toMap(SmtpService::id, Function.identity()));
		SchedulingProperties settings = context.settings();
		int connections = mailboxServices.stream()
			.map(SmtpService::maxConnections)
			.filter(m -> m != null && m > 0)
			.mapToInt(Integer::intValue)
			.min()
			.orElse(settings.defaultMaxConnections());
		Integer perMinute = null;
		for (SmtpService service : mailboxServices) {
			Integer limit = service.rateLimitPerMinute();
			if (limit == null && settings.microsoftHosts().contains(service.host().toLowerCase(Locale.ROOT))) {
				limit = settings.microsoftRatePerMinute();
			}
			if (limit != null && (perMinute == null || limit < perMinute)) {
				perMinute = limit;
			}
		}
		Integer perDay = null;
		for (SmtpService service : mailboxServices) {
			Integer limit = service.dailyLimit();
			if (limit == null && settings.daily().googleHosts().contains(service.host().toLowerCase(Locale.ROOT))) {
				limit = settings.daily().googlePerDay();
			}
			if (limit != null && (perDay == null || limit < perDay)) {
				perDay = limit;
			}
		}
		lock.lock();
		try {
			if (perDay == null) {
				daily = null;
			}
			else if (daily == null) {
				daily = new RateWindow(perDay, dailyWindow());
			}
			else if (daily.limit() != perDay) {
				daily = daily.withLimit(perDay, now);
			}
			if (services != null) {
				// services of the mailbox that the claim may return but the new list lacks keep their last state
				Map<UUID, SmtpService> merged = new java.util.HashMap<>(services);
				merged.putAll(byId);
				byId = merged;
			}
			services = byId;
			maxConnections = connections;
			if (perMinute == null) {
				rate = null;
			}
			else if (rate == null) {
				rate = new RateWindow(perMinute);
			}
			else if (rate.limit() != perMinute) {
				rate = rate.withLimit(perMinute, now);
			}
		}
		finally {
			lock.unlock();
		}
	}

	/** Sessions this runtime may have open now. */
	private int maxSessions() {
		return Math.max(0, maxConnections - foreignSessions);
	}

	private int maxSessionsNow() {
		lock.lock();
		try {
			return maxSessions();
		}
		finally {
			lock.unlock();
		}
	}

	/** The permits in use, for the lease row, counting claimed mail as sent as late as it may be. */
	private List<Long> window(Instant now) {
		return rate == null ? List.of() : rate.snapshot(now, reserve(), buffer.size());
	}

	/** The latest a claimed mail may still complete: its claim's lifetime. */
	private Duration reserve() {
		return context.settings().claimTtl();
	}

	private long deadline(long startedNanos) {
		Duration ttl = context.settings().leaseTtl();
		return startedNanos + ttl.minus(context.settings().fenceMargin(ttl)).toNanos();
	}

	/** The key of a service's SMTP host circuit. */
	static String hostOf(SmtpService service) {
		return service.host().toLowerCase(Locale.ROOT) + ":" + service.port();
	}

	private void log(QueuedMail mail, Outcome outcome, DeliveryOutcome result) {
		if (result instanceof DeliveryOutcome.Failed failed
				&& (outcome instanceof Outcome.Failed || outcome instanceof Outcome.Held)) {
			LOG.info("Mail {} of service {} {}: {} {}", mail.requestId(), mail.serviceId(),
					outcome instanceof Outcome.Failed ? "failed" : "is held", failed.failure().error().code(),
					failed.failure().error().message());
		}
		else if (LOG.isDebugEnabled()) {
			LOG.debug("Mail {} of service {}: {}", mail.requestId(), mail.serviceId(), outcome.getClass().getSimpleName());
		}
	}

	private void scheduleWakeUp(Instant at) {
		if (at == null) {
			return; // an in-flight send frees the next permit and pumps when it completes
		}
		if (wakeUp != null) {
			wakeUp.cancel(false);
		}
		long delay = Math.max(0, at.toEpochMilli() - context.clock().millis());
		wakeUp = context.timer().schedule(() -> context.executor().execute(this::pump), delay, TimeUnit.MILLISECONDS);
	}

	private void cancelWakeUp() {
		if (wakeUp != null) {
			wakeUp.cancel(false);
			wakeUp = null;
		}
	}

	@Override
	public String toString() {
		return "MailboxRuntime[" + mailbox + ", generation " + generation + "]";
	}

}
