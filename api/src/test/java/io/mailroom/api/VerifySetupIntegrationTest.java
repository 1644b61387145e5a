package io.mailroom.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.mailroom.core.sandbox.TestMicrosoft;
import io.mailroom.sandbox.ApplicationPermission;
import io.mailroom.sandbox.ClientCertificate;
import io.mailroom.sandbox.Scenario;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.mailroom.api.SmtpServiceIntegrationTest.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Verify setup, and the way out of every configuration hold: the admin fixes what the hint names, Verify
 * (or saving the field the hint pointed at) checks again, and the held mail goes out.
 */
class VerifySetupIntegrationTest extends ApiIntegrationTest {

	@Test
	void verifyReportsEachCheckOfAnAuthorizedServiceAndSendsNothing() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = createAuthorized(admin, mailbox);
		long before = microsoft().mailbox().count();

		JsonNode verified = verify(admin, id);

		assertThat(verified.path("passed").asBoolean()).as(verified.toString()).isTrue();
		assertThat(list(verified.path("checks"))).extracting(check -> check.path("name").asString())
			.containsExactly("smtp.token", "smtp.token.audience", "smtp.token.scp", "smtp.token.account",
					"smtp.token.tenant", "smtp.auth", "smtp.sender");
		assertThat(list(verified.path("checks"))).allMatch(check -> check.path("passed").asBoolean());
		assertThat(verified.path("status").asString()).isEqualTo("AUTHORIZED");
		assertThat(microsoft().mailbox().count()).isEqualTo(before);
		assertThat(list(admin.get("/api/audit?serviceId=" + id).json().path("events")).get(0).path("action").asString())
			.isEqualTo("SERVICE_VERIFIED");
	}

	@Test
	void onceSmtpAuthIsTurnedBackOnVerifyReleasesTheMailHeldFor5_7_139() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = createAuthorized(admin, mailbox);
		Scenario disabled = microsoft().scenarios().disableSmtpAuth(mailbox.upn());
		String requestId = heldTestEmail(admin, id, mailbox.upn());
		assertThat(admin.get("/api/smtp-services/" + id).json().path("statusReason").path("hint").asString())
			.contains("Verify setup");

		JsonNode stillDisabled = verify(admin, id);
		assertThat(stillDisabled.path("passed").asBoolean()).isFalse();
		JsonNode auth = check(stillDisabled, "smtp.auth");
		assertThat(auth.path("detail").asString()).contains("535 5.7.139");
		assertThat(auth.path("fix").asString()).contains("SmtpClientAuthenticationDisabled $false");
		assertThat(stillDisabled.path("status").asString()).isEqualTo("CONFIGURATION_ERROR");

		disabled.clear();
		JsonNode fixed = verify(admin, id);

		assertThat(fixed.path("passed").asBoolean()).as(fixed.toString()).isTrue();
		assertThat(fixed.path("status").asString()).isEqualTo("AUTHORIZED");
		awaitSent(admin, requestId);
	}

	@Test
	void settingTheFromAddressToTheLoginEmailReleasesTheMailHeldFor5_7_60() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		Map<String, Object> form = oauth2Service(mailbox);
		form.put("fromAddress", "billing@" + mailbox.tenant().domain());
		String id = create(admin, form).path("id").asString();
		authorizeDirectly(id);
		String requestId = heldTestEmail(admin, id, mailbox.upn());
		JsonNode held = admin.get("/api/smtp-services/" + id).json();
		assertThat(held.path("statusReason").path("code").asString()).isEqualTo("5.7.60");
		assertThat(held.path("statusReason").path("hint").asString()).contains("From address to the login email");
		assertThat(check(verify(admin, id), "smtp.sender").path("passed").asBoolean()).isFalse();

		form.put("fromAddress", mailbox.upn());
		SmtpServiceIntegrationTest.authentication(form).remove("clientSecret");
		ApiClient.Response saved = admin.put("/api/smtp-services/" + id, form);

		assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
		assertThat(saved.json().path("status").asString()).isEqualTo("AUTHORIZED");
		awaitSent(admin, requestId);
	}

	@Test
	void anAppOnlyServiceWithoutMailboxPermissionIsReleasedByVerifyOnceTheAdminRanThePowerShell() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		microsoft().directory().grantApplicationPermission(mailbox.app(), mailbox.tenant(),
				ApplicationPermission.SMTP_SEND_AS_APP);
		Map<String, Object> form = oauth2Service(mailbox);
		SmtpServiceIntegrationTest.authentication(form).put("access", "APPLICATION");
		JsonNode created = create(admin, form);
		String id = created.path("id").asString();
		assertThat(created.path("status").asString()).isEqualTo("AUTHORIZED");
		assertThat(created.path("authentication").path("setupGuidance").asString())
			.contains("New-ServicePrincipal -AppId " + mailbox.app().clientId(), "Enterprise application",
					"Add-MailboxPermission -Identity " + mailbox.upn(), "'Application SMTP.SendAsApp'");
		assertThat(created.path("authentication").path("adminConsentUrl").asString())
			.contains("/" + mailbox.tenant().id() + "/v2.0/adminconsent?client_id=" + mailbox.app().clientId());
		assertThat(admin.post("/api/smtp-services/" + id + "/authorization", Map.of()).status()).isEqualTo(409);
		String requestId = heldTestEmail(admin, id, mailbox.upn());
		JsonNode held = admin.get("/api/smtp-services/" + id).json();
		assertThat(held.path("status").asString()).isEqualTo("CONFIGURATION_ERROR");
		assertThat(held.path("statusReason").path("hint").asString()).contains("Add-MailboxPermission");

		JsonNode missing = verify(admin, id);
		assertThat(check(missing, "smtp.token.roles").path("detail").asString()).contains("SMTP.SendAsApp");
		assertThat(check(missing, "smtp.auth").path("fix").asString()).contains("New-ServicePrincipal");
		microsoft().directory().grantAppMailboxAccess(mailbox.app(), mailbox.upn());
		JsonNode fixed = verify(admin, id);

		assertThat(fixed.path("passed").asBoolean()).as(fixed.toString()).isTrue();
		assertThat(fixed.path("status").asString()).isEqualTo("AUTHORIZED");
		awaitSent(admin, requestId);
	}

	@Test
	void verifyOfAnAppOnlyGraphServiceChecksTheGraphTokenAndTheMailboxWithoutSending() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		Map<String, Object> form = oauth2Service(mailbox);
		SmtpServiceIntegrationTest.authentication(form).put("access", "APPLICATION");
		SmtpServiceIntegrationTest.authentication(form).put("transport", "GRAPH");
		String id = create(admin, form).path("id").asString();
		long before = microsoft().mailbox().count();

		JsonNode missing = verify(admin, id);
		assertThat(missing.path("passed").asBoolean()).isFalse();
		assertThat(check(missing, "graph.mailbox").path("detail").asString()).contains("403", "ErrorAccessDenied");
		assertThat(check(missing, "graph.mailbox").path("fix").asString()).contains("'Application Mail.Send'");

		microsoft().directory().grantApplicationPermission(mailbox.app(), mailbox.tenant(),
				ApplicationPermission.MAIL_SEND);
		JsonNode verified = verify(admin, id);

		assertThat(verified.path("passed").asBoolean()).as(verified.toString()).isTrue();
		assertThat(list(verified.path("checks"))).extracting(check -> check.path("name").asString())
			.containsExactly("graph.token", "graph.token.audience", "graph.token.roles", "graph.token.tenant",
					"graph.mailbox");
		assertThat(check(verified, "graph.token.audience").path("detail").asString())
			.isEqualTo("https://graph.microsoft.com");
		assertThat(microsoft().mailbox().count()).isEqualTo(before);
	}

	@Test
	void aCertificateIsReadOnUploadShownByItsThumbprintAndABrokenOneIsRefusedOnItsField() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		ClientCertificate certificate = ClientCertificate.create("mailroom-api-test", Duration.ofDays(20));
		String thumbprint = microsoft().directory().addCertificate(mailbox.app(), certificate.certificate());
		Map<String, Object> form = oauth2Service(mailbox);
		Map<String, Object> authentication = SmtpServiceIntegrationTest.authentication(form);
		authentication.remove("clientSecret");
		authentication.put("credential", "CERTIFICATE");
		authentication.put("certificatePem", certificate.certificatePem());

		ApiClient.Response keyless = admin.post("/api/smtp-services", form);
		assertThat(keyless.status()).isEqualTo(400);
		assertThat(keyless.body()).contains("authentication.certificatePem", "PRIVATE KEY");

		authentication.put("certificatePem", certificate.pem());
		JsonNode created = create(admin, form);
		String id = created.path("id").asString();
		assertThat(created.path("authentication").path("certificate").path("thumbprint").asString()).isEqualTo(thumbprint);
		assertThat(created.toString()).doesNotContain("PRIVATE KEY").doesNotContain("BEGIN CERTIFICATE");
		JsonNode status = admin.get("/api/smtp-services/" + id + "/status").json();
		assertThat(list(status.path("warnings"))).extracting(warning -> warning.path("code").asString())
			.contains("CERTIFICATE_EXPIRES_SOON");
		authorizeDirectly(id);
		assertThat(verify(admin, id).path("passed").asBoolean()).isTrue();
	}

	private static JsonNode verify(ApiClient admin, String id) {
		ApiClient.Response verified = admin.post("/api/smtp-services/" + id + "/verification", Map.of());
		assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
		return verified.json();
	}

	private static JsonNode check(JsonNode verification, String name) {
		List<JsonNode> found = list(verification.path("checks")).stream()
			.filter(check -> check.path("name").asString().equals(name))
			.toList();
		assertThat(found).as(verification.toString()).hasSize(1);
		return found.get(0);
	}

	/** A test email that ends HELD; returns its request ID. */
	private static String heldTestEmail(ApiClient admin, String id, String recipient) {
		ApiClient.Response tested = admin.post("/api/smtp-services/" + id + "/test-email", Map.of("recipient", recipient));
		assertThat(tested.status()).as(tested.toString()).isIn(200, 202);
		String requestId = tested.json().path("requestId").asString();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> admin.get("/api/deliveries/" + requestId).json().path("status").asString(), "HELD"::equals);
		return requestId;
	}

	private static void awaitSent(ApiClient admin, String requestId) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> admin.get("/api/deliveries/" + requestId).json().path("status").asString(), "SENT"::equals);
	}

}
