package io.mailroom.worker.queue;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.Priority;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SendStatus;
import io.mailroom.contracts.SmtpReply;
import tools.jackson.core.type.TypeReference;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import static io.mailroom.core.database.SqlValues.fromJson;
import static io.mailroom.core.database.SqlValues.instant;
import static io.mailroom.core.database.SqlValues.json;
import static io.mailroom.core.database.SqlValues.timestamptz;

/** The {@code delivery} table as a queue: store, claim, settle, publish, purge. */
@Repository
public class DeliveryQueue {

	private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {
	};

	private static final String FINISHED_COLUMNS = """
			request_id, account_id, service_id, status, attempts, message_id, smtp_reply::text as smtp_reply,
			error::text as error, priority, enqueued_at, accepted_at, finished_at, tags::text as tags, traceparent""";

	private final JdbcTemplate jdbc;

	private final JdbcClient client;

	public DeliveryQueue(JdbcTemplate jdbc, JdbcClient client) {
		this.jdbc = jdbc;
		this.client = client;
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
			rows.add(new Object[] { d.requestId(), d.serviceId(), d.accountId(), rank(d.priority()),
					queued ? "QUEUED" : d.finalStatus().name(), d.json(), d.subject(), d.recipient(), d.recipientCount(),
					json(d.tags()), d.traceparent(), timestamptz(d.enqueuedAt()), timestamptz(now),
					timestamptz(d.notBefore()), timestamptz(d.expiresAt()), timestamptz(nextAttempt), json(d.error()),
					queued ? null : timestamptz(now) });
		}
		int[] counts = jdbc.batchUpdate("""
				insert into delivery (request_id, service_id, account_id, priority, status, request, subject, recipient,
				  recipient_count, tags, traceparent, enqueued_at, accepted_at, not_before, expires_at, next_attempt_at,
				  error, finished_at)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?)
				on conflict (request_id) do nothing""", rows);
		List<NewDelivery> inserted = new ArrayList<>();
		for (int i = 0; i < counts.length; i++) {
			if (counts[i] == 1) {
				inserted.add(deliveries.get(i));
			}
		}
		return inserted;
	}

	/**
	 * Claims up to {@code limit} due mails of a service for {@code worker}, transactional before bulk, oldest
	 * first (only transactional ones if {@code transactionalOnly}). Rows locked by a concurrent claim are
	 * skipped, not waited for.
	 */
	public List<QueuedMail> claim(UUID serviceId, String worker, int limit, Duration claimTtl, Instant now,
			boolean transactionalOnly) {
		record Claimed(QueuedMail mail, int priority, Instant nextAttemptAt) {
		}
		List<Claimed> claimed = client.sql("""
				update delivery d set status = 'SENDING', claimed_by = :worker, claimed_until = :until
				where d.request_id in (
				  select request_id from delivery
				  where service_id = :service and status = 'QUEUED' and next_attempt_at <= :now
				    and priority <= :maxPriority
				  order by priority, next_attempt_at
				  limit :limit
				  for update skip locked)
				returning d.request, d.attempts, d.enqueued_at, d.accepted_at, d.traceparent, d.priority,
				  d.next_attempt_at""")
			.param("worker", worker)
			.param("until", timestamptz(now.plus(claimTtl)))
			.param("service", serviceId)
			.param("now", timestamptz(now))
			.param("limit", limit)
			.param("maxPriority", transactionalOnly ? rank(Priority.TRANSACTIONAL) : rank(Priority.BULK))
			.query((rs, n) -> new Claimed(
					new QueuedMail(MailroomJson.mapper().readValue(rs.getBytes("request"), SendRequest.class),
							rs.getInt("attempts"), instant(rs, "enqueued_at"), instant(rs, "accepted_at"),
							rs.getString("traceparent")),
					rs.getInt("priority"), instant(rs, "next_attempt_at")))
			.list();
		return claimed.stream()
			.sorted(Comparator.comparingInt(Claimed::priority).thenComparing(Claimed::nextAttemptAt))
			.map(Claimed::mail)
			.toList();
	}

	/**
	 * Returns to the queue the mails of a service that another worker claimed and can no longer send:
	 * called by the new owner of the service's lease, which proves the old owner is gone.
	 */
	public int requeueOrphans(UUID serviceId, String worker) {
		return client.sql("""
				update delivery set status = 'QUEUED', claimed_by = null, claimed_until = null
				where service_id = ? and status = 'SENDING' and claimed_by is distinct from ?""")
			.params(serviceId, worker)
			.update();
	}

	/** Backstop for claims whose lease nobody took over: returns expired claims to the queue. */
	public int requeueExpiredClaims(Instant now) {
		return client.sql("""
				update delivery set status = 'QUEUED', claimed_by = null, claimed_until = null
				where status = 'SENDING' and claimed_until < ?""").param(timestamptz(now)).update();
	}

	/**
	 * Services that have mail due now. Walks the distinct services of the queued index (a loose index
	 * scan), so its cost grows with the number of services, not with the number of queued mails.
	 */
	public List<UUID> servicesWithDueMail(Instant now) {
		return client.sql("""
				with recursive queued(service_id) as (
				  (select service_id from delivery where status = 'QUEUED' order by service_id limit 1)
				  union all
				  select (select d.service_id from delivery d
				          where d.status = 'QUEUED' and d.service_id > q.service_id
				          order by d.service_id limit 1)
				  from queued q where q.service_id is not null)
				select q.service_id from queued q
				where q.service_id is not null
				  and exists (select 1 from delivery d where d.service_id = q.service_id and d.status = 'QUEUED'
				              and d.next_attempt_at <= ?)""")
			.param(timestamptz(now))
			.query(UUID.class)
			.list();
	}

	/** Whether one service has mail due now (the due-mail index, one service's range). */
	public boolean hasDueMail(UUID serviceId, Instant now) {
		return client.sql("""
				select exists (select 1 from delivery where service_id = ? and status = 'QUEUED'
				               and next_attempt_at <= ?)""")
			.params(serviceId, timestamptz(now))
			.query(Boolean.class)
			.single();
	}

	/** Holds a service's queued mail (it needs re-authorization or a configuration fix). */
	public int holdQueued(UUID serviceId, ErrorDetails reason) {
		return client.sql("""
				update delivery set status = 'HELD', error = cast(? as jsonb)
				where service_id = ? and status = 'QUEUED'""").params(json(reason), serviceId).update();
	}

	/** Puts held mail of services that are authorized again back in the queue; returns those services. */
	public List<UUID> releaseHeldOfAuthorizedServices(Instant now) {
		return client.sql("""
				update delivery d set status = 'QUEUED', next_attempt_at = greatest(d.next_attempt_at, :now)
				from smtp_service s
				where s.id = d.service_id and d.status = 'HELD' and s.status = 'AUTHORIZED' and s.deleted_at is null
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
				update delivery d set status = 'FAILED', error = cast(:reason as jsonb), finished_at = :now,
				  request = null, claimed_by = null, claimed_until = null
				where d.request_id in (
				  select d2.request_id from delivery d2 join smtp_service s on s.id = d2.service_id
				  where d2.status in ('QUEUED', 'HELD') and s.deleted_at is not null
				  limit :limit for update of d2 skip locked)
				returning """ + " " + FINISHED_COLUMNS)
			.param("reason", json(reason))
			.param("now", timestamptz(now))
			.param("limit", limit)
			.query(DeliveryQueue::finishedRow)
			.list();
	}

	/** Expires waiting mail whose {@code expiresAt} has passed. */
	public List<FinishedDelivery> expireDue(ErrorDetails reason, Instant now, int limit) {
		return client.sql("""
				update delivery set status = 'EXPIRED', error = cast(:reason as jsonb), finished_at = :now,
				  request = null, claimed_by = null, claimed_until = null
				where request_id in (
				  select request_id from delivery
				  where status in ('QUEUED', 'HELD') and expires_at < :now
				  limit :limit for update skip locked)
				returning """ + " " + FINISHED_COLUMNS)
			.param("reason", json(reason))
			.param("now", timestamptz(now))
			.param("limit", limit)
			.query(DeliveryQueue::finishedRow)
			.list();
	}

	/**
	 * Settles claimed mails in one transaction. An outcome whose claim is no longer this worker's (its lease
	 * was taken over) is dropped: the new owner decides.
	 * @return the deliveries that reached a final status
	 */
	@Transactional
	public List<FinishedDelivery> settle(List<Outcome> outcomes, String worker) {
		if (outcomes.isEmpty()) {
			return List.of();
		}
		List<Object[]> updates = new ArrayList<>(outcomes.size());
		List<Object[]> attempts = new ArrayList<>();
		for (Outcome outcome : outcomes) {
			updates.add(update(outcome, worker));
		}
		int[] counts = jdbc.batchUpdate("""
				update delivery set status = ?, attempts = attempts + ?, next_attempt_at = coalesce(?, next_attempt_at),
				  message_id = coalesce(?, message_id), smtp_reply = coalesce(cast(? as jsonb), smtp_reply),
				  error = case when ? then null else coalesce(cast(? as jsonb), error) end, finished_at = ?,
				  request = case when ? then null else request end, claimed_by = null, claimed_until = null
				where request_id = ? and claimed_by = ? and status = 'SENDING'""", updates);
		List<FinishedDelivery> finished = new ArrayList<>();
		for (int i = 0; i < counts.length; i++) {
			if (counts[i] != 1) {
				continue;
			}
			Outcome outcome = outcomes.get(i);
			if (outcome.attempted()) {
				attempts.add(attempt(outcome));
			}
			if (outcome.finalStatus() != null) {
				finished.add(finished(outcome));
			}
		}
		if (!attempts.isEmpty()) {
			jdbc.batchUpdate("""
					insert into delivery_attempt (request_id, attempt, started_at, finished_at, outcome, smtp_reply, error)
					values (?, ?, ?, ?, ?, cast(? as jsonb), cast(? as jsonb))
					on conflict do nothing""", attempts);
		}
		return finished;
	}

	/** Final deliveries whose result is not on Kafka yet, finished before {@code before}. */
	public List<FinishedDelivery> unpublished(Instant before, int limit) {
		return client.sql("select " + FINISHED_COLUMNS + """
				 from delivery
				where published_at is null and finished_at is not null and finished_at < ?
				order by finished_at limit ?""")
			.params(timestamptz(before), limit)
			.query(DeliveryQueue::finishedRow)
			.list();
	}

	public void markPublished(Collection<UUID> requestIds, Instant at) {
		if (!requestIds.isEmpty()) {
			client.sql("update delivery set published_at = ? where request_id = any(?)")
				.params(timestamptz(at), requestIds.toArray(UUID[]::new))
				.update();
		}
	}

	/** Deletes final, published deliveries finished before {@code cutoff}; returns how many. */
	public int purgeFinishedBefore(Instant cutoff, int limit) {
		return client.sql("""
				delete from delivery where request_id in (
				  select request_id from delivery
				  where finished_at < ? and published_at is not null limit ?)""")
			.params(timestamptz(cutoff), limit)
			.update();
	}

	/** Queue depth and age by priority, and held mail, for metrics. */
	public QueueStats stats(Instant now) {
		record Row(int priority, long count, Instant oldest) {
		}
		List<Row> rows = client.sql("""
				select priority, count(*) as depth, min(enqueued_at) as oldest from delivery
				where status in ('QUEUED', 'SENDING') group by priority""")
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

	private static Object[] update(Outcome outcome, String worker) {
		QueuedMail mail = outcome.mail();
		return switch (outcome) {
			case Outcome.Sent s -> new Object[] { "SENT", 1, null, s.messageId(), json(s.reply()), true, null,
					timestamptz(s.finishedAt()), true, mail.requestId(), worker };
			case Outcome.Failed f -> new Object[] { "FAILED", f.attempted() ? 1 : 0, null, f.messageId(),
					json(f.reply()), false, json(f.error()), timestamptz(f.finishedAt()), true, mail.requestId(),
					worker };
			case Outcome.Expired e -> new Object[] { "EXPIRED", 0, null, null, null, false, json(e.error()),
					timestamptz(e.at()), true, mail.requestId(), worker };
			case Outcome.Retry r -> new Object[] { "QUEUED", r.attempted() ? 1 : 0, timestamptz(r.nextAttemptAt()),
					r.messageId(), json(r.reply()), false, json(r.error()), null, false, mail.requestId(), worker };
			case Outcome.Requeued q -> new Object[] { "QUEUED", 0, timestamptz(q.nextAttemptAt()), null, null, false,
					null, null, false, mail.requestId(), worker };
			case Outcome.Held h -> new Object[] { "HELD", 0, null, null, json(h.reply()), false, json(h.error()), null,
					false, mail.requestId(), worker };
		};
	}

	private static Object[] attempt(Outcome outcome) {
		int number = outcome.mail().attempts() + 1;
		return switch (outcome) {
			case Outcome.Sent s -> new Object[] { s.mail().requestId(), number, timestamptz(s.startedAt()),
					timestamptz(s.finishedAt()), "SENT", json(s.reply()), null };
			case Outcome.Failed f -> new Object[] { f.mail().requestId(), number, timestamptz(f.startedAt()),
					timestamptz(f.finishedAt()), "FAILED", json(f.reply()), json(f.error()) };
			case Outcome.Retry r -> new Object[] { r.mail().requestId(), number, timestamptz(r.startedAt()),
					timestamptz(r.finishedAt()), "RETRY", json(r.reply()), json(r.error()) };
			default -> throw new IllegalArgumentException(outcome + " made no attempt");
		};
	}

	private static FinishedDelivery finished(Outcome outcome) {
		QueuedMail mail = outcome.mail();
		SendRequest request = mail.request();
		int attempts = mail.attempts() + (outcome.attempted() ? 1 : 0);
		return switch (outcome) {
			case Outcome.Sent s -> new FinishedDelivery(mail.requestId(), request.accountId(), mail.serviceId(),
					SendStatus.SENT, attempts, s.messageId(), s.reply(), null, request.priority(), mail.enqueuedAt(),
					mail.acceptedAt(), s.finishedAt(), request.tags(), mail.traceparent());
			case Outcome.Failed f -> new FinishedDelivery(mail.requestId(), request.accountId(), mail.serviceId(),
					SendStatus.FAILED, attempts, f.messageId(), f.reply(), f.error(), request.priority(),
					mail.enqueuedAt(), mail.acceptedAt(), f.finishedAt(), request.tags(), mail.traceparent());
			case Outcome.Expired e -> new FinishedDelivery(mail.requestId(), request.accountId(), mail.serviceId(),
					SendStatus.EXPIRED, attempts, null, null, e.error(), request.priority(), mail.enqueuedAt(),
					mail.acceptedAt(), e.at(), request.tags(), mail.traceparent());
			default -> throw new IllegalArgumentException(outcome + " is not final");
		};
	}

	static FinishedDelivery finishedRow(ResultSet rs, int row) throws SQLException {
		return new FinishedDelivery(rs.getObject("request_id", UUID.class), rs.getString("account_id"),
				rs.getObject("service_id", UUID.class), SendStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
				rs.getString("message_id"), fromJson(rs.getString("smtp_reply"), SmtpReply.class),
				fromJson(rs.getString("error"), ErrorDetails.class), priority(rs.getInt("priority")),
				instant(rs, "enqueued_at"), instant(rs, "accepted_at"), instant(rs, "finished_at"),
				rs.getString("tags") == null ? Map.of() : MailroomJson.mapper().readValue(rs.getString("tags"), TAGS),
				rs.getString("traceparent"));
	}

	static int rank(Priority priority) {
		return priority == Priority.BULK ? 1 : 0;
	}

	static Priority priority(int rank) {
		return rank == 1 ? Priority.BULK : Priority.TRANSACTIONAL;
	}

}
