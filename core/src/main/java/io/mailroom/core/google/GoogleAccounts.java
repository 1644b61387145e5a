package io.mailroom.core.google;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.json.webtoken.JsonWebSignature;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.ClientId;
import com.google.auth.oauth2.IdToken;
import com.google.auth.oauth2.PKCEProvider;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.auth.oauth2.UserAuthorizer;
import com.google.auth.oauth2.UserCredentials;
import io.mailroom.contracts.MailroomJson;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.services.GoogleOAuth2;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Google's OAuth 2.0 for a service, through {@code google-auth-library-oauth2-http}: the user grant's authorize URL
 * (PKCE S256, {@code access_type=offline}, {@code prompt=consent}), its code redemption with the signed-in account
 * read from the id token, silent refreshes, and a service account's JWT bearer grant acting as the mailbox. Calls
 * block; callers bound them and run them where blocking is fine.
 */
@Component
public class GoogleAccounts {

	private final GoogleProperties properties;

	private final SecretBox secrets;

	private final HttpTransportFactory transport;

	private final SSLContext sslContext;

	public GoogleAccounts(GoogleProperties properties, SecretBox secrets, SslBundles sslBundles) {
		this.properties = properties;
		this.secrets = secrets;
		SSLContext context = StringUtils.hasText(properties.sslBundle())
				? sslBundles.getBundle(properties.sslBundle()).createSslContext() : null;
		this.sslContext = context;
		this.transport = transport(context == null ? null : context.getSocketFactory(), properties);
	}

	/** The TLS trust for Google's hosts (and Gmail's SMTP in Verify setup): the configured bundle's, else the JVM's. */
	public SSLSocketFactory sslSocketFactory() {
		return sslContext != null ? sslContext.getSocketFactory() : (SSLSocketFactory) SSLSocketFactory.getDefault();
	}

	/** An access token and when it expires. Never log {@link #value()}. */
	public record Token(String value, Instant expiresAt) {

		@Override
		public String toString() {
			return "Token[expiresAt=" + expiresAt + "]";
		}

	}

	/**
	 * A redeemed authorization code: the refresh token to keep sealed, a first access token, and who signed in.
	 * @param account the id token's {@code email}, lower case; null if Google named none
	 */
	public record Grant(String refreshToken, Token token, String account) {

		@Override
		public String toString() {
			return "Grant[account=" + account + "]";
		}

		/** The grant as kept in the sealed token cache: the refresh token and the account. */
		public String stored() {
			return MailroomJson.mapper().writeValueAsString(new Stored(refreshToken, account));
		}

		/** A grant read back from the token cache (no access token: refresh for one). */
		public static Grant fromStored(String json) {
			Stored stored = MailroomJson.mapper().readValue(json, Stored.class);
			return new Grant(stored.refreshToken(), null, stored.account());
		}

		private record Stored(String refreshToken, String account) {
		}

	}

	/**
	 * Google's authorize URL for the service's OAuth client: the Gmail scope and who signs in ({@code openid email}),
	 * a refresh token every time ({@code access_type=offline}, {@code prompt=consent}), the login email as hint.
	 */
	public URI authorizeUrl(GoogleOAuth2 google, String redirectUri, String state, String codeChallenge) {
		try {
			return authorizer(google, redirectUri, new Pkce(codeChallenge, ""))
				.getAuthorizationUrl(google.loginEmail(), state, null)
				.toURI();
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException("Google's library built an invalid authorize URL", ex);
		}
	}

	/**
	 * Redeems an authorization code with its PKCE verifier, then reads who signed in from an id token of the new
	 * grant (which also proves that its refresh token works).
	 * @throws IOException what Google answered or the network did; classify it with {@link #classify}
	 */
	public Grant redeem(GoogleOAuth2 google, String code, String codeVerifier, String redirectUri) throws IOException {
		UserCredentials credentials = authorizer(google, redirectUri, new Pkce("", codeVerifier))
			.getCredentialsFromCode(code, null);
		if (credentials.getRefreshToken() == null) {
			throw new IOException("Google returned no refresh token");
		}
		IdToken idToken = credentials.idTokenWithAudience(google.clientId(), List.of());
		Map<String, Object> claims = JsonWebSignature.parse(GsonFactory.getDefaultInstance(), idToken.getTokenValue())
			.getPayload();
		Object email = claims.get("email");
		Object verified = claims.get("email_verified");
		String account = email instanceof String address && !Boolean.FALSE.equals(verified)
				&& !"false".equals(String.valueOf(verified)) ? address.toLowerCase(Locale.ROOT) : null;
		AccessToken access = credentials.getAccessToken();
		return new Grant(credentials.getRefreshToken(),
				access == null ? null : new Token(access.getTokenValue(), access.getExpirationTime().toInstant()),
				account);
	}

