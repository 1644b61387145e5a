package io.mailroom.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

import io.mailroom.contracts.Priority;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SendStatus;
import io.mailroom.core.services.SmtpService;

/**
 * One slow mailbox must not hold up everyone else: a service sends one password reset a second, first
 * alone (unloaded), then while another service limited to 30 mails a minute has a backlog of 10,000 bulk
 * mails queued (loaded: the target). Two harsher windows follow, each starting the moment another such
 * backlog arrives in one burst, so the resets also compete with taking the burst in: with the bulk
 * requests on another Kafka partition than the resets' (as for 11 services in 12), then on the same
 * partition, the worst case, where the resets wait behind the whole burst at intake. Latency is enqueue to
 * result; targets compare p99s.
 */
final class IsolationScenario {

	/** The bulk services' limit: Exchange Online's per-mailbox rate, set as Mailroom's own. */
	static final int BULK_RATE_PER_MINUTE = 30;

	/** The target: loaded p99 at most this many times the unloaded p99. */
	static final double ALLOWED_RATIO = 2.0;

	/** Resets sent before the unloaded window, 5 a second, so it does not measure a cold worker. */
	private static final int WARMUP_MAILS = 30;

	private final Infrastructure infrastructure;

	private final RequestPublisher transactionalRequests;

	private final ResultCollector results;

	private final WorkerFactory workers;

	private final EndToEnd endToEnd;

	private int resetsSent;

	IsolationScenario(Infrastructure infrastructure, RequestPublisher transactionalRequests, ResultCollector results,
			WorkerFactory workers) {
		this.infrastructure = infrastructure;
		this.transactionalRequests = transactionalRequests;
		this.results = results;
		this.workers = workers;
		this.endToEnd = new EndToEnd(transactionalRequests, results);
	}

	Result run(int bulkMails, Duration window) {
		SmtpService resets = infrastructure.authorizedService("acct-isolation-resets");
		int partition = transactionalRequests.partitionOf(resets.id());
		SmtpService queuedFor = bulkService(p -> p != partition);
		SmtpService elsewhere = bulkService(p -> p != partition);
		SmtpService alongside = bulkService(p -> p == partition);
		int perWindow = (int) Math.max(1, window.toSeconds());
		try (WorkerProcess worker = workers.start("isolation")) {
			Benchmark.progress("isolation: warming up");
			endToEnd.await(resets(resets, WARMUP_MAILS, Duration.ofMillis(200)), 0, Duration.ofMinutes(1));

			Benchmark.progress("isolation: one reset a second for " + perWindow + " s, unloaded");
			Latencies unloaded = endToEnd.await(resets(resets, perWindow, Duration.ofSeconds(1)), 0, Duration.ofMinutes(2))
				.latencies();
			Loaded queued = loaded(resets, queuedFor, bulkMails, true, perWindow, unloaded);
			Loaded otherPartition = loaded(resets, elsewhere, bulkMails, false, perWindow, unloaded);
			Loaded samePartition = loaded(resets, alongside, bulkMails, false, perWindow, unloaded);
			return new Result(bulkMails, perWindow, unloaded, queued, otherPartition, samePartition);
		}
	}

	/**
	 * One reset a second for the window while {@code bulkMails} are queued for {@code bulk}: from the moment
	 * the backlog is stored ({@code queuedFirst}), or from the moment it starts to arrive.
	 */
	private Loaded loaded(SmtpService resets, SmtpService bulk, int bulkMails, boolean queuedFirst, int seconds,
			Latencies unloaded) {
		boolean samePartition = transactionalRequests.partitionOf(bulk.id()) == transactionalRequests
			.partitionOf(resets.id());
		Benchmark.progress("isolation: " + bulkMails + " bulk mails on " + Loaded.partition(samePartition)
				+ (queuedFirst ? " queued, then one reset a second for " : " arriving, and one reset a second for ")
				+ seconds + " s");
		List<SendRequest> backlog = Mails.digests(bulk, bulkMails, Priority.BULK, 3);
		try (RequestPublisher bulkRequests = new RequestPublisher(infrastructure.kafka)) {
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
			if (queuedFirst) {
				intakeWatch.join(Duration.ofMinutes(5));
			}
			long windowStarted = System.nanoTime();
			EndToEnd.Run run = endToEnd.await(resets(resets, seconds, Duration.ofSeconds(1)), 0, Duration.ofMinutes(5));
			Duration sinceArrival = Duration.ofNanos(System.nanoTime() - burstStarted);
			burst.join(Duration.ofMinutes(2));
			intakeWatch.join(Duration.ofMinutes(5));
			List<UUID> backlogIds = backlog.stream().map(SendRequest::requestId).toList();
			int bulkSent = results.statuses(backlogIds).getOrDefault(SendStatus.SENT, 0);
			long stored = storedAfterNanos.get();
			return new Loaded(queuedFirst, samePartition, run.latencies(), stored < 0 ? null : Duration.ofNanos(stored), bulkSent,
					sinceArrival, overTarget(unloaded, run));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A stored, authorized service limited to 30 mails a minute whose requests go to a partition that fits. */
	private SmtpService bulkService(IntPredicate partitionFits) {
		SmtpService bulk = infrastructure.storedService("acct-isolation-digests");
		while (!partitionFits.test(transactionalRequests.partitionOf(bulk.id()))) {
			bulk = infrastructure.storedService("acct-isolation-digests");
		}
		return infrastructure.limitRate(infrastructure.authorize(bulk), BULK_RATE_PER_MINUTE);
	}

	/** Publishes {@code count} resets, one every {@code interval}, and returns them. */
	private List<SendRequest> resets(SmtpService service, int count, Duration interval) {
		List<SendRequest> sent = new ArrayList<>(count);
		long start = System.nanoTime();
		for (int i = 0; i < count; i++) {
			long wait = start + i * interval.toNanos() - System.nanoTime();
			if (wait > 0) {
				Benchmark.sleep(wait / 1_000_000);
			}
			SendRequest reset = Mails.passwordReset(service, resetsSent++);
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
	 * A loaded window.
	 * @param queuedFirst whether the window started once the backlog was stored (else as it began to arrive)
	 * @param samePartition whether the backlog's requests were on the resets' Kafka partition
	 * @param intake how long after the burst started all of it was stored (null if not within 5 minutes)
	 * @param bulkSent bulk mails sent by the end of the window (the limit allows 30 a minute)
	 * @param sinceArrival from the moment the backlog began to arrive to the end of the window
	 * @param secondsOverTarget the seconds of the window whose reset took longer than the target allows
	 */
	record Loaded(boolean queuedFirst, boolean samePartition, Latencies latencies, Duration intake, int bulkSent,
			Duration sinceArrival, List<Integer> secondsOverTarget) {

		static String partition(boolean samePartition) {
			return samePartition ? "the same partition" : "another partition";
		}

	}

	/**
	 * @param queued the target's window: the backlog queued, on another partition
	 * @param otherPartition a backlog arriving on another partition
	 * @param samePartition a backlog arriving on the resets' partition
	 */
	record Result(int bulkMails, int resetsPerWindow, Latencies unloaded, Loaded queued, Loaded otherPartition,
			Loaded samePartition) {

		double ratio(Loaded loaded) {
			return loaded.latencies().p99() / unloaded.p99();
		}

	}

}
