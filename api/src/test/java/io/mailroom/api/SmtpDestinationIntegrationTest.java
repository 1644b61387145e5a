package io.mailroom.api;

import java.util.Map;
import java.util.UUID;

import io.mailroom.core.outbound.TestDns;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.mailroom.api.SmtpServiceIntegrationTest.basicService;
import static io.mailroom.api.SmtpServiceIntegrationTest.errors;
import static io.mailroom.api.SmtpServiceIntegrationTest.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service cannot be pointed at internal hosts or other ports: the api refuses it when it is saved, and the
 * worker refuses to connect when the host resolves elsewhere by the time it sends (DNS rebinding).
 */
class SmtpDestinationIntegrationTest extends ApiIntegrationTest {

	@Test
	void anInternalAddressIsRefusedOnSaveWithWhatToEnterInstead() {
		ApiClient admin = newAdmin();
		Map<String, Object> form = basicService("relay@contoso.test", "a-password");
		form.put("host", "10.0.0.5");

		ApiClient.Response refused = admin.post("/api/smtp-services", form);

		assertThat(refused.status()).isEqualTo(400);
		assertThat(errors(refused.json())).containsOnlyKeys("host");
		assertThat(errors(refused.json()).get("host")).startsWith("is a private address (10.0.0.5), and Mailroom does "
				+ "not connect to internal networks: enter your mail server's public host name (smtp.office365.com "
				+ "for Microsoft 365)").contains("mailroom.outbound.allowed-hosts");
		assertThat(list(admin.get("/api/smtp-services").json())).isEmpty();
	}

	@Test
	void theCloudMetadataAddressIsRefusedByName() {
		Map<String, Object> form = basicService("relay@contoso.test", "a-password");
		form.put("host", "169.254.169.254");
		form.put("port", 25);

		ApiClient.Response refused = newAdmin().post("/api/smtp-services", form);

		assertThat(errors(refused.json()).get("host")).startsWith("is a cloud metadata address (169.254.169.254)");
	}

	@Test
	void aHostNameResolvingToTheLoopbackAddressIsRefused() {
		TestDns.answer("intranet.mailroom.test", "127.0.0.1");
		try {
			Map<String, Object> form = basicService("relay@contoso.test", "a-password");
			form.put("host", "intranet.mailroom.test");

			ApiClient.Response refused = newAdmin().post("/api/smtp-services", form);

			assertThat(refused.status()).isEqualTo(400);
			assertThat(errors(refused.json()).get("host")).startsWith("resolves to 127.0.0.1, a loopback address");
		}
		finally {
			TestDns.forget("intranet.mailroom.test");
		}
	}

	@Test
	void aPortThatIsNoSmtpPortIsRefusedOnCreateAndOnChange() {
		ApiClient admin = newAdmin();
		Map<String, Object> form = basicService("relay@contoso.test", "a-password");
		form.put("host", "203.0.113.7");
		form.put("port", 22);

		ApiClient.Response refused = admin.post("/api/smtp-services", form);

		assertThat(refused.status()).isEqualTo(400);
		assertThat(errors(refused.json()).get("port")).startsWith("is not an SMTP port Mailroom connects to: use 587")
			.contains("25, 465, 587, 2525", "mailroom.outbound.allowed-ports");

		form.put("port", 587);
		String id = create(admin, form).path("id").asString();
		form.put("port", 6379);
		assertThat(errors(admin.put("/api/smtp-services/" + id, form).json())).containsOnlyKeys("port");
		assertThat(admin.get("/api/smtp-services/" + id).json().path("port").asInt()).isEqualTo(587);
	}

	@Test
	void aHostThatResolvesInternallyByTheTimeMailIsSentIsRefusedAtConnect() {
		String host = "rebind-" + UUID.randomUUID().toString().substring(0, 8) + ".mailroom.test";
		ApiClient admin = newAdmin();
		TestDns.answer(host, REBINDING_FIRST_ANSWER);
		try {
			Map<String, Object> form = basicService("relay@contoso.test", "a-password");
			form.put("host", host);
			form.put("port", 587);
			String id = create(admin, form).path("id").asString();
			// the name's owner now answers with this machine's loopback address
			TestDns.answer(host, "127.0.0.1");

			JsonNode result = admin.post("/api/smtp-services/" + id + "/test-email",
					Map.of("recipient", "it-admin@contoso.test")).json();

			assertThat(result.path("outcome").asString()).as(result.toString()).isIn("HELD", "FAILED");
			assertThat(result.path("error").path("category").asString()).isEqualTo("CONFIGURATION");
			assertThat(result.path("error").path("code").asString()).isEqualTo("SMTP_HOST_NOT_ALLOWED");
			assertThat(result.path("error").path("message").asString()).isEqualTo("Mailroom did not connect: the SMTP "
					+ "host " + host + " resolves to 127.0.0.1, a loopback address, and Mailroom does not connect to "
					+ "internal networks.");
			assertThat(result.path("error").path("hint").asString()).contains("public host name");
			assertThat(result.has("smtpReply")).isFalse();
			JsonNode service = await().until(() -> admin.get("/api/smtp-services/" + id).json(),
					found -> found.path("status").asString().equals("CONFIGURATION_ERROR"));
			assertThat(service.path("statusReason").path("code").asString()).isEqualTo("SMTP_HOST_NOT_ALLOWED");
		}
		finally {
			TestDns.forget(host);
		}
	}

}
