package io.mailroom.worker.queue;

import java.lang.reflect.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.Handover;
import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.Priority;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SendStatus;
import io.mailroom.contracts.SmtpReply;
import tools.jackson.core.type.TypeReference;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import static io.mailroom.core.database.SqlValues.fromJson;
import static io.mailroom.core.database.SqlValues.instant;
import static io.mailroom.core.database.SqlValues.json;
import static io.mailroom.core.database.SqlValues.timestamptz;
import static io.mailroom.core.database.SqlValues.timestamptzText;

/** The {@code delivery} table as a queue: store, claim, settle, publish, purge. */
@Repository
public class DeliveryQueue {

	private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {
	};

	/** The columns of a final delivery, of {@code delivery d}. */
	private static final String FINISHED_COLUMNS = """
			d.request_id as request_id, account_id, service_id, status, attempts, unconfirmed_attempts, message_id,
			smtp_reply::text as smtp_reply, error::text as error, priority, enqueued_at, accepted_at, finished_at,
			tags::text as tags, traceparent""";

	/** What a result says of how a mail was handed over, from {@code delivery_transport t} (ADR 0012). */
	private static final String HANDOVER_COLUMNS = """
			t.transport as handover_transport, t.http_status as handover_http_status,
			t.fallback_reason as handover_fallback_reason, t.provider_request as handover_provider_request""";

	/**
	 * Ends a statement {@code with finished as (update … returning FINISHED_COLUMNS} that made deliveries final:
	 * their results wait in the outbox ({@code unpublished_result}) until Kafka has them.
	 */
	private static final String THROUGH_THE_OUTBOX = """
			),
			outbox as (
			  insert into unpublished_result (request_id, finished_at) select request_id, finished_at from finished)
			select * from finished""";

	private final JdbcTemplate jdbc;

	private final JdbcClient client;

	private final Deadlines deadlines;

	public DeliveryQueue(JdbcTemplate jdbc, JdbcClient client, Deadlines deadlines) {
		this.jdbc = jdbc;
		this.client = client;
		this.deadlines = deadlines;
	}

	/**
	 * Stores requests by their idempotency key: a requestId already stored is skipped.
	 * @return the deliveries that were new
	 */
	@Transactional
	public List<NewDelivery> insert(List<NewDelivery> deliveries, Instant now) {
		if (deliveries.isEmpty()) {
			return List.of();
		}
		List<Object[]> rows = new ArrayList<>(deliveries.size());
		for (NewDelivery d : deliveries) {
			boolean queued = d.finalStatus() == null;
			Instant nextAttempt = d.notBefore() != null && d.notBefore().isAfter(now) ? d.notBefore() : now;
			Instant deadline = queued ? deadlines.of(d.priority(), d.expiresAt(), now) : d.expiresAt();
			rows.add(new Object[] { d.requestId(), d.serviceId(), d.accountId(), rank(d.priority()),
					queued ? "QUEUED" : d.finalStatus().name(), d.json(), d.subject(), d.recipient(), d.recipientCount(),
					json(d.tags()), d.traceparent(), timestamptzText(d.enqueuedAt()), timestamptzText(d.notBefore()),
					timestamptzText(deadline), timestamptzText(nextAttempt), json(d.error()),
					queued ? null : timestamptzText(now) });
		}
		List<UUID> inserted = jdbc.query("""
				with stored as (
				insert into delivery (request_id, service_id, account_id, priority, status, request, subject, recipient,
				  recipient_count, tags, traceparent, enqueued_at, accepted_at, not_before, expires_at, next_attempt_at,
				  error, finished_at)
				select r.id, r.service_id, r.account_id, r.priority, r.status, r.request, r.subject, r.recipient,
				  r.recipient_count, r.tags, r.traceparent, r.enqueued_at, ?, r.not_before, r.expires_at, r.next_attempt_at,
				  r.error, r.finished_at
				from unnest(cast(? as uuid[]), cast(? as uuid[]), cast(? as text[]), cast(? as smallint[]),
				  cast(? as text[]), cast(? as bytea[]), cast(? as text[]), cast(? as text[]), cast(? as integer[]),
				  cast(? as jsonb[]), cast(? as text[]), cast(? as timestamptz[]), cast(? as timestamptz[]),
				  cast(? as timestamptz[]), cast(? as timestamptz[]), cast(? as jsonb[]), cast(? as timestamptz[]))
				  as r(id, service_id, account_id, priority, status, request, subject, recipient, recipient_count, tags,
				       traceparent, enqueued_at, not_before, expires_at, next_attempt_at, error, finished_at)
				on conflict (request_id) do nothing
				returning request_id, finished_at),
				outbox as (
				  insert into unpublished_result (request_id, finished_at)
				  select request_id, finished_at from stored where finished_at is not null)
				select request_id from stored""", (rs, n) -> rs.getObject(1, UUID.class),
				prepend(timestamptz(now), columns(rows, UUID.class, UUID.class, String.class, Integer.class, String.class,
						byte[].class, String.class, String.class, Integer.class, String.class, String.class, String.class,
						String.class, String.class, String.class, String.class, String.class)));
		// a requestId twice in one batch is stored once: the first of them
		Set<UUID> newIds = new HashSet<>(inserted);
		List<NewDelivery> stored = new ArrayList<>(inserted.size());
		for (NewDelivery d : deliveries) {
			if (newIds.remove(d.requestId())) {
				stored.add(d);
			}
		}
		return stored;
	}

