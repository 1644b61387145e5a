package io.mailroom.local;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import io.mailroom.sandbox.AuthorizationRedirect;
import io.mailroom.sandbox.Consent;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** What an admin does in the walkthrough, over the api's HTTP interface and the stand-in's sign-in. */
final class Admin {

	private final LocalMailroom mailroom;

	Admin(LocalMailroom mailroom) {
		this.mailroom = mailroom;
	}

	/** Creates a Microsoft OAuth2 service, as the Create SMTP Service form does; returns the stored service. */
	JsonNode createService(String name, String loginEmail, String clientId, String clientSecret, String tenantId) {
		Map<String, Object> authentication = new LinkedHashMap<>();
		authentication.put("type", "OAUTH2");
		authentication.put("provider", "MICROSOFT");
		authentication.put("loginEmail", loginEmail);
		authentication.put("clientId", clientId);
		authentication.put("clientSecret", clientSecret);
		authentication.put("tenantId", tenantId);
		Map<String, Object> service = new LinkedHashMap<>();
		service.put("name", name);
		service.put("host", this.mailroom.microsoft().smtpHost());
		service.put("port", this.mailroom.microsoft().smtpPort());
		service.put("fromAddress", loginEmail);
		service.put("authentication", authentication);
		Http.Response created = Http.postJson(this.mailroom.apiUrl() + "/api/smtp-services", this.mailroom.apiKey(),
				service);
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created.json();
	}

	/** Creates a Google Workspace service with an OAuth client, as the form does with Provider Google. */
	JsonNode createGoogleService(String name, String loginEmail, String clientId, String clientSecret, String host,
			int port) {
		Map<String, Object> authentication = new LinkedHashMap<>();
		authentication.put("type", "OAUTH2");
		authentication.put("provider", "GOOGLE");
		authentication.put("loginEmail", loginEmail);
		authentication.put("clientId", clientId);
		authentication.put("clientSecret", clientSecret);
		Map<String, Object> service = new LinkedHashMap<>();
		service.put("name", name);
		service.put("host", host);
		service.put("port", port);
		service.put("fromAddress", loginEmail);
		service.put("authentication", authentication);
		Http.Response created = Http.postJson(this.mailroom.apiUrl() + "/api/smtp-services", this.mailroom.apiKey(),
				service);
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created.json();
	}

	/**
	 * Clicks Authorize, signs in at the stand-in as {@code account} and accepts, and lets the browser post
	 * Microsoft's answer to the api's callback; returns the callback's page.
	 */
	Http.Response authorize(String serviceId, String account) {
		Http.Response started = Http.postJson(
				this.mailroom.apiUrl() + "/api/smtp-services/" + serviceId + "/authorization", this.mailroom.apiKey(),
				Map.of());
		assertThat(started.status()).as(started.toString()).isEqualTo(200);
		URI authorizeUrl = URI.create(started.json().path("authorizeUrl").asString());
		AuthorizationRedirect redirect = this.mailroom.microsoft().signIn(authorizeUrl, account, Consent.ACCEPT);
		assertThat(redirect.method()).isEqualTo("POST");
		return Http.postForm(redirect.target(), redirect.parameters());
	}

	JsonNode service(String serviceId) {
		return Http.get(this.mailroom.apiUrl() + "/api/smtp-services/" + serviceId, this.mailroom.apiKey()).json();
	}

	/** Sends a test email and returns the api's answer (it waits for the worker's outcome). */
	Http.Response testEmail(String serviceId, String recipient) {
		return Http.postJson(this.mailroom.apiUrl() + "/api/smtp-services/" + serviceId + "/test-email",
				this.mailroom.apiKey(), Map.of("recipient", recipient));
	}

}
