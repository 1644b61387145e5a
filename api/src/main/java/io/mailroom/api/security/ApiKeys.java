package io.mailroom.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import io.mailroom.api.web.Role;

import static io.mailroom.core.database.SqlValues.instant;
import static io.mailroom.core.database.SqlValues.timestamptz;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The API keys of accounts. A key is {@code mr_} and 43 URL-safe characters (256 random bits); only its
 * SHA-256 hash is stored: a slow password hash buys nothing for a value that random, and the lookup must
 * be one indexed query per request. Each key has a role and, unless the deployment gave it, an expiry.
 */
@Repository
class ApiKeys {

	static final String PREFIX = "mr_";

	private static final Pattern WELL_FORMED = Pattern.compile("mr_[A-Za-z0-9_-]{32,200}");

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final String COLUMNS = "id, account_id, name, role, created_at, expires_at, last_used_at, revoked_at";

	private final JdbcClient jdbc;

	ApiKeys(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A new key for {@code accountId}; the plaintext exists only in the returned value. */
	NewKey create(String accountId, String name, Role role, Instant expiresAt, Instant at) {
		byte[] random = new byte[32];
		RANDOM.nextBytes(random);
		String plaintext = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		UUID id = UUID.randomUUID();
		jdbc.sql("""
				insert into api_key (id, account_id, name, key_hash, role, expires_at, created_at)
				values (?, ?, ?, ?, ?, ?, ?)""")
			.params(id, accountId, name, hash(plaintext), role.name(), timestamptz(expiresAt), timestamptz(at))
			.update();
		return new NewKey(new ApiKey(id, accountId, name, role, at, expiresAt, null, null), plaintext);
	}

	/**
	 * Stores a key given by the deployment, as an admin key without expiry, unless it is stored already;
	 * false if it was.
	 */
	boolean ensure(String accountId, String name, String plaintext, Instant at) {
		return jdbc.sql("""
				insert into api_key (id, account_id, name, key_hash, role, created_at) values (?, ?, ?, ?, ?, ?)
				on conflict (key_hash) do nothing""")
			.params(UUID.randomUUID(), accountId, name, hash(plaintext), Role.ADMIN.name(), timestamptz(at))
			.update() == 1;
	}

	/**
	 * The unrevoked key with this plaintext, expired or not (the caller tells an expired key apart). Notes the
	 * use of a valid key at most once a minute, so a busy key does not turn every request into a write.
	 */
	Optional<ApiKey> authenticate(String plaintext, Instant at) {
		if (!wellFormed(plaintext)) {
			return Optional.empty();
		}
		Optional<ApiKey> key = jdbc.sql("select " + COLUMNS + " from api_key where key_hash = ? and revoked_at is null")
			.param(hash(plaintext))
			.query(ApiKeys::map)
			.optional();
		key.filter(found -> !found.expiredAt(at))
			.filter(found -> found.lastUsedAt() == null || found.lastUsedAt().isBefore(at.minusSeconds(60)))
			.ifPresent(found -> jdbc.sql("update api_key set last_used_at = ? where id = ?")
				.params(timestamptz(at), found.id())
				.update());
		return key;
	}

	List<ApiKey> list(String accountId) {
		return jdbc.sql("select " + COLUMNS + " from api_key where account_id = ? order by created_at, id")
			.param(accountId)
			.query(ApiKeys::map)
			.list();
	}

	/** Revokes a key of the account; false if it has no such active key. */
	boolean revoke(String accountId, UUID id, Instant at) {
		return jdbc.sql("update api_key set revoked_at = ? where id = ? and account_id = ? and revoked_at is null")
			.params(timestamptz(at), id, accountId)
			.update() == 1;
	}

	static boolean wellFormed(String plaintext) {
		return plaintext != null && WELL_FORMED.matcher(plaintext).matches();
	}

	private static String hash(String plaintext) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(plaintext.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	private static ApiKey map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		return new ApiKey(rs.getObject("id", UUID.class), rs.getString("account_id"), rs.getString("name"),
				Role.valueOf(rs.getString("role")), instant(rs, "created_at"), instant(rs, "expires_at"),
				instant(rs, "last_used_at"), instant(rs, "revoked_at"));
	}

	/**
	 * A stored key, without its secret.
	 *
	 * @param expiresAt when it stops working; null for a key the deployment gave (or one made before keys expired)
	 */
	record ApiKey(UUID id, String accountId, String name, Role role, Instant createdAt, Instant expiresAt,
			Instant lastUsedAt, Instant revokedAt) {

		boolean expiredAt(Instant at) {
			return expiresAt != null && !at.isBefore(expiresAt);
		}

		/** How the audit log names whoever used this key. */
		String actor() {
			return "api-key:" + id;
		}

	}

	/** A key just created, with the plaintext to show once. */
	record NewKey(ApiKey key, String plaintext) {

		@Override
		public String toString() {
			return "NewKey[" + key + "]";
		}

	}

}
