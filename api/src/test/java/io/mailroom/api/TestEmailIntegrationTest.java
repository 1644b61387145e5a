package io.mailroom.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.mailroom.core.sandbox.TestMicrosoft;
import io.mailroom.sandbox.ReceivedMessage;
import io.mailroom.sandbox.Scenario;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.mailroom.api.SmtpServiceIntegrationTest.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The seed's whole flow, through the real pipeline: create → authorize (through Microsoft's form_post) →
 * test email (api → Kafka → worker → Exchange) → status; and what a failing test email tells the admin.
 */
class TestEmailIntegrationTest extends ApiIntegrationTest {

	@Test
	void theSeedsFlowEndsWithATestEmailInTheMailboxAndAnAuthorizedService() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String recipient = "it-admin@" + mailbox.tenant().domain();
		microsoft().directory().createUser(mailbox.tenant(), recipient);
		String id = create(admin, oauth2Service(mailbox)).path("id").asString();
		assertThat(query(authorize(admin, id, mailbox.upn()).header("Location"))).containsEntry("authorization",
				"succeeded");

		ApiClient.Response tested = admin.post("/api/smtp-services/" + id + "/test-email", Map.of("recipient", recipient));

		assertThat(tested.status()).as(tested.toString()).isEqualTo(200);
		JsonNode result = tested.json();
		assertThat(result.path("outcome").asString()).isEqualTo("SENT");
		assertThat(result.path("recipient").asString()).isEqualTo(recipient);
		assertThat(result.path("messageId").asString()).isNotBlank();
		List<ReceivedMessage> received = microsoft().mailbox().messagesTo(recipient);
		assertThat(received).hasSize(1);
		assertThat(received.get(0).subject()).contains("Mailroom test email: Support mailbox");
		assertThat(received.get(0).mailbox()).isEqualTo(mailbox.upn());
		String requestId = result.path("requestId").asString();

