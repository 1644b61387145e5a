package io.mailroom.api.authorization;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static io.mailroom.core.database.SqlValues.instant;
import static io.mailroom.core.database.SqlValues.timestamptz;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Started authorizations, by the hash of their state. */
@Repository
class AuthorizationAttempts {

	/** How long consumed and expired attempts are kept, to tell a replayed state from an unknown one. */
	private static final Duration KEPT = Duration.ofDays(1);

	private final JdbcClient jdbc;

	AuthorizationAttempts(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(Started started) {
		jdbc.sql("delete from authorization_attempt where expires_at < ?")
			.param(timestamptz(started.createdAt().minus(KEPT)))
			.update();
		jdbc.sql("""
				insert into authorization_attempt (state_hash, service_id, account_id, actor, code_verifier, return_url,
				  created_at, expires_at)
				values (?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(started.stateHash(), started.serviceId(), started.accountId(), started.actor(),
					started.sealedVerifier(), started.returnUrl(), timestamptz(started.createdAt()),
					timestamptz(started.expiresAt()))
			.update();
	}

	/**
	 * Consumes a started authorization: succeeds once per state, and only before it expires. Two callbacks
	 * racing with the same state cannot both get it.
	 */
	Optional<Started> consume(String stateHash, Instant now) {
		return jdbc.sql("""
				update authorization_attempt set consumed_at = :now
				where state_hash = :hash and consumed_at is null and expires_at > :now
				returning state_hash, service_id, account_id, actor, code_verifier, return_url, created_at, expires_at""")
			.param("now", timestamptz(now))
			.param("hash", stateHash)
			.query((rs, row) -> new Started(rs.getString("state_hash"), rs.getObject("service_id", UUID.class),
					rs.getString("account_id"), rs.getString("actor"), rs.getBytes("code_verifier"),
					rs.getString("return_url"), instant(rs, "created_at"), instant(rs, "expires_at")))
			.optional();
	}

	/** Why a state could not be consumed. */
	Refusal whyRefused(String stateHash, Instant now) {
		return jdbc.sql("select consumed_at, expires_at from authorization_attempt where state_hash = ?")
			.param(stateHash)
			.query((rs, row) -> instant(rs, "consumed_at") != null ? Refusal.USED
					: instant(rs, "expires_at").isAfter(now) ? Refusal.UNKNOWN : Refusal.EXPIRED)
			.optional()
			.orElse(Refusal.UNKNOWN);
	}

	/** Forgets a service's authorizations that were started but not finished. */
	void cancel(UUID serviceId) {
		jdbc.sql("delete from authorization_attempt where service_id = ? and consumed_at is null")
			.param(serviceId)
			.update();
	}

	/**
	 * A started authorization as stored.
	 *
	 * @param sealedVerifier the PKCE verifier, sealed for {@link #verifierContext(String)}
	 * @param returnUrl where to send the browser afterwards; null for the callback's own page
	 */
	record Started(String stateHash, UUID serviceId, String accountId, String actor, byte[] sealedVerifier,
			String returnUrl, Instant createdAt, Instant expiresAt) {

		static String verifierContext(String stateHash) {
			return "authorization_attempt/" + stateHash + "/code_verifier";
		}

		@Override
		public String toString() {
			return "Started[serviceId=" + serviceId + ", accountId=" + accountId + ", expiresAt=" + expiresAt + "]";
		}

	}

	/** Why a callback's state was refused. */
	enum Refusal {

		UNKNOWN("Mailroom does not know this authorization: it was cancelled because the service's credentials "
				+ "changed, or the link was altered."),

		EXPIRED("This authorization took longer than Mailroom allows, so it has expired."),

		USED("This authorization was already completed once, and each one works only once.");

		private final String explanation;

		Refusal(String explanation) {
			this.explanation = explanation;
		}

		String explanation() {
			return explanation;
		}

	}

}