	/**
	 * Claims up to {@code limit} due mails of a mailbox (of every service that sends as it) for
	 * {@code worker}, transactional before bulk, oldest first (only transactional ones if
	 * {@code transactionalOnly}), if and only if the worker still holds the mailbox's lease in generation
	 * {@code generation}. The lease row stays locked until the claim commits, so nobody can take the lease
	 * over between the check and the claim; the rate window is saved with it, counting every claimed mail
	 * as sent ({@code reserveMillis} from now until its permit frees up), so a new owner never sends more
	 * than the minute allows. Rows locked by a concurrent claim are skipped, not waited for. Each service's
	 * due mail is read in the due-mail index's order and only as far as the limit: a claim costs the same with
	 * ten mails queued as with a hundred thousand.
	 * @param window the permits in use before this claim, in milliseconds from now until each frees up
	 * @return the claimed mails, or empty if the lease is no longer ours
	 */
	@Transactional
	public Optional<List<QueuedMail>> claim(String mailbox, String worker, long generation, int limit,
			Duration claimTtl, Instant now, boolean transactionalOnly, List<Long> window, long reserveMillis) {
		boolean ours = client.sql("""
				update mailbox_lease set rate_window = array(
				  select now() + w * interval '1 millisecond' from unnest(cast(:window as bigint[])) w
				  union all select now() + :reserve * interval '1 millisecond' from generate_series(1, :limit))
				where mailbox = :mailbox and owner = :worker and generation = :generation and lease_until > now()""")
			.param("window", window.toArray(Long[]::new))
			.param("reserve", reserveMillis)
			.param("limit", window.isEmpty() && reserveMillis == 0 ? 0 : limit)
			.param("mailbox", mailbox)
			.param("worker", worker)
			.param("generation", generation)
			.update() == 1;
		if (!ours) {
			return Optional.empty();
		}
		record Claimed(QueuedMail mail, int priority) {
		}
		List<Claimed> claimed = client.sql("""
				update delivery d set status = 'SENDING', claimed_by = :worker, claimed_generation = :generation,
				  claimed_until = now() + :ttl * interval '1 millisecond'
				where d.request_id in (
				  select due.request_id
				  from (select id from smtp_service where mailbox = :mailbox and status = 'AUTHORIZED'
				        and deleted_at is null) s
				  cross join lateral (
				    select request_id, priority, next_attempt_at from delivery
				    where service_id = s.id and status = 'QUEUED' and next_attempt_at <= :now and priority <= :maxPriority
				    order by priority, next_attempt_at
				    limit :limit
				    for update skip locked) due
				  order by due.priority, due.next_attempt_at
				  limit :limit)
				returning d.request, d.attempts, d.unconfirmed_attempts, d.enqueued_at, d.accepted_at, d.expires_at,
				  d.traceparent, d.priority, d.next_attempt_at""")
			.param("worker", worker)
			.param("generation", generation)
			.param("ttl", claimTtl.toMillis())
			.param("mailbox", mailbox)
			.param("now", timestamptz(now))
			.param("limit", limit)
			.param("maxPriority", transactionalOnly ? rank(Priority.TRANSACTIONAL) : rank(Priority.BULK))
			.query((rs, n) -> new Claimed(new QueuedMail(
					MailroomJson.mapper().readValue(rs.getBytes("request"), SendRequest.class), rs.getInt("attempts"),
					rs.getInt("unconfirmed_attempts"), instant(rs, "enqueued_at"), instant(rs, "accepted_at"),
					instant(rs, "expires_at"), rs.getString("traceparent"), generation, instant(rs, "next_attempt_at")),
					rs.getInt("priority")))
			.list();
		return Optional.of(claimed.stream()
			.sorted(Comparator.comparingInt(Claimed::priority).thenComparing(c -> c.mail().dueAt()))
			.map(Claimed::mail)
			.toList());
	}