		JsonNode status = await().until(() -> admin.get("/api/smtp-services/" + id + "/status").json(),
				found -> found.has("lastSuccessAt"));
		assertThat(status.path("status").asString()).isEqualTo("AUTHORIZED");
		assertThat(status.path("heldMail").asLong()).isZero();
		JsonNode log = admin.get("/api/smtp-services/" + id + "/deliveries?tag=mailroom.test=true&status=SENT").json();
		assertThat(list(log.path("items"))).extracting(item -> item.path("requestId").asString()).containsExactly(requestId);
		String later = java.time.Instant.now().plusSeconds(3600).toString();
		assertThat(list(admin.get("/api/smtp-services/" + id + "/deliveries?from=" + later).json().path("items")))
			.isEmpty();
		assertThat(list(admin.get("/api/smtp-services/" + id + "/deliveries?to=" + later + "&status=FAILED")
			.json()
			.path("items"))).isEmpty();
		assertThat(admin.get("/api/smtp-services/" + id + "/deliveries?size=500").status()).isEqualTo(400);
		JsonNode delivery = admin.get("/api/smtp-services/" + id + "/deliveries/" + requestId).json();
		assertThat(delivery.path("status").asString()).isEqualTo("SENT");
		assertThat(delivery.path("tags").path("mailroom.test").asString()).isEqualTo("true");
		assertThat(list(delivery.path("attemptLog"))).extracting(attempt -> attempt.path("outcome").asString())
			.containsExactly("SENT");
		assertThat(admin.get("/api/deliveries/" + requestId).json().path("messageId").asString())
			.isEqualTo(result.path("messageId").asString());
		assertThat(list(admin.get("/api/audit?serviceId=" + id).json().path("events")).get(0).path("action").asString())
			.isEqualTo("TEST_EMAIL_SENT");
	}

	@Test
	void smtpAuthDisabledForTheMailboxSaysToSetSmtpClientAuthenticationDisabledToFalse() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = createAuthorized(admin, mailbox);
		Scenario disabled = microsoft().scenarios().disableSmtpAuth(mailbox.upn());
		try {
			ApiClient.Response tested = admin.post("/api/smtp-services/" + id + "/test-email",
					Map.of("recipient", mailbox.upn()));

			assertThat(tested.status()).as(tested.toString()).isEqualTo(200);
			JsonNode result = tested.json();
			assertThat(result.path("outcome").asString()).isIn("HELD", "FAILED");
			assertThat(result.path("smtpReply").path("code").asInt()).isEqualTo(535);
			assertThat(result.path("smtpReply").path("enhancedCode").asString()).isEqualTo("5.7.139");
			assertThat(result.path("error").path("code").asString()).isEqualTo("5.7.139");
			assertThat(result.path("error").path("hint").asString()).contains("SmtpClientAuthenticationDisabled");
			assertThat(result.path("error").path("helpUrl").asString()).isNotBlank();
			JsonNode service = admin.get("/api/smtp-services/" + id).json();
			assertThat(service.path("status").asString()).isEqualTo("CONFIGURATION_ERROR");
			assertThat(service.path("statusReason").path("hint").asString()).contains("SmtpClientAuthenticationDisabled");
		}
		finally {
			disabled.clear();
		}
	}

	@Test
	void aRecipientExchangeRefusesIsReportedWithItsReply() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = createAuthorized(admin, mailbox);
		String outsider = outsideAddress();
		Scenario refused = microsoft().scenarios().rejectRecipient(outsider, 550, "5.7.1",
				"Service unavailable, Client host blocked using Spamhaus");
		try {
			JsonNode result = admin.post("/api/smtp-services/" + id + "/test-email", Map.of("recipient", outsider))
				.json();

			assertThat(result.path("outcome").asString()).isEqualTo("FAILED");
			assertThat(result.path("smtpReply").path("code").asInt()).isEqualTo(550);
			assertThat(result.path("smtpReply").path("enhancedCode").asString()).isEqualTo("5.7.1");
			assertThat(result.path("error").path("hint").asString()).isNotBlank();
		}
		finally {
			refused.clear();
		}
	}

	@Test
	void aTestEmailToAnAddressOutsideTheOrganizationFailsWithTheHintToSendItInside() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		Scenario organizationOnly = microsoft().scenarios().refuseOutsideRecipients(mailbox.upn());
		String id = createAuthorized(admin, mailbox);
		String outsider = outsideAddress();
		try {
			ApiClient.Response tested = admin.post("/api/smtp-services/" + id + "/test-email",
					Map.of("recipient", outsider));

			assertThat(tested.status()).as(tested.toString()).isEqualTo(200);
			JsonNode result = tested.json();
			assertThat(result.path("outcome").asString()).isEqualTo("FAILED");
			assertThat(result.path("smtpReply").path("code").asInt()).isEqualTo(550);
			assertThat(result.path("smtpReply").path("enhancedCode").asString()).isEqualTo("5.7.1");
			assertThat(result.path("smtpReply").path("text").asString()).contains(outsider,
					"outside the sender's organization", "[Microsoft stand-in's text");
			assertThat(result.path("error").path("category").asString()).isEqualTo("RECIPIENT");
			assertThat(result.path("error").path("hint").asString())
				.startsWith("Send test emails to an address inside your own Microsoft 365 organization");
			assertThat(result.path("error").path("helpUrl").asString()).isNotBlank();
			assertThat(microsoft().mailbox().messagesTo(outsider)).isEmpty();

			String colleague = "it-admin@" + mailbox.tenant().domain();
			microsoft().directory().createUser(mailbox.tenant(), colleague);
			assertThat(admin.post("/api/smtp-services/" + id + "/test-email", Map.of("recipient", colleague))
				.json()
				.path("outcome")
				.asString()).isEqualTo("SENT");
		}
		finally {
			organizationOnly.clear();
		}
	}

	@Test
	void aServiceNotAuthorizedYetIsNotTestedAndTheAnswerSaysToAuthorizeFirst() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = create(admin, oauth2Service(mailbox)).path("id").asString();

		ApiClient.Response refused = admin.post("/api/smtp-services/" + id + "/test-email",
				Map.of("recipient", mailbox.upn()));

		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.json().path("detail").asString()).contains("Authorize the service first",
				"sign in to Microsoft as " + mailbox.upn());
		assertThat(list(admin.get("/api/smtp-services/" + id + "/deliveries").json().path("items"))).isEmpty();
	}

	@Test
	void aRecipientThatIsNoAddressIsRefused() {
		ApiClient admin = newAdmin();
		String id = create(admin, oauth2Service(newMailbox())).path("id").asString();

		ApiClient.Response refused = admin.post("/api/smtp-services/" + id + "/test-email",
				Map.of("recipient", "it-admin at contoso"));

		assertThat(refused.status()).isEqualTo(400);
		assertThat(SmtpServiceIntegrationTest.errors(refused.json())).containsKey("recipient");
	}

	/** An address of no Microsoft organization the stand-in knows. */
	private static String outsideAddress() {
		return "someone@outside-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
	}

}
