package io.mailroom.sandbox;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Microsoft Graph's sendMail as the sandbox answers it: MIME and JSON messages, delegated and application
 * permissions (and RBAC for Applications), Send As, the 4 MB request limit with drafts and upload sessions
 * beyond it, the limits per app and mailbox, and the error bodies.
 */
class GraphApiTests {

	private static final String GRAPH = "https://graph.microsoft.com";

	private MicrosoftSandbox sandbox;

	private Tenant contoso;

	private AppRegistration app;

	@BeforeEach
	void startSandbox() {
		this.sandbox = MicrosoftSandbox.start();
		this.contoso = this.sandbox.directory().createTenant("contoso.com");
		this.app = this.sandbox.directory().registerApp(this.contoso, false, "https://mailroom.test/callback");
		this.sandbox.directory().createUser(this.contoso, "alice@contoso.com");
		this.sandbox.directory().createUser(this.contoso, "bob@contoso.com");
	}

	@AfterEach
	void stopSandbox() {
		this.sandbox.close();
	}

	@Test
	void mimeSendMailIsAcceptedWith202DeliveredAndFoundInSentItemsByInternetMessageId() {
		grant(ApplicationPermission.MAIL_SEND, ApplicationPermission.MAIL_READ_BASIC_ALL);
		String token = Clients.appToken(this.sandbox, this.contoso, this.app, GRAPH);

		HttpResponse<String> sent = sendMime(token, "alice@contoso.com",
				Clients.mime("alice@contoso.com", "x@example.org", "Graph", "<m1@mailroom>", "Hello"));

		assertThat(sent.statusCode()).isEqualTo(202);
		assertThat(sent.headers().firstValue("request-id")).isPresent();
		ReceivedMessage received = this.sandbox.mailbox().latest().orElseThrow();
		assertThat(received.recipients()).containsExactly("x@example.org");
		assertThat(received.sessionId()).isEqualTo("graph");
		assertThat(received.authenticatedBy()).isEqualTo(this.app.clientId());
		HttpResponse<String> found = Clients.graph(this.sandbox, "GET",
				"/v1.0/users/alice@contoso.com/mailFolders/SentItems/messages?%24filter="
						+ Http.encode("internetMessageId eq '<m1@mailroom>'"),
				token, null, null);
		assertThat(found.statusCode()).isEqualTo(200);
		assertThat(found.body()).contains("\"internetMessageId\":\"<m1@mailroom>\"");
	}