	/**
	 * Extends the claims this worker still holds by {@code claimTtl} from now (database clock). A worker
	 * renews only what it still tracks; a claim it stopped renewing (it died, froze, or lost touch with
	 * the database) lapses and housekeeping puts the mail back.
	 *
	 * <p>A claim whose row is locked is skipped: the lock is its settlement (or its return to the queue)
	 * being written, which ends the claim anyway. Waiting for it instead would deadlock with a settlement
	 * that locks the same rows in another order.
	 */
	public int renewClaims(String worker, Collection<UUID> requestIds, Duration claimTtl) {
		if (requestIds.isEmpty()) {
			return 0;
		}
		return client.sql("""
				update delivery set claimed_until = now() + :ttl * interval '1 millisecond'
				where request_id in (select request_id from delivery
				                     where request_id = any(:ids) and claimed_by = :worker and status = 'SENDING'
				                     for update skip locked)""")
			.param("ttl", claimTtl.toMillis())
			.param("ids", requestIds.toArray(UUID[]::new))
			.param("worker", worker)
			.update();
	}

	/**
	 * Backstop for claims whose worker stopped renewing them: returns lapsed claims to the queue. The
	 * database's clock decides, the same clock that timed the claims.
	 */
	public int requeueLapsedClaims() {
		// rows locked now are being settled: their outcome decides, and waiting could deadlock with it
		return client.sql("""
				update delivery set status = 'QUEUED', claimed_by = null, claimed_generation = null,
				  claimed_until = null
				where request_id in (select request_id from delivery where status = 'SENDING' and claimed_until < now()
				                     for update skip locked)""").update();
	}

	/**
	 * Mailboxes that have mail due now, of services that may send (mail of the others is held or failed by
	 * housekeeping). Walks the distinct services of the queued index (a loose index
	 * scan), so its cost grows with the number of services, not with the number of queued mails.
	 */
	public List<String> mailboxesWithDueMail(Instant now) {
		return client.sql("""
				with recursive queued(service_id) as (
				  (select service_id from delivery where status = 'QUEUED' order by service_id limit 1)
				  union all
				  select (select d.service_id from delivery d
				          where d.status = 'QUEUED' and d.service_id > q.service_id
				          order by d.service_id limit 1)
				  from queued q where q.service_id is not null)
				select distinct s.mailbox from queued q join smtp_service s on s.id = q.service_id
				where s.status = 'AUTHORIZED' and s.deleted_at is null and exists (select 1 from delivery d where d.service_id = q.service_id and d.status = 'QUEUED'
				              and d.next_attempt_at <= ?)""")
			.param(timestamptz(now))
			.query(String.class)
			.list();
	}

