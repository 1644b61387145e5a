package io.mailroom.worker.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.SendRequest;
import io.mailroom.core.events.ServiceEvents;
import io.mailroom.core.services.ServiceStatusChanges;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.core.tracing.TraceContexts;
import io.mailroom.testing.TestKafka;
import io.mailroom.testing.TestPostgres;
import io.mailroom.worker.queue.Deadlines;
import io.mailroom.worker.queue.DeliveryQueue;
import io.mailroom.worker.queue.MailboxLeases;
import io.mailroom.worker.queue.NewDelivery;
import io.mailroom.worker.results.ResultPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A mailbox runtime's promises, proved step by step rather than by timing luck: the database is real,
 * the transport is a fake that holds sends at the server's door until the test lets them through, and
 * the runtime's monotonic clock is the test's to move. "Two workers" are two runtimes with contexts of
 * their own on the same database.
 */
class MailboxRuntimeIntegrationTest {

	private static final Duration LEASE_TTL = Duration.ofSeconds(15);

	private static final Duration CLAIM_TTL = Duration.ofSeconds(60);

	private static AnnotationConfigApplicationContext persistence;

	private static JdbcClient jdbc;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

	private final List<Outcomes> writers = new ArrayList<>();

	private final String mailbox = "smtp.test/" + UUID.randomUUID() + "@contoso.test";

	@BeforeAll
	static void startPersistence() {
		persistence = new AnnotationConfigApplicationContext(SchedulingPersistence.class);
		jdbc = persistence.getBean(JdbcClient.class);
	}

	@AfterAll
	static void stopPersistence() {
		persistence.close();
	}

	@AfterEach
	void stopWorkers() throws InterruptedException {
		for (Outcomes writer : writers) {
			writer.stop(Duration.ofSeconds(10));
		}
		executor.shutdownNow();
		timer.shutdownNow();
	}

	@Test
	void noTransactionStartsOnceTheLeaseMayHaveLapsedAndClaimedMailGoesBack() throws Exception {
		UUID service = newService(1, null);
		List<UUID> mails = queue(service, 3);
		Worker worker = new Worker("worker-1", 200);
		worker.delivery.holdSends(1);
		MailboxRuntime runtime = worker.start();
		assertThat(worker.delivery.awaitArrivals()).as("the first mail reached the server's door").isTrue();

		// the renewals stopped (a database outage, a long pause): the lease lapses in 15 s, the runtime stops sooner
		worker.ticker.addAndGet(LEASE_TTL.minusSeconds(2).toNanos());
		runtime.pump();
		worker.delivery.letThrough(1);

		await().until(() -> statuses(mails).equals(Map.of("SENT", 1L, "QUEUED", 2L)));
		assertThat(worker.delivery.started).hasSize(1);
		assertThat(runtime.isClosed()).isTrue();
	}

	@Test
	void aPausedWorkersMailIsSentOnceWhenAnotherWorkerTakesTheMailboxOver() throws Exception {
		UUID service = newService(1, null);
		List<UUID> mails = queue(service, 6);
		Worker paused = new Worker("worker-1", 200);
		paused.delivery.holdSends(1);
		MailboxRuntime first = paused.start();
		assertThat(paused.delivery.awaitArrivals()).isTrue();
		assertThat(count("SENDING", mails)).as("the first worker claimed them all").isEqualTo(6);

		// the first worker is paused longer than its lease: the lease lapses and the second worker takes over
		paused.ticker.addAndGet(LEASE_TTL.toNanos());
		jdbc.sql("update mailbox_lease set lease_until = now() - interval '1 second' where mailbox = ?")
			.param(mailbox)
			.update();
		Worker next = new Worker("worker-2", 200);
		MailboxRuntime second = next.start();
		await().until(second::isClosed);
		assertThat(next.delivery.started).as("nothing it could claim: the first worker's claims still hold").isEmpty();

		// the first worker wakes: its send in flight still holds its claim and completes; the rest goes back
		first.pump();
		paused.delivery.letThrough(1);
		await().until(() -> count("QUEUED", mails) == 5 && count("SENT", mails) == 1);
		next.start();
		await().until(() -> count("SENT", mails) == mails.size());

		List<UUID> all = new ArrayList<>(paused.delivery.completed);
		all.addAll(next.delivery.completed);
		assertThat(all).as("every mail sent, none twice").containsExactlyInAnyOrderElementsOf(mails);
		assertThat(paused.delivery.started).as("no transaction after its lease may have lapsed").hasSize(1);
	}

