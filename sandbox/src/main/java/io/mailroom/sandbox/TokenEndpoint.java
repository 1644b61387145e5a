package io.mailroom.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mailroom.sandbox.Directory.Account;
import io.mailroom.sandbox.Directory.App;
import io.mailroom.sandbox.IdentityError.Trace;
import io.mailroom.sandbox.Scenarios.Condition;

/**
 * {@code POST /{tenant}/oauth2/v2.0/token}: authorization code (with PKCE), refresh token (rotating) and
 * client credentials, with Microsoft's success and error JSON.
 */
final class TokenEndpoint {

	private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);

	private final Directory directory;

	private final Grants grants;

	private final Scenarios scenarios;

	private final SandboxStats stats;

	private final SandboxSettings settings;

	private final String issuerBase;

	TokenEndpoint(Directory directory, Grants grants, Scenarios scenarios, SandboxStats stats,
			SandboxSettings settings, String issuerBase) {
		this.directory = directory;
		this.grants = grants;
		this.scenarios = scenarios;
		this.stats = stats;
		this.settings = settings;
		this.issuerBase = issuerBase;
	}

	void token(HttpExchange exchange, String tenant) throws IOException {
		Map<String, String> form = Http.form(exchange);
		String grantType = form.get("grant_type");
		this.stats.tokenRequest(grantType);
		String clientRequestId = exchange.getRequestHeaders().getFirst("client-request-id");
		Trace trace = Trace.of(clientRequestId, now());
		if (clientRequestId != null
				&& "true".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("return-client-request-id"))) {
			// The identity platform echoes the client's request ID when asked. (The JDK's server sends the name
			// as "Client-request-id"; MSAL looks it up case-sensitively, so it still logs a mismatch at INFO.)
			exchange.getResponseHeaders().set("client-request-id", clientRequestId);
		}
		Latency.apply(this.scenarios.tokenLatency());
		Optional<TenantSegment> resolved = TenantSegment.resolve(this.directory, tenant);
		String tenantId = resolved.filter(TenantSegment::specific).map((s) -> s.tenant().id()).orElse(null);
		this.scenarios.holdTokenRequest(tenantId);
		try {
			if (this.scenarios.outageHits(tenantId)) {
				throw new IdentityFailure(IdentityError.temporarilyUnavailable());
			}
			TenantSegment segment = resolved.orElseThrow(() -> new IdentityFailure(IdentityError.tenantNotFound(tenant)));
			App app = authenticateClient(exchange, form, segment, tenant);
			if (grantType == null || grantType.isBlank()) {
				throw new IdentityFailure(IdentityError.missingParameter("grant_type"));
			}
			Map<String, Object> tokens = switch (grantType) {
				case "authorization_code" -> redeemCode(form, segment, app);
				case "refresh_token" -> refresh(form, segment, app);
				case "client_credentials" -> clientCredentials(form, segment, app);
				default -> throw new IdentityFailure(IdentityError.unsupportedGrantType(grantType));
			};
			Http.tokenJson(exchange, 200, tokens);
		}
		catch (IdentityFailure failure) {
			IdentityError error = failure.error();
			LOG.debug("Token request ({}) refused with {} AADSTS{}", grantType, error.error(), error.code());
			Http.tokenJson(exchange, error.status(), error.body(trace));
		}
	}

	/**
	 * The app, if the request carries its ID and a valid credential: a secret (in the body or as HTTP Basic),
	 * or a client assertion signed with one of its certificates ({@code private_key_jwt}).
	 */
	private App authenticateClient(HttpExchange exchange, Map<String, String> form, TenantSegment segment,
			String tenant) throws IdentityFailure {
		String clientId = form.get("client_id");
		String secret = form.get("client_secret");
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
			String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
					StandardCharsets.UTF_8);
			int colon = decoded.indexOf(':');
			if (colon > 0) {
				// RFC 6749 2.3.1: both parts are form-urlencoded before Basic encoding.
				clientId = (clientId != null) ? clientId : Http.decode("v=" + decoded.substring(0, colon)).get("v");
				secret = (secret != null) ? secret : Http.decode("v=" + decoded.substring(colon + 1)).get("v");
			}
		}
		if (clientId == null || clientId.isBlank()) {
			throw new IdentityFailure(IdentityError.missingParameter("client_id"));
		}
		String requestedId = clientId;
		App app = this.directory.registeredApp(clientId)
			.orElseThrow(() -> new IdentityFailure(IdentityError.appNotFound(requestedId, segment.directoryName())));
		if (!app.multiTenant && !segment.specific()) {
			throw new IdentityFailure(IdentityError.singleTenantAppOnCommonEndpoint(app.clientId, app.displayName));
		}
		if (!app.multiTenant && !segment.admits(app.homeTenantId)) {
			throw new IdentityFailure(IdentityError.appNotFound(app.clientId, segment.directoryName()));
		}
		String assertion = form.get("client_assertion");
		if ((secret == null || secret.isEmpty()) && assertion != null && !assertion.isEmpty()) {
			if (!ClientAssertions.TYPE.equals(form.get("client_assertion_type"))) {
				throw new IdentityFailure(IdentityError.clientAssertionTypeInvalid());
			}
			ClientAssertions.verify(assertion, app, this.issuerBase + "/" + tenant + "/oauth2/v2.0/token", now());
			return app;
		}
		if (secret == null || secret.isEmpty()) {
			throw new IdentityFailure(IdentityError.clientCredentialMissing());
		}
		for (ClientSecret candidate : app.secrets) {
			if (MessageDigest.isEqual(candidate.value().getBytes(StandardCharsets.UTF_8),
					secret.getBytes(StandardCharsets.UTF_8))) {
				if (!now().isBefore(candidate.expiresAt())
						|| this.scenarios.clientSecretExpired(app.clientId, candidate.id())) {
					throw new IdentityFailure(IdentityError.clientSecretExpired(app.clientId));
				}
				return app;
			}
		}
		// Includes the classic mistake of sending the secret's ID instead of its value.
		throw new IdentityFailure(IdentityError.invalidClientSecret(app.clientId));
	}

	private Map<String, Object> redeemCode(Map<String, String> form, TenantSegment segment, App app)
			throws IdentityFailure {
		String value = required(form, "code");
		Grants.AuthorizationCode code = this.grants.code(value)
			.filter((candidate) -> candidate.clientId().equals(app.clientId))
			.orElseThrow(() -> new IdentityFailure(IdentityError.malformedGrant()));
		Account account = account(code.userId());
		if (!segment.admits(code.tenantId())) {
			throw new IdentityFailure(IdentityError.userNotInTenant(account.user, segment.directoryName(),
					app.clientId, app.displayName));
		}
		if (code.redeemed().get()) {
			throw new IdentityFailure(IdentityError.codeAlreadyRedeemed());
		}
		if (!now().isBefore(code.issuedAt().plus(this.settings.authorizationCodeLifetime()))) {
			throw new IdentityFailure(IdentityError.expired());
		}
		String redirectUri = required(form, "redirect_uri");
		if (!redirectUri.equals(code.redirectUri())) {
			throw new IdentityFailure(IdentityError.replyAddressMismatch(redirectUri, code.redirectUri()));
		}
		if (code.codeChallenge() != null && !pkceMatches(code, form.get("code_verifier"))) {
			throw new IdentityFailure(IdentityError.codeVerifierMismatch());
		}
		Scopes granted = Scopes.of(code.scopes());
		Scopes requested = requestedWithin(form, granted, app, segment);
		// INVENTED: a code is spent by its first successful redemption only; a failed attempt (wrong verifier)
		// leaves it redeemable. Entra does not document which it does.
		if (!code.redeemed().compareAndSet(false, true)) {
			throw new IdentityFailure(IdentityError.codeAlreadyRedeemed());
		}
		return userTokens(form, app, account, granted, requested, code.grant(), code.authenticatedAt(), code.nonce());
	}

	private Map<String, Object> refresh(Map<String, String> form, TenantSegment segment, App app)
			throws IdentityFailure {
		String value = required(form, "refresh_token");
		Grants.RefreshToken token = this.grants.refreshToken(value)
			.filter((candidate) -> candidate.clientId().equals(app.clientId))
			.orElseThrow(() -> new IdentityFailure(IdentityError.malformedGrant()));
		Account account = account(token.userId());
		if (!segment.admits(token.tenantId())) {
			throw new IdentityFailure(IdentityError.userNotInTenant(account.user, segment.directoryName(),
					app.clientId, app.displayName));
		}
		Optional<Condition> failure = this.scenarios.refreshTokenFailure(token.userId(), token.grant());
		if (failure.isPresent()) {
			throw new IdentityFailure(switch (failure.get()) {
				case Condition.GrantsRevoked revoked -> IdentityError.grantRevoked(token.authenticatedAt(), revoked.at());
				case Condition.RefreshTokensExpired expired -> (expired.expiry() == RefreshTokenExpiry.INACTIVE)
						? IdentityError.refreshTokenInactive(token.issuedAt()) : IdentityError.expired();
				case Condition.ConditionalAccessBlock blocked -> IdentityError.blockedByConditionalAccess();
				default -> IdentityError.mfaRequired();
			});
		}
		Instant now = now();
		if (!now.isBefore(token.lastUsed().get().plus(this.settings.refreshTokenMaxInactiveTime()))) {
			throw new IdentityFailure(IdentityError.refreshTokenInactive(token.issuedAt()));
		}
		Scopes granted = Scopes.of(token.scopes());
		Scopes requested = requestedWithin(form, granted, app, segment);
		token.lastUsed().set(now);
		return userTokens(form, app, account, granted, requested, token.grant(), token.authenticatedAt(), null);
	}

	private Map<String, Object> clientCredentials(Map<String, String> form, TenantSegment segment, App app)
			throws IdentityFailure {
		if (!segment.specific()) {
			throw new IdentityFailure(IdentityError.noTenantForClientCredentials());
		}
		if (!app.servicePrincipals.contains(segment.tenant().id())) {
			throw new IdentityFailure(IdentityError.appNotFound(app.clientId, segment.tenant().id()));
		}
		String scope = required(form, "scope");
		// MSAL adds "openid profile offline_access" to client-credentials requests; Entra ignores them.
		Scopes scopes = Scopes.parse(scope, segment.tenant().id());
		if (scopes.resourceScopes().size() != 1 || !scopes.resourceScopes().iterator().next().endsWith("/.default")) {
			String offending = scopes.resourceScopes().stream().filter((s) -> !s.endsWith("/.default")).findFirst()
				.orElse(scope);
			throw new IdentityFailure(IdentityError.clientCredentialsNeedDefaultScope(offending));
		}
		Duration lifetime = accessTokenLifetime();
		String tenantId = segment.tenant().id();
		String resource = Scopes.resource(scopes.resourceScopes().iterator().next());
		Instant now = now();
		String accessToken = this.grants.issue(new Grants.AccessToken(app.clientId, tenantId, null,
				scopes.resourceScopes(), app.roles(tenantId, resource), null,
				app.enterpriseObjectIds.computeIfAbsent(tenantId, (id) -> UUID.randomUUID().toString()), now,
				now.plus(lifetime)));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("token_type", "Bearer");
		body.put("expires_in", lifetime.toSeconds());
		body.put("ext_expires_in", lifetime.toSeconds());
		body.put("access_token", accessToken);
		return body;
	}

	/** The scopes asked for now, which must be among those granted (else consent is missing). */
	private Scopes requestedWithin(Map<String, String> form, Scopes granted, App app, TenantSegment segment)
			throws IdentityFailure {
		String scope = form.get("scope");
		if (scope == null || scope.isBlank()) {
			if (granted.resourceScopes().stream().map(Scopes::resource).distinct().count() > 1) {
				throw new IdentityFailure(IdentityError.moreThanOneResource(granted.granted()));
			}
			return granted;
		}
		Scopes requested = Scopes.parse(scope, segment.directoryName());
		if (!granted.resourceScopes().containsAll(requested.resourceScopes())) {
			throw new IdentityFailure(IdentityError.consentRequired(app.clientId, app.displayName));
		}
		Set<String> resource = requested.resourceScopes().isEmpty() ? granted.resourceScopes() : requested.resourceScopes();
		return new Scopes(requested.oidc(), resource);
	}

	private Map<String, Object> userTokens(Map<String, String> form, App app, Account account, Scopes granted,
			Scopes requested, long grant, Instant authenticatedAt, String nonce) {
		User user = account.user;
		Instant now = now();
		Duration lifetime = accessTokenLifetime();
		String accessToken = this.grants.issue(new Grants.AccessToken(app.clientId, user.tenantId(), user.id(),
				requested.resourceScopes(), Set.of(), user.userPrincipalName(), user.id(), now, now.plus(lifetime)));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("token_type", "Bearer");
		body.put("scope", requested.granted());
		body.put("expires_in", lifetime.toSeconds());
		body.put("ext_expires_in", lifetime.toSeconds());
		body.put("access_token", accessToken);
		if (granted.offlineAccess()) {
			body.put("refresh_token", this.grants.issue(new Grants.RefreshToken(app.clientId, user.tenantId(), user.id(),
					granted.all(), grant, authenticatedAt, now, new AtomicReference<>(now))));
		}
		if (granted.openId() && (requested.openId() || form.get("scope") == null)) {
			body.put("id_token", idToken(app, user, granted, now, nonce));
		}
		if ("1".equals(form.get("client_info"))) {
			Map<String, String> clientInfo = new LinkedHashMap<>();
			clientInfo.put("uid", user.id());
			clientInfo.put("utid", user.tenantId());
			body.put("client_info", SigningKey.base64Url(Json.write(clientInfo).getBytes(StandardCharsets.UTF_8)));
		}
		return body;
	}

	private String idToken(App app, User user, Scopes granted, Instant now, String nonce) {
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("aud", app.clientId);
		claims.put("iss", this.issuerBase + "/" + user.tenantId() + "/v2.0");
		claims.put("iat", now.getEpochSecond());
		claims.put("nbf", now.getEpochSecond());
		claims.put("exp", now.plus(Duration.ofHours(1)).getEpochSecond());
		if (granted.oidc().contains("profile")) {
			claims.put("name", user.displayName());
		}
		if (nonce != null) {
			claims.put("nonce", nonce);
		}
		claims.put("oid", user.id());
		claims.put("preferred_username", user.userPrincipalName());
		claims.put("sub", pairwiseSubject(user.id(), app.clientId));
		claims.put("tid", user.tenantId());
		claims.put("uti", UUID.randomUUID().toString().replace("-", "").substring(0, 22));
		claims.put("ver", "2.0");
		return SigningKey.get().sign(claims);
	}

	// Entra's "sub" differs per app for the same user; any stable per-app hash has that property.
	private static String pairwiseSubject(String userId, String clientId) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256")
				.digest((userId + "|" + clientId).getBytes(StandardCharsets.UTF_8));
			return SigningKey.base64Url(hash).substring(0, 43);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static boolean pkceMatches(Grants.AuthorizationCode code, String verifier) {
		if (verifier == null || verifier.isEmpty()) {
			return false;
		}
		if ("plain".equals(code.codeChallengeMethod())) {
			return verifier.equals(code.codeChallenge());
		}
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
			return SigningKey.base64Url(hash).equals(code.codeChallenge());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Duration accessTokenLifetime() {
		Duration fixed = this.scenarios.accessTokenLifetime().orElse(this.settings.accessTokenLifetime());
		// Microsoft: "a random value ranging between 60-90 minutes (75 minutes on average)".
		return (fixed != null) ? fixed : Duration.ofSeconds(ThreadLocalRandom.current().nextLong(3600, 5401));
	}

	private Account account(String userId) throws IdentityFailure {
		return this.directory.accountById(userId).orElseThrow(() -> new IdentityFailure(IdentityError.malformedGrant()));
	}

	private static String required(Map<String, String> form, String name) throws IdentityFailure {
		String value = form.get(name);
		if (value == null || value.isBlank()) {
			throw new IdentityFailure(IdentityError.missingParameter(name));
		}
		return value;
	}

	private Instant now() {
		return this.settings.clock().instant();
	}

}