	/** A fresh access token from a stored grant. */
	public Token refresh(GoogleOAuth2 google, String refreshToken) throws IOException {
		AccessToken token = UserCredentials.newBuilder()
			.setClientId(google.clientId())
			.setClientSecret(secrets.open(google.clientSecret()))
			.setRefreshToken(refreshToken)
			.setTokenServerUri(properties.tokenUri())
			.setHttpTransportFactory(transport)
			.build()
			.refreshAccessToken();
		return new Token(token.getTokenValue(), token.getExpirationTime().toInstant());
	}

	/** An access token of the service account acting as the mailbox (JWT bearer grant, {@code sub} = login email). */
	public Token serviceAccount(GoogleOAuth2 google) throws IOException {
		String key = secrets.open(google.serviceAccount().key());
		AccessToken token = ((ServiceAccountCredentials) ServiceAccountCredentials
			.fromStream(new ByteArrayInputStream(key.getBytes(StandardCharsets.UTF_8)), transport)
			.createScoped(List.of(properties.scope()))
			.createDelegated(google.loginEmail()))
			.toBuilder()
			// the key's own token_uri is not trusted: signed assertions go to Google's endpoint only
			.setTokenServerUri(properties.tokenUri())
			.build()
			.refreshAccessToken();
		return new Token(token.getTokenValue(), token.getExpirationTime().toInstant());
	}

	/**
	 * The identity circuit a service's token calls count against: Google's token endpoint per Workspace domain, so
	 * one organization's broken setup never pauses another's tokens.
	 */
	public String circuitKey(GoogleOAuth2 google) {
		String login = google.loginEmail();
		return properties.tokenUri() + "#" + login.substring(login.indexOf('@') + 1).toLowerCase(Locale.ROOT);
	}

	/** The scope of Gmail's SMTP. */
	public String scope() {
		return properties.scope();
	}

	/** Classifies what a token call threw: Google's answer by its {@code error}, anything else as a network failure. */
	public static Failure classify(Throwable thrown) {
		return classify(thrown, false);
	}

	/**
	 * {@link #classify(Throwable)} for a service account's JWT bearer grant. Google answers a missing domain-wide
	 * delegation with {@code 401 unauthorized_client}, but the library keeps only the status of a service
	 * account's 401: a bare 401 is taken for what it is there.
	 */
	public static Failure classifyServiceAccount(Throwable thrown) {
		return classify(thrown, true);
	}

	private static Failure classify(Throwable thrown, boolean serviceAccount) {
		for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
			if (cause instanceof HttpResponseException response) {
				String error = null;
				String description = null;
				try {
					Map<?, ?> body = MailroomJson.mapper().readValue(response.getContent(), Map.class);
					error = body.get("error") instanceof String value ? value : null;
					description = body.get("error_description") instanceof String value ? value : null;
				}
				catch (RuntimeException ex) {
					// not JSON: the status decides
				}
				if (error == null && serviceAccount && response.getStatusCode() == 401) {
					error = "unauthorized_client";
				}
				return Failures.google(error, description, response.getStatusCode());
			}
		}
		return Failures.network("get a token from Google", thrown);
	}

	private UserAuthorizer authorizer(GoogleOAuth2 google, String redirectUri, PKCEProvider pkce) {
		return UserAuthorizer.newBuilder()
			.setClientId(ClientId.newBuilder()
				.setClientId(google.clientId())
				.setClientSecret(secrets.open(google.clientSecret()))
				.build())
			.setScopes(List.of(properties.scope(), "openid", "email"))
			.setCallbackUri(URI.create(redirectUri))
			.setUserAuthUri(properties.authorizationUri())
			.setTokenServerUri(properties.tokenUri())
			.setHttpTransportFactory(transport)
			.setPKCEProvider(pkce)
			.build();
	}

	private static HttpTransportFactory transport(SSLSocketFactory sslSocketFactory, GoogleProperties properties) {
		NetHttpTransport.Builder builder = new NetHttpTransport.Builder().setConnectionFactory((url) -> {
			HttpURLConnection connection = (HttpURLConnection) url.openConnection();
			connection.setConnectTimeout((int) properties.connectTimeout().toMillis());
			connection.setReadTimeout((int) properties.readTimeout().toMillis());
			return connection;
		});
		if (sslSocketFactory != null) {
			builder.setSslSocketFactory(sslSocketFactory);
		}
		NetHttpTransport built = builder.build();
		return () -> built;
	}

	/**
	 * PKCE as Mailroom keeps it: the challenge when building the URL, the stored verifier when redeeming (the library
	 * wants both non-null; the one a step does not use is empty).
	 */
	private record Pkce(String challenge, String verifier) implements PKCEProvider {

		@Override
		public String getCodeChallenge() {
			return challenge;
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
