package io.mailroom.worker.delivery;

import java.time.Instant;
import java.util.UUID;


import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static io.mailroom.core.database.SqlValues.timestamptz;

/**
 * How mail went out when it was not plain SMTP ({@code delivery_transport}): written when Graph took a
 * mail, read for its result (DeliveryQueue joins it). Kept beside the queue's own rows rather than in them.
 */
@Repository
class Handovers {

	private final JdbcClient jdbc;

	Handovers(JdbcClient jdbc) {
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

}
