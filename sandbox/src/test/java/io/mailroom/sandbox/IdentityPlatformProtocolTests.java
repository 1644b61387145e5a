package io.mailroom.sandbox;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

import io.mailroom.sandbox.Clients.TokenResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The identity platform's wire format, read raw: what Microsoft's token endpoint returns on success and on
 * error, and where it refuses a sign-in.
 */
class IdentityPlatformProtocolTests {

	private static final String REDIRECT_URI = "https://mailroom.test/callback";

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));

	private MicrosoftSandbox sandbox;

	private Tenant contoso;

	private Tenant fabrikam;

	private AppRegistration app;

	@BeforeEach
	void startSandbox() {
		this.sandbox = MicrosoftSandbox.start(SandboxSettings.defaults().withClock(this.clock));
		this.contoso = this.sandbox.directory().createTenant("contoso.com");
		this.fabrikam = this.sandbox.directory().createTenant("fabrikam.com");
		this.app = this.sandbox.directory().registerApp(this.contoso, false, REDIRECT_URI);
		this.sandbox.directory().createUser(this.contoso, "alice@contoso.com");
		this.sandbox.directory().createUser(this.fabrikam, "bob@fabrikam.com");
	}

	@AfterEach
	void stopSandbox() {
		this.sandbox.close();
	}

	@Test
	void successResponseHasMicrosoftsMembersAndCachingHeaders() throws Exception {
		TokenResponse response = Clients.signInAndRedeem(this.sandbox, this.contoso, this.app, "alice@contoso.com");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.headers()).containsEntry("cache-control", "no-store, no-cache")
			.containsEntry("pragma", "no-cache")
			.containsEntry("content-type", "application/json; charset=utf-8");
		assertThat(response.body()).containsOnlyKeys("token_type", "scope", "expires_in", "ext_expires_in",
				"access_token", "refresh_token", "id_token", "client_info");
		assertThat(response.body()).containsEntry("token_type", "Bearer")
			.containsEntry("scope", "https://outlook.office.com/SMTP.Send");
		assertThat(((Number) response.body().get("expires_in")).intValue()).isBetween(3600, 5400);
		assertThat(decode(response.string("client_info"))).containsEntry("utid", this.contoso.id());
		Map<String, Object> idToken = decode(response.string("id_token").split("\\.")[1]);
		assertThat(idToken).containsEntry("aud", this.app.clientId())
			.containsEntry("iss", this.sandbox.authorityHost() + "/" + this.contoso.id() + "/v2.0")
			.containsEntry("tid", this.contoso.id())
			.containsEntry("preferred_username", "alice@contoso.com")
			.containsEntry("ver", "2.0")
			.containsKeys("oid", "sub", "name", "iat", "nbf", "exp");
		assertThat(decode(response.string("id_token").split("\\.")[0])).containsEntry("alg", "RS256");
	}

	@Test
	void errorResponseHasMicrosoftsMembersAndDescriptionFormat() {
		TokenResponse response = Clients.token(this.sandbox, this.contoso.id(),
				Map.of("grant_type", "refresh_token", "client_id", this.app.clientId(), "client_secret",
						this.app.clientSecret(), "refresh_token", "1.Anot-a-refresh-token"));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.headers()).containsEntry("cache-control", "no-store, no-cache");
		assertThat(response.body()).containsOnlyKeys("error", "error_description", "error_codes", "timestamp",
				"trace_id", "correlation_id", "error_uri");
		assertThat(response.body()).containsEntry("error", "invalid_grant")
			.containsEntry("error_codes", List.of(9002313))
			.containsEntry("timestamp", "2026-11-28 10:00:00Z")
			.containsEntry("error_uri", "https://login.microsoftonline.com/error?code=9002313");
		assertThat(response.string("error_description")).matches(
				"AADSTS9002313: Invalid request\\. Request is malformed or invalid\\.\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: 2026-11-28 10:00:00Z");
	}

	@Test
	void clientRequestIdIsEchoedWhenAskedAndBecomesTheCorrelationId() {
		String clientRequestId = "5b1a7c1e-3f0e-4a53-9d55-0c8f4f1d2e61";
		Map<String, String> form = Map.of("grant_type", "refresh_token", "client_id", this.app.clientId(),
				"client_secret", this.app.clientSecret(), "refresh_token", "1.Anot-a-refresh-token");

		TokenResponse asked = Clients.token(this.sandbox, this.contoso.id(), form,
				Map.of("client-request-id", clientRequestId, "return-client-request-id", "true"));
		TokenResponse notAsked = Clients.token(this.sandbox, this.contoso.id(), form,
				Map.of("client-request-id", clientRequestId));

		assertThat(asked.headers()).containsEntry("client-request-id", clientRequestId);
		assertThat(asked.body()).containsEntry("correlation_id", clientRequestId);
		assertThat(notAsked.headers()).doesNotContainKey("client-request-id");
	}

	@Test
	void refreshTokensRotateAndTheOldOneStaysValid() {
		TokenResponse first = Clients.signInAndRedeem(this.sandbox, this.contoso, this.app, "alice@contoso.com");

		TokenResponse second = refresh(first.string("refresh_token"));
		TokenResponse third = refresh(first.string("refresh_token"));

		assertThat(second.status()).isEqualTo(200);
		assertThat(second.string("refresh_token")).isNotEqualTo(first.string("refresh_token"));
		assertThat(third.status()).isEqualTo(200);
		assertThat(refresh(second.string("refresh_token")).status()).isEqualTo(200);
	}

	@Test
	void refreshTokenExpiredByScenarioIsRefusedWithTheChosenCode() {
		TokenResponse first = Clients.signInAndRedeem(this.sandbox, this.contoso, this.app, "alice@contoso.com");

		try (Scenario inactive = this.sandbox.scenarios().expireRefreshTokens("alice@contoso.com", RefreshTokenExpiry.INACTIVE)) {
			TokenResponse refused = refresh(first.string("refresh_token"));
			assertThat(refused.body()).containsEntry("error", "invalid_grant")
				.containsEntry("error_codes", List.of(700082))
				.containsEntry("suberror", "bad_token");
			assertThat(refused.string("error_description")).contains("was inactive for 90.00:00:00");
		}
		this.sandbox.scenarios().expireRefreshTokens("alice@contoso.com");
		assertThat(refresh(first.string("refresh_token")).body()).containsEntry("error_codes", List.of(70008));
	}

	@Test
	void refreshTokenUnusedFor90DaysIsRefusedWithAadsts700082() {
		TokenResponse first = Clients.signInAndRedeem(this.sandbox, this.contoso, this.app, "alice@contoso.com");

		this.clock.advance(Duration.ofDays(90));

		assertThat(refresh(first.string("refresh_token")).body()).containsEntry("error_codes", List.of(700082));
	}

	@Test
	void authorizationCodeOlderThanTenMinutesIsRefusedWithAadsts70008() {
		String verifier = Clients.verifier();
		AuthorizationRedirect redirect = this.sandbox.signIn(Clients.authorizeUrl(this.sandbox, this.contoso.id(),
				this.app, REDIRECT_URI, "alice@contoso.com", verifier), "alice@contoso.com", Consent.ACCEPT);

		this.clock.advance(Duration.ofMinutes(10));

		TokenResponse response = Clients.token(this.sandbox, this.contoso.id(), Map.of("grant_type",
				"authorization_code", "client_id", this.app.clientId(), "client_secret", this.app.clientSecret(), "code",
				redirect.code(), "redirect_uri", REDIRECT_URI, "code_verifier", verifier));
		assertThat(response.body()).containsEntry("error", "invalid_grant").containsEntry("error_codes", List.of(70008));
	}

	@Test
	void conditionalAccessBlockRefusesRefreshWithAadsts53003AndSignInOnThePage() {
		TokenResponse first = Clients.signInAndRedeem(this.sandbox, this.contoso, this.app, "alice@contoso.com");
		this.sandbox.scenarios().conditionalAccessBlock("alice@contoso.com");

		assertThat(refresh(first.string("refresh_token")).body()).containsEntry("error_codes", List.of(53003))
			.containsEntry("suberror", "message_only");
		assertThatThrownBy(() -> Clients.signInAndRedeem(this.sandbox, this.contoso, this.app, "alice@contoso.com"))
			.isInstanceOfSatisfying(SignInFailed.class, (failure) -> assertThat(failure.aadsts()).isEqualTo(53003));
	}

	@Test
	void identityOutageAnswers503TemporarilyUnavailable() {
		TokenResponse first = Clients.signInAndRedeem(this.sandbox, this.contoso, this.app, "alice@contoso.com");
		this.sandbox.scenarios().identityOutage(1);

		TokenResponse during = refresh(first.string("refresh_token"));

		assertThat(during.status()).isEqualTo(503);
		assertThat(during.body()).containsEntry("error", "temporarily_unavailable");
		assertThat(refresh(first.string("refresh_token")).status()).isEqualTo(200);
	}

	@Test
	void identityOutageOfOneTenantAnswers503ForThatTenantAlone() {
		AppRegistration fabrikamApp = this.sandbox.directory().registerApp(this.fabrikam, false, REDIRECT_URI);
		TokenResponse alice = Clients.signInAndRedeem(this.sandbox, this.contoso, this.app, "alice@contoso.com");
		TokenResponse bob = Clients.signInAndRedeem(this.sandbox, this.fabrikam, fabrikamApp, "bob@fabrikam.com");
		Scenario outage = this.sandbox.scenarios().identityOutage(this.contoso);

		TokenResponse during = refresh(alice.string("refresh_token"));

		assertThat(during.status()).isEqualTo(503);
		assertThat(during.body()).containsEntry("error", "temporarily_unavailable");
		assertThat(refresh(this.fabrikam, fabrikamApp, bob.string("refresh_token")).status()).isEqualTo(200);
		outage.clear();
		assertThat(refresh(alice.string("refresh_token")).status()).isEqualTo(200);
	}

	@Test
	void identityHangHoldsTheTenantsTokenRequestsUntilClearedAndServesOtherTenants() throws Exception {
		AppRegistration fabrikamApp = this.sandbox.directory().registerApp(this.fabrikam, false, REDIRECT_URI);
		TokenResponse alice = Clients.signInAndRedeem(this.sandbox, this.contoso, this.app, "alice@contoso.com");
		TokenResponse bob = Clients.signInAndRedeem(this.sandbox, this.fabrikam, fabrikamApp, "bob@fabrikam.com");
		Scenario hang = this.sandbox.scenarios().identityHang(this.contoso);

		CompletableFuture<TokenResponse> held = CompletableFuture
			.supplyAsync(() -> refresh(alice.string("refresh_token")));

		assertThat(refresh(this.fabrikam, fabrikamApp, bob.string("refresh_token")).status()).isEqualTo(200);
		assertThat(held).isNotDone();
		hang.clear();
		assertThat(held.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
	}

	@Test
	void accessTokenLifetimeScenarioShortensTokensIssuedWhileActive() {
		Scenario shortLived = this.sandbox.scenarios().accessTokenLifetime(Duration.ofMinutes(6));
		TokenResponse during = Clients.signInAndRedeem(this.sandbox, this.contoso, this.app, "alice@contoso.com");
		shortLived.clear();
		TokenResponse after = refresh(during.string("refresh_token"));

		assertThat(((Number) during.body().get("expires_in")).intValue()).isEqualTo(360);
		assertThat(((Number) after.body().get("expires_in")).intValue()).isBetween(3600, 5400);
	}

	@Test
	void redirectUriMismatchIsShownOnTheSignInPageWithAadsts50011() {
		URI url = Clients.authorizeUrl(this.sandbox, this.contoso.id(), this.app, "https://evil.test/callback",
				"alice@contoso.com", Clients.verifier());

		assertThatThrownBy(() -> this.sandbox.signIn(url, "alice@contoso.com", Consent.ACCEPT))
			.isInstanceOfSatisfying(SignInFailed.class, (failure) -> {
				assertThat(failure.aadsts()).isEqualTo(50011);
				assertThat(failure.getMessage()).contains("'https://evil.test/callback'");
			});
	}

	@Test
	void accountOfAnotherTenantCannotUseASingleTenantAppAadsts50020() {
		assertThatThrownBy(() -> Clients.signInAndRedeem(this.sandbox, this.contoso, this.app, "bob@fabrikam.com"))
			.isInstanceOfSatisfying(SignInFailed.class, (failure) -> assertThat(failure.aadsts()).isEqualTo(50020));
	}

	@Test
	void tenantSegmentsAreCheckedAsMicrosoftChecksThem() {
		assertThatThrownBy(() -> signInThrough("nosuchtenant.com", this.app)).isInstanceOfSatisfying(SignInFailed.class,
				(failure) -> assertThat(failure.aadsts()).isEqualTo(90002));
		assertThatThrownBy(() -> signInThrough(this.fabrikam.id(), this.app)).isInstanceOfSatisfying(SignInFailed.class,
				(failure) -> assertThat(failure.aadsts()).isEqualTo(700016));
		assertThatThrownBy(() -> signInThrough("organizations", this.app)).isInstanceOfSatisfying(SignInFailed.class,
				(failure) -> assertThat(failure.aadsts()).isEqualTo(50194));
		assertThat(signInThrough("contoso.com", this.app).parameter("code")).isPresent();
	}

	@Test
	void multiTenantAppSignsInAccountsOfAnyTenantThroughOrganizations() {
		AppRegistration shared = this.sandbox.directory().registerApp(this.contoso, true, REDIRECT_URI);

		AuthorizationRedirect redirect = this.sandbox.signIn(Clients.authorizeUrl(this.sandbox, "organizations", shared,
				REDIRECT_URI, "bob@fabrikam.com", Clients.verifier()), "bob@fabrikam.com", Consent.ACCEPT);

		assertThat(redirect.parameter("code")).isPresent();
	}

	@Test
	void queryResponseModeRedirectsWithA302() {
		Map<String, String> query = new LinkedHashMap<>();
		query.put("client_id", this.app.clientId());
		query.put("response_type", "code");
		query.put("redirect_uri", REDIRECT_URI);
		query.put("scope", Clients.DELEGATED_SCOPES);
		query.put("state", "s1");
		URI url = URI.create(this.sandbox.authority(this.contoso) + "oauth2/v2.0/authorize?" + Http.encode(query));

		AuthorizationRedirect redirect = this.sandbox.signIn(url, "alice@contoso.com", Consent.ACCEPT);

		assertThat(redirect.method()).isEqualTo("GET");
		assertThat(redirect.parameters()).containsKeys("code", "session_state").containsEntry("state", "s1");
		assertThat(redirect.uri().toString()).startsWith(REDIRECT_URI + "?code=");
	}

	@Test
	void consentPageIsAPlainFormForPeopleAndHeadlessBrowsers() {
		URI url = Clients.authorizeUrl(this.sandbox, this.contoso.id(), this.app, REDIRECT_URI, "alice@contoso.com",
				Clients.verifier());

		HttpResponse<String> page = Clients.get(this.sandbox, url.toString());

		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("<form id=\"consent\" method=\"post\"", "name=\"login\" value=\"alice@contoso.com\"",
				"Send emails from mailboxes using SMTP AUTH", "value=\"accept\"", "value=\"cancel\"")
			.doesNotContain("<script");
	}

	@Test
	void clientCredentialsAnswerHasNoRefreshTokenNorIdToken() {
		this.sandbox.directory().grantAppMailboxAccess(this.app, "alice@contoso.com");

		TokenResponse response = Clients.token(this.sandbox, this.contoso.id(),
				Map.of("grant_type", "client_credentials", "client_id", this.app.clientId(), "client_secret",
						this.app.clientSecret(), "scope", "https://outlook.office365.com/.default"));

		assertThat(response.body()).containsOnlyKeys("token_type", "expires_in", "ext_expires_in", "access_token");
		TokenResponse withoutDefault = Clients.token(this.sandbox, this.contoso.id(),
				Map.of("grant_type", "client_credentials", "client_id", this.app.clientId(), "client_secret",
						this.app.clientSecret(), "scope", Clients.SMTP_SEND));
		assertThat(withoutDefault.body()).containsEntry("error", "invalid_scope")
			.containsEntry("error_codes", List.of(1002012));
	}

	@Test
	void discoveryDocumentsPointAtTheSandbox() {
		HttpResponse<String> configuration = Clients.get(this.sandbox,
				this.sandbox.authority(this.contoso) + "v2.0/.well-known/openid-configuration");
		HttpResponse<String> keys = Clients.get(this.sandbox, this.sandbox.authority("common") + "discovery/v2.0/keys");

		assertThat(configuration.body()).contains("\"issuer\":\"" + this.sandbox.authorityHost() + "/" + this.contoso.id() + "/v2.0\"",
				"\"token_endpoint\":\"" + this.sandbox.authority(this.contoso) + "oauth2/v2.0/token\"");
		assertThat(keys.body()).contains("\"kty\":\"RSA\"", "\"x5c\"");
	}

	@Test
	void plainCodeChallengeIsComparedAsIs() {
		Map<String, String> query = new LinkedHashMap<>();
		query.put("client_id", this.app.clientId());
		query.put("response_type", "code");
		query.put("redirect_uri", REDIRECT_URI);
		query.put("scope", Clients.DELEGATED_SCOPES);
		query.put("code_challenge", "plain-verifier-0123456789-0123456789-0123456789");
		query.put("code_challenge_method", "plain");
		URI url = URI.create(this.sandbox.authority(this.contoso) + "oauth2/v2.0/authorize?" + Http.encode(query));
		AuthorizationRedirect redirect = this.sandbox.signIn(url, "alice@contoso.com", Consent.ACCEPT);

		TokenResponse response = Clients.token(this.sandbox, this.contoso.id(),
				Map.of("grant_type", "authorization_code", "client_id", this.app.clientId(), "client_secret",
						this.app.clientSecret(), "code", redirect.code(), "redirect_uri", REDIRECT_URI, "code_verifier",
						"plain-verifier-0123456789-0123456789-0123456789"));

		assertThat(response.status()).isEqualTo(200);
	}

	@Test
	void tokenLatencyDelaysTheTokenEndpoint() {
		TokenResponse first = Clients.signInAndRedeem(this.sandbox, this.contoso, this.app, "alice@contoso.com");
		this.sandbox.scenarios().tokenLatency(Duration.ofMillis(300));

		long started = System.nanoTime();
		assertThat(refresh(first.string("refresh_token")).status()).isEqualTo(200);

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
	}

	@Test
	void unknownAccountStaysOnTheConsentPageWithAadsts50034() {
		URI url = Clients.authorizeUrl(this.sandbox, this.contoso.id(), this.app, REDIRECT_URI, "nobody@contoso.com",
				Clients.verifier());

		assertThatThrownBy(() -> this.sandbox.signIn(url, "nobody@contoso.com", Consent.ACCEPT))
			.isInstanceOfSatisfying(SignInFailed.class, (failure) -> assertThat(failure.aadsts()).isEqualTo(50034));
	}

	private AuthorizationRedirect signInThrough(String tenantSegment, AppRegistration app) {
		return this.sandbox.signIn(Clients.authorizeUrl(this.sandbox, tenantSegment, app, REDIRECT_URI,
				"alice@contoso.com", Clients.verifier()), "alice@contoso.com", Consent.ACCEPT);
	}

	private TokenResponse refresh(String refreshToken) {
		return refresh(this.contoso, this.app, refreshToken);
	}

	private TokenResponse refresh(Tenant tenant, AppRegistration app, String refreshToken) {
		return Clients.token(this.sandbox, tenant.id(),
				Map.of("grant_type", "refresh_token", "client_id", app.clientId(), "client_secret", app.clientSecret(),
						"refresh_token", refreshToken, "scope", Clients.DELEGATED_SCOPES));
	}

	private static Map<String, Object> decode(String base64Url) {
		return Json.mapper.readValue(new String(Base64.getUrlDecoder().decode(base64Url), StandardCharsets.UTF_8),
				new TypeReference<Map<String, Object>>() {
				});
	}

	/** A clock tests move forward instead of waiting. */
	static final class MutableClock extends Clock {

		private volatile Instant now;

		MutableClock(Instant start) {
			this.now = start;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
