package io.mailroom.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.mailroom.core.sandbox.TestMicrosoft;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.mailroom.api.SmtpServiceIntegrationTest.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Who may call the api, and what each account may see. */
class SecurityIntegrationTest extends ApiIntegrationTest {

	@org.springframework.beans.factory.annotation.Autowired
	private org.springframework.core.env.Environment environment;

	@Test
	void aRequestWithoutCredentialsIsA401Problem() {
		ApiClient.Response refused = anonymous().get("/api/smtp-services");

		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer");
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(refused.json().path("type").asString()).isEqualTo("urn:mailroom:problem:unauthenticated");
		assertThat(refused.json().path("detail").asString()).contains("API key");
	}

	@Test
	void everyAdminEndpointNeedsCredentials() {
		String id = UUID.randomUUID().toString();
		List<ApiClient.Response> answers = List.of(anonymous().post("/api/smtp-services", Map.of()),
				anonymous().get("/api/smtp-services/" + id), anonymous().put("/api/smtp-services/" + id, Map.of()),
				anonymous().delete("/api/smtp-services/" + id), anonymous().get("/api/smtp-services/" + id + "/status"),
				anonymous().post("/api/smtp-services/" + id + "/authorization", Map.of()),
				anonymous().post("/api/smtp-services/" + id + "/test-email", Map.of("recipient", "a@b.test")),
				anonymous().get("/api/smtp-services/" + id + "/deliveries"),
				anonymous().get("/api/deliveries/" + id), anonymous().get("/api/audit"),
				anonymous().get("/api/api-keys"), anonymous().post("/api/api-keys", Map.of("name", "x")));

		assertThat(answers).extracting(ApiClient.Response::status).containsOnly(401);
	}

	@Test
	void theAdminPageLoadsWithoutCredentialsButItsDataDoesNot() {
		ApiClient.Response page = anonymous().get("/");
		ApiClient.Response script = anonymous().get("/admin/admin.js");

		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("<title>Mailroom · Custom SMTP</title>");
		assertThat(script.status()).isEqualTo(200);
		assertThat(script.header("Content-Type")).contains("javascript");
		assertThat(anonymous().get("/api/smtp-services").status()).isEqualTo(401);
	}

	@Test
	void aForgedExpiredOrAccountlessJwtIsRefused() {
		String forged = JWTS.forgedTokenFor("acct-victim");
		String expired = JWTS.token(Map.of("account_id", "acct-a", "sub", "ada"), Instant.now().minusSeconds(600));
		String accountless = JWTS.token(Map.of("sub", "ada"), Instant.now().plusSeconds(600));

		for (String token : List.of(forged, expired, accountless)) {
			ApiClient.Response refused = anonymous().with("Authorization", "Bearer " + token).get("/api/smtp-services");
			assertThat(refused.status()).isEqualTo(401);
			assertThat(refused.header("WWW-Authenticate")).contains("invalid_token");
		}
		assertThat(anonymous().with("Authorization", "Bearer " + accountless).get("/api/smtp-services").json()
			.path("detail").asString()).contains("account_id");
	}

	@Test
	void anotherAccountsServiceIsNotFoundWhateverIsAsked() {
		ApiClient owner = newAdmin();
		ApiClient stranger = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = create(owner, oauth2Service(mailbox)).path("id").asString();
		String service = "/api/smtp-services/" + id;

		List<ApiClient.Response> answers = List.of(stranger.get(service), stranger.put(service, oauth2Service(mailbox)),
				stranger.get(service + "/status"), stranger.post(service + "/authorization", Map.of()),
				stranger.post(service + "/test-email", Map.of("recipient", mailbox.upn())),
				stranger.get(service + "/deliveries"), stranger.get(service + "/deliveries/" + UUID.randomUUID()),
				stranger.delete(service));

		assertThat(answers).extracting(ApiClient.Response::status).containsOnly(404);
		assertThat(answers.get(0).json().path("type").asString()).isEqualTo("urn:mailroom:problem:not-found");
		assertThat(list(stranger.get("/api/smtp-services").json())).isEmpty();
		assertThat(owner.get(service).status()).isEqualTo(200);
		assertThat(list(stranger.get("/api/audit").json().path("events"))).isEmpty();
	}