	@Test
	void aMailIsNotCompletedOnceItsClaimMayHaveLapsed() throws Exception {
		UUID service = newService(1, null);
		List<UUID> mails = queue(service, 1);
		Worker worker = new Worker("worker-1", 200);
		worker.delivery.holdSends(1);
		worker.start();
		assertThat(worker.delivery.awaitArrivals()).isTrue();

		worker.ticker.addAndGet(CLAIM_TTL.toNanos());
		worker.delivery.letThrough(1);

		await().until(() -> count("QUEUED", mails) == 1);
		assertThat(worker.delivery.completed).isEmpty();
		assertThat(worker.delivery.fenced).containsExactlyElementsOf(mails);
	}

	@Test
	void claimsNeverExceedTheMinutesFreePermitsAndThePermitsTravelWithTheLease() {
		UUID service = newService(3, 5);
		List<UUID> mails = queue(service, 12);
		Worker worker = new Worker("worker-1", 200);
		worker.start();

		await().until(() -> count("SENT", mails) == 5);
		assertThat(count("SENDING", mails)).as("nothing claimed beyond the free permits").isZero();
		assertThat(count("QUEUED", mails)).isEqualTo(7);

		jdbc.sql("update mailbox_lease set lease_until = now() - interval '1 second' where mailbox = ?")
			.param(mailbox)
			.update();
		Worker next = new Worker("worker-2", 200);
		next.start();
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> count("SENT", mails) == 5);
		assertThat(next.delivery.started).as("the minute's five permits are used up for the new owner too").isEmpty();
	}

	@Test
	void servicesSendingAsOneMailboxShareItsSessionsAndItsMinute() {
		UUID billing = newService(2, 4);
		UUID support = newService(2, 4);
		List<UUID> mails = new ArrayList<>(queue(billing, 3));
		mails.addAll(queue(support, 3));
		Worker worker = new Worker("worker-1", 200);
		worker.start();

		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> count("SENT", mails) == 4);
		assertThat(worker.delivery.mostConcurrent.get()).isLessThanOrEqualTo(2);
	}

	@Test
	void aNewOwnerLeavesRoomForTheSessionsThePreviousOwnerMayStillHold() throws Exception {
		UUID service = newService(3, null);
		List<UUID> mails = queue(service, 8);
		// a worker held two sessions at its last renewal, then vanished without releasing the lease
		jdbc.sql("""
				insert into mailbox_lease (mailbox, owner, generation, lease_until, connections)
				values (?, 'vanished-worker', 7, now() - interval '1 second', 2)""").param(mailbox).update();
		Worker next = new Worker("worker-2", 200);
		next.delivery.holdSends(1);
		next.start();

		assertThat(next.delivery.awaitArrivals()).isTrue();
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
			.until(() -> next.delivery.started.size() == 1);
		next.delivery.letThrough(mails.size());
		await().until(() -> count("SENT", mails) == mails.size());
		assertThat(next.delivery.mostConcurrent.get()).as("3 allowed, 2 maybe still open elsewhere").isEqualTo(1);
	}

	@Test
	void aRuntimeStopsSendingWhileItsOutcomesCannotBeWritten() throws Exception {
		UUID service = newService(1, null);
		List<UUID> mails = queue(service, 5);
		Worker worker = new Worker("worker-1", 2, false);
		worker.start();

		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
			.until(() -> worker.delivery.completed.size() == 2);

		worker.outcomes.start();
		await().until(() -> count("SENT", mails) == mails.size());
	}

	/** One worker: its own identity, transport, monotonic clock, claims and outcome writer. */
	private final class Worker {

		final FakeDelivery delivery = new FakeDelivery();

		final AtomicLong ticker = new AtomicLong(System.nanoTime());

		final Outcomes outcomes;

		final RuntimeContext context;

		Worker(String id, int maxUnsettled) {
			this(id, maxUnsettled, true);
		}

		Worker(String id, int maxUnsettled, boolean writeOutcomes) {
			DeliveryQueue queue = persistence.getBean(DeliveryQueue.class);
			SmtpServices services = persistence.getBean(SmtpServices.class);
			SchedulingProperties settings = settings(maxUnsettled);
			outcomes = new Outcomes(queue, id, persistence.getBean(ResultPublisher.class), services, Clock.systemUTC());
			writers.add(outcomes);
			if (writeOutcomes) {
				outcomes.start();
			}
			context = new RuntimeContext(id, settings, queue, persistence.getBean(MailboxLeases.class), services,
					persistence.getBean(ServiceStatusChanges.class), delivery, outcomes,
					new RetryPolicy(settings.retry()), new Circuits(settings, new SimpleMeterRegistry()),
					new Claims(CLAIM_TTL, settings.fenceMargin(CLAIM_TTL)), executor, timer, Clock.systemUTC(),
					ticker::get, new SimpleMeterRegistry().counter("unconfirmed"),
					new TraceContexts(Tracer.NOOP, Propagator.NOOP), runtime -> {
					});
		}

		MailboxRuntime start() {
			long now = ticker.get();
			MailboxLeases.Lease lease = context.leases()
				.acquire(mailbox, context.worker(), LEASE_TTL, CLAIM_TTL)
				.orElseThrow(() -> new AssertionError("the lease is held elsewhere"));
			MailboxRuntime runtime = new MailboxRuntime(context, lease, now, context.services().findByMailbox(mailbox));
			runtime.pump();
			return runtime;
		}

	}

	private static SchedulingProperties settings(int maxUnsettled) {
		return new SchedulingProperties(Duration.ofSeconds(1), LEASE_TTL, CLAIM_TTL, 50, maxUnsettled, 3, List.of(), 30,
				new SchedulingProperties.Expiry(Duration.ofHours(6), Duration.ofHours(24)),
				new SchedulingProperties.Retry(Duration.ofSeconds(30), 2.0, Duration.ofMinutes(30), 0.2,
						Duration.ofHours(24), 1.0),
				new SchedulingProperties.Breaker(50, 10, 5, Duration.ofSeconds(30),
						new SchedulingProperties.HostBreaker(Duration.ofSeconds(60), 3, 50)), Duration.ofSeconds(5),
				Duration.ofDays(30));
	}

	private UUID newService(int maxConnections, Integer ratePerMinute) {
		UUID id = UUID.randomUUID();
		String login = mailbox.substring(mailbox.indexOf('/') + 1);
		jdbc.sql("""
				insert into smtp_service (id, account_id, name, host, port, from_address, auth_type, username, status,
				  mailbox, max_connections, rate_limit_per_minute)
				values (?, 'acct-runtime', 'Relay', 'smtp.test', 587, ?, 'BASIC', ?, 'AUTHORIZED', ?, ?, ?)""")
			.params(id, login, login, mailbox, maxConnections, ratePerMinute)
			.update();
		return id;
	}

	private static List<UUID> queue(UUID service, int mails) {
		List<NewDelivery> deliveries = new ArrayList<>();
		for (int i = 0; i < mails; i++) {
			SendRequest request = SendRequest.builder("acct-runtime", service)
				.to("reader" + i + "@customer.example")
				.subject("Digest " + i)
				.text("Three new articles.")
				.build();
			deliveries.add(NewDelivery.queued(request, MailroomJson.mapper().writeValueAsBytes(request), null,
					Instant.now()));
		}
		persistence.getBean(DeliveryQueue.class).insert(deliveries, Instant.now().minusSeconds(1));
		return deliveries.stream().map(NewDelivery::requestId).toList();
	}

	private static Map<String, Long> statuses(List<UUID> mails) {
		Map<String, Long> counts = new java.util.HashMap<>();
		jdbc.sql("select status, count(*) from delivery where request_id = any(?) group by status")
			.param(mails.toArray(UUID[]::new))
			.query((rs, n) -> counts.put(rs.getString(1), rs.getLong(2)))
			.list();
		return counts;
	}

	private static int count(String status, List<UUID> mails) {
		return statuses(mails).getOrDefault(status, 0L).intValue();
	}

}
