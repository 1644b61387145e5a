package io.mailroom.api.audit;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.mailroom.api.web.Caller;
import io.mailroom.contracts.MailroomJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;

import static io.mailroom.core.database.SqlValues.instant;
import static io.mailroom.core.database.SqlValues.json;
import static io.mailroom.core.database.SqlValues.timestamptz;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Records admin actions in {@code audit_event} and reads an account's events back, newest first. */
@Component
public class AuditLog {

	private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

	private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final Clock clock;

	AuditLog(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** Records an action of the caller. */
	public void record(Caller caller, AuditAction action, UUID serviceId, Map<String, ?> details) {
		record(caller.accountId(), caller.actor(), action, serviceId, details);
	}

	/**
	 * Records an action taken on behalf of {@code actor} of {@code accountId}, e.g. by the authorization
	 * callback for whoever started the authorization.
	 * @param details what changed, without secret values; may be empty
	 */
	public void record(String accountId, String actor, AuditAction action, UUID serviceId, Map<String, ?> details) {
		jdbc.sql("""
				insert into audit_event (account_id, actor, action, service_id, occurred_at, details)
				values (?, ?, ?, ?, ?, cast(? as jsonb))""")
			.params(accountId, actor, action.name(), serviceId, timestamptz(clock.instant()), json(details))
			.update();
		LOG.info("Audit: {} by {} of account {} on service {}", action, actor, accountId, serviceId);
	}

	/** The account's events, newest first, optionally of one service and older than event {@code before}. */
	List<AuditEvent> list(String accountId, UUID serviceId, Long before, int limit) {
		return jdbc.sql("""
				select id, actor, action, service_id, occurred_at, details::text as details from audit_event
				where account_id = ? and (cast(? as uuid) is null or service_id = ?)
				  and (cast(? as bigint) is null or id < ?)
				order by id desc limit ?""")
			.params(accountId, serviceId, serviceId, before, before, limit)
			.query((rs, row) -> new AuditEvent(rs.getLong("id"), rs.getString("actor"),
					AuditAction.valueOf(rs.getString("action")), rs.getObject("service_id", UUID.class),
					instant(rs, "occurred_at"), MailroomJson.mapper().readValue(rs.getString("details"), DETAILS)))
			.list();
	}

}
