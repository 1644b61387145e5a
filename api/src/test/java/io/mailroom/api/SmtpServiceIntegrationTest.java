package io.mailroom.api;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.mailroom.core.sandbox.TestMicrosoft;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.SmtpService;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Admins set up SMTP services: what they enter, what they see back, and what is stored. */
class SmtpServiceIntegrationTest extends ApiIntegrationTest {

	@Test
	void aNewOAuth2ServiceWaitsForAuthorizationAndNeverShowsItsSecret() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		Map<String, Object> form = oauth2Service(mailbox);
		form.remove("host");
		form.remove("port");

		ApiClient.Response created = admin.post("/api/smtp-services", form);

		assertThat(created.status()).isEqualTo(201);
		JsonNode service = created.json();
		assertThat(created.header("Location")).isEqualTo("/api/smtp-services/" + service.path("id").asString());
		assertThat(service.path("host").asString()).isEqualTo("smtp.office365.com");
		assertThat(service.path("port").asInt()).isEqualTo(587);
		assertThat(service.path("status").asString()).isEqualTo("NOT_AUTHORIZED");
		assertThat(service.path("heldMail").asLong()).isZero();
		JsonNode authentication = service.path("authentication");
		assertThat(authentication.path("type").asString()).isEqualTo("OAUTH2");
		assertThat(authentication.path("provider").asString()).isEqualTo("MICROSOFT");
		assertThat(authentication.path("clientSecret").path("set").asBoolean()).isTrue();
		assertThat(authentication.path("clientSecret").path("changedAt").isMissingNode()).isFalse();
		assertThat(authentication.path("redirectUri").asString()).isEqualTo(REDIRECT_URI);
		assertThat(created.body()).doesNotContain(mailbox.app().clientSecret());
		assertThat(admin.get("/api/smtp-services/" + service.path("id").asString()).body())
			.doesNotContain(mailbox.app().clientSecret());
	}

	@Test
	void secretsAreSealedAtRestWithTheIdOfTheirKey() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = create(admin, oauth2Service(mailbox)).path("id").asString();

		byte[] stored = jdbc.sql("select client_secret from smtp_service where id = ?")
			.param(UUID.fromString(id))
			.query(byte[].class)
			.single();

		assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1))
			.doesNotContain(mailbox.app().clientSecret());
		assertThat(secrets.keyIdOf(stored)).isEqualTo("test");
		assertThat(secrets.open(services.find(UUID.fromString(id)).orElseThrow().microsoft().clientSecret()))
			.isEqualTo(mailbox.app().clientSecret());
	}

	@Test
	void aBasicServiceIsReadyToSendOnceSaved() {
		ApiClient admin = newAdmin();
		Map<String, Object> form = basicService("relay@contoso.test", "correct horse battery staple");

		JsonNode service = create(admin, form);

		assertThat(service.path("status").asString()).isEqualTo("AUTHORIZED");
		assertThat(service.path("authentication").path("username").asString()).isEqualTo("relay@contoso.test");
		assertThat(service.path("authentication").path("password").path("set").asBoolean()).isTrue();
		assertThat(service.toString()).doesNotContain("correct horse battery staple");
	}

	@Test
	void everyInvalidFieldIsReportedWithWhatToEnterInstead() {
		ApiClient admin = newAdmin();
		Map<String, Object> form = oauth2Service(newMailbox());
		form.put("name", " ");
		form.put("host", "smtp://smtp.office365.com");
		form.put("port", 70000);
		form.put("fromAddress", "Support <support@contoso>");
		form.put("replyTo", "not an address");
		authentication(form).put("clientId", "my-app");
		authentication(form).put("tenantId", "contoso");

		ApiClient.Response refused = admin.post("/api/smtp-services", form);

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		JsonNode problem = refused.json();
		assertThat(problem.path("type").asString()).isEqualTo("urn:mailroom:problem:invalid-input");
		Map<String, String> errors = errors(problem);
		assertThat(errors).containsOnlyKeys("name", "host", "port", "fromAddress", "replyTo",
				"authentication.clientId", "authentication.tenantId");
		assertThat(errors.get("host")).contains("without smtp://");
		assertThat(errors.get("port")).contains("between 1 and 65535");
		assertThat(errors.get("fromAddress")).contains("name@contoso.com");
		assertThat(errors.get("authentication.clientId")).contains("Application (client) ID");
		assertThat(errors.get("authentication.tenantId")).contains("EMPTY for a multi-tenant app");
	}

	@Test
	void requiredFieldsDependOnTheKindOfAuthentication() {
		ApiClient admin = newAdmin();
		Map<String, Object> oauth2 = oauth2Service(newMailbox());
		authentication(oauth2).remove("loginEmail");
		authentication(oauth2).remove("clientId");
		authentication(oauth2).remove("clientSecret");
		Map<String, Object> basic = basicService("relay@contoso.test", null);
		((Map<String, Object>) basic.get("authentication")).remove("username");
		Map<String, Object> unknown = oauth2Service(newMailbox());
		authentication(unknown).put("type", "PLAIN");

		assertThat(errors(admin.post("/api/smtp-services", oauth2).json())).containsOnlyKeys(
				"authentication.loginEmail", "authentication.clientId", "authentication.clientSecret");
		assertThat(errors(admin.post("/api/smtp-services", basic).json()))
			.containsOnlyKeys("authentication.username", "authentication.password");
		assertThat(errors(admin.post("/api/smtp-services", unknown).json()).get("authentication.type"))
			.contains("OAUTH2", "BASIC");
	}

	@Test
	void aSecretIdPastedInsteadOfTheSecretValueIsCaughtBeforeMicrosoftRefusesIt() {
		TestMicrosoft.Mailbox mailbox = newMailbox();

		ApiClient.Response refused = newAdmin().post("/api/smtp-services",
				oauth2Service(mailbox, mailbox.app().clientSecretId()));

		assertThat(refused.status()).isEqualTo(400);
		assertThat(errors(refused.json()).get("authentication.clientSecret")).contains("secret's ID, not its Value",
				"AADSTS7000215");
	}

	@Test
	void aSecretIdPastedOnAChangeIsCaughtTooAndTheStoredSecretKept() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = createAuthorized(admin, mailbox);

		ApiClient.Response refused = admin.put("/api/smtp-services/" + id,
				oauth2Service(mailbox, mailbox.app().clientSecretId()));

		assertThat(refused.status()).isEqualTo(400);
		assertThat(errors(refused.json()).get("authentication.clientSecret")).contains("secret's ID, not its Value");
		assertThat(refused.body()).doesNotContain(mailbox.app().clientSecretId());
		SmtpService stored = services.find(UUID.fromString(id)).orElseThrow();
		assertThat(secrets.open(stored.microsoft().clientSecret())).isEqualTo(mailbox.app().clientSecret());
		assertThat(stored.status()).isEqualTo(ServiceStatus.AUTHORIZED);
	}

	@Test
	void anUnknownFieldIsRefusedNamingItAndTheFieldMeantInsteadOfBeingLost() {
		ApiClient admin = newAdmin();
		Map<String, Object> form = oauth2Service(newMailbox());
		form.put("replyToAddress", "help@contoso.com");

		ApiClient.Response refused = admin.post("/api/smtp-services", form);

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.json().path("type").asString()).isEqualTo("urn:mailroom:problem:invalid-input");
		assertThat(errors(refused.json())).containsOnlyKeys("replyToAddress");
		assertThat(errors(refused.json()).get("replyToAddress")).startsWith(
				"is not a field here, so it would be lost; did you mean replyTo?")
			.contains("The fields here are ", "fromAddress", "replyTo");
		assertThat(refused.json().path("detail").asString()).startsWith("replyToAddress: is not a field here");
		assertThat(refused.body()).doesNotContain("help@contoso.com");
		assertThat(list(admin.get("/api/smtp-services").json())).isEmpty();
	}

	@Test
	void anUnknownFieldInsideAnObjectIsNamedWithItsPath() {
		Map<String, Object> form = oauth2Service(newMailbox());
		authentication(form).put("clientSecretValue", "pasted~in~the~wrong~field");

		ApiClient.Response refused = newAdmin().post("/api/smtp-services", form);

		assertThat(refused.status()).isEqualTo(400);
		assertThat(errors(refused.json())).containsOnlyKeys("authentication.clientSecretValue");
		assertThat(errors(refused.json()).get("authentication.clientSecretValue")).contains("did you mean clientSecret?");
		assertThat(refused.body()).doesNotContain("pasted~in~the~wrong~field");
	}

	@Test
	void aTenantIdMicrosoftDoesNotKnowSaysToLeaveItEmptyForAMultiTenantApp() {
		Map<String, Object> form = oauth2Service(newMailbox());
		authentication(form).put("tenantId", UUID.randomUUID().toString());

		ApiClient.Response refused = newAdmin().post("/api/smtp-services", form);

		assertThat(refused.status()).isEqualTo(400);
		assertThat(errors(refused.json()).get("authentication.tenantId")).contains("AADSTS90002",
				"Leave Tenant ID empty for a multi-tenant app", "https://login.microsoftonline.com/error?code=90002");
	}

	@Test
	void aMalformedValueNamesItsFieldWithoutEchoingIt() {
		Map<String, Object> form = oauth2Service(newMailbox());
		form.put("port", "five-eight-seven");

		ApiClient.Response refused = newAdmin().post("/api/smtp-services", form);

		assertThat(refused.status()).isEqualTo(400);
		assertThat(errors(refused.json())).containsEntry("port", "must be a whole number");
		assertThat(refused.body()).doesNotContain("five-eight-seven");
	}

	@Test
	void aChangeWithoutTheSecretKeepsTheStoredSecretAndTheAuthorization() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = createAuthorized(admin, mailbox);
		Map<String, Object> form = oauth2Service(mailbox);
		form.put("name", "Support (renamed)");
		authentication(form).remove("clientSecret");

		ApiClient.Response changed = admin.put("/api/smtp-services/" + id, form);

		assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
		assertThat(changed.json().path("name").asString()).isEqualTo("Support (renamed)");
		assertThat(changed.json().path("status").asString()).isEqualTo("AUTHORIZED");
		SmtpService stored = services.find(UUID.fromString(id)).orElseThrow();
		assertThat(secrets.open(stored.microsoft().clientSecret())).isEqualTo(mailbox.app().clientSecret());
		assertThat(tokenCaches.load(stored.id())).isPresent();
	}

	@Test
	void theSameSecretEnteredAgainIsNoChange() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = createAuthorized(admin, mailbox);

		ApiClient.Response changed = admin.put("/api/smtp-services/" + id, oauth2Service(mailbox));

		assertThat(changed.json().path("status").asString()).isEqualTo("AUTHORIZED");
	}

	@Test
	void changingTheCredentialsTenantOrLoginEmailResetsTheAuthorization() {
		ApiClient admin = newAdmin();
		for (String field : List.of("clientSecret", "loginEmail", "tenantId", "clientId")) {
			TestMicrosoft.Mailbox mailbox = newMailbox();
			String id = createAuthorized(admin, mailbox);
			Map<String, Object> form = oauth2Service(mailbox);
			switch (field) {
				case "clientSecret" -> authentication(form).put("clientSecret", "a-new-secret-value~0123456789");
				case "loginEmail" -> authentication(form).put("loginEmail", "other@" + mailbox.tenant().domain());
				case "tenantId" -> authentication(form).put("tenantId", null);
				default -> authentication(form).put("clientId", UUID.randomUUID().toString());
			}

			ApiClient.Response changed = admin.put("/api/smtp-services/" + id, form);

			assertThat(changed.json().path("status").asString()).as(field).isEqualTo("NOT_AUTHORIZED");
			assertThat(changed.json().path("authorizedAt").isMissingNode()).as(field).isTrue();
			assertThat(tokenCaches.load(UUID.fromString(id))).as(field).isEmpty();
			List<JsonNode> audit = list(admin.get("/api/audit?serviceId=" + id).json().path("events"));
			assertThat(audit.get(0).path("action").asString()).isEqualTo("SERVICE_UPDATED");
			assertThat(audit.get(0).path("details").path("authorizationReset").asBoolean()).isTrue();
			assertThat(audit.get(0).path("details").path("changed").toString()).contains("authentication." + field);
		}
	}

	@Test
	void switchingAnAuthorizedOAuth2ServiceToBasicForgetsItsMicrosoftGrant() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = createAuthorized(admin, mailbox);

		JsonNode changed = admin.put("/api/smtp-services/" + id, basicService(mailbox.upn(), "a-password")).json();

		assertThat(changed.path("authentication").path("type").asString()).isEqualTo("BASIC");
		assertThat(changed.path("status").asString()).isEqualTo("AUTHORIZED");
		assertThat(tokenCaches.load(UUID.fromString(id))).isEmpty();
	}

	@Test
	void aClientSecretAboutToExpireIsWarnedAbout() {
		ApiClient admin = newAdmin();
		Map<String, Object> form = oauth2Service(newMailbox());
		authentication(form).put("clientSecretExpiresOn", LocalDate.now().plusDays(12).toString());

		JsonNode service = create(admin, form);

		assertThat(service.path("clientSecretExpiresOn").asString()).isEqualTo(LocalDate.now().plusDays(12).toString());
		JsonNode warning = service.path("warnings").path(0);
		assertThat(warning.path("code").asString()).isEqualTo("CLIENT_SECRET_EXPIRES_SOON");
		assertThat(warning.path("message").asString()).contains("AADSTS7000222", "Certificates & secrets");
	}

	@Test
	void theStatusSaysWhetherTheServiceCanSend() {
		ApiClient admin = newAdmin();
		String id = create(admin, oauth2Service(newMailbox())).path("id").asString();

		JsonNode status = admin.get("/api/smtp-services/" + id + "/status").json();

		assertThat(status.path("status").asString()).isEqualTo(ServiceStatus.NOT_AUTHORIZED.name());
		assertThat(status.path("heldMail").asLong()).isZero();
		assertThat(status.has("name")).isFalse();
	}

	@Test
	void aDeletedServiceIsGoneFromTheAccount() {
		ApiClient admin = newAdmin();
		String keep = create(admin, oauth2Service(newMailbox())).path("id").asString();
		String id = create(admin, oauth2Service(newMailbox())).path("id").asString();

		assertThat(admin.delete("/api/smtp-services/" + id).status()).isEqualTo(204);

		assertThat(admin.get("/api/smtp-services/" + id).status()).isEqualTo(404);
		assertThat(list(admin.get("/api/smtp-services").json())).extracting(service -> service.path("id").asString())
			.containsExactly(keep);
		assertThat(admin.delete("/api/smtp-services/" + id).status()).isEqualTo(404);
	}

	@Test
	void theAuditLogSaysWhoCreatedChangedAndDeletedWhichService() {
		String account = "acct-" + UUID.randomUUID();
		ApiClient ada = admin(account, "ada@product.test");
		ApiClient grace = admin(account, "grace@product.test");
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = create(ada, oauth2Service(mailbox)).path("id").asString();
		Map<String, Object> form = oauth2Service(mailbox);
		form.put("fromName", "Help desk");
		grace.put("/api/smtp-services/" + id, form);
		grace.delete("/api/smtp-services/" + id);

		List<JsonNode> events = list(ada.get("/api/audit").json().path("events"));

		assertThat(events).extracting(event -> event.path("action").asString() + " by " + event.path("actor").asString())
			.containsExactly("SERVICE_DELETED by grace@product.test", "SERVICE_UPDATED by grace@product.test",
					"SERVICE_CREATED by ada@product.test");
		assertThat(events).allSatisfy(event -> assertThat(event.path("serviceId").asString()).isEqualTo(id));
		assertThat(events.get(1).path("details").path("changed").toString()).contains("fromName");
		assertThat(events.toString()).doesNotContain(mailbox.app().clientSecret());
	}

	static Map<String, Object> basicService(String username, String password) {
		Map<String, Object> authentication = new LinkedHashMap<>();
		authentication.put("type", "BASIC");
		authentication.put("username", username);
		authentication.put("password", password);
		Map<String, Object> service = new LinkedHashMap<>();
		service.put("name", "Relay");
		service.put("host", "smtp.contoso.test");
		service.put("port", 587);
		service.put("fromAddress", username);
		service.put("authentication", authentication);
		return service;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> authentication(Map<String, Object> form) {
		return (Map<String, Object>) form.get("authentication");
	}

	static Map<String, String> errors(JsonNode problem) {
		Map<String, String> errors = new LinkedHashMap<>();
		problem.path("errors").forEach(error -> errors.put(error.path("field").asString(), error.path("message").asString()));
		return errors;
	}

	static List<JsonNode> list(JsonNode array) {
		List<JsonNode> items = new ArrayList<>();
		array.forEach(items::add);
		return items;
	}

}
