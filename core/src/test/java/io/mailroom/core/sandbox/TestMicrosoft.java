package io.mailroom.core.sandbox;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.Prompt;
import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServiceFixtures;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.core.tokens.MicrosoftApps;
import io.mailroom.core.tokens.TokenCacheSession;
import io.mailroom.core.tokens.TokenCaches;
import io.mailroom.sandbox.AppRegistration;
import io.mailroom.sandbox.Consent;
import io.mailroom.sandbox.MicrosoftSandbox;
import io.mailroom.sandbox.Tenant;

/**
 * The Microsoft sandbox for tests of every module: one per test JVM, plus the settings that point
 * Mailroom at it and a way to get an authorized service the way an admin would.
 */
public final class TestMicrosoft {

	/** The redirect URI test apps register; tests that redeem codes themselves never follow it. */
	public static final String REDIRECT_URI = "https://mailroom.test/oauth2/custom-smtp-token";

	private static MicrosoftSandbox sandbox;

	private TestMicrosoft() {
	}

	/** The shared sandbox, started on first use. */
	public static synchronized MicrosoftSandbox sandbox() {
		if (sandbox == null) {
			sandbox = MicrosoftSandbox.start();
			MicrosoftSandbox started = sandbox;
			Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-sandbox-stop"));
		}
		return sandbox;
	}

	/**
	 * Spring settings that point the identity platform and SMTP trust at the sandbox, and let api and worker
	 * connect to its SMTP server on the loopback address.
	 */
	public static Map<String, Object> springProperties() {
		MicrosoftSandbox microsoft = sandbox();
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.ssl.bundle.pem.microsoft-sandbox.truststore.certificate",
				microsoft.tls().caCertificatePem());
		properties.put("mailroom.identity.authority-host", microsoft.authorityHost());
		properties.put("mailroom.identity.graph-host", microsoft.graphBaseUrl());
		properties.put("mailroom.identity.instance-discovery", "false");
		properties.put("mailroom.identity.ssl-bundle", "microsoft-sandbox");
		properties.put("mailroom.delivery.ssl-bundle", "microsoft-sandbox");
		properties.put("mailroom.outbound.allowed-hosts", microsoft.smtpHost());
		return properties;
	}

	/** A tenant with a single-tenant app and a mailbox that may use SMTP AUTH, ready to authorize. */
	public static Mailbox newMailbox() {
		MicrosoftSandbox microsoft = sandbox();
		String domain = "t" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		Tenant tenant = microsoft.directory().createTenant(domain);
		AppRegistration app = microsoft.directory().registerApp(tenant, false, REDIRECT_URI);
		String upn = "sender@" + domain;
		microsoft.directory().createUser(tenant, upn);
		return new Mailbox(tenant, app, upn);
	}

	/** A stored Microsoft OAuth2 service for {@code mailbox}, not authorized yet. */
	public static SmtpService storeService(SmtpServices services, SecretBox secrets, String accountId, Mailbox mailbox) {
		MicrosoftSandbox microsoft = sandbox();
		SmtpService service = SmtpServiceFixtures.microsoftService(secrets, accountId, microsoft.smtpHost(),
				microsoft.smtpPort(), mailbox.upn(), mailbox.app().clientId(), mailbox.app().clientSecret(),
				mailbox.tenant().id());
		services.insert(service);
		return service;
	}

	/**
	 * Authorizes a service as an admin would (authorize URL with PKCE, consent as the mailbox, code
	 * redemption) and stores the result; the api's authorization flow does the same through a browser.
	 */
	public static void authorize(SmtpService service, MicrosoftApps apps, TokenCaches caches, SmtpServices services) {
		try {
			TokenCacheSession session = new TokenCacheSession(null);
			ConfidentialClientApplication app = apps.create(service, session);
			String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
			String challenge = java.util.Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(java.security.MessageDigest.getInstance("SHA-256")
					.digest(verifier.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
			URI authorize = app.getAuthorizationRequestUrl(AuthorizationRequestUrlParameters
				.builder(REDIRECT_URI, apps.authorizationScopes(service.microsoft().transport()))
				.codeChallenge(challenge)
				.codeChallengeMethod("S256")
				.state(UUID.randomUUID().toString())
				.loginHint(service.microsoft().loginEmail())
				.prompt(Prompt.SELECT_ACCOUNT)
				.build()).toURI();
			String code = sandbox().signIn(authorize, service.microsoft().loginEmail(), Consent.ACCEPT).code();
			app.acquireToken(AuthorizationCodeParameters.builder(code, URI.create(REDIRECT_URI))
				.scopes(apps.redemptionScopes(service.microsoft().transport()))
				.codeVerifier(verifier)
				.build()).get();
			caches.replace(service.id(), session.json());
			services.markAuthorized(service.id(), service.microsoft().loginEmail(), Instant.now());
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not authorize service " + service.id() + " in the sandbox", ex);
		}
	}

	/** A sandbox tenant, its app and its mailbox. */
	public record Mailbox(Tenant tenant, AppRegistration app, String upn) {
	}

}
