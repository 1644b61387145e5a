package io.mailroom.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The control page and its JSON, which the local run uses to watch mail and switch scenarios. */
class ControlServerTests {

	private final HttpClient http = HttpClient.newHttpClient();

	private MicrosoftSandbox sandbox;

	@BeforeEach
	void startSandbox() {
		this.sandbox = MicrosoftSandbox.start(SandboxSettings.defaults().withInitialData((directory) -> {
			Tenant contoso = directory.createTenant("6b1f1a5e-8d1c-4a51-9d1c-2f6f0e7b3a10", "contoso.com");
			directory.registerApp(contoso, "0d2b5c7e-4f6a-4b8c-9e1d-3a5b7c9d1e2f", "Mailroom (local)", true,
					"local-secret-value", java.util.List.of("http://localhost:8080/oauth2/callback"));
			directory.createUser(contoso, "alice@contoso.com");
		}));
	}

	@AfterEach
	void stopSandbox() {
		this.sandbox.close();
	}

	@Test
	void receivedMailAndDirectoryAreListed() throws Exception {
		Tenant contoso = this.sandbox.directory().tenant("contoso.com").orElseThrow();
		AppRegistration app = this.sandbox.directory().app("0d2b5c7e-4f6a-4b8c-9e1d-3a5b7c9d1e2f").orElseThrow();
		String token = Clients.accessToken(this.sandbox, contoso, app, "alice@contoso.com");
		try (SMTPTransport transport = Clients.connect(this.sandbox, "alice@contoso.com", token)) {
			Clients.send(transport, Clients.message(transport, "alice@contoso.com", "bob@example.org", "Listed"));
		}

		assertThat(get("/api/messages")).contains("\"subject\":\"Listed\"", "\"mailbox\":\"alice@contoso.com\"");
		assertThat(get("/api/messages/1/raw")).contains("Subject: Listed");
		assertThat(get("/api/directory")).contains("6b1f1a5e-8d1c-4a51-9d1c-2f6f0e7b3a10", "local-secret-value");
		assertThat(get("/api/stats")).contains("\"messagesAccepted\":1");
		assertThat(get("/")).contains("Listed", "contoso.com");
	}

	@Test
	void scenariosAreStartedAndClearedByForm() throws Exception {
		String started = post("/api/scenarios", "type=disable-smtp-auth&upn=alice%40contoso.com");

		assertThat(started).contains("\"description\":\"SMTP AUTH disabled for alice@contoso.com\"");
		assertThat(this.sandbox.scenarios().active()).hasSize(1);
		long id = this.sandbox.scenarios().idOf(this.sandbox.scenarios().active().get(0));
		post("/api/scenarios/" + id + "/clear", "");
		assertThat(this.sandbox.scenarios().active()).isEmpty();
		assertThat(post("/api/scenarios", "type=no-such-thing")).contains("Unknown scenario type");
		assertThat(post("/api/scenarios", "type=graph-failures&status=503&code=ResourceUnhealthy&count=2"))
			.contains("Graph answers 503 ResourceUnhealthy 2 time(s)");
	}

	private String get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.sandbox.controlUrl() + path)).build(),
				HttpResponse.BodyHandlers.ofString()).body();
	}

	private String post(String path, String form) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.sandbox.controlUrl() + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString()).body();
	}

}
