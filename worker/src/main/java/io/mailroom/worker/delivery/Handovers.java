package io.mailroom.worker.delivery;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.mailroom.contracts.Handover;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static io.mailroom.core.database.SqlValues.timestamptz;

/**
 * How mail went out when it was not plain SMTP ({@code delivery_transport}): written when Graph took a
 * mail, read for its result. Kept beside the queue's own rows rather than in them.
 */
@Repository
public class Handovers {

	private final JdbcClient jdbc;

	public Handovers(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Records the handover of a stored request (a request that is not stored is ignored). */
	void record(UUID requestId, GraphAcceptance graph, Instant at) {
		jdbc.sql("""
				insert into delivery_transport (request_id, transport, fallback_reason, http_status, provider_request,
				  ambiguous, recorded_at)
				select ?, ?, ?, ?, ?, ?, ? where exists (select 1 from delivery where request_id = ?)
				on conflict (request_id) do update set transport = excluded.transport,
				  fallback_reason = excluded.fallback_reason, http_status = excluded.http_status,
				  provider_request = excluded.provider_request, ambiguous = excluded.ambiguous,
				  recorded_at = excluded.recorded_at""")
			.params(requestId, graph.transport(), graph.fallbackReason(), graph.httpStatus(), graph.providerRequest(),
					graph.httpStatus() == 504, timestamptz(at), requestId)
			.update();
	}

	/** The handovers of these requests, by request ID; requests sent by SMTP have none. */
	public Map<UUID, Handover> of(Collection<UUID> requestIds) {
		if (requestIds.isEmpty()) {
			return Map.of();
		}
		return jdbc.sql("""
				select request_id, transport, http_status, fallback_reason, provider_request
				from delivery_transport where request_id = any(?)""")
			.param(requestIds.toArray(UUID[]::new))
			.query((rs, row) -> Map.entry(rs.getObject("request_id", UUID.class),
					new Handover(rs.getString("transport"), rs.getObject("http_status", Integer.class),
							rs.getString("fallback_reason"), rs.getString("provider_request"))))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

}
