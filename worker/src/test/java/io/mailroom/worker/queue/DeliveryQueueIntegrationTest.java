package io.mailroom.worker.queue;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SendStatus;
import io.mailroom.contracts.SmtpReply;
import io.mailroom.testing.TestPostgres;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The delivery queue and its mailbox leases in a real PostgreSQL: a lease is a fence (every acquisition is a
 * new generation, and only the current one may claim or release), claims outlive a lease change, and what the
 * next owner must know to keep the mailbox's limits travels with the lease; a batch is stored and settled in
 * one statement each and keeps its order; a final result waits in the outbox until Kafka has it.
 */
class DeliveryQueueIntegrationTest {

	private static final Duration TTL = Duration.ofSeconds(15);

	private static final Duration CLAIM_TTL = Duration.ofSeconds(60);

	private static final Deadlines DEADLINES = new Deadlines(Duration.ofHours(6), Duration.ofHours(24),
			Duration.ofHours(24));

	private static JdbcClient jdbc;

	private static DeliveryQueue queue;

	private static TransactionTemplate transaction;

	private final MailboxLeases first = new MailboxLeases(jdbc);

	@BeforeAll
	static void migrate() {
		DataSource database = TestPostgres.dataSource(TestPostgres.newDatabase());
		Flyway.configure().dataSource(database).load().migrate();
		jdbc = JdbcClient.create(database);
		queue = new DeliveryQueue(new JdbcTemplate(database), jdbc, DEADLINES);
		transaction = new TransactionTemplate(new DataSourceTransactionManager(database));
	}

