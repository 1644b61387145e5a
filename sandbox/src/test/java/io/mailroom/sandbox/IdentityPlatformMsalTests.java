package io.mailroom.sandbox;

import java.net.URI;
import java.net.URL;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;
import com.microsoft.aad.msal4j.MsalInteractionRequiredException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.Prompt;
import com.microsoft.aad.msal4j.SilentParameters;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MSAL4J's {@code ConfidentialClientApplication}, as Mailroom uses it, against the sandbox: authorization
 * code with PKCE, code redemption, silent refresh from a serialized cache, and the failures a service meets.
 */
class IdentityPlatformMsalTests {

	private static final String REDIRECT_URI = "https://mailroom.test/oauth2/callback";

	private static final Set<String> SIGN_IN_SCOPES = Set.of(Clients.SMTP_SEND, "offline_access", "openid", "profile");

	private static final Set<String> SMTP_SCOPES = Set.of(Clients.SMTP_SEND);

	private MicrosoftSandbox sandbox;

	private Tenant contoso;

	private AppRegistration app;

	private String authority;

	@BeforeEach
	void startSandbox() {
		this.sandbox = MicrosoftSandbox.start();
		this.contoso = this.sandbox.directory().createTenant("contoso.com");
		this.app = this.sandbox.directory().registerApp(this.contoso, false, REDIRECT_URI);
		this.sandbox.directory().createUser(this.contoso, "alice@contoso.com");
		this.authority = this.sandbox.authority(this.contoso);
	}

	@AfterEach
	void stopSandbox() {
		this.sandbox.close();
	}

	@Test
	void authorizationCodeWithPkceIsRedeemedAndTheCacheRefreshesSilentlyInANewApplication() throws Exception {
		ConfidentialClientApplication msal = msal(this.app.clientSecret());
		SignIn signIn = signIn(msal, "alice@contoso.com", Consent.ACCEPT);

		assertThat(signIn.redirect().method()).isEqualTo("POST");
		assertThat(signIn.redirect().target()).isEqualTo(URI.create(REDIRECT_URI));
		assertThat(signIn.redirect().state()).contains(signIn.state());
		IAuthenticationResult first = redeem(msal, signIn.redirect().code(), signIn.verifier());
		assertThat(first.accessToken()).isNotBlank();
		assertThat(first.scopes()).isEqualTo(Clients.SMTP_SEND);
		assertThat(first.account().username()).isEqualTo("alice@contoso.com");
		assertThat(first.account().homeAccountId()).endsWith("." + this.contoso.id());

		SerializedCache cache = new SerializedCache(msal.tokenCache().serialize());
		ConfidentialClientApplication restarted = msalBuilder(this.app.clientSecret()).setTokenCacheAccessAspect(cache)
			.build();
		IAccount account = restarted.getAccounts().get().iterator().next();
		IAuthenticationResult refreshed = restarted
			.acquireTokenSilently(SilentParameters.builder(SMTP_SCOPES, account)
				.authorityUrl(this.authority)
				.forceRefresh(true)
				.build())
			.get();

		assertThat(refreshed.accessToken()).isNotEqualTo(first.accessToken());
		assertThat(cache.data).isNotEqualTo(msal.tokenCache().serialize());
		assertThat(this.sandbox.stats().tokenRequests(GrantType.AUTHORIZATION_CODE)).isOne();
		assertThat(this.sandbox.stats().tokenRequests(GrantType.REFRESH_TOKEN)).isOne();
		assertThat(this.sandbox.stats().authorizeRequests()).isOne();
		try (SMTPTransport transport = Clients.connect(this.sandbox, "alice@contoso.com", refreshed.accessToken())) {
			assertThat(transport.getLastServerResponse()).startsWith("235 2.7.0");
		}
	}

	@Test
	void refreshTokenOfRevokedGrantIsRefusedWithAadsts50173() throws Exception {
		ConfidentialClientApplication msal = msal(this.app.clientSecret());
		SignIn signIn = signIn(msal, "alice@contoso.com", Consent.ACCEPT);
		IAuthenticationResult result = redeem(msal, signIn.redirect().code(), signIn.verifier());

		this.sandbox.scenarios().revokeGrants("alice@contoso.com");

		assertThatThrownBy(() -> refresh(msal, result.account())).cause()
			.isInstanceOf(MsalInteractionRequiredException.class)
			.hasMessageContaining("AADSTS50173")
			.satisfies((failure) -> assertThat(((MsalServiceException) failure).errorCode()).isEqualTo("invalid_grant"));
		// Access tokens cannot be revoked: the one already issued still opens an SMTP session.
		try (SMTPTransport transport = Clients.connect(this.sandbox, "alice@contoso.com", result.accessToken())) {
			assertThat(transport.isConnected()).isTrue();
		}
	}

