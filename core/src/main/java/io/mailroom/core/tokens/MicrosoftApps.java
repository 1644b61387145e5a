package io.mailroom.core.tokens;

import java.net.MalformedURLException;
import java.util.LinkedHashSet;
import java.util.Set;

import javax.net.ssl.SSLSocketFactory;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.services.MicrosoftOAuth2;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.Transport;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/** Builds the MSAL confidential client of a service: its app, its authority, its token cache. */
@Component
public class MicrosoftApps {

	private static final java.util.concurrent.ExecutorService TOKEN_CALLS = java.util.concurrent.Executors
		.newThreadPerTaskExecutor(Thread.ofVirtual().name("msal-", 0).factory());

	private final IdentityPlatformProperties properties;

	private final SecretBox secrets;

	private final SSLSocketFactory sslSocketFactory;

	private final javax.net.ssl.SSLContext sslContext;

	public MicrosoftApps(IdentityPlatformProperties properties, SecretBox secrets, SslBundles sslBundles) {
		this.properties = properties;
		this.secrets = secrets;
		this.sslContext = StringUtils.hasText(properties.sslBundle())
				? sslBundles.getBundle(properties.sslBundle()).createSslContext() : null;
		this.sslSocketFactory = sslContext != null ? sslContext.getSocketFactory() : null;
	}

	/**
	 * A client for the service's app, reading and writing its token cache through {@code cache} (null for
	 * app-only access, whose tokens MSAL keeps in the client's memory). It proves itself with the service's
	 * certificate when it has one, else with its secret.
	 */
	public ConfidentialClientApplication create(SmtpService service, ITokenCacheAccessAspect cache) {
		MicrosoftOAuth2 oauth2 = service.microsoft();
		try {
			IClientCredential credential;
			if (oauth2.certificate() != null) {
				ClientCertificates.Opened opened = ClientCertificates.open(oauth2.certificate(), secrets);
				credential = ClientCredentialFactory.createFromCertificate(opened.privateKey(), opened.certificate());
			}
			else {
				credential = ClientCredentialFactory.createFromSecret(secrets.open(oauth2.clientSecret()));
			}
			var builder = ConfidentialClientApplication.builder(oauth2.clientId(), credential)
				.authority(authority(oauth2))
				.instanceDiscovery(properties.instanceDiscovery())
				.connectTimeoutForDefaultHttpClient((int) properties.connectTimeout().toMillis())
				.readTimeoutForDefaultHttpClient((int) properties.readTimeout().toMillis())
				// MSAL runs on the common fork-join pool by default: a hanging identity platform would then
				// hold every service's refresh behind a few threads
				.executorService(TOKEN_CALLS);
			if (cache != null) {
				builder.setTokenCacheAccessAspect(cache);
			}
			if (sslSocketFactory != null) {
				builder.sslSocketFactory(sslSocketFactory);
			}
			return builder.build();
		}
		catch (MalformedURLException ex) {
			throw new IllegalArgumentException("Invalid authority for service " + service.id(), ex);
		}
	}

	/** The TLS trust for Microsoft's hosts: the configured bundle's, else the JVM's. */
	public SSLSocketFactory sslSocketFactory() {
		return sslSocketFactory != null ? sslSocketFactory : (SSLSocketFactory) SSLSocketFactory.getDefault();
	}

	/** The TLS context for Microsoft's HTTPS hosts (Graph): the configured bundle's, else the JVM's. */
	public javax.net.ssl.SSLContext sslContext() {
		try {
			return sslContext != null ? sslContext : javax.net.ssl.SSLContext.getDefault();
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** {@code <authority host>/<tenant ID or "organizations">/}. */
	public String authority(MicrosoftOAuth2 oauth2) {
		String host = properties.authorityHost().toString().replaceAll("/+$", "");
		return host + "/" + oauth2.tenantSegment() + "/";
	}

	/**
	 * Scopes to ask for silently: the SMTP scope alone. Microsoft does not echo {@code offline_access} in
	 * the granted scopes, so a silent request that includes it never matches a cached access token and
	 * goes to the token endpoint every time.
	 */
	public Set<String> smtpScopes() {
		return Set.of(properties.smtpScope());
	}

	/** Scopes to ask an admin to grant: SMTP, a refresh token, and who signed in. */
	public Set<String> authorizationScopes() {
		return authorizationScopes(Transport.SMTP);
	}

	/**
	 * Scopes to ask the signing-in user for: those of the transport's APIs (SMTP, Graph, or both for the
	 * fallback), a refresh token, and who signed in.
	 */
	public Set<String> authorizationScopes(Transport transport) {
		var scopes = new LinkedHashSet<String>();
		if (transport.usesSmtp()) {
			scopes.add(properties.smtpScope());
		}
		if (transport.usesGraph()) {
			scopes.add(properties.graphScope());
		}
		scopes.add("offline_access");
		scopes.add("openid");
		scopes.add("profile");
		return scopes;
	}

	/**
	 * Scopes to redeem an authorization code with: one API's only (the token endpoint issues a token for one
	 * resource; the refresh token then serves the other consented one).
	 */
	public Set<String> redemptionScopes(Transport transport) {
		var scopes = new LinkedHashSet<String>();
		scopes.add(transport.usesSmtp() ? properties.smtpScope() : properties.graphScope());
		scopes.add("offline_access");
		scopes.add("openid");
		scopes.add("profile");
		return scopes;
	}

	/** The scope of a token for {@code api}: delegated permission, or {@code .default} for app-only access. */
	public Set<String> scopes(MicrosoftOAuth2 oauth2, MicrosoftApi api) {
		if (oauth2.appOnly()) {
			return Set.of(api == MicrosoftApi.SMTP ? properties.appSmtpScope()
					: graphResource() + "/.default");
		}
		return Set.of(api == MicrosoftApi.SMTP ? properties.smtpScope() : properties.graphScope());
	}

	/** Microsoft Graph's base URL, without a trailing slash. */
	public String graphHost() {
		return properties.graphHost().toString().replaceAll("/+$", "");
	}

	/** The resource a Graph token is for, as tokens name it in {@code aud}: {@code https://graph.microsoft.com}. */
	public String graphResource() {
		String scope = properties.graphScope();
		return scope.substring(0, scope.lastIndexOf('/'));
	}

	/**
	 * The admin-consent URL for the service's app and tenant: an admin opens it to grant the app's
	 * permissions for the whole organization (what AADSTS65001 and 90094 ask for).
	 * @param redirectUri a redirect URI registered on the app, where Microsoft sends the admin afterwards
	 */
	public String adminConsentUrl(MicrosoftOAuth2 oauth2, String redirectUri) {
		String scope = oauth2.appOnly()
				? (oauth2.transport().usesSmtp() ? properties.appSmtpScope() : graphResource() + "/.default")
				: String.join(" ", authorizationScopes(oauth2.transport()));
		String tenant = oauth2.tenantId() == null || oauth2.tenantId().isBlank() ? "organizations" : oauth2.tenantId();
		return properties.authorityHost().toString().replaceAll("/+$", "") + "/" + tenant + "/v2.0/adminconsent?client_id="
				+ encode(oauth2.clientId()) + "&scope=" + encode(scope) + "&redirect_uri=" + encode(redirectUri);
	}

	/** {@link #adminConsentUrl(MicrosoftOAuth2, String)} back to the configured redirect URI. */
	public String adminConsentUrl(MicrosoftOAuth2 oauth2) {
		return adminConsentUrl(oauth2, properties.adminConsentRedirectUri());
	}

	private static String encode(String value) {
		return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
	}

}
