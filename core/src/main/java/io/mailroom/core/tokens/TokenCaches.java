package io.mailroom.core.tokens;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.mailroom.core.secrets.SecretBox;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static io.mailroom.core.database.SqlValues.timestamptz;

/** The sealed, versioned MSAL token caches of services. */
@Repository
public class TokenCaches {

	/** The version of a service's token cache when it has none (stored caches start at 1). */
	public static final long NONE = 0;

	private final JdbcClient jdbc;

	private final SecretBox secrets;

	public TokenCaches(JdbcClient jdbc, SecretBox secrets) {
		this.jdbc = jdbc;
		this.secrets = secrets;
	}

	public Optional<StoredTokenCache> load(UUID serviceId) {
		return jdbc.sql("select version, sealed from token_cache where service_id = ?")
			.param(serviceId)
			.query((rs, row) -> new StoredTokenCache(serviceId, rs.getLong("version"),
					secrets.open(rs.getBytes("sealed"), context(serviceId))))
			.optional();
	}

	/**
	 * Saves a cache that was changed by a silent refresh, if the stored one is still the version it was
	 * read from.
	 * @return the new version, or empty if someone saved a newer cache meanwhile (keep theirs: reload it)
	 */
	public Optional<Long> compareAndSet(UUID serviceId, long expectedVersion, String json) {
		int updated = jdbc.sql("""
				update token_cache set version = version + 1, key_id = ?, sealed = ?, refreshed_at = ?
				where service_id = ? and version = ?""")
			.params(secrets.activeKeyId(), secrets.seal(json, context(serviceId)), timestamptz(Instant.now()),
					serviceId, expectedVersion)
			.update();
		return updated == 1 ? Optional.of(expectedVersion + 1) : Optional.empty();
	}

	/** Stores the cache of a new authorization, superseding whatever was there. Returns its version. */
	public long replace(UUID serviceId, String json) {
		return jdbc.sql("""
				insert into token_cache (service_id, version, key_id, sealed, refreshed_at)
				values (:id, 1, :key, :sealed, :at)
				on conflict (service_id) do update
				  set version = token_cache.version + 1, key_id = :key, sealed = :sealed, refreshed_at = :at
				returning version""")
			.param("id", serviceId)
			.param("key", secrets.activeKeyId())
			.param("sealed", secrets.seal(json, context(serviceId)))
			.param("at", timestamptz(Instant.now()))
			.query(Long.class)
			.single();
	}

	/** Forgets a service's authorization (credentials changed, service deleted). */
	public void delete(UUID serviceId) {
		jdbc.sql("delete from token_cache where service_id = ?").param(serviceId).update();
	}

	private static String context(UUID serviceId) {
		return "token_cache/" + serviceId;
	}

}
