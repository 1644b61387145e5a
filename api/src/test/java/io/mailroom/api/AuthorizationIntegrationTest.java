package io.mailroom.api;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.ServiceEvent;
import io.mailroom.contracts.ServiceEventType;
import io.mailroom.contracts.Topics;
import io.mailroom.core.sandbox.TestMicrosoft;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServiceFixtures;
import io.mailroom.sandbox.AuthorizationRedirect;
import io.mailroom.sandbox.Consent;
import io.mailroom.testing.TopicRecorder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.mailroom.api.SmtpServiceIntegrationTest.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Admins authorize Microsoft OAuth2 services: the flow through Microsoft's sign-in and back, and its failures. */
class AuthorizationIntegrationTest extends ApiIntegrationTest {

	@Test
	void theAuthorizeUrlAsksForSmtpWithPkceForTheLoginEmail() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = create(admin, oauth2Service(mailbox)).path("id").asString();

		ApiClient.Response started = admin.post("/api/smtp-services/" + id + "/authorization",
				Map.of("returnUrl", RETURN_URL));

		JsonNode body = started.json();
		assertThat(body.path("redirectUri").asString()).isEqualTo(REDIRECT_URI);
		assertThat(body.path("expiresAt").asString()).isNotBlank();
		URI authorize = URI.create(body.path("authorizeUrl").asString());
		assertThat(authorize.toString()).startsWith(microsoft().authority(mailbox.tenant()) + "oauth2/v2.0/authorize");
		Map<String, String> query = query(authorize.toString());
		assertThat(query).containsEntry("client_id", mailbox.app().clientId())
			.containsEntry("response_type", "code")
			.containsEntry("redirect_uri", REDIRECT_URI)
			.containsEntry("code_challenge_method", "S256")
			.containsEntry("login_hint", mailbox.upn())
			.containsEntry("prompt", "select_account")
			.containsEntry("response_mode", "form_post");
		assertThat(query.get("scope").split(" ")).contains("https://outlook.office.com/SMTP.Send", "offline_access",
				"openid", "profile");
		assertThat(query.get("code_challenge")).hasSize(43);
		assertThat(query.get("state")).hasSizeGreaterThanOrEqualTo(43);
		String storedHash = jdbc.sql("select state_hash from authorization_attempt where service_id = ?")
			.param(UUID.fromString(id))
			.query(String.class)
			.single();
		assertThat(storedHash).isNotEqualTo(query.get("state")).hasSize(64);
	}

	@Test
	void anAdminAuthorizesAServiceThroughMicrosoftsFormPost() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = create(admin, oauth2Service(mailbox)).path("id").asString();
		try (TopicRecorder events = TopicRecorder.fromNow(Topics.SERVICE_EVENTS)) {
			AuthorizationRedirect redirect = microsoft().signIn(startAuthorization(admin, id, RETURN_URL), mailbox.upn(),
					Consent.ACCEPT);
			assertThat(redirect.method()).isEqualTo("POST");
			assertThat(redirect.target()).hasToString(REDIRECT_URI);

			ApiClient.Response back = follow(redirect);

			assertThat(back.status()).isEqualTo(303);
			assertThat(back.header("Location")).startsWith(RETURN_URL + "?");
			assertThat(query(back.header("Location"))).containsEntry("authorization", "succeeded")
				.containsEntry("serviceId", id);
			JsonNode service = admin.get("/api/smtp-services/" + id).json();
			assertThat(service.path("status").asString()).isEqualTo("AUTHORIZED");
			assertThat(service.path("authorizedAccount").asString()).isEqualTo(mailbox.upn());
			assertThat(service.path("authorizedAt").asString()).isNotBlank();
			assertThat(tokenCaches.load(UUID.fromString(id))).isPresent();
			byte[] sealed = jdbc.sql("select sealed from token_cache where service_id = ?")
				.param(UUID.fromString(id))
				.query(byte[].class)
				.single();
			assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("secret");
			ServiceEvent event = await().until(() -> events(events, id), found -> !found.isEmpty()).get(0);
			assertThat(event.type()).isEqualTo(ServiceEventType.AUTHORIZED);
		}
		List<JsonNode> audit = list(admin.get("/api/audit?serviceId=" + id).json().path("events"));
		assertThat(audit).extracting(event -> event.path("action").asString())
			.containsSequence("AUTHORIZATION_SUCCEEDED", "AUTHORIZATION_STARTED");
		assertThat(audit.get(0).path("actor").asString()).isEqualTo("admin@product.test");
	}

	@Test
	void withoutAReturnUrlTheCallbackShowsTheOutcomeInWords() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = create(admin, oauth2Service(mailbox)).path("id").asString();

		ApiClient.Response page = signInAndReturn(startAuthorization(admin, id, null), mailbox.upn(), Consent.ACCEPT);

		assertThat(page.status()).isEqualTo(200);
		assertThat(page.header("Content-Type")).startsWith("text/html");
		assertThat(page.header("Cache-Control")).contains("no-store");
		assertThat(page.body()).contains("Authorization succeeded", mailbox.upn());
	}

	@Test
	void aWrongClientSecretReportsAadsts7000215WithItsLinkAndHint() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = create(admin, oauth2Service(mailbox, "wrongSecretValue~0123456789abcdefghijklmno"))
			.path("id").asString();

		ApiClient.Response back = authorize(admin, id, mailbox.upn());

		Map<String, String> outcome = query(back.header("Location"));
		assertThat(outcome).containsEntry("authorization", "failed")
			.containsEntry("code", "AADSTS7000215")
			.containsEntry("helpUrl", "https://login.microsoftonline.com/error?code=7000215");
		assertThat(outcome.get("hint")).contains("secret ID", "Value");
		assertThat(outcome.get("message")).contains("client secret");
		JsonNode service = admin.get("/api/smtp-services/" + id).json();
		assertThat(service.path("status").asString()).isEqualTo("CONFIGURATION_ERROR");
		assertThat(service.path("statusReason").path("code").asString()).isEqualTo("AADSTS7000215");
		assertThat(tokenCaches.load(UUID.fromString(id))).isEmpty();
		assertThat(list(admin.get("/api/audit?serviceId=" + id).json().path("events")).get(0).path("details")
			.path("code").asString()).isEqualTo("AADSTS7000215");
	}

	@Test
	void declinedConsentReportsAadsts65004AndStoresNothing() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = create(admin, oauth2Service(mailbox)).path("id").asString();

		ApiClient.Response back = signInAndReturn(startAuthorization(admin, id, RETURN_URL), mailbox.upn(),
				Consent.DECLINE);

		Map<String, String> outcome = query(back.header("Location"));
		assertThat(outcome).containsEntry("authorization", "failed")
			.containsEntry("code", "AADSTS65004")
			.containsEntry("helpUrl", "https://login.microsoftonline.com/error?code=65004");
		assertThat(outcome.get("hint")).contains("accept the permissions");
		JsonNode service = admin.get("/api/smtp-services/" + id).json();
		assertThat(service.path("status").asString()).isEqualTo("NOT_AUTHORIZED");
		assertThat(service.path("statusReason").path("code").asString()).isEqualTo("AADSTS65004");
		assertThat(tokenCaches.load(UUID.fromString(id))).isEmpty();
	}

	@Test
	void signingInAsAnotherAccountStoresNothingAndSaysWhomToSignInAs() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String colleague = "colleague@" + mailbox.tenant().domain();
		microsoft().directory().createUser(mailbox.tenant(), colleague);
		String id = create(admin, oauth2Service(mailbox)).path("id").asString();

		ApiClient.Response page = signInAndReturn(startAuthorization(admin, id, null), colleague, Consent.ACCEPT);

		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("Authorization failed", "WRONG_ACCOUNT", "You signed in to Microsoft as "
				+ colleague, "sign in as " + mailbox.upn());
		assertThat(tokenCaches.load(UUID.fromString(id))).isEmpty();
		assertThat(services.find(UUID.fromString(id)).orElseThrow().status()).isEqualTo(ServiceStatus.NOT_AUTHORIZED);
	}

	@Test
	void aReplayedStateIsRefusedAndChangesNothing() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = create(admin, oauth2Service(mailbox)).path("id").asString();
		AuthorizationRedirect redirect = microsoft().signIn(startAuthorization(admin, id, RETURN_URL), mailbox.upn(),
				Consent.ACCEPT);
		assertThat(follow(redirect).status()).isEqualTo(303);
		long version = tokenCaches.load(UUID.fromString(id)).orElseThrow().version();

		ApiClient.Response replayed = follow(redirect);

		assertThat(replayed.status()).isEqualTo(400);
		assertThat(replayed.body()).contains("Authorization not accepted", "already completed once");
		assertThat(tokenCaches.load(UUID.fromString(id)).orElseThrow().version()).isEqualTo(version);
	}

	@Test
	void anExpiredStateIsRefusedAndStoresNothing() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = create(admin, oauth2Service(mailbox)).path("id").asString();
		URI authorize = startAuthorization(admin, id, RETURN_URL);
		AuthorizationRedirect redirect = microsoft().signIn(authorize, mailbox.upn(), Consent.ACCEPT);
		// the admin took longer than the state lives (10 minutes)
		jdbc.sql("update authorization_attempt set expires_at = now() - interval '1 second' where service_id = ?")
			.param(UUID.fromString(id))
			.update();

		ApiClient.Response refused = follow(redirect);

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.body()).contains("expired");
		assertThat(tokenCaches.load(UUID.fromString(id))).isEmpty();
		assertThat(services.find(UUID.fromString(id)).orElseThrow().status()).isEqualTo(ServiceStatus.NOT_AUTHORIZED);
	}

	@Test
	void anUnknownStateIsRefusedAsAProblemToClientsThatAskForJson() {
		ApiClient.Response refused = anonymous().send(HttpRequest.newBuilder(URI.create(REDIRECT_URI))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("code=stolen&state=" + UUID.randomUUID())));

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.json().path("type").asString()).isEqualTo("urn:mailroom:problem:authorization-state-refused");
		assertThat(refused.json().path("detail").asString()).contains("does not know this authorization");
	}

	@Test
	void aChangeOfCredentialsCancelsAStartedAuthorization() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = create(admin, oauth2Service(mailbox)).path("id").asString();
		AuthorizationRedirect redirect = microsoft().signIn(startAuthorization(admin, id, RETURN_URL), mailbox.upn(),
				Consent.ACCEPT);
		Map<String, Object> form = oauth2Service(mailbox);
		SmtpServiceIntegrationTest.authentication(form).put("loginEmail", "someone.else@" + mailbox.tenant().domain());
		admin.put("/api/smtp-services/" + id, form);

		assertThat(follow(redirect).status()).isEqualTo(400);
		assertThat(tokenCaches.load(UUID.fromString(id))).isEmpty();
	}

	@Test
	void aReturnUrlOffTheAllowListIsRefused() {
		ApiClient admin = newAdmin();
		String id = create(admin, oauth2Service(newMailbox())).path("id").asString();

		for (String returnUrl : List.of("https://evil.test/settings/smtp", "https://app.example.test.evil.test/settings/smtp",
				"https://app.example.test/other", "javascript:alert(1)")) {
			ApiClient.Response refused = admin.post("/api/smtp-services/" + id + "/authorization",
					Map.of("returnUrl", returnUrl));
			assertThat(refused.status()).as(returnUrl).isEqualTo(400);
			assertThat(SmtpServiceIntegrationTest.errors(refused.json())).containsKey("returnUrl");
		}
		assertThat(admin.post("/api/smtp-services/" + id + "/authorization",
				Map.of("returnUrl", RETURN_URL + "/42?tab=auth")).status()).isEqualTo(200);
	}

	@Test
	void aTenantMicrosoftDoesNotKnowIsCaughtBeforeTheAdminIsSentToSignIn() {
		String account = "acct-" + UUID.randomUUID();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		SmtpService stored = SmtpServiceFixtures.microsoftService(secrets, account, microsoft().smtpHost(),
				microsoft().smtpPort(), mailbox.upn(), mailbox.app().clientId(), mailbox.app().clientSecret(),
				UUID.randomUUID().toString());
		services.insert(stored);

		ApiClient.Response refused = admin(account, "ada@product.test")
			.post("/api/smtp-services/" + stored.id() + "/authorization", Map.of());

		assertThat(refused.status()).isEqualTo(409);
		JsonNode problem = refused.json();
		assertThat(problem.path("type").asString()).isEqualTo("urn:mailroom:problem:identity-platform-refused");
		assertThat(problem.path("error").path("code").asString()).isEqualTo("AADSTS90002");
		assertThat(problem.path("error").path("helpUrl").asString())
			.isEqualTo("https://login.microsoftonline.com/error?code=90002");
		assertThat(problem.path("error").path("hint").asString()).contains("Leave Tenant ID empty for a multi-tenant app");
	}

	@Test
	void anAccountOfAnotherTenantSaysToLeaveTenantIdEmptyForAMultiTenantApp() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = create(admin, oauth2Service(mailbox)).path("id").asString();
		String state = query(startAuthorization(admin, id, RETURN_URL).toString()).get("state");
		Map<String, String> redirect = new LinkedHashMap<>();
		// what Microsoft sends back when the tenant in the authority is not the signed-in account's own
		redirect.put("error", "invalid_request");
		redirect.put("error_description", "AADSTS50020: User account 'ada@fabrikam.test' from identity provider "
				+ "'https://sts.windows.net/x/' does not exist in tenant 'Contoso' and cannot access the application.\r\n"
				+ "Trace ID: 1\r\nCorrelation ID: 2\r\nTimestamp: 2026-11-28 10:00:00Z");
		redirect.put("error_uri", "https://login.microsoftonline.com/error?code=50020");
		redirect.put("state", state);

		ApiClient.Response back = follow(new AuthorizationRedirect(URI.create(REDIRECT_URI), "POST", redirect));

		Map<String, String> outcome = query(back.header("Location"));
		assertThat(outcome).containsEntry("code", "AADSTS50020")
			.containsEntry("helpUrl", "https://login.microsoftonline.com/error?code=50020");
		assertThat(outcome.get("hint")).contains("Leave Tenant ID empty for a multi-tenant app");
	}

	@Test
	void authorizationStartsAreRateLimitedPerAccount() {
		ApiClient admin = newAdmin();
		String id = create(admin, oauth2Service(newMailbox())).path("id").asString();
		for (int i = 0; i < 10; i++) {
			assertThat(admin.post("/api/smtp-services/" + id + "/authorization", Map.of()).status()).isEqualTo(200);
		}

		ApiClient.Response limited = admin.post("/api/smtp-services/" + id + "/authorization", Map.of());

		assertThat(limited.status()).isEqualTo(429);
		assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
		assertThat(limited.json().path("type").asString()).isEqualTo("urn:mailroom:problem:rate-limited");
		assertThat(create(newAdmin(), oauth2Service(newMailbox()))).isNotNull();
	}

	@Test
	void aBasicServiceHasNothingToAuthorize() {
		ApiClient admin = newAdmin();
		String id = create(admin, SmtpServiceIntegrationTest.basicService("relay@contoso.test", "secret-password"))
			.path("id").asString();

		ApiClient.Response refused = admin.post("/api/smtp-services/" + id + "/authorization", Map.of());

		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.json().path("detail").asString()).contains("basic authentication");
	}

	private static List<ServiceEvent> events(TopicRecorder recorder, String serviceId) {
		return recorder.records()
			.stream()
			.filter(record -> serviceId.equals(record.key()))
			.map(record -> MailroomJson.mapper().readValue(record.value(), ServiceEvent.class))
			.toList();
	}

}