	/** Whether one mailbox has mail due now (the due-mail index, its services' ranges). */
	public boolean hasDueMail(String mailbox, Instant now) {
		return client.sql("""
				select exists (select 1 from delivery
				               where service_id in (select id from smtp_service where mailbox = ?
				                                    and status = 'AUTHORIZED' and deleted_at is null)
				                 and status = 'QUEUED' and next_attempt_at <= ?)""")
			.params(mailbox, timestamptz(now))
			.query(Boolean.class)
			.single();
	}

	/** Holds a service's queued mail (it needs re-authorization or a configuration fix). */
	public int holdQueued(UUID serviceId, ErrorDetails reason) {
		return client.sql("""
				update delivery set status = 'HELD', error = cast(? as jsonb)
				where service_id = ? and status = 'QUEUED'""").params(json(reason), serviceId).update();
	}

	/**
	 * Holds the queued mail of services that may not send (not authorized yet, or waiting for an admin),
	 * with the service's reason, or {@code notAuthorized} when it has none.
	 * @return how many mails were held
	 */
	public int holdMailOfServicesThatMayNotSend(ErrorDetails notAuthorized) {
		return client.sql("""
				update delivery d set status = 'HELD', error = coalesce(s.status_reason, cast(? as jsonb))
				from smtp_service s
				where s.id = d.service_id and d.status = 'QUEUED' and s.status <> 'AUTHORIZED' and s.deleted_at is null""")
			.param(json(notAuthorized))
			.update();
	}

	/**
	 * Holds a mailbox's queued mail until {@code until}: its daily sending limit is used up. The mail of every
	 * service that sends as the mailbox waits, and housekeeping releases it when it is due.
	 * @return how many mails were held
	 */
	public int deferQueued(String mailbox, Instant until, ErrorDetails reason) {
		return client.sql("""
				update delivery set status = 'HELD', error = cast(:reason as jsonb),
				  next_attempt_at = greatest(next_attempt_at, :until)
				where service_id in (select id from smtp_service where mailbox = :mailbox) and status = 'QUEUED'""")
			.param("reason", json(reason))
			.param("until", timestamptz(until))
			.param("mailbox", mailbox)
			.update();
	}

	/** When the mail of a mailbox's services that was sent after {@code since} went out, oldest first. */
	public List<Instant> sentSince(String mailbox, Instant since) {
		return client.sql("""
				select finished_at from delivery
				where service_id in (select id from smtp_service where mailbox = ?) and status = 'SENT'
				  and finished_at > ?
				order by finished_at""")
			.params(mailbox, timestamptz(since))
			.query((rs, row) -> instant(rs, "finished_at"))
			.list();
	}

	/**
	 * Puts held mail of services that are authorized again back in the queue, once it is due (mail held for a
	 * used-up daily limit waits for its window); returns those services.
	 */
	public List<UUID> releaseHeldOfAuthorizedServices(Instant now) {
		return client.sql("""
				update delivery d set status = 'QUEUED', next_attempt_at = greatest(d.next_attempt_at, :now)
				from smtp_service s
				where s.id = d.service_id and d.status = 'HELD' and s.status = 'AUTHORIZED' and s.deleted_at is null
				  and d.next_attempt_at <= :now
				returning d.service_id""")
			.param("now", timestamptz(now))
			.query(UUID.class)
			.list()
			.stream()
			.distinct()
			.toList();
	}

	/** Fails the waiting mail of deleted services. */
	public List<FinishedDelivery> failMailOfDeletedServices(ErrorDetails reason, Instant now, int limit) {
		return client.sql("""
				with finished as (
				update delivery d set status = 'FAILED', error = cast(:reason as jsonb), finished_at = :now,
				  request = null, claimed_by = null, claimed_generation = null, claimed_until = null
				where d.request_id in (
				  select d2.request_id from delivery d2 join smtp_service s on s.id = d2.service_id
				  where d2.status in ('QUEUED', 'HELD') and s.deleted_at is not null
				  limit :limit for update of d2 skip locked)
				returning """ + " " + FINISHED_COLUMNS + THROUGH_THE_OUTBOX)
			.param("reason", json(reason))
			.param("now", timestamptz(now))
			.param("limit", limit)
			.query(DeliveryQueue::finishedRow)
			.list();
	}