	@Test
	void anAppWithoutMailSendGetsErrorAccessDeniedAndRbacForApplicationsAllowsTheScopedMailbox() {
		String token = Clients.appToken(this.sandbox, this.contoso, this.app, GRAPH);
		byte[] mime = Clients.mime("alice@contoso.com", "x@example.org", "No role", "<m2@mailroom>", "Hello");

		HttpResponse<String> refused = sendMime(token, "alice@contoso.com", mime);

		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).contains("\"code\":\"ErrorAccessDenied\"",
				"Access is denied. Check credentials and try again.", "\"request-id\"");
		this.sandbox.directory()
			.newServicePrincipal(this.app, this.contoso,
					this.sandbox.directory().enterpriseApplicationObjectId(this.app, this.contoso));
		this.sandbox.directory().assignApplicationRole(this.app, ApplicationRole.MAIL_SEND, "alice@contoso.com");
		assertThat(sendMime(token, "alice@contoso.com", mime).statusCode()).isEqualTo(202);
		assertThat(sendMime(token, "bob@contoso.com",
				Clients.mime("bob@contoso.com", "x@example.org", "Out of scope", "<m3@mailroom>", "Hello")).statusCode())
			.isEqualTo(403);
	}

	@Test
	void delegatedMailSendSendsFromTheUsersOwnMailboxOnlyAndAnotherFromIsErrorSendAsDenied() {
		String token = Clients.signInAndRedeem(this.sandbox, this.contoso, this.app, "alice@contoso.com",
				GRAPH + "/Mail.Send offline_access openid profile").string("access_token");
		assertThat(Clients.claims(token)).containsEntry("scp", "Mail.Send").containsEntry("upn", "alice@contoso.com")
			.containsEntry("aud", GRAPH);

		assertThat(sendMime(token, "alice@contoso.com",
				Clients.mime("alice@contoso.com", "x@example.org", "Mine", "<d1@mailroom>", "Hi")).statusCode())
			.isEqualTo(202);
		assertThat(sendMime(token, "bob@contoso.com",
				Clients.mime("bob@contoso.com", "x@example.org", "Bob's", "<d2@mailroom>", "Hi")).body())
			.contains("ErrorAccessDenied");
		HttpResponse<String> sendAs = sendMime(token, "alice@contoso.com",
				Clients.mime("support@contoso.com", "x@example.org", "As support", "<d3@mailroom>", "Hi"));
		assertThat(sendAs.statusCode()).isEqualTo(403);
		assertThat(sendAs.body()).contains("\"code\":\"ErrorSendAsDenied\"");
	}

	@Test
	void anExchangeTokenIsRefusedWithInvalidAuthenticationToken() {
		this.sandbox.directory().grantAppMailboxAccess(this.app, "alice@contoso.com");
		String exchangeToken = Clients.appToken(this.sandbox, this.contoso, this.app, "https://outlook.office365.com");

		HttpResponse<String> refused = sendMime(exchangeToken, "alice@contoso.com",
				Clients.mime("alice@contoso.com", "x@example.org", "Wrong audience", "<a1@mailroom>", "Hi"));

		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.body()).contains("InvalidAuthenticationToken", "Invalid audience");
	}

	@Test
	void jsonMessagesAreSentToo() {
		grant(ApplicationPermission.MAIL_SEND);
		String token = Clients.appToken(this.sandbox, this.contoso, this.app, GRAPH);
		String json = """
				{"message":{"subject":"JSON","body":{"contentType":"Text","content":"Hi"},
				 "toRecipients":[{"emailAddress":{"address":"y@example.org"}}]},"saveToSentItems":false}""";

		HttpResponse<String> sent = Clients.graph(this.sandbox, "POST", "/v1.0/users/alice@contoso.com/sendMail", token,
				"application/json", json.getBytes(StandardCharsets.UTF_8));

		assertThat(sent.statusCode()).isEqualTo(202);
		assertThat(this.sandbox.mailbox().latest().orElseThrow().subject()).contains("JSON");
		assertThat(this.sandbox.sentItems("alice@contoso.com")).isEmpty();
	}

	@Test
	void aRequestOver4MbIs413AndADraftWithAnUploadSessionSendsIt() {
		grant(ApplicationPermission.MAIL_SEND, ApplicationPermission.MAIL_READ_WRITE);
		String token = Clients.appToken(this.sandbox, this.contoso, this.app, GRAPH);
		byte[] large = new byte[6 * 1024 * 1024];
		Arrays.fill(large, (byte) 'a');
		byte[] withLargeBody = Clients.mime("alice@contoso.com", "x@example.org", "Large", "<l1@mailroom>",
				new String(large, StandardCharsets.US_ASCII));

		HttpResponse<String> tooLarge = sendMime(token, "alice@contoso.com", withLargeBody);
		assertThat(tooLarge.statusCode()).isEqualTo(413);

		HttpResponse<String> draft = Clients.graph(this.sandbox, "POST", "/v1.0/users/alice@contoso.com/messages", token,
				"text/plain", Base64.getEncoder()
					.encode(Clients.mime("alice@contoso.com", "x@example.org", "Large", "<l2@mailroom>", "See attached")));
		assertThat(draft.statusCode()).isEqualTo(201);
		String draftId = (String) Json.mapper.readValue(draft.body(), Map.class).get("id");
		HttpResponse<String> session = Clients.graph(this.sandbox, "POST",
				"/v1.0/users/alice@contoso.com/messages/" + draftId + "/attachments/createUploadSession", token,
				"application/json", ("{\"AttachmentItem\":{\"attachmentType\":\"file\",\"name\":\"big.bin\",\"size\":"
						+ large.length + "}}").getBytes(StandardCharsets.UTF_8));
		assertThat(session.statusCode()).isEqualTo(201);
		String uploadUrl = (String) Json.mapper.readValue(session.body(), Map.class).get("uploadUrl");
		int chunk = 4 * 1024 * 1024;
		for (int first = 0; first < large.length; first += chunk) {
			int last = Math.min(first + chunk, large.length) - 1;
			HttpResponse<String> put = Clients.putRange(this.sandbox, uploadUrl,
					Arrays.copyOfRange(large, first, last + 1), first, last, large.length);
			assertThat(put.statusCode()).isEqualTo(last + 1 < large.length ? 200 : 201);
		}
		HttpResponse<String> send = Clients.graph(this.sandbox, "POST",
				"/v1.0/users/alice@contoso.com/messages/" + draftId + "/send", token, null, null);

		assertThat(send.statusCode()).isEqualTo(202);
		ReceivedMessage received = this.sandbox.mailbox().latest().orElseThrow();
		assertThat(received.size()).isGreaterThan(large.length);
		assertThat(received.contentAsString()).contains("filename=\"big.bin\"", "See attached");
	}

	@Test
	void theRequestWindowPerAppAndMailboxAnswers429WithRetryAfter() {
		grant(ApplicationPermission.MAIL_SEND);
		this.sandbox.scenarios()
			.graphLimits(new GraphLimits(4, 2, Duration.ofMinutes(10), Long.MAX_VALUE, Duration.ofMinutes(5),
					4 * 1024 * 1024, 150L * 1024 * 1024));
		String token = Clients.appToken(this.sandbox, this.contoso, this.app, GRAPH);

		sendMime(token, "alice@contoso.com", Clients.mime("alice@contoso.com", "x@example.org", "1", "<w1@m>", "1"));
		sendMime(token, "alice@contoso.com", Clients.mime("alice@contoso.com", "x@example.org", "2", "<w2@m>", "2"));
		HttpResponse<String> third = sendMime(token, "alice@contoso.com",
				Clients.mime("alice@contoso.com", "x@example.org", "3", "<w3@m>", "3"));
		HttpResponse<String> otherMailbox = sendMime(token, "bob@contoso.com",
				Clients.mime("bob@contoso.com", "x@example.org", "4", "<w4@m>", "4"));

		assertThat(third.statusCode()).isEqualTo(429);
		assertThat(third.headers().firstValue("Retry-After")).isPresent();
		assertThat(third.body()).contains("ApplicationThrottled");
		assertThat(otherMailbox.statusCode()).isEqualTo(202);
		assertThat(this.sandbox.stats().graphThrottled()).isOne();
	}

	@Test
	void a504AfterSendingLeavesTheMessageSentAndInSentItems() {
		grant(ApplicationPermission.MAIL_SEND);
		this.sandbox.scenarios().graphTimeoutAfterSending(1);
		String token = Clients.appToken(this.sandbox, this.contoso, this.app, GRAPH);

		HttpResponse<String> timedOut = sendMime(token, "alice@contoso.com",
				Clients.mime("alice@contoso.com", "x@example.org", "Ambiguous", "<t1@mailroom>", "Hi"));

		assertThat(timedOut.statusCode()).isEqualTo(504);
		assertThat(this.sandbox.mailbox().messages()).hasSize(1);
		assertThat(this.sandbox.sentItems("alice@contoso.com")).containsExactly("<t1@mailroom>");
	}

	@Test
	void mailboxNotEnabledForRestApiAndMalformedBase64AreGraphErrors() {
		grant(ApplicationPermission.MAIL_SEND);
		String token = Clients.appToken(this.sandbox, this.contoso, this.app, GRAPH);

		HttpResponse<String> malformed = Clients.graph(this.sandbox, "POST", "/v1.0/users/alice@contoso.com/sendMail",
				token, "text/plain", "not base64 at all!".getBytes(StandardCharsets.US_ASCII));
		this.sandbox.scenarios().disableRestApi("alice@contoso.com");
		HttpResponse<String> disabled = sendMime(token, "alice@contoso.com",
				Clients.mime("alice@contoso.com", "x@example.org", "Off", "<o1@mailroom>", "Hi"));

		assertThat(malformed.statusCode()).isEqualTo(400);
		assertThat(malformed.body()).contains("ErrorMimeContentInvalidBase64String");
		assertThat(disabled.statusCode()).isEqualTo(404);
		assertThat(disabled.body()).contains("MailboxNotEnabledForRESTAPI");
	}

	private void grant(ApplicationPermission... permissions) {
		for (ApplicationPermission permission : permissions) {
			this.sandbox.directory().grantApplicationPermission(this.app, this.contoso, permission);
		}
	}

	private HttpResponse<String> sendMime(String token, String mailbox, byte[] mime) {
		return Clients.graph(this.sandbox, "POST", "/v1.0/users/" + mailbox + "/sendMail", token, "text/plain",
				Base64.getEncoder().encode(mime));
	}

}