	@Test
	void anApiKeyActsForItsAccountUntilItIsRevoked() {
		String account = "acct-" + UUID.randomUUID();
		ApiClient admin = admin(account, "ada@product.test");
		String serviceId = create(admin, oauth2Service(newMailbox())).path("id").asString();

		ApiClient.Response created = admin.post("/api/api-keys", Map.of("name", "deploy script", "role", "ADMIN"));
		assertThat(created.status()).isEqualTo(201);
		String key = created.json().path("key").asString();
		String keyId = created.json().path("id").asString();
		assertThat(key).startsWith("mr_").hasSizeGreaterThanOrEqualTo(40);

		ApiClient viaHeader = anonymous().with("X-Api-Key", key);
		ApiClient viaBearer = anonymous().with("Authorization", "Bearer " + key);
		assertThat(viaHeader.get("/api/smtp-services/" + serviceId).status()).isEqualTo(200);
		assertThat(viaBearer.get("/api/smtp-services/" + serviceId).status()).isEqualTo(200);
		JsonNode listed = admin.get("/api/api-keys").json();
		assertThat(listed.toString()).contains("deploy script").doesNotContain(key);
		String stored = jdbc.sql("select key_hash from api_key where id = ?")
			.param(UUID.fromString(keyId))
			.query(String.class)
			.single();
		assertThat(stored).isNotEqualTo(key).hasSize(64);

		viaHeader.put("/api/smtp-services/" + serviceId, oauth2Service(newMailbox()));
		assertThat(admin.get("/api/audit").json().path("events").path(0).path("actor").asString())
			.isEqualTo("api-key:" + keyId);

		assertThat(admin.delete("/api/api-keys/" + keyId).status()).isEqualTo(204);
		ApiClient.Response revoked = viaHeader.get("/api/smtp-services");
		assertThat(revoked.status()).isEqualTo(401);
		assertThat(revoked.json().path("detail").asString()).contains("unknown or revoked");
		assertThat(newAdmin().delete("/api/api-keys/" + keyId).status()).isEqualTo(404);
	}

	@Test
	void aNewKeyIsAnOperatorKeyFor90DaysUnlessAskedOtherwiseAndAtMost365() {
		ApiClient admin = newAdmin();

		JsonNode standard = admin.post("/api/api-keys", Map.of("name", "dashboard")).json();
		JsonNode longest = admin.post("/api/api-keys",
				Map.of("name", "yearly", "role", "ADMIN", "expiresAt", Instant.now().plus(Duration.ofDays(364)).toString()))
			.json();
		ApiClient.Response tooLong = admin.post("/api/api-keys",
				Map.of("name", "forever", "expiresAt", Instant.now().plus(Duration.ofDays(400)).toString()));
		ApiClient.Response past = admin.post("/api/api-keys",
				Map.of("name", "yesterday", "expiresAt", Instant.now().minus(Duration.ofDays(1)).toString()));

		assertThat(standard.path("role").asString()).isEqualTo("OPERATOR");
		assertThat(Duration.between(Instant.now(), Instant.parse(standard.path("expiresAt").asString())).toDays())
			.isBetween(89L, 90L);
		assertThat(longest.path("role").asString()).isEqualTo("ADMIN");
		assertThat(tooLong.status()).isEqualTo(400);
		assertThat(SmtpServiceIntegrationTest.errors(tooLong.json()).get("expiresAt")).startsWith("must be at most 365 days ahead");
		assertThat(SmtpServiceIntegrationTest.errors(past.json()).get("expiresAt")).startsWith("must be in the future");
		assertThat(admin.get("/api/api-keys").toString()).contains("\"role\":\"OPERATOR\"", "\"expiresAt\"");
	}