	/** Expires waiting mail whose {@code expiresAt} has passed. */
	public List<FinishedDelivery> expireDue(ErrorDetails reason, Instant now, int limit) {
		return client.sql("""
				with finished as (
				update delivery d set status = 'EXPIRED', error = cast(:reason as jsonb), finished_at = :now,
				  request = null, claimed_by = null, claimed_generation = null, claimed_until = null
				where request_id in (
				  select request_id from delivery
				  where status in ('QUEUED', 'HELD') and expires_at < :now
				  limit :limit for update skip locked)
				returning """ + " " + FINISHED_COLUMNS + THROUGH_THE_OUTBOX)
			.param("reason", json(reason))
			.param("now", timestamptz(now))
			.param("limit", limit)
			.query(DeliveryQueue::finishedRow)
			.list();
	}

	/**
	 * Settles claimed mails in one transaction. Each outcome proves its claim (this worker, the lease
	 * generation it claimed under); an outcome whose claim lapsed is dropped, unless it says the mail was
	 * sent or failed for good and nobody has claimed the mail again since its claim lapsed: then it is still
	 * the truth, and recording it keeps the mail from being sent twice.
	 * @return the deliveries that reached a final status
	 */
	@Transactional
	public List<FinishedDelivery> settle(List<Outcome> outcomes, String worker) {
		List<Object[]> attempts = new ArrayList<>();
		List<FinishedDelivery> finished = new ArrayList<>();
		for (List<Outcome> round : rounds(outcomes)) {
			List<Object[]> updates = new ArrayList<>(round.size());
			for (Outcome outcome : round) {
				updates.add(update(outcome));
			}
			Map<UUID, Optional<Handover>> updated = new HashMap<>();
			jdbc.query("""
					with settled as (
					update delivery d set status = o.status, attempts = d.attempts + o.attempted,
					  unconfirmed_attempts = d.unconfirmed_attempts + o.unconfirmed,
					  next_attempt_at = coalesce(o.next_attempt_at, d.next_attempt_at),
					  message_id = coalesce(o.message_id, d.message_id), smtp_reply = coalesce(o.smtp_reply, d.smtp_reply),
					  error = case when o.clear_error then null else coalesce(o.error, d.error) end,
					  finished_at = o.finished_at, request = case when o.final then null else d.request end,
					  claimed_by = null, claimed_generation = null, claimed_until = null
					from unnest(cast(? as uuid[]), cast(? as text[]), cast(? as integer[]), cast(? as integer[]),
					  cast(? as timestamptz[]), cast(? as text[]), cast(? as jsonb[]), cast(? as boolean[]),
					  cast(? as jsonb[]), cast(? as timestamptz[]), cast(? as boolean[]), cast(? as bigint[]),
					  cast(? as boolean[]))
					  as o(id, status, attempted, unconfirmed, next_attempt_at, message_id, smtp_reply, clear_error, error,
					       finished_at, final, claim, truth_after_lapse)
					where d.request_id = o.id
					  and ((d.claimed_by = ? and d.claimed_generation = o.claim and d.status = 'SENDING')
					       or (o.truth_after_lapse and d.status = 'QUEUED' and d.claimed_by is null))
					returning d.request_id, d.finished_at),
					outbox as (
					  insert into unpublished_result (request_id, finished_at)
					  select request_id, finished_at from settled where finished_at is not null)
					select s.request_id, """ + HANDOVER_COLUMNS
					+ " from settled s left join delivery_transport t on t.request_id = s.request_id",
					(RowCallbackHandler) rs -> updated.put(rs.getObject("request_id", UUID.class),
							Optional.ofNullable(handover(rs))),
					append(columns(updates, UUID.class, String.class, Integer.class, Integer.class, String.class,
							String.class, String.class, Boolean.class, String.class, String.class, Boolean.class, Long.class,
							Boolean.class), worker));
			for (Outcome outcome : round) {
				Optional<Handover> handover = updated.get(outcome.mail().requestId());
				if (handover == null) {
					continue;
				}
				if (outcome.attempted()) {
					attempts.add(attempt(outcome));
				}
				if (outcome.finalStatus() != null) {
					finished.add(finished(outcome, handover.orElse(null)));
				}
			}
		}
		if (!attempts.isEmpty()) {
			jdbc.update("""
					insert into delivery_attempt (request_id, attempt, started_at, finished_at, outcome, smtp_reply, error)
					select * from unnest(cast(? as uuid[]), cast(? as integer[]), cast(? as timestamptz[]),
					  cast(? as timestamptz[]), cast(? as text[]), cast(? as jsonb[]), cast(? as jsonb[]))
					on conflict do nothing""", columns(attempts, UUID.class, Integer.class, String.class, String.class,
					String.class, String.class, String.class));
		}
		return finished;
	}

