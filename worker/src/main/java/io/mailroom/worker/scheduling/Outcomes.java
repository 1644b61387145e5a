package io.mailroom.worker.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.mailroom.contracts.ErrorDetails;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.worker.queue.DeliveryQueue;
import io.mailroom.worker.queue.FinishedDelivery;
import io.mailroom.worker.queue.Outcome;
import io.mailroom.worker.results.ResultPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles outcomes in batches: whatever accumulated while the previous batch was written goes in the next
 * one, so an idle worker writes each outcome at once and a busy one writes hundreds per transaction.
 * Final outcomes then go to the {@link ResultPublisher}. A batch that cannot be written is retried, never
 * dropped: its mails stay claimed until it is.
 */
final class Outcomes {

	private static final Logger LOG = LoggerFactory.getLogger(Outcomes.class);

	private static final int MAX_BATCH = 1000;

	private final LinkedBlockingQueue<Outcome> pending = new LinkedBlockingQueue<>();

	private final DeliveryQueue queue;

	private final String worker;

	private final ResultPublisher results;

	private final SmtpServices services;

	private final Clock clock;

	private volatile boolean running;

	private Thread writer;

	Outcomes(DeliveryQueue queue, String worker, ResultPublisher results, SmtpServices services, Clock clock) {
		this.queue = queue;
		this.worker = worker;
		this.results = results;
		this.services = services;
		this.clock = clock;
	}

	void submit(Outcome outcome) {
		pending.add(outcome);
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
		List<Outcome> batch = new ArrayList<>();
		while (running || !pending.isEmpty()) {
			try {
				Outcome first = pending.poll(100, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
				pending.drainTo(batch, MAX_BATCH - 1);
				writeUntilDone(batch);
				batch.clear();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private void writeUntilDone(List<Outcome> batch) throws InterruptedException {
		long backoffMillis = 100;
		while (true) {
			try {
				write(batch);
				return;
			}
			catch (RuntimeException ex) {
				LOG.warn("Could not record {} delivery outcomes; retrying in {} ms: {}", batch.size(), backoffMillis,
						ex.toString());
				Thread.sleep(backoffMillis);
				backoffMillis = Math.min(backoffMillis * 2, 10_000);
			}
		}
	}

	private void write(List<Outcome> batch) {
		List<FinishedDelivery> finished = queue.settle(batch, worker);
		LOG.debug("Settled {} outcomes; {} final", batch.size(), finished.size());
		results.publish(finished);
		Map<UUID, Instant> lastSuccess = new HashMap<>();
		Map<UUID, Outcome> lastFailure = new HashMap<>();
		for (Outcome outcome : batch) {
			switch (outcome) {
				case Outcome.Sent sent -> lastSuccess.merge(sent.mail().serviceId(), sent.finishedAt(),
						(a, b) -> a.isAfter(b) ? a : b);
				case Outcome.Failed failed -> lastFailure.put(failed.mail().serviceId(), failed);
				case Outcome.Retry retry -> lastFailure.put(retry.mail().serviceId(), retry);
				default -> {
				}
			}
		}
		lastSuccess.forEach(services::recordSuccess);
		lastFailure.forEach((service, outcome) -> services.recordFailure(service, error(outcome), clock.instant()));
	}

	private static ErrorDetails error(Outcome outcome) {
		return switch (outcome) {
			case Outcome.Failed failed -> failed.error();
			case Outcome.Retry retry -> retry.error();
			default -> throw new IllegalArgumentException(outcome + " is no failure");
		};
	}

}
