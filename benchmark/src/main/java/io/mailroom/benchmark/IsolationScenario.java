package io.mailroom.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.mailroom.contracts.Priority;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SendStatus;
import io.mailroom.core.services.SmtpService;

/**
 * One slow mailbox must not hold up everyone else: a service sends one password reset a second, first
 * alone (unloaded), then while another service limited to 30 mails a minute gets a backlog of bulk mail in
 * one burst (loaded). Both services' requests go to the same Kafka partition, the worst case: the resets
 * queue behind the whole burst at intake. Its latency, enqueue to result, is compared at p99.
 */
final class IsolationScenario {

	/** The bulk service's limit: Exchange Online's per-mailbox rate, set as Mailroom's own. */
	static final int BULK_RATE_PER_MINUTE = 30;

	/** The target: loaded p99 at most this many times the unloaded p99. */
	static final double ALLOWED_RATIO = 2.0;

	private static final int WARMUP_MAILS = 5;

	private final Infrastructure infrastructure;

	private final RequestPublisher transactionalRequests;

	private final ResultCollector results;

	private final WorkerFactory workers;

	IsolationScenario(Infrastructure infrastructure, RequestPublisher transactionalRequests, ResultCollector results,
			WorkerFactory workers) {
		this.infrastructure = infrastructure;
		this.transactionalRequests = transactionalRequests;
		this.results = results;
		this.workers = workers;
	}

	Result run(int bulkMails, Duration window) {
		SmtpService transactional = infrastructure.authorizedService("acct-isolation-resets");
		SmtpService bulk = bulkServiceOnPartitionOf(transactional);
		EndToEnd endToEnd = new EndToEnd(transactionalRequests, results);
		try (WorkerProcess worker = workers.start("isolation");
				RequestPublisher bulkRequests = new RequestPublisher(infrastructure.kafka)) {
			Benchmark.progress("isolation: warming up");
			endToEnd.await(resets(transactional, WARMUP_MAILS, 0, Duration.ofMillis(200)), 0,
					Duration.ofMinutes(1));

			int perWindow = (int) Math.max(1, window.toSeconds());
			Benchmark.progress("isolation: one reset a second for " + perWindow + " s, unloaded");
			Latencies unloaded = endToEnd
				.await(resets(transactional, perWindow, WARMUP_MAILS, Duration.ofSeconds(1)), 0,
						Duration.ofMinutes(2))
				.latencies();

			Benchmark.progress("isolation: " + bulkMails + " bulk mails for a 30/min service, and one reset a second for "
					+ perWindow + " s");
			List<SendRequest> backlog = Mails.digests(bulk, bulkMails, Priority.BULK, 3);
			long burstStarted = System.nanoTime();
			AtomicLong storedAfterNanos = new AtomicLong(-1);
			Thread burst = Thread.ofVirtual().name("bulk-burst").start(() -> bulkRequests.publish(backlog));
			Thread intakeWatch = Thread.ofVirtual().name("intake-watch").start(() -> {
				long giveUp = burstStarted + Duration.ofMinutes(5).toNanos();
				while (stored(bulk) < bulkMails && System.nanoTime() < giveUp) {
					Benchmark.sleep(50);
				}
				if (System.nanoTime() < giveUp) {
					storedAfterNanos.set(System.nanoTime() - burstStarted);
				}
			});
			List<SendRequest> loadedResets = resets(transactional, perWindow, WARMUP_MAILS + perWindow,
					Duration.ofSeconds(1));
			EndToEnd.Run loaded = endToEnd.await(loadedResets, 0, Duration.ofMinutes(5));
			burst.join(Duration.ofMinutes(2));
			List<UUID> backlogIds = backlog.stream().map(SendRequest::requestId).toList();
			int bulkSent = results.statuses(backlogIds).getOrDefault(SendStatus.SENT, 0);
			Duration windowLength = Duration.ofNanos(System.nanoTime() - burstStarted);
			intakeWatch.join(Duration.ofMinutes(5));
			long stored = storedAfterNanos.get();
			return new Result(bulkMails, perWindow, unloaded, loaded.latencies(),
					stored < 0 ? null : Duration.ofNanos(stored), bulkSent, windowLength, overTarget(unloaded, loaded));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A stored, authorized service limited to 30 mails a minute whose requests share the Kafka partition
	 * of {@code neighbour}'s (about one service in twelve does).
	 */
	private SmtpService bulkServiceOnPartitionOf(SmtpService neighbour) {
		int partition = transactionalRequests.partitionOf(neighbour.id());
		SmtpService bulk = infrastructure.storedService("acct-isolation-digests");
		while (transactionalRequests.partitionOf(bulk.id()) != partition) {
			bulk = infrastructure.storedService("acct-isolation-digests");
		}
		return infrastructure.limitRate(infrastructure.authorize(bulk), BULK_RATE_PER_MINUTE);
	}

	/** Publishes {@code count} resets, one every {@code interval}, and returns them. */
	private List<SendRequest> resets(SmtpService service, int count, int firstNumber, Duration interval) {
		List<SendRequest> sent = new ArrayList<>(count);
		long start = System.nanoTime();
		for (int i = 0; i < count; i++) {
			long due = start + i * interval.toNanos();
			long wait = due - System.nanoTime();
			if (wait > 0) {
				Benchmark.sleep(wait / 1_000_000);
			}
			SendRequest reset = Mails.passwordReset(service, firstNumber + i);
			transactionalRequests.publishOne(reset);
			transactionalRequests.flush(); // a person is waiting: do not linger for a batch
			sent.add(reset);
		}
		return sent;
	}

	private long stored(SmtpService service) {
		return infrastructure.jdbc()
			.sql("select count(*) from delivery where service_id = ?")
			.param(service.id())
			.query(Long.class)
			.single();
	}

	/** The seconds of the loaded window whose reset took longer than the target allows. */
	private static List<Integer> overTarget(Latencies unloaded, EndToEnd.Run loaded) {
		double limit = ALLOWED_RATIO * unloaded.p99();
		List<Integer> seconds = new ArrayList<>();
		for (int i = 0; i < loaded.inPublishOrder().length; i++) {
			if (loaded.inPublishOrder()[i] > limit) {
				seconds.add(i);
			}
		}
		return seconds;
	}

	/**
	 * @param intake how long after the burst started all of it was stored (null if not within the run)
	 * @param bulkSent bulk mails sent by the end of the loaded window (the limit allows 30 a minute)
	 */
	record Result(int bulkMails, int resetsPerWindow, Latencies unloaded, Latencies loaded, Duration intake,
			int bulkSent, Duration loadedWindow, List<Integer> secondsOverTarget) {

		double ratio() {
			return loaded.p99() / unloaded.p99();
		}

		boolean passes() {
			return ratio() <= ALLOWED_RATIO;
		}

	}

}
