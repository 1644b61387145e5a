package io.mailroom.worker.scheduling;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.SmtpReply;
import io.mailroom.core.database.DatabaseErrors;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.worker.queue.DeliveryQueue;
import io.mailroom.worker.queue.FinishedDelivery;
import io.mailroom.worker.queue.Outcome;
import io.mailroom.worker.results.ResultPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * Settles outcomes in batches: whatever accumulated while the previous batch was written, and what arrives
 * within a few milliseconds after, goes in the next one, so an idle worker writes each outcome almost at once
 * and a busy one writes dozens to hundreds per transaction.
 * Final outcomes then go to the {@link ResultPublisher}, the services' latest outcomes to {@link ServiceNotes}.
 *
 * <p>Settlement is bounded. While the database is away a batch is retried with backoff, and the mailboxes
 * whose outcomes wait stop claiming and sending ({@link SchedulingProperties#maxUnsettled()}), so nothing
 * piles up and nothing is sent whose outcome cannot be recorded. A batch the database refuses for its data
 * is never retried as it is: it is split, an outcome that still fails is written again without its free
 * text (a server's reply text, an exception message), and one that fails even then is given up, loudly.
 */
final class Outcomes {

	private static final Logger LOG = LoggerFactory.getLogger(Outcomes.class);

	private static final int MAX_BATCH = 1000;

	/**
	 * How long a batch waits for more outcomes once its first has arrived: a group commit. A busy worker's
	 * outcomes come a millisecond or two apart, and each batch costs a transaction (and a flush of the
	 * database's log) plus a publish; a few milliseconds more per outcome, next to an SMTP transaction's tens,
	 * make the batches several times larger.
	 */
	private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	private static final String NOT_STORABLE = "The text of this error could not be stored.";

	private final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();

	private final DeliveryQueue queue;

	private final String worker;

	private final ResultPublisher results;

	/** Touched by the writer thread only. */
	private final ServiceNotes notes;

	private final Clock clock;

	private volatile boolean running;

	private Thread writer;

	/** Who submitted an outcome, told once it is settled (written, or given up). */
	interface Owner {

		void settled(Outcome outcome);

	}

	private record Pending(Outcome outcome, Owner owner) {
	}

	Outcomes(DeliveryQueue queue, String worker, ResultPublisher results, SmtpServices services, Clock clock) {
		this.queue = queue;
		this.worker = worker;
		this.results = results;
		this.notes = new ServiceNotes(services);
		this.clock = clock;
	}

	void submit(Outcome outcome, Owner owner) {
		pending.add(new Pending(outcome, owner));
	}

	/** Outcomes submitted and not settled yet. */
	int backlog() {
		return pending.size();
	}

	void start() {
		running = true;
		writer = Thread.ofPlatform().name("mailroom-outcome-writer").daemon(true).start(this::run);
	}

	/** Writes what is pending, then stops. */
	void stop(Duration timeout) throws InterruptedException {
		running = false;
		if (writer != null) {
			writer.join(timeout);
		}
	}

	private void run() {
		List<Pending> batch = new ArrayList<>();
		while (running || !pending.isEmpty()) {
			try {
				Pending first = pending.poll(100, TimeUnit.MILLISECONDS);
				if (first == null) {
					notes.writeIfDue(clock.instant(), true);
					continue;
				}
				batch.add(first);
				gatherMore(batch);
				writeUntilDone(batch);
				batch.forEach(p -> p.owner().settled(p.outcome()));
				batch.clear();
				notes.writeIfDue(clock.instant(), false);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		notes.writeIfDue(clock.instant(), true);
	}

	/** Adds what arrives within the linger after the batch's first outcome, up to the batch's limit. */
	private void gatherMore(List<Pending> batch) throws InterruptedException {
		long until = System.nanoTime() + LINGER_NANOS;
		pending.drainTo(batch, MAX_BATCH - batch.size());
		while (batch.size() < MAX_BATCH && running) {
			long left = until - System.nanoTime();
			Pending next = left > 0 ? pending.poll(left, TimeUnit.NANOSECONDS) : null;
			if (next == null) {
				return;
			}
			batch.add(next);
			pending.drainTo(batch, MAX_BATCH - batch.size());
		}
	}

	/** Writes a batch; retries while the database is unavailable, splits when it refuses the data. */
	private void writeUntilDone(List<Pending> batch) throws InterruptedException {
		long backoffMillis = 100;
		while (true) {
			try {
				write(batch.stream().map(Pending::outcome).toList());
				return;
			}
			catch (RuntimeException ex) {
				if (refusedData(ex)) {
					writeOneByOne(batch);
					return;
				}
				LOG.warn("Could not record {} delivery outcomes; retrying in {} ms: {}", batch.size(), backoffMillis,
						DatabaseErrors.summary(ex));
				Thread.sleep(backoffMillis);
				backoffMillis = Math.min(backoffMillis * 2, 10_000);
			}
		}
	}

	private void writeOneByOne(List<Pending> batch) throws InterruptedException {
		for (Pending one : batch) {
			Outcome outcome = one.outcome();
			if (failsOnData(outcome) && failsOnData(stripped(outcome))) {
				LOG.error("Could not record the outcome {} of {}: the database refuses it; its claim lapses and it is "
						+ "dispatched again{}", outcome.getClass().getSimpleName(), outcome.mail(),
						outcome.finalStatus() != null && outcome.attempted() ? " (it may be sent twice)" : "");
			}
		}
	}

	/** Writes one outcome; true if the database refused its data (retrying while the database is away). */
	private boolean failsOnData(Outcome outcome) throws InterruptedException {
		long backoffMillis = 100;
		while (true) {
			try {
				write(List.of(outcome));
				return false;
			}
			catch (RuntimeException ex) {
				if (refusedData(ex)) {
					LOG.warn("The database refused the outcome of {}: {}", outcome.mail(), DatabaseErrors.summary(ex));
					return true;
				}
				Thread.sleep(backoffMillis);
				backoffMillis = Math.min(backoffMillis * 2, 10_000);
			}
		}
	}

	private void write(List<Outcome> batch) {
		List<FinishedDelivery> finished = queue.settle(batch, worker);
		LOG.debug("Settled {} outcomes; {} final", batch.size(), finished.size());
		results.publish(finished);
		notes.gather(batch);
	}

	/**
	 * Whether the database refused what was written (its data or a constraint) rather than being unavailable:
	 * retrying the same data cannot help.
	 */
	static boolean refusedData(Throwable thrown) {
		for (Throwable t = thrown; t != null; t = t.getCause()) {
			if (t instanceof JacksonException) {
				return true;
			}
			if (t instanceof SQLException sql && sql.getSQLState() != null) {
				String state = sql.getSQLState();
				// 22: data exception (e.g. a NUL in text), 23: integrity constraint, 42: syntax or access rule
				return state.startsWith("22") || state.startsWith("23") || state.startsWith("42");
			}
		}
		return false;
	}

	/** The outcome without its free text: what the server or an exception said is kept as codes only. */
	static Outcome stripped(Outcome outcome) {
		return switch (outcome) {
			case Outcome.Sent s -> new Outcome.Sent(s.mail(), s.messageId(), strip(s.reply()), s.startedAt(),
					s.finishedAt());
			case Outcome.Failed f -> new Outcome.Failed(f.mail(), f.messageId(), strip(f.reply()), strip(f.error()),
					f.attempted(), f.unconfirmed(), f.startedAt(), f.finishedAt());
			case Outcome.Retry r -> new Outcome.Retry(r.mail(), r.messageId(), strip(r.reply()), strip(r.error()),
					r.attempted(), r.unconfirmed(), r.nextAttemptAt(), r.startedAt(), r.finishedAt());
			case Outcome.Expired e -> new Outcome.Expired(e.mail(), strip(e.error()), e.at());
			case Outcome.Held h -> new Outcome.Held(h.mail(), strip(h.reply()), strip(h.error()), h.at());
			case Outcome.Deferred d -> new Outcome.Deferred(d.mail(), strip(d.reply()), strip(d.error()), d.until());
			case Outcome.Requeued q -> q;
		};
	}

	private static SmtpReply strip(SmtpReply reply) {
		return reply == null ? null : new SmtpReply(reply.code(), reply.enhancedCode(), "");
	}

	private static ErrorDetails strip(ErrorDetails error) {
		return error == null ? null
				: new ErrorDetails(error.category(), error.code(), NOT_STORABLE, null, null, error.retryable());
	}

}
