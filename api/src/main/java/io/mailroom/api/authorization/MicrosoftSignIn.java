package io.mailroom.api.authorization;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.Prompt;
import com.microsoft.aad.msal4j.ResponseMode;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.tokens.IdentityPlatformProperties;
import io.mailroom.core.tokens.MicrosoftApps;
import io.mailroom.core.tokens.TokenCacheSession;

import org.springframework.stereotype.Component;

/** The two MSAL4J calls of the flow: building the authorize URL and redeeming the code. */
@Component
class MicrosoftSignIn {

	private final MicrosoftApps apps;

	private final IdentityPlatformProperties identity;

	MicrosoftSignIn(MicrosoftApps apps, IdentityPlatformProperties identity) {
		this.apps = apps;
		this.identity = identity;
	}

	/**
	 * Microsoft's authorize URL for the service's app: PKCE S256, the state, the service's login email as
	 * login hint and an account picker, so an admin signed in to Microsoft as someone else can switch.
	 * MSAL asks for {@code response_mode=form_post} whatever it is told.
	 */
	URI authorizeUrl(SmtpService service, String redirectUri, String state, String codeChallenge) {
		try {
			return apps.create(service, new TokenCacheSession(null))
				.getAuthorizationRequestUrl(AuthorizationRequestUrlParameters
					.builder(redirectUri, apps.authorizationScopes(service.microsoft().transport()))
					.responseMode(ResponseMode.FORM_POST)
					.codeChallenge(codeChallenge)
					.codeChallengeMethod("S256")
					.state(state)
					.loginHint(service.microsoft().loginEmail())
					.prompt(Prompt.SELECT_ACCOUNT)
					.build())
				.toURI();
		}
		catch (java.net.URISyntaxException ex) {
			throw new IllegalStateException("MSAL built an invalid authorize URL for service " + service.id(), ex);
		}
	}

	/**
	 * Redeems an authorization code with the PKCE verifier into a fresh token cache.
	 * @return the result, with the cache to store in {@code session}
	 * @throws Exception what MSAL throws; classify it with {@code IdentityErrors.classify}
	 */
	Redeemed redeem(SmtpService service, String code, String codeVerifier, String redirectUri) throws Exception {
		TokenCacheSession session = new TokenCacheSession(null);
		IAuthenticationResult result = apps.create(service, session)
			.acquireToken(AuthorizationCodeParameters.builder(code, URI.create(redirectUri))
				.scopes(apps.redemptionScopes(service.microsoft().transport()))
				.codeVerifier(codeVerifier)
				.build())
			// MSAL's own HTTP timeouts bound each request; this bounds the whole call, retries and all
			.get(identity.connectTimeout().plus(identity.readTimeout()).multipliedBy(2).toMillis(),
					TimeUnit.MILLISECONDS);
		return new Redeemed(result, session);
	}

	/**
	 * Whether the grant includes the scope the transport is redeemed for (SMTP.Send, or Graph's Mail.Send);
	 * Microsoft echoes granted resource scopes, not openid etc.
	 */
	boolean grantsTransport(SmtpService service, IAuthenticationResult result) {
		String granted = result.scopes() == null ? "" : result.scopes();
		String wanted = apps.redemptionScopes(service.microsoft().transport()).iterator().next();
		for (String scope : granted.split(" ")) {
			if (scope.equalsIgnoreCase(wanted)) {
				return true;
			}
		}
		return false;
	}

	/** The admin-consent URL of the service's app and tenant, back to {@code redirectUri}. */
	String adminConsentUrl(SmtpService service, String redirectUri) {
		return apps.adminConsentUrl(service.microsoft(), redirectUri);
	}

	/** A redeemed code: the result (tokens, account, scopes) and the cache holding them. */
	record Redeemed(IAuthenticationResult result, TokenCacheSession session) {

		@Override
		public String toString() {
			return "Redeemed";
		}

	}

}
