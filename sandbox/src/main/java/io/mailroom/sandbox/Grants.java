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
	 * An access token for a user (delegated, {@code userId} set, permissions in {@code scopes}) or for an app
	 * (client credentials, {@code userId} null, {@code scopes} the {@code .default} asked for, application
	 * permissions in {@code roles}).
	 *
	 * @param upn the user's principal name (delegated), or null
	 * @param objectId the user's or the app's service principal's object ID ({@code oid})
	 */
	record AccessToken(String clientId, String tenantId, String userId, Set<String> scopes, Set<String> roles,
			String upn, String objectId, Instant issuedAt, Instant expiresAt) {

		boolean delegated() {
			return this.userId != null;
		}

		/** The resource the token is for: Exchange Online or Microsoft Graph, in canonical form. */
		String resource() {
			return this.scopes.stream().findFirst().map(Scopes::resource).map(Scopes::canonicalResource).orElse("");
		}

		/** The permission names of a delegated token ({@code scp}), e.g. {@code Mail.Send}. */
		Set<String> permissions() {
			Set<String> names = new java.util.TreeSet<>();
			for (String scope : this.scopes) {
				names.add(scope.substring(scope.lastIndexOf('/') + 1));
			}
			names.remove(".default");
			return names;
		}

		/** Whether the token carries a delegated permission or an application role of this name. */
		boolean allows(String permission) {
			return delegated() ? permissions().contains(permission) : this.roles.contains(permission);
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

	/**
	 * A JWT, as Exchange Online's and Graph's access tokens are: clients may read its claims (Mailroom's
	 * Verify does) but must not rely on its signature; the resource servers here look it up instead.
	 */
	String issue(AccessToken token) {
		java.util.Map<String, Object> claims = new java.util.LinkedHashMap<>();
		// v1.0 access tokens, as Exchange Online and Graph get them, carry the sts.windows.net issuer
		claims.put("aud", token.resource());
		claims.put("iss", "https://sts.windows.net/" + token.tenantId() + "/");
		claims.put("iat", token.issuedAt().getEpochSecond());
		claims.put("exp", token.expiresAt().getEpochSecond());
		claims.put("appid", token.clientId());
		claims.put("idtyp", token.delegated() ? "user" : "app");
		claims.put("oid", token.objectId());
		if (token.delegated()) {
			claims.put("scp", String.join(" ", token.permissions()));
			claims.put("upn", token.upn());
		}
		else if (!token.roles().isEmpty()) {
			claims.put("roles", java.util.List.copyOf(token.roles()));
		}
		claims.put("tid", token.tenantId());
		String value = SigningKey.get().signAccessToken(claims);
		this.accessTokens.put(value, token);
		return value;
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
