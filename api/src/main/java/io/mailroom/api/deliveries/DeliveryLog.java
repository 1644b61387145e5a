package io.mailroom.api.deliveries;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.SmtpReply;
import tools.jackson.core.type.TypeReference;

import static io.mailroom.core.database.SqlValues.fromJson;
import static io.mailroom.core.database.SqlValues.instant;
import static io.mailroom.core.database.SqlValues.json;
import static io.mailroom.core.database.SqlValues.timestamptz;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads the delivery log; every method is scoped to an account. */
@Component
public class DeliveryLog {

	private static final String COLUMNS = """
			request_id, service_id, status, subject, recipient, recipient_count, tags::text as tags, enqueued_at,
			accepted_at, not_before, expires_at, next_attempt_at, attempts, message_id, smtp_reply::text as smtp_reply,
			error::text as error, finished_at""";

	private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	DeliveryLog(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** One request of the account, with its attempts. */
	public Optional<Delivery> find(String accountId, UUID requestId) {
		return jdbc.sql("select " + COLUMNS + " from delivery where request_id = ? and account_id = ?")
			.params(requestId, accountId)
			.query(DeliveryLog::map)
			.optional()
			.map(delivery -> delivery.withAttemptLog(attempts(requestId)));
	}

	/** Mail each of {@code serviceIds} holds until it is authorized again or fixed. */
	public Map<UUID, Long> held(Collection<UUID> serviceIds) {
		if (serviceIds.isEmpty()) {
			return Map.of();
		}
		return jdbc
			.sql("select service_id, count(*) as held from delivery where service_id = any(?) and status = 'HELD' "
					+ "group by service_id")
			.param(serviceIds.toArray(UUID[]::new))
			.query((rs, row) -> Map.entry(rs.getObject("service_id", UUID.class), rs.getLong("held")))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	/** Mail the service holds. */
	public long held(UUID serviceId) {
		return held(List.of(serviceId)).getOrDefault(serviceId, 0L);
	}

	/** A page of a service's log, newest first; the caller has checked that the account owns the service. */
	List<Delivery> search(String accountId, UUID serviceId, DeliveryFilter filter, int offset, int limit) {
		var statuses = filter.statuses().stream().map(Enum::name).toArray(String[]::new);
		return jdbc.sql("select " + COLUMNS + """
				 from delivery
				where service_id = :service and account_id = :account
				  and (cardinality(cast(:statuses as text[])) = 0 or status = any(cast(:statuses as text[])))
				  and (cast(:from as timestamptz) is null or accepted_at >= :from)
				  and (cast(:to as timestamptz) is null or accepted_at < :to)
				  and (cast(:tagName as text) is null
				       or (cast(:tagValue as text) is null and jsonb_exists(tags, cast(:tagName as text)))
				       or tags @> cast(:tagMatch as jsonb))
				order by accepted_at desc, request_id
				offset :offset limit :limit""")
			.param("service", serviceId)
			.param("account", accountId)
			.param("statuses", statuses)
			.param("from", timestamptz(filter.from()))
			.param("to", timestamptz(filter.to()))
			.param("tagName", filter.tagName())
			.param("tagValue", filter.tagValue())
			.param("tagMatch", filter.tagValue() == null ? null : json(Map.of(filter.tagName(), filter.tagValue())))
			.param("offset", offset)
			.param("limit", limit)
			.query(DeliveryLog::map)
			.list();
	}

	private List<Delivery.Attempt> attempts(UUID requestId) {
		return jdbc.sql("""
				select attempt, started_at, finished_at, outcome, smtp_reply::text as smtp_reply, error::text as error
				from delivery_attempt where request_id = ? order by attempt""")
			.param(requestId)
			.query((rs, row) -> new Delivery.Attempt(rs.getInt("attempt"), instant(rs, "started_at"),
					instant(rs, "finished_at"), rs.getString("outcome"),
					fromJson(rs.getString("smtp_reply"), SmtpReply.class),
					fromJson(rs.getString("error"), ErrorDetails.class)))
			.list();
	}

	private static Delivery map(ResultSet rs, int row) throws SQLException {
		String tags = rs.getString("tags");
		return new Delivery(rs.getObject("request_id", UUID.class), rs.getObject("service_id", UUID.class),
				DeliveryStatus.valueOf(rs.getString("status")), rs.getString("subject"), rs.getString("recipient"),
				rs.getInt("recipient_count"), tags == null ? Map.of() : MailroomJson.mapper().readValue(tags, TAGS),
				instant(rs, "enqueued_at"), instant(rs, "accepted_at"), instant(rs, "not_before"),
				instant(rs, "expires_at"), instant(rs, "next_attempt_at"), rs.getInt("attempts"),
				rs.getString("message_id"), fromJson(rs.getString("smtp_reply"), SmtpReply.class),
				fromJson(rs.getString("error"), ErrorDetails.class), instant(rs, "finished_at"), null);
	}

	/**
	 * Which rows of a service's log to read.
	 *
	 * @param statuses any of these; empty for all
	 * @param from accepted at or after; null for no bound
	 * @param to accepted before; null for no bound
	 * @param tagName rows with this tag; null for any
	 * @param tagValue with this value; null for any value
	 */
	record DeliveryFilter(List<DeliveryStatus> statuses, Instant from, Instant to, String tagName, String tagValue) {
	}

}