	/**
	 * The outcomes in order, in rounds that hold each request at most once: one statement settles a round, and
	 * a later outcome of the same request must see what the earlier one wrote. A batch is one round unless a
	 * request was claimed, handed back and claimed again before its first outcome was written.
	 */
	private static List<List<Outcome>> rounds(List<Outcome> outcomes) {
		List<List<Outcome>> rounds = new ArrayList<>();
		List<Set<UUID>> ids = new ArrayList<>();
		for (Outcome outcome : outcomes) {
			int round = 0;
			while (round < rounds.size() && ids.get(round).contains(outcome.mail().requestId())) {
				round++;
			}
			if (round == rounds.size()) {
				rounds.add(new ArrayList<>());
				ids.add(new HashSet<>());
			}
			rounds.get(round).add(outcome);
			ids.get(round).add(outcome.mail().requestId());
		}
		return rounds;
	}

	/** Final deliveries whose result is not on Kafka yet, finished before {@code before}, oldest first. */
	public List<FinishedDelivery> unpublished(Instant before, int limit) {
		return client.sql("select " + FINISHED_COLUMNS + ", " + HANDOVER_COLUMNS + """
				 from delivery d left join delivery_transport t on t.request_id = d.request_id
				where d.request_id in (select request_id from unpublished_result where finished_at < ?
				                       order by finished_at limit ?)
				order by d.finished_at""")
			.params(timestamptz(before), limit)
			.query(DeliveryQueue::finishedRowWithHandover)
			.list();
	}

	/** Takes results Kafka acknowledged out of the outbox. */
	public void markPublished(Collection<UUID> requestIds) {
		if (!requestIds.isEmpty()) {
			client.sql("delete from unpublished_result where request_id = any(?)")
				.param(requestIds.toArray(UUID[]::new))
				.update();
		}
	}

	/** Deletes final, published deliveries finished before {@code cutoff}; returns how many. */
	public int purgeFinishedBefore(Instant cutoff, int limit) {
		return client.sql("""
				delete from delivery where request_id in (
				  select d.request_id from delivery d
				  where d.finished_at < ?
				    and not exists (select 1 from unpublished_result u where u.request_id = d.request_id)
				  limit ?)""")
			.params(timestamptz(cutoff), limit)
			.update();
	}

	/**
	 * Queue depth and age by priority, and held mail, for metrics. Each status is read through its partial
	 * index, so the cost follows the mail waiting, not the delivery log's history.
	 */
	public QueueStats stats(Instant now) {
		record Row(int priority, long count, Instant oldest) {
		}
		List<Row> rows = client.sql("""
				select priority, count(*) as depth, min(enqueued_at) as oldest
				from (select priority, enqueued_at from delivery where status = 'QUEUED'
				      union all select priority, enqueued_at from delivery where status = 'SENDING') waiting
				group by priority""")
			.query((rs, n) -> new Row(rs.getInt("priority"), rs.getLong("depth"), instant(rs, "oldest")))
			.list();
		Map<Priority, QueueStats.Depth> depth = new java.util.EnumMap<>(Priority.class);
		for (Priority priority : Priority.values()) {
			Row row = rows.stream().filter(r -> r.priority() == rank(priority)).findFirst().orElse(null);
			depth.put(priority, row == null ? new QueueStats.Depth(0, Duration.ZERO)
					: new QueueStats.Depth(row.count(), Duration.between(row.oldest(), now)));
		}
		var held = client.sql("select count(*) as held, min(accepted_at) as oldest from delivery where status = 'HELD'")
			.query((rs, n) -> new QueueStats.Depth(rs.getLong("held"),
					rs.getLong("held") == 0 ? Duration.ZERO : Duration.between(instant(rs, "oldest"), now)))
			.single();
		return new QueueStats(depth, held);
	}