	@Test
	void signingInAgainAfterRevocationGivesWorkingTokens() throws Exception {
		ConfidentialClientApplication msal = msal(this.app.clientSecret());
		SignIn before = signIn(msal, "alice@contoso.com", Consent.ACCEPT);
		redeem(msal, before.redirect().code(), before.verifier());
		this.sandbox.scenarios().revokeGrants("alice@contoso.com");

		ConfidentialClientApplication again = msal(this.app.clientSecret());
		SignIn after = signIn(again, "alice@contoso.com", Consent.ACCEPT);
		IAuthenticationResult renewed = redeem(again, after.redirect().code(), after.verifier());

		assertThat(refresh(again, renewed.account()).accessToken()).isNotBlank();
	}

	@Test
	void reusedAuthorizationCodeIsRefusedWithAadsts54005() throws Exception {
		ConfidentialClientApplication msal = msal(this.app.clientSecret());
		SignIn signIn = signIn(msal, "alice@contoso.com", Consent.ACCEPT);
		redeem(msal, signIn.redirect().code(), signIn.verifier());

		assertThatThrownBy(() -> redeem(msal, signIn.redirect().code(), signIn.verifier())).cause()
			.isInstanceOf(MsalInteractionRequiredException.class)
			.hasMessageContaining("AADSTS54005");
	}

	@Test
	void wrongPkceVerifierIsRefusedWithAadsts501481() throws Exception {
		ConfidentialClientApplication msal = msal(this.app.clientSecret());
		SignIn signIn = signIn(msal, "alice@contoso.com", Consent.ACCEPT);

		assertThatThrownBy(() -> redeem(msal, signIn.redirect().code(), Clients.verifier())).cause()
			.isInstanceOf(MsalServiceException.class)
			.hasMessageContaining("AADSTS501481");
	}

	@Test
	void secretIdSentInsteadOfTheSecretValueIsRefusedWithAadsts7000215AndStatus401() throws Exception {
		SignIn signIn = signIn(msal(this.app.clientSecret()), "alice@contoso.com", Consent.ACCEPT);
		ConfidentialClientApplication misconfigured = msal(this.app.clientSecretId());

		assertThatThrownBy(() -> redeem(misconfigured, signIn.redirect().code(), signIn.verifier())).cause()
			.isInstanceOfSatisfying(MsalServiceException.class, (failure) -> {
				assertThat(failure.statusCode()).isEqualTo(401);
				assertThat(failure.errorCode()).isEqualTo("invalid_client");
				assertThat(failure.getMessage()).contains("AADSTS7000215", "client secret value, not the client secret ID");
			});
	}

	@Test
	void expiredClientSecretIsRefusedWithAadsts7000222() throws Exception {
		ClientSecret expired = this.sandbox.directory()
			.addClientSecret(this.app, Instant.now().minus(1, ChronoUnit.DAYS));
		SignIn signIn = signIn(msal(this.app.clientSecret()), "alice@contoso.com", Consent.ACCEPT);

		assertThatThrownBy(() -> redeem(msal(expired.value()), signIn.redirect().code(), signIn.verifier())).cause()
			.isInstanceOfSatisfying(MsalServiceException.class, (failure) -> {
				assertThat(failure.statusCode()).isEqualTo(401);
				assertThat(failure.getMessage()).contains("AADSTS7000222");
			});
	}

	@Test
	void clientSecretExpiredByScenarioIsRefusedWithAadsts7000222ForRefreshesToo() throws Exception {
		ConfidentialClientApplication msal = msal(this.app.clientSecret());
		SignIn signIn = signIn(msal, "alice@contoso.com", Consent.ACCEPT);
		IAuthenticationResult result = redeem(msal, signIn.redirect().code(), signIn.verifier());

		try (Scenario expired = this.sandbox.scenarios().expireClientSecret(this.app)) {
			assertThatThrownBy(() -> refresh(msal, result.account())).cause()
				.isInstanceOfSatisfying(MsalServiceException.class,
						(failure) -> assertThat(failure.statusCode()).isEqualTo(401))
				.hasMessageContaining("AADSTS7000222");
		}
		assertThat(refresh(msal, result.account()).accessToken()).isNotBlank();
	}

	@Test
	void declinedConsentRedirectsWithAccessDeniedAndAadsts65004() throws Exception {
		SignIn signIn = signIn(msal(this.app.clientSecret()), "alice@contoso.com", Consent.DECLINE);

		assertThat(signIn.redirect().error()).contains("access_denied");
		assertThat(signIn.redirect().aadsts()).hasValue(65004);
		assertThat(signIn.redirect().errorDescription().orElseThrow()).startsWith("AADSTS65004: User declined to consent")
			.contains("\r\nTrace ID: ", "\r\nCorrelation ID: ", "\r\nTimestamp: ");
		assertThat(signIn.redirect().parameter("error_uri")).contains("https://login.microsoftonline.com/error?code=65004");
		assertThat(signIn.redirect().state()).contains(signIn.state());
	}

