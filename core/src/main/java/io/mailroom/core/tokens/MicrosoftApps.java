package io.mailroom.core.tokens;

import java.net.MalformedURLException;
import java.util.LinkedHashSet;
import java.util.Set;

import javax.net.ssl.SSLSocketFactory;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.services.MicrosoftOAuth2;
import io.mailroom.core.services.SmtpService;

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

	public MicrosoftApps(IdentityPlatformProperties properties, SecretBox secrets, SslBundles sslBundles) {
		this.properties = properties;
		this.secrets = secrets;
		this.sslSocketFactory = StringUtils.hasText(properties.sslBundle())
				? sslBundles.getBundle(properties.sslBundle()).createSslContext().getSocketFactory() : null;
	}

	/** A client for the service's app, reading and writing its token cache through {@code cache}. */
	public ConfidentialClientApplication create(SmtpService service, ITokenCacheAccessAspect cache) {
		MicrosoftOAuth2 oauth2 = service.microsoft();
		try {
			var builder = ConfidentialClientApplication
				.builder(oauth2.clientId(), ClientCredentialFactory.createFromSecret(secrets.open(oauth2.clientSecret())))
				.authority(authority(oauth2))
				.instanceDiscovery(properties.instanceDiscovery())
				.connectTimeoutForDefaultHttpClient((int) properties.connectTimeout().toMillis())
				.readTimeoutForDefaultHttpClient((int) properties.readTimeout().toMillis())
				.setTokenCacheAccessAspect(cache)
				// MSAL runs on the common fork-join pool by default: a hanging identity platform would then
				// hold every service's refresh behind a few threads
				.executorService(TOKEN_CALLS);
			if (sslSocketFactory != null) {
				builder.sslSocketFactory(sslSocketFactory);
			}
			return builder.build();
		}
		catch (MalformedURLException ex) {
			throw new IllegalArgumentException("Invalid authority for service " + service.id(), ex);
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
		var scopes = new LinkedHashSet<String>();
		scopes.add(properties.smtpScope());
		scopes.add("offline_access");
		scopes.add("openid");
		scopes.add("profile");
		return scopes;
	}

}