	/** A row of the settling statement: what the outcome writes, then the claim it proves. */
	private static Object[] update(Outcome outcome) {
		QueuedMail mail = outcome.mail();
		int attempted = outcome.attempted() ? 1 : 0;
		int unconfirmed = outcome.unconfirmed() ? 1 : 0;
		// a final outcome of a real attempt is the truth even if its claim lapsed meanwhile (see settle)
		boolean truthAfterLapse = outcome.finalStatus() != null && outcome.attempted();
		return switch (outcome) {
			case Outcome.Sent s -> new Object[] { mail.requestId(), "SENT", attempted, unconfirmed, null, s.messageId(),
					json(s.reply()), true, null, timestamptzText(s.finishedAt()), true, mail.claim(), truthAfterLapse };
			case Outcome.Failed f -> new Object[] { mail.requestId(), "FAILED", attempted, unconfirmed, null,
					f.messageId(), json(f.reply()), false, json(f.error()), timestamptzText(f.finishedAt()), true, mail.claim(),
					truthAfterLapse };
			case Outcome.Expired e -> new Object[] { mail.requestId(), "EXPIRED", 0, 0, null, null, null, false,
					json(e.error()), timestamptzText(e.at()), true, mail.claim(), truthAfterLapse };
			case Outcome.Retry r -> new Object[] { mail.requestId(), "QUEUED", attempted, unconfirmed,
					timestamptzText(r.nextAttemptAt()), r.messageId(), json(r.reply()), false, json(r.error()), null, false,
					mail.claim(), truthAfterLapse };
			case Outcome.Requeued q -> new Object[] { mail.requestId(), "QUEUED", 0, 0, timestamptzText(q.nextAttemptAt()), null,
					null, false, null, null, false, mail.claim(), truthAfterLapse };
			case Outcome.Held h -> new Object[] { mail.requestId(), "HELD", 0, 0, null, null, json(h.reply()), false,
					json(h.error()), null, false, mail.claim(), truthAfterLapse };
			case Outcome.Deferred d -> new Object[] { mail.requestId(), "HELD", 0, 0, timestamptzText(d.until()), null,
					json(d.reply()), false, json(d.error()), null, false, mail.claim(), truthAfterLapse };
		};
	}

	private static Object[] attempt(Outcome outcome) {
		int number = outcome.mail().attempts() + 1;
		return switch (outcome) {
			case Outcome.Sent s -> new Object[] { s.mail().requestId(), number, timestamptzText(s.startedAt()),
					timestamptzText(s.finishedAt()), "SENT", json(s.reply()), null };
			case Outcome.Failed f -> new Object[] { f.mail().requestId(), number, timestamptzText(f.startedAt()),
					timestamptzText(f.finishedAt()), "FAILED", json(f.reply()), json(f.error()) };
			case Outcome.Retry r -> new Object[] { r.mail().requestId(), number, timestamptzText(r.startedAt()),
					timestamptzText(r.finishedAt()), r.unconfirmed() ? "UNCONFIRMED" : "RETRY", json(r.reply()),
					json(r.error()) };
			default -> throw new IllegalArgumentException(outcome + " made no attempt");
		};
	}

