package io.mailroom.worker.scheduling;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.Priority;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.core.failures.ServiceImpact;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.tracing.TraceParent;
import io.mailroom.worker.delivery.DeliveryOutcome;
import io.mailroom.worker.delivery.OutgoingMail;
import io.mailroom.worker.queue.Outcome;
import io.mailroom.worker.queue.QueuedMail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches one service's mail while this worker holds the service's lease.
 *
 * <p>{@link #pump()} is the only place that decides what happens next. It never blocks: it starts
 * claims and sends on virtual threads, or schedules its own wake-up when the rate limit says wait, and
 * every finished claim or send calls it again. The lane closes itself (and the dispatcher releases the
 * lease) once nothing is due, in flight or being claimed.
 */
final class Lane {

	private static final Logger LOG = LoggerFactory.getLogger(Lane.class);

	private static final java.time.Duration URGENT_CHECK_INTERVAL = java.time.Duration.ofSeconds(1);

	private static final ErrorDetails NOT_AUTHORIZED = new ErrorDetails(ErrorCategory.AUTHORIZATION, "NOT_AUTHORIZED",
			"The service has not been authorized with Microsoft yet.",
			"Open the service and select Authorize; its mail is held until then.", null, false);

	/** A bug of ours, not the far side's: retried, and never counted against a circuit. */
	private static final Failure INTERNAL_ERROR = new Failure(new ErrorDetails(ErrorCategory.UNKNOWN, "INTERNAL_ERROR",
			"Mailroom failed unexpectedly while sending this mail.",
			"It is retried automatically; if it keeps failing, report it with the requestId.", null, true), null,
			ServiceImpact.NONE, null);

	private final UUID serviceId;

	private final LaneContext context;

	private final RateWindow rate;

	private final ReentrantLock lock = new ReentrantLock();

	private final ArrayDeque<QueuedMail> buffer = new ArrayDeque<>();

	private SmtpService service;

	private int sending;

	private boolean claiming;

	/** The last claim found less than it asked for: nothing more is due right now. */
	private boolean drained;

	/** Send nothing new: the lease is lost, the service is held or paused, or the worker stops. */
	private boolean stopping;

	private boolean closed;

	private ScheduledFuture<?> wakeUp;

	/** When the lane last looked for transactional mail that arrived behind the bulk mail it holds. */
	private Instant lastUrgentCheck = Instant.EPOCH;

	Lane(UUID serviceId, LaneContext context, RateWindow rate) {
		this.serviceId = serviceId;
		this.context = context;
		this.rate = rate;
	}

	UUID serviceId() {
		return serviceId;
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

	/** Stops sending: unsent claimed mail goes back to the queue; in-flight sends finish and settle. */
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

	boolean isClosed() {
		lock.lock();
		try {
			return closed;
		}
		finally {
			lock.unlock();
		}
	}

	void pump() {
		List<Runnable> toStart = new ArrayList<>();
		List<QueuedMail> unsent = List.of();
		boolean closeNow;
		Instant now = context.clock().instant();
		lock.lock();
		try {
			if (closed) {
				return;
			}
			cancelWakeUp();
			if (stopping) {
				// also what a claim in flight when the lane was stopped brought back
				unsent = drainBuffer();
			}
			while (!stopping && sending < maxConnections()) {
				if (rate != null && rate.available(now) == 0) {
					scheduleWakeUp(rate.nextPermitAt());
					break;
				}
				if (buffer.isEmpty()) {
					if (!claiming && !drained) {
						claiming = true;
						int limit = rate == null ? context.settings().claimBatch()
								: Math.min(context.settings().claimBatch(), rate.available(now));
						toStart.add(() -> claim(limit));
					}
					break;
				}
				Breakers.Permit permit = context.breakers().tryAcquire(service);
				if (permit == null) {
					pause(context.breakers().retryAt(service, now));
					break;
				}
				if (rate != null) {
					rate.tryAcquire(now);
				}
				QueuedMail mail = buffer.pollFirst();
				sending++;
				SmtpService sendingService = service;
				toStart.add(() -> send(sendingService, mail, permit));
			}
			if (!stopping && !claiming && !buffer.isEmpty() && buffer.peekFirst().priority() == Priority.BULK
					&& now.isAfter(lastUrgentCheck.plus(URGENT_CHECK_INTERVAL))) {
				// transactional mail that arrived after this bulk mail was claimed must not wait behind it
				claiming = true;
				lastUrgentCheck = now;
				toStart.add(this::claimUrgent);
			}
			closeNow = sending == 0 && !claiming && buffer.isEmpty() && (drained || stopping);
			if (closeNow) {
				closed = true;
				cancelWakeUp();
			}
		}
		finally {
			lock.unlock();
		}
		unsent.forEach(mail -> context.outcomes().submit(new Outcome.Requeued(mail, now)));
		toStart.forEach(context.executor()::execute);
		if (closeNow) {
			context.onClosed().accept(this);
		}
	}

	private void claimUrgent() {
		List<QueuedMail> urgent = List.of();
		try {
			urgent = context.queue()
				.claim(serviceId, context.worker(), context.settings().claimBatch(), context.settings().claimTtl(),
						context.clock().instant(), true);
		}
		catch (RuntimeException ex) {
			LOG.warn("Could not look for transactional mail of service {}: {}", serviceId, ex.toString());
		}
		lock.lock();
		try {
			for (int i = urgent.size() - 1; i >= 0; i--) {
				buffer.addFirst(urgent.get(i));
			}
			claiming = false;
		}
		finally {
			lock.unlock();
		}
		pump();
	}

	private void claim(int limit) {
		Instant now = context.clock().instant();
		List<QueuedMail> claimed;
		SmtpService current;
		try {
			current = context.services().find(serviceId).orElse(null);
			if (current == null || current.status() != ServiceStatus.AUTHORIZED) {
				// deleted services' mail is failed by housekeeping; others wait for an admin
				if (current != null) {
					context.queue().holdQueued(serviceId, Optional.ofNullable(current.statusReason()).orElse(NOT_AUTHORIZED));
				}
				finishClaim(true, current);
				return;
			}
			if (service != null && service.version() != current.version()) {
				context.delivery().closeConnections(serviceId);
			}
			claimed = context.queue()
				.claim(serviceId, context.worker(), limit, context.settings().claimTtl(), now, false);
		}
		catch (RuntimeException ex) {
			LOG.warn("Could not claim mail of service {}; trying again shortly: {}", serviceId, ex.toString());
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
		List<QueuedMail> sendable = new ArrayList<>(claimed.size());
		for (QueuedMail mail : claimed) {
			if (mail.expiresAt() != null && mail.expiresAt().isBefore(now)) {
				context.outcomes().submit(new Outcome.Expired(mail, Failures.expired(mail.expiresAt()).error(), now));
			}
			else {
				sendable.add(mail);
			}
		}
		lock.lock();
		try {
			service = current;
			buffer.addAll(sendable);
			drained = claimed.size() < limit;
		}
		finally {
			lock.unlock();
		}
		finishClaim(false, current);
	}

	private void finishClaim(boolean stop, SmtpService current) {
		lock.lock();
		try {
			claiming = false;
			if (stop) {
				stopping = true;
				service = current;
			}
		}
		finally {
			lock.unlock();
		}
		pump();
	}

	private void send(SmtpService sendingService, QueuedMail mail, Breakers.Permit permit) {
		try (var trace = TraceParent.inLogs(mail.traceparent())) {
			sendTraced(sendingService, mail, permit);
		}
	}

	private void sendTraced(SmtpService sendingService, QueuedMail mail, Breakers.Permit permit) {
		Instant started = context.clock().instant();
		DeliveryOutcome result;
		try {
			result = context.delivery().send(sendingService, new OutgoingMail(mail.requestId(), mail.request()));
		}
		catch (RuntimeException ex) {
			LOG.error("Unexpected error sending {}", mail, ex);
			result = new DeliveryOutcome.Failed(INTERNAL_ERROR, null);
		}
		Instant finished = context.clock().instant();
		Outcome outcome;
		Failure failure = null;
		switch (result) {
			case DeliveryOutcome.Sent sent -> {
				permit.report(null);
				outcome = new Outcome.Sent(mail, sent.messageId(), sent.reply(), started, finished);
			}
			case DeliveryOutcome.Failed failed -> {
				failure = failed.failure();
				permit.report(failure);
				outcome = decide(mail, failed, started, finished);
			}
		}
		if (outcome instanceof Outcome.Failed || outcome instanceof Outcome.Held) {
			LOG.info("Mail {} of service {} {}: {} {}", mail.requestId(), serviceId,
					outcome instanceof Outcome.Failed ? "failed" : "is held", failure.error().code(),
					failure.error().message());
		}
		else if (LOG.isDebugEnabled()) {
			LOG.debug("Mail {} of service {}: {}{}", mail.requestId(), serviceId, outcome.getClass().getSimpleName(),
					failure == null ? "" : " " + failure.error().code());
		}
		context.outcomes().submit(outcome);
		Outcome.Held held = outcome instanceof Outcome.Held h ? h : null;
		List<QueuedMail> unsent = List.of();
		lock.lock();
		try {
			sending--;
			if (rate != null) {
				rate.completed(finished);
				if (failure != null && failure.error().category() == ErrorCategory.THROTTLED
						&& failure.retryAfter() != null && failure.smtpReply() != null
						&& failure.smtpReply().code() == 421) {
					// the server counts differently from us: respect its minute, not ours
					rate.exhaustUntil(finished.plus(context.retry().serverWait(failure.retryAfter())));
				}
			}
			if (held != null) {
				stopping = true;
				unsent = drainBuffer();
			}
		}
		finally {
			lock.unlock();
		}
		if (held != null) {
			hold(sendingService, failure, unsent, finished);
		}
		pump();
	}

	private Outcome decide(QueuedMail mail, DeliveryOutcome.Failed failed, Instant started, Instant finished) {
		Failure failure = failed.failure();
		boolean attempted = failure.smtpReply() != null || failure.error().category() == ErrorCategory.NETWORK;
		if (failure.impact() == ServiceImpact.NEEDS_REAUTHORIZATION
				|| failure.impact() == ServiceImpact.CONFIGURATION_ERROR) {
			return new Outcome.Held(mail, failure.smtpReply(), failure.error(), finished);
		}
		if (failure.retryable()) {
			Instant next = context.retry().nextAttempt(mail.attempts() + 1, failure.retryAfter(), finished);
			if (context.retry().allows(mail.acceptedAt(), next)) {
				return new Outcome.Retry(mail, failed.messageId(), failure.smtpReply(), failure.error(), attempted, next,
						started, finished);
			}
		}
		return new Outcome.Failed(mail, failed.messageId(), failure.smtpReply(), failure.error(), attempted, started,
				finished);
	}

	/**
	 * Holds the service's mail until an admin acts. A token failure was already marked on the service by
	 * the token code (which knows which authorization failed), so marking again is a no-op then; SMTP
	 * failures that hit every mail of the service (SMTP AUTH disabled, send-as refused…) are marked here.
	 */
	private void hold(SmtpService held, Failure failure, List<QueuedMail> unsent, Instant at) {
		ErrorDetails reason = failure.error();
		unsent.forEach(mail -> context.outcomes().submit(new Outcome.Held(mail, null, reason, at)));
		context.executor().execute(() -> {
			try {
				ServiceStatus status = failure.impact() == ServiceImpact.NEEDS_REAUTHORIZATION
						? ServiceStatus.NEEDS_REAUTHORIZATION : ServiceStatus.CONFIGURATION_ERROR;
				context.statusChanges().needsAttention(held, status, reason, null, at);
				context.queue().holdQueued(serviceId, reason);
				context.delivery().closeConnections(serviceId);
			}
			catch (RuntimeException ex) {
				LOG.warn("Could not hold the mail of service {}: {}", serviceId, ex.toString());
			}
		});
	}

	/** An open circuit: unsent mail goes back to the queue for {@code until}; the lane closes meanwhile. */
	private void pause(Instant until) {
		stopping = true;
		List<QueuedMail> unsent = drainBuffer();
		LOG.info("Circuit open for service {}: pausing its dispatch until {}", serviceId, until);
		unsent.forEach(mail -> context.outcomes().submit(new Outcome.Requeued(mail, until)));
	}

	private List<QueuedMail> drainBuffer() {
		List<QueuedMail> drainedMail = new ArrayList<>(buffer);
		buffer.clear();
		return drainedMail;
	}

	private int maxConnections() {
		return service == null || service.maxConnections() == null ? context.settings().defaultMaxConnections()
				: service.maxConnections();
	}

	private void scheduleWakeUp(Instant at) {
		if (at == null) {
			return; // an in-flight send frees the next permit and pumps when it completes
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

}
