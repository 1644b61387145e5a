package io.mailroom.sandbox;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.ClientId;
import com.google.auth.oauth2.PKCEProvider;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.auth.oauth2.UserAuthorizer;
import com.google.auth.oauth2.UserCredentials;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Google side, driven by the clients Mailroom uses: Google's own auth library and Angus Mail. */
class GoogleSideTests {

	private static final String REDIRECT = "https://mailroom.test/oauth2/custom-smtp-token";

	private static GoogleSandbox google;

	private static HttpTransportFactory transport;

	@BeforeAll
	static void start() {
		google = GoogleSandbox.start(SandboxTls.forHosts(List.of("localhost")));
		NetHttpTransport http = new NetHttpTransport.Builder().setSslSocketFactory(google.tls().sslSocketFactory()).build();
		transport = () -> http;
		google.workspace().createUser("ada@fabrikam.example");
		google.workspace().createUser("bob@fabrikam.example");
		google.workspace().createUser("eve@elsewhere.example");
	}

	@AfterAll
	static void stop() {
		google.close();
	}

	@Test
	void userGrantRedeemsWithPkceRefreshesAndSendsThroughGmail() throws Exception {
		GoogleWorkspace.OAuthClient client = google.workspace().registerClient("fabrikam.example",
				GoogleWorkspace.UserType.INTERNAL, GoogleWorkspace.PublishingStatus.IN_PRODUCTION, REDIRECT);
		UserCredentials credentials = signInAndRedeem(client, "ada@fabrikam.example");
		assertThat(credentials.getRefreshToken()).startsWith("1//");
		assertThat(credentials.idTokenWithAudience(client.clientId(), List.of()).getTokenValue()).isNotBlank();
		AccessToken refreshed = credentials.refreshAccessToken();

		SMTPTransport smtp = connect("ada@fabrikam.example", refreshed.getTokenValue());
		Clients.send(smtp, Clients.message(smtp, "ada@fabrikam.example", "reader@example.org", "Hello"));
		assertThat(smtp.getLastServerResponse()).startsWith("250 2.0.0 OK").contains("- gsmtp");
		smtp.close();
		assertThat(google.mailbox().messagesTo("reader@example.org")).hasSize(1);
	}

	@Test
	void revokedGrantsAndExpiredTestingGrantsGetInvalidGrant() throws Exception {
		GoogleWorkspace.OAuthClient testing = google.workspace().registerClient("fabrikam.example",
				GoogleWorkspace.UserType.EXTERNAL, GoogleWorkspace.PublishingStatus.TESTING, REDIRECT);
		google.workspace().addTestUser(testing, "bob@fabrikam.example");
		UserCredentials credentials = signInAndRedeem(testing, "bob@fabrikam.example");
		credentials.refreshAccessToken();
		google.workspace().elapse(Duration.ofDays(7));
		try {
			assertThatThrownBy(credentials::refreshAccessToken).satisfies((ex) -> assertThat(tokenError(ex))
				.contains("invalid_grant").contains("Token has been expired or revoked."));
		}
		finally {
			google.workspace().elapse(Duration.ofDays(-7));
		}

		GoogleWorkspace.OAuthClient production = google.workspace().registerClient("fabrikam.example",
				GoogleWorkspace.UserType.INTERNAL, GoogleWorkspace.PublishingStatus.IN_PRODUCTION, REDIRECT);
		UserCredentials revoked = signInAndRedeem(production, "bob@fabrikam.example");
		google.workspace().revokeGrants("bob@fabrikam.example");
		assertThatThrownBy(revoked::refreshAccessToken).satisfies((ex) -> assertThat(tokenError(ex)).contains("invalid_grant"));
	}

	@Test
	void consentPagesRefuseAsGoogleDoes() {
		GoogleWorkspace.OAuthClient internal = google.workspace().registerClient("fabrikam.example",
				GoogleWorkspace.UserType.INTERNAL, GoogleWorkspace.PublishingStatus.IN_PRODUCTION, REDIRECT);
		URI url = URI.create(authorizer(internal, new Pkce("verifier-verifier-verifier-verifier-verifier-0001"))
			.getAuthorizationUrl("eve@elsewhere.example", "state-1", null)
			.toString());
		assertThatThrownBy(() -> google.signIn(url, "eve@elsewhere.example", Consent.ACCEPT))
			.isInstanceOfSatisfying(GoogleSandbox.GoogleSignInFailed.class, (ex) -> assertThat(ex.error()).isEqualTo("org_internal"));
		AuthorizationRedirect declined = google.signIn(url, "ada@fabrikam.example", Consent.DECLINE);
		assertThat(declined.parameters()).containsEntry("error", "access_denied").containsEntry("state", "state-1");
	}

	@Test
	void serviceAccountActsAsTheMailboxOnlyWithDomainWideDelegation() throws Exception {
		GoogleWorkspace.ServiceAccount account = google.createServiceAccount("mailroom-demo", "sender");
		ServiceAccountCredentials credentials = (ServiceAccountCredentials) ServiceAccountCredentials
			.fromStream(new ByteArrayInputStream(account.jsonKey().getBytes(StandardCharsets.UTF_8)), transport)
			.createScoped(List.of(GoogleWorkspace.MAIL_SCOPE))
			.createDelegated("ada@fabrikam.example");
		// Google answers 401 unauthorized_client; the library keeps only the status of a service account's 401
		assertThatThrownBy(credentials::refreshAccessToken).satisfies((ex) -> assertThat(tokenError(ex)).startsWith("401"));

		google.workspace().allowDomainWideDelegation("fabrikam.example", account.clientId(), GoogleWorkspace.MAIL_SCOPE);
		AccessToken token = ((ServiceAccountCredentials) credentials.createDelegated("ada@fabrikam.example")).refreshAccessToken();
		SMTPTransport smtp = connect("ada@fabrikam.example", token.getTokenValue());
		assertThat(smtp.isConnected()).isTrue();
		smtp.close();
		assertThat(google.workspace().tokenRequests(GoogleAccountsServer.JWT_BEARER)).isGreaterThanOrEqualTo(2);
	}

