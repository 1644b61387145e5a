package io.mailroom.local;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.mailroom.sandbox.AuthorizationRedirect;
import io.mailroom.sandbox.Consent;
import io.mailroom.sandbox.ReceivedMessage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's walkthrough, headless, against the local run: create a service with the stand-in's demo values,
 * authorize it as a browser would, send a test email, find it in the stand-in's mailbox, then publish a
 * request with {@code ./run-local send} and get its result.
 */
class LocalWalkthroughTest {

	private final LocalMailroom mailroom = LocalStack.mailroom();

	private final Admin admin = new Admin(this.mailroom);

	@Test
	void aNewcomerSetsUpTheDemoServiceAndItsMailArrives() throws Exception {
		DemoMailbox demo = DemoMailbox.DEMO;
		JsonNode created = this.admin.createService("Demo mailbox", demo.loginEmail(), demo.clientId(),
				demo.clientSecret(), demo.tenantId());
		String serviceId = created.path("id").asString();
		assertThat(created.path("status").asString()).isEqualTo("NOT_AUTHORIZED");
		assertThat(created.path("authentication").path("redirectUri").asString())
			.isEqualTo(this.mailroom.apiUrl() + "/oauth2/custom-smtp-token");

		Http.Response callback = this.admin.authorize(serviceId, demo.loginEmail());
		assertThat(callback.status()).as(callback.toString()).isEqualTo(200);
		assertThat(callback.body()).contains("Authorization succeeded");
		assertThat(this.admin.service(serviceId).path("status").asString()).isEqualTo("AUTHORIZED");

		String recipient = "it-admin@" + demo.domain();
		Http.Response testEmail = this.admin.testEmail(serviceId, recipient);
		assertThat(testEmail.status()).as(testEmail.toString()).isEqualTo(200);
		assertThat(testEmail.json().path("outcome").asString()).as(testEmail.toString()).isEqualTo("SENT");

		List<ReceivedMessage> received = this.mailroom.microsoft().mailbox().messagesTo(recipient);
		assertThat(received).isNotEmpty();
		assertThat(received.get(received.size() - 1).authenticatedBy()).isEqualTo(demo.loginEmail());
		Http.Response page = Http.get(this.mailroom.microsoft().controlUrl() + "/api/messages");
		assertThat(page.body()).contains(recipient);

		ByteArrayOutputStream printed = new ByteArrayOutputStream();
		SendCommand.run(List.of("--service", serviceId, "--to", "producer-reader@" + demo.domain(),
				"--bootstrap-servers", this.mailroom.kafkaBootstrapServers(), "--wait", "60"),
				new PrintStream(printed, true, StandardCharsets.UTF_8));
		assertThat(printed.toString(StandardCharsets.UTF_8)).containsPattern(
				"(?m)^[0-9a-f-]{36} SENT \\(traceparent 00-[0-9a-f]{32}-[0-9a-f]{16}-01\\)$");
		assertThat(this.mailroom.microsoft().mailbox().messagesTo("producer-reader@" + demo.domain())).hasSize(1);
	}

	@Test
	void theDemoGoogleWorkspaceSendsWithAUserGrantAndWithItsServiceAccount() throws Exception {
		DemoGoogle demo = DemoGoogle.DEMO;
		String serviceId = this.admin.createGoogleService("Demo Gmail", demo.loginEmail(), demo.clientId(),
				demo.clientSecret(), this.mailroom.google().smtpHost(), this.mailroom.google().smtpPort())
			.path("id")
			.asString();
		Http.Response started = Http.postJson(this.mailroom.apiUrl() + "/api/smtp-services/" + serviceId
				+ "/authorization", this.mailroom.apiKey(), java.util.Map.of());
		AuthorizationRedirect back = this.mailroom.google().signIn(
				java.net.URI.create(started.json().path("authorizeUrl").asString()), demo.loginEmail(), Consent.ACCEPT);
		assertThat(Http.get(back.uri().toString()).body()).contains("Authorization succeeded");

		ByteArrayOutputStream printed = new ByteArrayOutputStream();
		SendCommand.run(List.of("--service", serviceId, "--to", "gmail-reader@example.org", "--bootstrap-servers",
				this.mailroom.kafkaBootstrapServers(), "--wait", "60"), new PrintStream(printed, true, StandardCharsets.UTF_8));
		assertThat(printed.toString(StandardCharsets.UTF_8)).contains(" SENT ");
		assertThat(this.mailroom.google().mailbox().messagesTo("gmail-reader@example.org")).hasSize(1);

		String key = java.nio.file.Files.readString(this.mailroom.dataDirectory().resolve("google-service-account.json"));
		java.util.Map<String, Object> authentication = new java.util.LinkedHashMap<>();
		authentication.put("type", "OAUTH2");
		authentication.put("provider", "GOOGLE");
		authentication.put("access", "APPLICATION");
		authentication.put("loginEmail", demo.loginEmail());
		authentication.put("serviceAccountKey", key);
		Http.Response created = Http.postJson(this.mailroom.apiUrl() + "/api/smtp-services", this.mailroom.apiKey(),
				java.util.Map.of("name", "Demo service account", "host", this.mailroom.google().smtpHost(), "port",
						this.mailroom.google().smtpPort(), "fromAddress", demo.loginEmail(), "authentication", authentication));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		Http.Response tested = this.admin.testEmail(created.json().path("id").asString(), "sa-reader@example.org");
		assertThat(tested.json().path("outcome").asString()).as(tested.toString()).isEqualTo("SENT");
	}

}