	@Test
	void consentDeclinedByScenarioEndsTheSameWayWhateverThePersonClicks() throws Exception {
		this.sandbox.scenarios().declineConsent("alice@contoso.com");

		SignIn signIn = signIn(msal(this.app.clientSecret()), "alice@contoso.com", Consent.ACCEPT);

		assertThat(signIn.redirect().aadsts()).hasValue(65004);
	}

	@Test
	void refreshWhenMfaBecameRequiredIsRefusedWithAadsts50076() throws Exception {
		ConfidentialClientApplication msal = msal(this.app.clientSecret());
		SignIn signIn = signIn(msal, "alice@contoso.com", Consent.ACCEPT);
		IAuthenticationResult result = redeem(msal, signIn.redirect().code(), signIn.verifier());

		this.sandbox.scenarios().requireMfa("alice@contoso.com");

		assertThatThrownBy(() -> refresh(msal, result.account())).cause()
			.isInstanceOf(MsalInteractionRequiredException.class)
			.hasMessageContaining("AADSTS50076");
	}

	@Test
	void clientCredentialsGiveAnAppOnlyTokenThatSendsForAGrantedMailbox() throws Exception {
		this.sandbox.directory().grantAppMailboxAccess(this.app, "alice@contoso.com");
		ConfidentialClientApplication msal = msal(this.app.clientSecret());

		IAuthenticationResult result = msal
			.acquireToken(ClientCredentialParameters.builder(Set.of("https://outlook.office365.com/.default")).build())
			.get();

		assertThat(this.sandbox.stats().tokenRequests(GrantType.CLIENT_CREDENTIALS)).isOne();
		try (SMTPTransport transport = Clients.connect(this.sandbox, "alice@contoso.com", result.accessToken())) {
			Clients.send(transport, Clients.message(transport, "alice@contoso.com", "bob@example.org", "App-only"));
		}
		assertThat(this.sandbox.mailbox().latest().orElseThrow().authenticatedBy()).isEqualTo(this.app.clientId());
	}

	private ConfidentialClientApplication msal(String secret) throws Exception {
		return msalBuilder(secret).build();
	}

	private ConfidentialClientApplication.Builder msalBuilder(String secret) throws Exception {
		return ConfidentialClientApplication.builder(this.app.clientId(), ClientCredentialFactory.createFromSecret(secret))
			.authority(this.authority)
			.instanceDiscovery(false)
			.sslSocketFactory(this.sandbox.tls().sslSocketFactory());
	}

	private SignIn signIn(ConfidentialClientApplication msal, String account, Consent consent) throws Exception {
		String verifier = Clients.verifier();
		String state = UUID.randomUUID().toString();
		URL url = msal.getAuthorizationRequestUrl(AuthorizationRequestUrlParameters.builder(REDIRECT_URI, SIGN_IN_SCOPES)
			.codeChallenge(Clients.challenge(verifier))
			.codeChallengeMethod("S256")
			.state(state)
			.loginHint(account)
			.prompt(Prompt.SELECT_ACCOUNT)
			.build());
		return new SignIn(this.sandbox.signIn(url.toURI(), account, consent), verifier, state);
	}

	private static IAuthenticationResult redeem(ConfidentialClientApplication msal, String code, String verifier)
			throws Exception {
		return msal.acquireToken(AuthorizationCodeParameters.builder(code, new URI(REDIRECT_URI))
			.scopes(SMTP_SCOPES)
			.codeVerifier(verifier)
			.build()).get();
	}

	private IAuthenticationResult refresh(ConfidentialClientApplication msal, IAccount account) throws Exception {
		return msal.acquireTokenSilently(SilentParameters.builder(SMTP_SCOPES, account)
			.authorityUrl(this.authority)
			.forceRefresh(true)
			.build()).get();
	}

	private record SignIn(AuthorizationRedirect redirect, String verifier, String state) {
	}

	/** A token cache that lives only as serialized JSON, as Mailroom stores it per service. */
	private static final class SerializedCache implements ITokenCacheAccessAspect {

		private String data;

		SerializedCache(String data) {
			this.data = data;
		}

		@Override
		public void beforeCacheAccess(ITokenCacheAccessContext context) {
			context.tokenCache().deserialize(this.data);
		}

		@Override
		public void afterCacheAccess(ITokenCacheAccessContext context) {
			if (context.hasCacheChanged()) {
				this.data = context.tokenCache().serialize();
			}
		}

	}

}