	@Test
	void leasesGetTheirPoolWithoutADatabaseAtStartAndConnectOnFirstUse() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		try (HikariDataSource application = new HikariDataSource()) {
			application.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/mailroom");
			application.setUsername("postgres");
			application.setPassword("postgres");

			assertThatCode(() -> new MailboxLeases(application).destroy()).doesNotThrowAnyException();
		}
	}

	@Test
	void aMailboxIsDispatchedByOneWorkerAtATimeAndEveryAcquisitionIsANewGeneration() {
		String mailbox = newMailbox();

		MailboxLeases.Lease lease = first.acquire(mailbox, "worker-1", TTL, CLAIM_TTL).orElseThrow();
		assertThat(first.acquire(mailbox, "worker-2", TTL, CLAIM_TTL)).isEmpty();
		MailboxLeases.Lease again = first.acquire(mailbox, "worker-1", TTL, CLAIM_TTL).orElseThrow();

		assertThat(again.generation()).isGreaterThan(lease.generation());
		assertThat(first.renew("worker-1", TTL, List.of(held(lease, 0)))).as("the older generation is fenced off")
			.isEmpty();
		assertThat(first.renew("worker-1", TTL, List.of(held(again, 0)))).containsOnlyKeys(mailbox);
	}

	@Test
	void aClaimUnderALeaseThatMovedOnClaimsNothing() {
		String mailbox = newMailbox();
		UUID service = newService(mailbox);
		queue(service, 3);
		MailboxLeases.Lease stale = first.acquire(mailbox, "worker-1", TTL, CLAIM_TTL).orElseThrow();
		lapse(mailbox);
		first.acquire(mailbox, "worker-2", TTL, CLAIM_TTL).orElseThrow();

		Optional<List<QueuedMail>> claimed = claim(mailbox, "worker-1", stale.generation(), 10);

		assertThat(claimed).as("the lease is no longer ours").isEmpty();
		assertThat(statuses(service)).containsOnly("QUEUED");
	}

	@Test
	void takingALapsedLeaseOverLeavesThePreviousOwnersClaimsAndSessionsAlone() {
		String mailbox = newMailbox();
		UUID service = newService(mailbox);
		queue(service, 4);
		MailboxLeases.Lease lease = first.acquire(mailbox, "worker-1", TTL, CLAIM_TTL).orElseThrow();
		List<QueuedMail> claimedByFirst = claim(mailbox, "worker-1", lease.generation(), 2).orElseThrow();
		first.renew("worker-1", TTL, List.of(held(lease, 3)));
		lapse(mailbox);

		MailboxLeases.Lease taken = first.acquire(mailbox, "worker-2", TTL, CLAIM_TTL).orElseThrow();
		List<QueuedMail> claimedBySecond = claim(mailbox, "worker-2", taken.generation(), 10).orElseThrow();

		assertThat(taken.foreignSessions()).as("the first worker may still hold its sessions open").isEqualTo(3);
		assertThat(claimedBySecond).hasSize(2)
			.extracting(QueuedMail::requestId)
			.doesNotContainAnyElementsOf(claimedByFirst.stream().map(QueuedMail::requestId).toList());
		assertThat(queue.requeueLapsedClaims()).as("the first worker's claims have not lapsed").isZero();

		first.reportLostSessions(mailbox, "worker-1", 0);
		assertThat(first.renew("worker-2", TTL, List.of(held(taken, 1)))).containsEntry(mailbox, 0);
	}

	@Test
	void claimsLapseByTheDatabasesClockUnlessRenewed() {
		String mailbox = newMailbox();
		UUID service = newService(mailbox);
		queue(service, 2);
		MailboxLeases.Lease lease = first.acquire(mailbox, "worker-1", TTL, CLAIM_TTL).orElseThrow();
		List<QueuedMail> claimed = claim(mailbox, "worker-1", lease.generation(), 2).orElseThrow();
		jdbc.sql("update delivery set claimed_until = now() - interval '1 second' where service_id = ?")
			.param(service)
			.update();

		assertThat(queue.renewClaims("worker-1", List.of(claimed.getFirst().requestId()), CLAIM_TTL)).isEqualTo(1);
		assertThat(queue.requeueLapsedClaims()).isEqualTo(1);
		assertThat(statuses(service)).containsExactlyInAnyOrder("SENDING", "QUEUED");
	}

	@Test
	void aClaimBeingSettledIsSkippedByRenewalAndRequeueingRatherThanWaitedFor() throws Exception {
		String mailbox = newMailbox();
		UUID service = newService(mailbox);
		queue(service, 3);
		MailboxLeases.Lease lease = first.acquire(mailbox, "worker-1", TTL, CLAIM_TTL).orElseThrow();
		List<UUID> claimed = claim(mailbox, "worker-1", lease.generation(), 3).orElseThrow()
			.stream()
			.map(QueuedMail::requestId)
			.toList();
		jdbc.sql("update delivery set claimed_until = now() - interval '1 second' where service_id = ?")
			.param(service)
			.update();
		UUID beingSettled = claimed.getFirst();
		CountDownLatch locked = new CountDownLatch(1);
		CountDownLatch settle = new CountDownLatch(1);
		// holds the row lock a settlement holds while it writes the outcome
		CompletableFuture<Void> settlement = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(tx -> {
			jdbc.sql("select 1 from delivery where request_id = ? for update").param(beingSettled).query().listOfRows();
			locked.countDown();
			try {
				settle.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}));
		try {
			assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();

			assertThat(assertTimeoutPreemptively(Duration.ofSeconds(30), () -> queue.requeueLapsedClaims()))
				.as("the two lapsed claims nobody is settling").isEqualTo(2);
			assertThat(assertTimeoutPreemptively(Duration.ofSeconds(30),
					() -> queue.renewClaims("worker-1", List.of(beingSettled), CLAIM_TTL))).isZero();
		}
		finally {
			settle.countDown();
			settlement.get(30, TimeUnit.SECONDS);
		}
		assertThat(queue.renewClaims("worker-1", List.of(beingSettled), CLAIM_TTL)).isEqualTo(1);
		assertThat(statuses(service)).containsExactlyInAnyOrder("SENDING", "QUEUED", "QUEUED");
	}

	@Test
	void theMinutesPermitsTravelWithTheLease() {
		String mailbox = newMailbox();
		UUID service = newService(mailbox);
		queue(service, 5);
		MailboxLeases.Lease lease = first.acquire(mailbox, "worker-1", TTL, CLAIM_TTL).orElseThrow();
		// two permits used, freeing in 20 and 40 seconds; the claim reserves three more for its mail
		transaction.executeWithoutResult(tx -> queue.claim(mailbox, "worker-1", lease.generation(), 3, CLAIM_TTL,
				Instant.now(), false, List.of(20_000L, 40_000L), CLAIM_TTL.toMillis()));
		lapse(mailbox);

		MailboxLeases.Lease next = first.acquire(mailbox, "worker-2", TTL, CLAIM_TTL).orElseThrow();

		assertThat(next.window()).hasSize(5);
		assertThat(next.window().subList(0, 2)).allSatisfy(ms -> assertThat(ms).isBetween(10_000L, 40_000L));
		assertThat(next.window().subList(2, 5)).allSatisfy(ms -> assertThat(ms).isGreaterThan(55_000L));
	}

	@Test
	void aReleaseOfAnOlderGenerationFreesNothing() {
		String mailbox = newMailbox();
		MailboxLeases.Lease closing = first.acquire(mailbox, "worker-1", TTL, CLAIM_TTL).orElseThrow();
		MailboxLeases.Lease next = first.acquire(mailbox, "worker-1", TTL, CLAIM_TTL).orElseThrow();

		assertThat(first.release(held(closing, 0), "worker-1")).isFalse();
		assertThat(first.acquire(mailbox, "worker-2", TTL, CLAIM_TTL)).as("still held by the next runtime").isEmpty();
		assertThat(first.release(held(next, 0), "worker-1")).isTrue();
		assertThat(first.acquire(mailbox, "worker-2", TTL, CLAIM_TTL)).isPresent();
	}

	@Test
	void anOutcomeWhoseClaimLapsedIsDroppedUnlessItSaysTheMailWasSent() {
		String mailbox = newMailbox();
		UUID service = newService(mailbox);
		queue(service, 2);
		MailboxLeases.Lease lease = first.acquire(mailbox, "worker-1", TTL, CLAIM_TTL).orElseThrow();
		List<QueuedMail> claimed = claim(mailbox, "worker-1", lease.generation(), 2).orElseThrow();
		jdbc.sql("update delivery set claimed_until = now() - interval '1 second' where service_id = ?")
			.param(service)
			.update();
		queue.requeueLapsedClaims();
		Instant now = Instant.now();

		List<FinishedDelivery> finished = queue.settle(List.of(
				new Outcome.Sent(claimed.get(0), "<a@mailroom>", new SmtpReply(250, "2.0.0", "OK"), now, now),
				new Outcome.Requeued(claimed.get(1), now)), "worker-1");

		assertThat(finished).extracting(FinishedDelivery::status).containsExactly(SendStatus.SENT);
		assertThat(statuses(service)).containsExactlyInAnyOrder("SENT", "QUEUED");
	}

	@Test
	void aClaimTakesTheMailboxesOldestDueMailAcrossItsServicesTransactionalFirst() {
		String mailbox = newMailbox();
		UUID relay = newService(mailbox);
		UUID newsletter = newService(mailbox);
		queue(relay, 3);
		queue(newsletter, 3);
		// due times interleaved across the two services; one newsletter mail is bulk
		List<UUID> due = jdbc.sql("""
				update delivery set next_attempt_at = now() - (
				  row_number * interval '1 minute') from (
				    select request_id, row_number() over (order by service_id = ?, subject) from delivery
				    where service_id in (?, ?)) ordered
				where delivery.request_id = ordered.request_id
				returning delivery.request_id""")
			.params(relay, relay, newsletter)
			.query(UUID.class)
			.list();
		jdbc.sql("update delivery set priority = 1 where service_id = ? and subject = 'Digest 0'").param(newsletter).update();
		MailboxLeases.Lease lease = first.acquire(mailbox, "worker-1", TTL, CLAIM_TTL).orElseThrow();

		List<QueuedMail> claimed = claim(mailbox, "worker-1", lease.generation(), 4).orElseThrow();

		List<UUID> expected = jdbc.sql("""
				select request_id from delivery where service_id in (?, ?)
				order by priority, next_attempt_at limit 4""")
			.params(relay, newsletter)
			.query(UUID.class)
			.list();
		assertThat(due).hasSize(6);
		assertThat(claimed).extracting(QueuedMail::requestId).containsExactlyElementsOf(expected);
		assertThat(claimed).extracting(QueuedMail::serviceId).contains(relay, newsletter);
	}

	@Test
	void aRequestTwiceInOneBatchIsStoredOnceAndAStoredOneIsSkipped() {
		String mailbox = newMailbox();
		UUID service = newService(mailbox);
		SendRequest first = request(service, "First");
		SendRequest again = SendRequest.builder("acct-leases", service)
			.requestId(first.requestId())
			.to("reader@customer.example")
			.subject("Again")
			.text("Three new articles.")
			.build();
		SendRequest other = request(service, "Other");

		List<NewDelivery> stored = queue.insert(List.of(queued(first), queued(again), queued(other)), Instant.now());
		List<NewDelivery> storedAgain = queue.insert(List.of(queued(other)), Instant.now());

		assertThat(stored).extracting(NewDelivery::subject).containsExactly("First", "Other");
		assertThat(storedAgain).isEmpty();
		assertThat(jdbc.sql("select subject from delivery where service_id = ? order by subject")
			.param(service)
			.query(String.class)
			.list()).containsExactly("First", "Other");
	}

	@Test
	void twoOutcomesOfOneMailInOneBatchAreSettledInTheirOrder() {
		String mailbox = newMailbox();
		UUID service = newService(mailbox);
		queue(service, 1);
		MailboxLeases.Lease lease = first.acquire(mailbox, "worker-1", TTL, CLAIM_TTL).orElseThrow();
		QueuedMail claimed = claim(mailbox, "worker-1", lease.generation(), 1).orElseThrow().getFirst();
		Instant now = Instant.now();
		ErrorDetails busy = new ErrorDetails(ErrorCategory.PROVIDER_OUTAGE, "4.3.2", "Busy", "Retried.", null, true);

		// retried, claimed again and sent before the first outcome was written: both in the same batch
		QueuedMail claimedAgain = new QueuedMail(claimed.request(), 1, 0, claimed.enqueuedAt(), claimed.acceptedAt(),
				claimed.deadline(), null, claimed.claim(), now);
		List<FinishedDelivery> finished = queue.settle(List.of(new Outcome.Retry(claimed, null,
				new SmtpReply(451, "4.3.2", "Busy"), busy, true, false, now, now, now),
				new Outcome.Sent(claimedAgain, "<a@mailroom>", new SmtpReply(250, "2.0.0", "OK"), now, now)), "worker-1");

		assertThat(finished).extracting(FinishedDelivery::status).containsExactly(SendStatus.SENT);
		assertThat(statuses(service)).containsExactly("SENT");
		assertThat(jdbc.sql("select attempts from delivery where request_id = ?")
			.param(claimed.requestId())
			.query(Integer.class)
			.single()).isEqualTo(2);
		assertThat(jdbc.sql("select outcome from delivery_attempt where request_id = ? order by attempt")
			.param(claimed.requestId())
			.query(String.class)
			.list()).containsExactly("RETRY", "SENT");
	}

	@Test
	void aFinalResultWaitsInTheOutboxUntilPublishedAndIsOnlyThenPurged() {
		String mailbox = newMailbox();
		UUID service = newService(mailbox);
		queue(service, 2);
		MailboxLeases.Lease lease = first.acquire(mailbox, "worker-1", TTL, CLAIM_TTL).orElseThrow();
		List<QueuedMail> claimed = claim(mailbox, "worker-1", lease.generation(), 2).orElseThrow();
		Instant sentAt = Instant.now().minusSeconds(5);
		queue.settle(List.of(new Outcome.Sent(claimed.get(0), "<a@mailroom>", new SmtpReply(250, "2.0.0", "OK"),
				sentAt, sentAt), new Outcome.Requeued(claimed.get(1), sentAt)), "worker-1");
		UUID sent = claimed.get(0).requestId();
		ErrorDetails tooLate = new ErrorDetails(ErrorCategory.EXPIRED, "EXPIRED", "Too late", null, null, false);
		jdbc.sql("update delivery set expires_at = now() - interval '1 minute' where request_id = ?")
			.param(claimed.get(1).requestId())
			.update();
		List<FinishedDelivery> expired = queue.expireDue(tooLate, Instant.now(), 10);

		assertThat(expired).extracting(FinishedDelivery::requestId).containsExactly(claimed.get(1).requestId());
		assertThat(queue.unpublished(Instant.now().plusSeconds(1), 500)).extracting(FinishedDelivery::requestId)
			.as("oldest first").containsSubsequence(sent, claimed.get(1).requestId());
		assertThat(queue.purgeFinishedBefore(Instant.now().plusSeconds(1), 500)).as("not published yet").isZero();

		queue.markPublished(List.of(sent, claimed.get(1).requestId()));

		assertThat(queue.unpublished(Instant.now().plusSeconds(1), 500)).extracting(FinishedDelivery::requestId)
			.doesNotContain(sent, claimed.get(1).requestId());
		assertThat(queue.purgeFinishedBefore(Instant.now().plusSeconds(1), 500)).isGreaterThanOrEqualTo(2);
		assertThat(statuses(service)).isEmpty();
	}

	private static SendRequest request(UUID service, String subject) {
		return SendRequest.builder("acct-leases", service)
			.to("reader@customer.example")
			.subject(subject)
			.text("Three new articles.")
			.build();
	}

	private static NewDelivery queued(SendRequest request) {
		return NewDelivery.queued(request, MailroomJson.mapper().writeValueAsBytes(request), null, Instant.now());
	}

	private static MailboxLeases.Held held(MailboxLeases.Lease lease, int sessions) {
		return new MailboxLeases.Held(lease.mailbox(), lease.generation(), sessions, List.of());
	}

	private static Optional<List<QueuedMail>> claim(String mailbox, String worker, long generation, int limit) {
		return transaction.execute(tx -> queue.claim(mailbox, worker, generation, limit, CLAIM_TTL, Instant.now(),
				false, List.of(), 0));
	}

	private static void lapse(String mailbox) {
		jdbc.sql("update mailbox_lease set lease_until = now() - interval '1 second' where mailbox = ?")
			.param(mailbox)
			.update();
	}

	private static String newMailbox() {
		return "smtp.test/" + UUID.randomUUID() + "@contoso.test";
	}

	private static UUID newService(String mailbox) {
		UUID id = UUID.randomUUID();
		String login = mailbox.substring(mailbox.indexOf('/') + 1);
		jdbc.sql("""
				insert into smtp_service (id, account_id, name, host, port, from_address, auth_type, username, status,
				  mailbox)
				values (?, 'acct-leases', 'Relay', 'smtp.test', 587, ?, 'BASIC', ?, 'AUTHORIZED', ?)""")
			.params(id, login, login, mailbox)
			.update();
		return id;
	}

	private static void queue(UUID service, int mails) {
		List<NewDelivery> deliveries = new ArrayList<>();
		for (int i = 0; i < mails; i++) {
			deliveries.add(queued(request(service, "Digest " + i)));
		}
		queue.insert(deliveries, Instant.now().minusSeconds(1));
	}

	private static List<String> statuses(UUID service) {
		return jdbc.sql("select status from delivery where service_id = ?").param(service).query(String.class).list();
	}

}
