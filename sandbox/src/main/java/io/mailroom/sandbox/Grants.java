package io.mailroom.sandbox;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the identity platform has issued: authorization codes, refresh tokens and access tokens, all opaque
 * random strings that only mean something to this sandbox.
 *
 * <p>Every sign-in (and every client-credentials request) is a grant with a sequence number; the refresh
 * tokens it leads to carry that number, so a scenario can end "every grant so far" while later sign-ins work.
 */
final class Grants {

	private static final SecureRandom random = new SecureRandom();

	/** An authorization code waiting to be redeemed. */
	record AuthorizationCode(String clientId, String tenantId, String userId, String redirectUri, Set<String> scopes,
			String codeChallenge, String codeChallengeMethod, String nonce, Instant issuedAt, long grant,
			Instant authenticatedAt, AtomicBoolean redeemed) {
	}

	/** A refresh token; each use returns a new one and this one stays valid. */
	record RefreshToken(String clientId, String tenantId, String userId, Set<String> scopes, long grant,
			Instant authenticatedAt, Instant issuedAt, AtomicReference<Instant> lastUsed) {
	}

	/**
	 * An access token for a user (delegated, {@code userId} set) or for an app (client credentials,
	 * {@code userId} null).
	 */
	record AccessToken(String clientId, String tenantId, String userId, Set<String> scopes, Instant expiresAt) {

		boolean delegated() {
			return this.userId != null;
		}

	}

	private final Map<String, AuthorizationCode> codes = new ConcurrentHashMap<>();

	private final Map<String, RefreshToken> refreshTokens = new ConcurrentHashMap<>();

	private final Map<String, AccessToken> accessTokens = new ConcurrentHashMap<>();

	private final AtomicLong grants = new AtomicLong();

	long nextGrant() {
		return this.grants.incrementAndGet();
	}

	long lastGrant() {
		return this.grants.get();
	}

	String issue(AuthorizationCode code, Duration lifetime) {
		// Codes nobody redeemed would pile up over a long local run.
		Instant stale = code.issuedAt().minus(lifetime.multipliedBy(2));
		this.codes.values().removeIf((old) -> old.issuedAt().isBefore(stale));
		return put(this.codes, "0.A", code);
	}

	String issue(RefreshToken token) {
		return put(this.refreshTokens, "1.A", token);
	}

	String issue(AccessToken token) {
		return put(this.accessTokens, "EwB", token);
	}

	Optional<AuthorizationCode> code(String value) {
		return lookup(this.codes, value);
	}

	Optional<RefreshToken> refreshToken(String value) {
		return lookup(this.refreshTokens, value);
	}

	/** The access token, if it is known and not expired at {@code now}. */
	Optional<AccessToken> validAccessToken(String value, Instant now) {
		Optional<AccessToken> token = lookup(this.accessTokens, value);
		if (token.isPresent() && !now.isBefore(token.get().expiresAt())) {
			this.accessTokens.remove(value);
			return Optional.empty();
		}
		return token;
	}

	private static <T> Optional<T> lookup(Map<String, T> tokens, String value) {
		return (value == null) ? Optional.empty() : Optional.ofNullable(tokens.get(value));
	}

	// INVENTED: Microsoft's codes and refresh tokens are long encrypted blobs (codes start "0.A", access tokens
	// for Exchange are JWTs); opaque random strings with a similar prefix carry no claims clients could rely on.
	private static <T> String put(Map<String, T> tokens, String prefix, T token) {
		byte[] bytes = new byte[48];
		random.nextBytes(bytes);
		String value = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		tokens.put(value, token);
		return value;
	}

}