	private static FinishedDelivery finished(Outcome outcome, Handover handover) {
		QueuedMail mail = outcome.mail();
		SendRequest request = mail.request();
		int attempts = mail.attempts() + (outcome.attempted() ? 1 : 0);
		int unconfirmed = mail.unconfirmedAttempts() + (outcome.unconfirmed() ? 1 : 0);
		return switch (outcome) {
			case Outcome.Sent s -> new FinishedDelivery(mail.requestId(), request.accountId(), mail.serviceId(),
					SendStatus.SENT, attempts, unconfirmed, s.messageId(), s.reply(), null, request.priority(), mail.enqueuedAt(),
					mail.acceptedAt(), s.finishedAt(), request.tags(), mail.traceparent(), handover);
			case Outcome.Failed f -> new FinishedDelivery(mail.requestId(), request.accountId(), mail.serviceId(),
					SendStatus.FAILED, attempts, unconfirmed, f.messageId(), f.reply(), f.error(), request.priority(),
					mail.enqueuedAt(), mail.acceptedAt(), f.finishedAt(), request.tags(), mail.traceparent(), handover);
			case Outcome.Expired e -> new FinishedDelivery(mail.requestId(), request.accountId(), mail.serviceId(),
					SendStatus.EXPIRED, attempts, unconfirmed, null, null, e.error(), request.priority(), mail.enqueuedAt(),
					mail.acceptedAt(), e.at(), request.tags(), mail.traceparent(), handover);
			default -> throw new IllegalArgumentException(outcome + " is not final");
		};
	}

	static FinishedDelivery finishedRow(ResultSet rs, int row) throws SQLException {
		return new FinishedDelivery(rs.getObject("request_id", UUID.class), rs.getString("account_id"),
				rs.getObject("service_id", UUID.class), SendStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
				rs.getInt("unconfirmed_attempts"), rs.getString("message_id"), fromJson(rs.getString("smtp_reply"), SmtpReply.class),
				fromJson(rs.getString("error"), ErrorDetails.class), priority(rs.getInt("priority")),
				instant(rs, "enqueued_at"), instant(rs, "accepted_at"), instant(rs, "finished_at"),
				rs.getString("tags") == null ? Map.of() : MailroomJson.mapper().readValue(rs.getString("tags"), TAGS),
				rs.getString("traceparent"), null);
	}

	/** A final delivery read with its handover ({@link #HANDOVER_COLUMNS} of {@code delivery_transport t}). */
	private static FinishedDelivery finishedRowWithHandover(ResultSet rs, int row) throws SQLException {
		FinishedDelivery d = finishedRow(rs, row);
		return new FinishedDelivery(d.requestId(), d.accountId(), d.serviceId(), d.status(), d.attempts(),
				d.unconfirmedAttempts(), d.messageId(), d.smtpReply(), d.error(), d.priority(), d.enqueuedAt(),
				d.acceptedAt(), d.finishedAt(), d.tags(), d.traceparent(), handover(rs));
	}

	/** The handover of a row joined with {@code delivery_transport t}, or null when there is none. */
	private static Handover handover(ResultSet rs) throws SQLException {
		String transport = rs.getString("handover_transport");
		return transport == null ? null
				: new Handover(transport, rs.getObject("handover_http_status", Integer.class),
						rs.getString("handover_fallback_reason"), rs.getString("handover_provider_request"));
	}

	/**
	 * Rows as one array per column, for statements that take a whole batch through {@code unnest}: PostgreSQL
	 * then runs one statement for the batch instead of one per row, which was most of its cost per mail.
	 */
	private static Object[] columns(List<Object[]> rows, Class<?>... types) {
		Object[] columns = new Object[types.length];
		for (int c = 0; c < types.length; c++) {
			Object column = Array.newInstance(types[c], rows.size());
			for (int r = 0; r < rows.size(); r++) {
				Array.set(column, r, rows.get(r)[c]);
			}
			columns[c] = column;
		}
		return columns;
	}

	private static Object[] prepend(Object first, Object[] rest) {
		Object[] all = new Object[rest.length + 1];
		all[0] = first;
		System.arraycopy(rest, 0, all, 1, rest.length);
		return all;
	}

	private static Object[] append(Object[] first, Object last) {
		Object[] all = Arrays.copyOf(first, first.length + 1);
		all[first.length] = last;
		return all;
	}

	static int rank(Priority priority) {
		return priority == Priority.BULK ? 1 : 0;
	}

	static Priority priority(int rank) {
		return rank == 1 ? Priority.BULK : Priority.TRANSACTIONAL;
	}

}