	@Test
	void gmailAnswersABadTokenWithItsErrorChallengeAndAPasswordWith534() {
		assertThatThrownBy(() -> connect("ada@fabrikam.example", "ya29.not-a-token"))
			.isInstanceOf(AuthenticationFailedException.class)
			.satisfies((ex) -> {
				String challenge = ex.getMessage().trim();
				assertThat(challenge).startsWith("334 ");
				assertThat(new String(Base64.getDecoder().decode(challenge.substring(4)), StandardCharsets.UTF_8))
					.contains("\"status\":\"400\"").contains("\"scope\":\"https://mail.google.com/\"");
			});
		Properties password = session().getProperties();
		password.put("mail.smtp.auth.mechanisms", "LOGIN");
		assertThatThrownBy(() -> Session.getInstance(password).getTransport("smtp")
			.connect(google.smtpHost(), google.smtpPort(), "ada@fabrikam.example", "hunter2"))
			.hasMessageContaining("534-5.7.9 Application-specific password required");
	}

	@Test
	void dailyLimitRefusesMailFromWith545UntilTheWindowMoves() throws Exception {
		google.workspace().createUser("limited@fabrikam.example");
		google.workspace().dailyLimit("limited@fabrikam.example", 1);
		google.workspace().allowDomainWideDelegation("fabrikam.example", "limited-test", GoogleWorkspace.MAIL_SCOPE);
		String token = google.workspace().issue("limited@fabrikam.example", java.util.Set.of(GoogleWorkspace.MAIL_SCOPE), true).value();
		SMTPTransport smtp = connect("limited@fabrikam.example", token);
		Clients.send(smtp, Clients.message(smtp, "limited@fabrikam.example", "a@example.org", "one"));
		assertThatThrownBy(() -> Clients.send(smtp, Clients.message(smtp, "limited@fabrikam.example", "a@example.org", "two")))
			.isInstanceOf(MessagingException.class)
			.satisfies((ex) -> assertThat(Clients.chain(ex)).contains("550-5.4.5 Daily user sending limit exceeded"));
		google.workspace().resetDailyCount("limited@fabrikam.example");
		Clients.send(smtp, Clients.message(smtp, "limited@fabrikam.example", "a@example.org", "three"));
		smtp.close();
	}

	private static UserCredentials signInAndRedeem(GoogleWorkspace.OAuthClient client, String account) throws IOException {
		Pkce pkce = new Pkce("verifier-" + Long.toHexString(System.nanoTime()) + "-verifier-verifier-verifier");
		URI url = URI.create(authorizer(client, pkce).getAuthorizationUrl(account, "state", null).toString());
		assertThat(url.getQuery()).contains("access_type=offline").contains("prompt=consent")
			.contains("code_challenge_method=S256");
		AuthorizationRedirect back = google.signIn(url, account, Consent.ACCEPT);
		return authorizer(client, pkce).getCredentialsFromCode(back.code(), null);
	}

	private static UserAuthorizer authorizer(GoogleWorkspace.OAuthClient client, PKCEProvider pkce) {
		return UserAuthorizer.newBuilder()
			.setClientId(ClientId.of(client.clientId(), client.clientSecret()))
			.setScopes(List.of(GoogleWorkspace.MAIL_SCOPE, "openid", "email"))
			.setCallbackUri(URI.create(REDIRECT))
			.setUserAuthUri(URI.create(google.authorizationUri()))
			.setTokenServerUri(URI.create(google.tokenUri()))
			.setHttpTransportFactory(transport)
			.setPKCEProvider(pkce)
			.build();
	}

	private static String tokenError(Throwable thrown) {
		for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
			if (cause instanceof HttpResponseException response) {
				return response.getStatusCode() + " " + response.getContent() + " " + thrown.getMessage();
			}
		}
		return String.valueOf(thrown);
	}

	private static Session session() {
		Properties properties = new Properties();
		properties.put("mail.smtp.auth", "true");
		properties.put("mail.smtp.auth.mechanisms", "XOAUTH2");
		properties.put("mail.smtp.starttls.enable", "true");
		properties.put("mail.smtp.starttls.required", "true");
		properties.put("mail.smtp.ssl.socketFactory", google.tls().sslSocketFactory());
		properties.put("mail.smtp.ssl.checkserveridentity", "true");
		properties.put("mail.smtp.connectiontimeout", "5000");
		properties.put("mail.smtp.timeout", "10000");
		return Session.getInstance(properties);
	}

	private static SMTPTransport connect(String mailbox, String token) throws MessagingException {
		SMTPTransport transport = (SMTPTransport) session().getTransport("smtp");
		transport.connect(google.smtpHost(), google.smtpPort(), mailbox, token);
		return transport;
	}

	/** PKCE S256 from a verifier, as Mailroom keeps it. */
	private record Pkce(String verifier) implements PKCEProvider {

		@Override
		public String getCodeChallenge() {
			try {
				return Base64.getUrlEncoder().withoutPadding()
					.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
			}
			catch (java.security.NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public String getCodeChallengeMethod() {
			return "S256";
		}

		@Override
		public String getCodeVerifier() {
			return verifier;
		}

	}

}
