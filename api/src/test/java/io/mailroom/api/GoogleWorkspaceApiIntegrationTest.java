package io.mailroom.api;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.mailroom.core.sandbox.TestGoogle;
import io.mailroom.sandbox.Consent;
import io.mailroom.sandbox.GoogleSandbox;
import io.mailroom.sandbox.GoogleWorkspace;
import io.mailroom.sandbox.ReceivedMessage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Google Workspace services through the api, with a worker alongside and the Google stand-in: create, authorize
 * (and a refused sign-in with Google's error shown), test email, revoke → held → authorize again releases, and a
 * service account that sends once its domain-wide delegation is allowed and Verify setup passes.
 */
class GoogleWorkspaceApiIntegrationTest extends ApiIntegrationTest {

	@Test
	void aGoogleServiceIsCreatedAuthorizedWithPkceAndSendsATestEmailThroughGmail() {
		ApiClient admin = newAdmin();
		TestGoogle.Workspace workspace = newWorkspace();
		JsonNode created = create(admin, googleService(workspace));
		String id = created.path("id").asString();
		assertThat(created.path("status").asString()).isEqualTo("NOT_AUTHORIZED");
		assertThat(created.path("authentication").path("provider").asString()).isEqualTo("GOOGLE");
		assertThat(created.path("authentication").path("redirectUri").asString()).isEqualTo(REDIRECT_URI);
		assertThat(created.path("authentication").path("clientSecret").path("set").asBoolean()).isTrue();
		assertThat(created.toString()).doesNotContain(workspace.client().clientSecret());

		URI authorize = startAuthorization(admin, id, RETURN_URL);
		Map<String, String> query = query(authorize.toString());
		assertThat(authorize.toString()).startsWith(google().authorizationUri());
		assertThat(query).containsEntry("access_type", "offline")
			.containsEntry("prompt", "consent")
			.containsEntry("code_challenge_method", "S256")
			.containsEntry("login_hint", workspace.user())
			.containsEntry("redirect_uri", REDIRECT_URI);
		assertThat(query.get("scope").split(" ")).contains("https://mail.google.com/", "openid", "email");
		ApiClient.Response back = follow(google().signIn(authorize, workspace.user(), Consent.ACCEPT));

		assertThat(query(back.header("Location"))).containsEntry("authorization", "succeeded");
		JsonNode service = admin.get("/api/smtp-services/" + id).json();
		assertThat(service.path("status").asString()).isEqualTo("AUTHORIZED");
		assertThat(service.path("authorizedAccount").asString()).isEqualTo(workspace.user());

		ApiClient.Response tested = admin.post("/api/smtp-services/" + id + "/test-email",
				Map.of("recipient", "reader@" + workspace.domain()));

		assertThat(tested.status()).as(tested.toString()).isEqualTo(200);
		assertThat(tested.json().path("outcome").asString()).isEqualTo("SENT");
		List<ReceivedMessage> received = google().mailbox().messagesTo("reader@" + workspace.domain());
		assertThat(received).hasSize(1);
		assertThat(received.get(0).authenticatedBy()).isEqualTo(workspace.user());
	}

	@Test
	void aRefusedSignInShowsGooglesErrorAndWhatToDo() {
		ApiClient admin = newAdmin();
		TestGoogle.Workspace workspace = newWorkspace();
		String id = create(admin, googleService(workspace)).path("id").asString();

		ApiClient.Response back = follow(google().signIn(startAuthorization(admin, id, RETURN_URL), workspace.user(),
				Consent.DECLINE));

		Map<String, String> outcome = query(back.header("Location"));
		assertThat(outcome).containsEntry("authorization", "failed").containsEntry("code", "access_denied");
		assertThat(outcome.get("hint")).contains("Authorize again", "test users");
		JsonNode status = admin.get("/api/smtp-services/" + id + "/status").json();
		assertThat(status.path("status").asString()).isEqualTo("NOT_AUTHORIZED");
		assertThat(status.path("statusReason").path("code").asString()).isEqualTo("access_denied");

		ApiClient.Response page = follow(google().signIn(startAuthorization(admin, id, null), workspace.user(),
				Consent.DECLINE));
		assertThat(page.body()).contains("Authorization failed", "access_denied", "Google Workspace");
	}

	@Test
	void aRevokedGrantHoldsTheMailAndAuthorizingAgainReleasesIt() {
		ApiClient admin = newAdmin();
		TestGoogle.Workspace workspace = newWorkspace();
		String id = create(admin, googleService(workspace)).path("id").asString();
		authorize(admin, id, workspace.user(), google());
		google().workspace().revokeGrants(workspace.user());

		ApiClient.Response tested = admin.post("/api/smtp-services/" + id + "/test-email",
				Map.of("recipient", "reader@" + workspace.domain()));

		assertThat(tested.status()).as(tested.toString()).isIn(200, 202);
		JsonNode status = await().until(() -> admin.get("/api/smtp-services/" + id + "/status").json(),
				found -> found.path("heldMail").asLong() == 1);
		assertThat(status.path("status").asString()).isEqualTo("NEEDS_REAUTHORIZATION");
		assertThat(status.path("statusReason").path("code").asString()).isEqualTo("invalid_grant");
		assertThat(status.path("statusReason").path("hint").asString()).contains("7 days", "Testing", "In production");

		authorize(admin, id, workspace.user(), google());

		await().until(() -> google().mailbox().messagesTo("reader@" + workspace.domain()).size() == 1);
		assertThat(admin.get("/api/smtp-services/" + id + "/status").json().path("heldMail").asLong()).isZero();
	}

	@Test
	void aServiceAccountSendsOnceItsDomainWideDelegationIsAllowedAndVerifySetupPasses() {
		ApiClient admin = newAdmin();
		TestGoogle.Workspace workspace = newWorkspace();
		GoogleWorkspace.ServiceAccount account = google().createServiceAccount("mailroom-tests", "sender-" + UUID.randomUUID().toString().substring(0, 6));
		Map<String, Object> request = googleService(workspace);
		@SuppressWarnings("unchecked")
		Map<String, Object> authentication = (Map<String, Object>) request.get("authentication");
		authentication.remove("clientId");
		authentication.remove("clientSecret");
		authentication.put("access", "APPLICATION");
		authentication.put("serviceAccountKey", account.jsonKey());
		JsonNode created = create(admin, request);
		String id = created.path("id").asString();
		assertThat(created.path("status").asString()).isEqualTo("AUTHORIZED");
		assertThat(created.path("authentication").path("serviceAccount").path("clientId").asString())
			.isEqualTo(account.clientId());
		assertThat(created.path("authentication").path("setupGuidance").asString())
			.contains("Manage Domain Wide Delegation", account.clientId(), "https://mail.google.com/");
		assertThat(created.toString()).doesNotContain("PRIVATE KEY");
		assertThat(admin.post("/api/smtp-services/" + id + "/authorization", Map.of()).status()).isEqualTo(409);

		admin.post("/api/smtp-services/" + id + "/test-email", Map.of("recipient", "reader@" + workspace.domain()));
		JsonNode held = await().until(() -> admin.get("/api/smtp-services/" + id + "/status").json(),
				found -> found.path("heldMail").asLong() == 1);
		assertThat(held.path("status").asString()).isEqualTo("CONFIGURATION_ERROR");
		assertThat(held.path("statusReason").path("hint").asString()).contains(account.clientId());
		JsonNode failed = admin.post("/api/smtp-services/" + id + "/verification", Map.of()).json();
		assertThat(failed.path("passed").asBoolean()).isFalse();

		google().workspace().allowDomainWideDelegation(workspace.domain(), account.clientId(), GoogleWorkspace.MAIL_SCOPE);
		JsonNode verified = admin.post("/api/smtp-services/" + id + "/verification", Map.of()).json();

		assertThat(verified.path("passed").asBoolean()).as(verified.toString()).isTrue();
		assertThat(verified.path("status").asString()).isEqualTo("AUTHORIZED");
		await().until(() -> google().mailbox().messagesTo("reader@" + workspace.domain()).size() == 1);
		assertThat(google().mailbox().messagesTo("reader@" + workspace.domain()).get(0).authenticatedBy())
			.isEqualTo(workspace.user());
	}

	@Test
	void googleFieldsAreCheckedWithWhatToEnter() {
		ApiClient admin = newAdmin();
		Map<String, Object> request = googleService(newWorkspace());
		@SuppressWarnings("unchecked")
		Map<String, Object> authentication = (Map<String, Object>) request.get("authentication");
		authentication.put("clientId", "2f1c7a52-9a53-4d52-8b0f-3e1f3c1d2a77");
		authentication.put("tenantId", "72f988bf-86f1-41af-91ab-2d7cd011db47");

		ApiClient.Response refused = admin.post("/api/smtp-services", request);

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.body()).contains("authentication.clientId", "apps.googleusercontent.com",
				"authentication.tenantId", "MICROSOFT only");
		request.put("host", "smtp.gmail.com");
		request.put("port", 465);
		assertThat(admin.post("/api/smtp-services", request).body()).contains("\"port\"", "587", "STARTTLS");
		request.put("host", google().smtpHost());
		request.put("port", google().smtpPort());
		authentication.put("clientId", null);
		authentication.put("tenantId", null);
		authentication.put("access", "APPLICATION");
		authentication.put("clientSecret", null);
		authentication.put("serviceAccountKey", "{\"type\": \"authorized_user\"}");
		assertThat(admin.post("/api/smtp-services", request).body()).contains("authentication.serviceAccountKey",
				"not a service account key");
	}

	static GoogleSandbox google() {
		return TestGoogle.sandbox();
	}

	/** A Workspace whose OAuth client accepts this api's redirect URI. */
	static TestGoogle.Workspace newWorkspace() {
		String domain = "g" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		String user = "sender@" + domain;
		google().workspace().createUser(user);
		GoogleWorkspace.OAuthClient client = google().workspace().registerClient(domain, GoogleWorkspace.UserType.INTERNAL,
				GoogleWorkspace.PublishingStatus.IN_PRODUCTION, REDIRECT_URI);
		return new TestGoogle.Workspace(domain, user, client);
	}

	/** The JSON an admin enters for a Google Workspace service of the workspace's user. */
	static Map<String, Object> googleService(TestGoogle.Workspace workspace) {
		Map<String, Object> authentication = new LinkedHashMap<>();
		authentication.put("type", "OAUTH2");
		authentication.put("provider", "GOOGLE");
		authentication.put("loginEmail", workspace.user());
		authentication.put("clientId", workspace.client().clientId());
		authentication.put("clientSecret", workspace.client().clientSecret());
		Map<String, Object> service = new LinkedHashMap<>();
		service.put("name", "Gmail mailbox");
		service.put("host", google().smtpHost());
		service.put("port", google().smtpPort());
		service.put("fromAddress", workspace.user());
		service.put("authentication", authentication);
		return service;
	}

	static ApiClient.Response authorize(ApiClient admin, String id, String account, GoogleSandbox google) {
		ApiClient.Response back = follow(google.signIn(startAuthorization(admin, id, RETURN_URL), account, Consent.ACCEPT));
		assertThat(query(back.header("Location"))).containsEntry("authorization", "succeeded");
		return back;
	}

}
