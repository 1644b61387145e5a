package io.mailroom.worker.tokens;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static io.mailroom.core.database.SqlValues.timestamptz;

/** Which authorized services have not had their token cache refreshed for a long time. */
@Repository
class IdleTokenCaches {

	private final JdbcClient jdbc;

	IdleTokenCaches(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Authorized OAuth2 services whose cache was last refreshed before {@code cutoff}, the longest idle first. */
	List<UUID> refreshedBefore(Instant cutoff, int limit) {
		return jdbc.sql("""
				select s.id from smtp_service s join token_cache c on c.service_id = s.id and s.provider = 'MICROSOFT'
				where s.status = 'AUTHORIZED' and s.auth_type = 'OAUTH2' and s.deleted_at is null
				  and c.refreshed_at < ?
				order by c.refreshed_at limit ?""")
			.params(timestamptz(cutoff), limit)
			.query(UUID.class)
			.list();
	}

	/** Whether the service's cache is still unrefreshed since {@code cutoff} (another worker may have just done it). */
	boolean stillRefreshedBefore(UUID serviceId, Instant cutoff) {
		return jdbc.sql("select count(*) from token_cache where service_id = ? and refreshed_at < ?")
			.params(serviceId, timestamptz(cutoff))
			.query(Long.class)
			.single() > 0;
	}

}