	@Test
	void aKeyMadeWithAKeyNeverOutlivesIt() {
		ApiClient admin = newAdmin();
		Instant tenDays = Instant.now().plus(Duration.ofDays(10)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
		String key = admin.post("/api/api-keys", Map.of("name", "leaky", "role", "ADMIN", "expiresAt", tenDays.toString()))
			.json()
			.path("key")
			.asString();
		ApiClient viaKey = anonymous().with("X-Api-Key", key);

		ApiClient.Response longer = viaKey.post("/api/api-keys",
				Map.of("name", "longer", "expiresAt", tenDays.plus(Duration.ofDays(1)).toString()));
		JsonNode standard = viaKey.post("/api/api-keys", Map.of("name", "standard")).json();

		assertThat(longer.status()).isEqualTo(400);
		assertThat(SmtpServiceIntegrationTest.errors(longer.json()).get("expiresAt"))
			.isEqualTo("must not be later than the API key you are using expires (" + tenDays + ")");
		assertThat(Instant.parse(standard.path("expiresAt").asString())).isEqualTo(tenDays);
	}

	@Test
	void anExpiredKeyIsRefusedWithWhatToDo() {
		ApiClient admin = newAdmin();
		String key = admin.post("/api/api-keys",
				Map.of("name", "short-lived", "expiresAt", Instant.now().plusSeconds(2).toString()))
			.json()
			.path("key")
			.asString();
		ApiClient viaKey = anonymous().with("X-Api-Key", key);
		assertThat(viaKey.get("/api/smtp-services").status()).isEqualTo(200);

		ApiClient.Response expired = await().atMost(Duration.ofSeconds(10))
			.until(() -> viaKey.get("/api/smtp-services"), answer -> answer.status() != 200);

		assertThat(expired.status()).isEqualTo(401);
		assertThat(expired.header("WWW-Authenticate")).contains("invalid_token");
		assertThat(expired.json().path("detail").asString()).startsWith("The API key expired at ")
			.contains("ask an admin of your account for a new one");
	}

	@Test
	void aJwtForAnotherAudienceOrWithoutAMailroomRoleIsRefused() {
		String otherAudience = JWTS.token(Map.of("account_id", "acct-a", "sub", "ada", "aud", "another-app", "roles",
				List.of(JwtIssuer.ADMIN)), Instant.now().plusSeconds(600));
		String roleless = JWTS.token(Map.of("account_id", "acct-a", "sub", "ada", "roles", List.of("billing")),
				Instant.now().plusSeconds(600));
		String spaceSeparated = JWTS.token(Map.of("account_id", "acct-a", "sub", "ada", "roles",
				"billing " + JwtIssuer.OPERATOR), Instant.now().plusSeconds(600));

		ApiClient.Response wrongAudience = anonymous().with("Authorization", "Bearer " + otherAudience)
			.get("/api/smtp-services");
		ApiClient.Response noRole = anonymous().with("Authorization", "Bearer " + roleless).get("/api/smtp-services");

		assertThat(wrongAudience.status()).isEqualTo(401);
		assertThat(wrongAudience.json().path("detail").asString()).contains("aud");
		assertThat(noRole.status()).isEqualTo(401);
		assertThat(noRole.json().path("detail").asString()).isEqualTo("The token's 'roles' claim names neither "
				+ "'mailroom-admin' nor 'mailroom-operator': ask your identity provider's admin to give you one of these "
				+ "roles for Mailroom.");
		ApiClient operator = anonymous().with("Authorization", "Bearer " + spaceSeparated);
		assertThat(operator.get("/api/smtp-services").status()).isEqualTo(200);
		assertThat(operator.post("/api/smtp-services", Map.of()).status()).isEqualTo(403);
	}

	@Test
	void anUnknownApiKeyIsRefused() {
		ApiClient.Response refused = anonymous().with("X-Api-Key", "mr_" + "x".repeat(43)).get("/api/smtp-services");

		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.header("WWW-Authenticate")).contains("invalid_token");
	}

	@Test
	void theDeploymentsInitialApiKeyWorksForItsAccount() {
		ApiClient initial = anonymous().with("X-Api-Key", "mr_initialKeyOfTheTestDeployment_0123456789abcdef");

		ApiClient.Response created = initial.post("/api/smtp-services", oauth2Service(newMailbox()));

		assertThat(created.status()).isEqualTo(201);
		assertThat(jdbc.sql("select account_id from smtp_service where id = ?")
			.param(UUID.fromString(created.json().path("id").asString()))
			.query(String.class)
			.single()).isEqualTo("acct-initial");
	}

	@Test
	void theCallbackAndHealthProbesNeedNoCredentials() {
		assertThat(anonymous().get("/oauth2/custom-smtp-token?state=unknown&code=x").status()).isEqualTo(400);
		assertThat(management().get("/actuator/health").status()).isEqualTo(200);
	}

	@Test
	void metricsAreServedOnTheManagementPortAndNotOnTheApisPort() {
		ApiClient.Response metrics = management().get("/actuator/prometheus");

		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.body()).contains("http_server_requests");
		assertThat(anonymous().get("/actuator/prometheus").status()).isIn(401, 404);
		assertThat(admin("acct-" + UUID.randomUUID(), "ada").get("/actuator/prometheus").status()).isEqualTo(404);
	}

	private ApiClient management() {
		return new ApiClient("http://localhost:" + environment.getRequiredProperty("local.management.port"), Map.of());
	}

}
