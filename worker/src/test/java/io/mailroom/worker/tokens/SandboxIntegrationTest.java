package io.mailroom.worker.tokens;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.Prompt;
import io.mailroom.contracts.SendRequest;
import io.mailroom.core.outbound.SmtpDestinations;
import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.ServiceStatusChanges;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServiceFixtures;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.core.tokens.IdentityPlatformProperties;
import io.mailroom.core.tokens.MicrosoftApps;
import io.mailroom.core.tokens.TokenCacheSession;
import io.mailroom.core.tokens.TokenCaches;
import io.mailroom.sandbox.AppRegistration;
import io.mailroom.sandbox.Consent;
import io.mailroom.sandbox.MicrosoftSandbox;
import io.mailroom.sandbox.Tenant;
import io.mailroom.testing.RealInfrastructure;
import io.mailroom.worker.delivery.DeliveryProperties;
import io.mailroom.worker.delivery.SmtpDelivery;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Tokens and delivery against real PostgreSQL, a real Kafka broker and the Microsoft sandbox, over
 * sockets. One Spring context serves every test class; tests keep apart by using their own tenants,
 * mailboxes and services.
 */
@SpringBootTest(classes = TokensAndDeliveryTestApplication.class,
		properties = { "mailroom.secrets.keys.test=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
				"mailroom.secrets.active-key=test", "mailroom.outbound.allowed-hosts=localhost",
				// the tests run the keep-alive themselves
				"mailroom.tokens.keep-alive-interval=3650d" })
@ContextConfiguration(initializers = RealInfrastructure.class)
public abstract class SandboxIntegrationTest {

	protected static final String ACCOUNT = "acct-tokens-delivery";

	private static final String REDIRECT_URI = "https://mailroom.test/oauth2/callback";

	private static final String SSL_BUNDLE = "microsoft-sandbox";

	@Autowired
	protected AccessTokens tokens;

	@Autowired
	protected SmtpDelivery delivery;

	@Autowired
	protected SmtpServices services;

	@Autowired
	protected SecretBox secrets;

	@Autowired
	protected MicrosoftApps microsoftApps;

	@Autowired
	protected TokenCaches caches;

	@Autowired
	protected ServiceStatusChanges statusChanges;

	@Autowired
	protected JdbcClient jdbc;

	@Autowired
	protected ApplicationContext context;

	@AfterEach
	void endScenarios() {
		TestSandboxes.microsoft().scenarios().clearAll();
		TestSandboxes.shortLived().scenarios().clearAll();
		TestSandboxes.MICROSOFT_CLOCK.reset();
	}

	@DynamicPropertySource
	static void microsoft(DynamicPropertyRegistry registry) {
		MicrosoftSandbox microsoft = TestSandboxes.microsoft();
		registry.add("spring.ssl.bundle.pem." + SSL_BUNDLE + ".truststore.certificate",
				() -> microsoft.tls().caCertificatePem());
		registry.add("mailroom.identity.authority-host", microsoft::authorityHost);
		registry.add("mailroom.identity.graph-host", microsoft::graphBaseUrl);
		registry.add("mailroom.identity.instance-discovery", () -> "false");
		registry.add("mailroom.identity.ssl-bundle", () -> SSL_BUNDLE);
		registry.add("mailroom.delivery.ssl-bundle", () -> SSL_BUNDLE);
	}

	/** A sandbox tenant, its single-tenant app and one mailbox in it. */
	protected record Mailbox(MicrosoftSandbox sandbox, Tenant tenant, AppRegistration app, String upn) {
	}

	protected static Mailbox newMailbox(MicrosoftSandbox sandbox) {
		String domain = "t" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		Tenant tenant = sandbox.directory().createTenant(domain);
		AppRegistration app = sandbox.directory().registerApp(tenant, false, REDIRECT_URI);
		String upn = "sender@" + domain;
		sandbox.directory().createUser(tenant, upn);
		return new Mailbox(sandbox, tenant, app, upn);
	}

	/** A stored Microsoft OAuth2 service of {@code mailbox}, not authorized yet. */
	protected SmtpService storedService(Mailbox mailbox) {
		return storedService(mailbox, mailbox.upn(), mailbox.upn(), null);
	}

	/** A stored service that logs in as {@code loginEmail} and sends as {@code fromAddress}. */
	protected SmtpService storedService(Mailbox mailbox, String loginEmail, String fromAddress, String replyTo) {
		SmtpService s = SmtpServiceFixtures.microsoftService(secrets, ACCOUNT, mailbox.sandbox().smtpHost(),
				mailbox.sandbox().smtpPort(), loginEmail, mailbox.app().clientId(), mailbox.app().clientSecret(),
				mailbox.tenant().id());
		SmtpService service = new SmtpService(s.id(), s.accountId(), s.name(), s.host(), s.port(), fromAddress,
				s.fromName(), replyTo, s.authentication(), s.status(), s.statusReason(), s.statusChangedAt(),
				s.authorizedAt(), s.authorizedAccount(), s.rateLimitPerMinute(), s.maxConnections(),
				s.maxMessageBytes(), s.lastSuccessAt(), s.lastFailureAt(), s.lastFailure(), s.secretChangedAt(),
				s.createdAt(), s.updatedAt(), s.version());
		services.insert(service);
		return service;
	}

	/** A service of {@code mailbox} that an admin authorized, as the api's flow does it. */
	protected SmtpService authorizedService(Mailbox mailbox, MicrosoftApps apps) {
		SmtpService service = storedService(mailbox);
		authorize(service, mailbox, apps, mailbox.upn());
		return current(service);
	}

	/** Authorizes as an admin would and stores the resulting cache. Returns the cache's version. */
	protected long authorize(SmtpService service, Mailbox mailbox, MicrosoftApps apps, String signInAs) {
		long version = caches.replace(service.id(), signIn(service, mailbox, apps, signInAs));
		services.markAuthorized(service.id(), signInAs, Instant.now());
		return version;
	}

	/**
	 * The api's authorization flow without storing its result: authorize URL with PKCE, consent as
	 * {@code signInAs}, code redemption. Returns the new MSAL cache.
	 */
	protected String signIn(SmtpService service, Mailbox mailbox, MicrosoftApps apps, String signInAs) {
		try {
			TokenCacheSession session = new TokenCacheSession(null);
			ConfidentialClientApplication app = apps.create(service, session);
			String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
			String challenge = Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
			URI authorize = app.getAuthorizationRequestUrl(AuthorizationRequestUrlParameters
				.builder(REDIRECT_URI, apps.authorizationScopes())
				.codeChallenge(challenge)
				.codeChallengeMethod("S256")
				.state(UUID.randomUUID().toString())
				.loginHint(signInAs)
				.prompt(Prompt.SELECT_ACCOUNT)
				.build()).toURI();
			String code = mailbox.sandbox().signIn(authorize, signInAs, Consent.ACCEPT).code();
			app.acquireToken(AuthorizationCodeParameters.builder(code, URI.create(REDIRECT_URI))
				.scopes(apps.authorizationScopes())
				.codeVerifier(verifier)
				.build()).get();
			return session.json();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not authorize service " + service.id() + " in the sandbox", ex);
		}
	}

	/** A basic-auth service of {@code mailbox}, whose password the sandbox knows. */
	protected SmtpService basicService(Mailbox mailbox) {
		String password = "pw-" + UUID.randomUUID();
		mailbox.sandbox().directory().setBasicPassword(mailbox.upn(), password);
		SmtpService service = SmtpServiceFixtures.basicService(secrets, ACCOUNT, mailbox.sandbox().smtpHost(),
				mailbox.sandbox().smtpPort(), mailbox.upn(), password);
		services.insert(service);
		return current(service);
	}

	/** The service as now stored (status and version change as it is authorized or marked). */
	protected SmtpService current(SmtpService service) {
		return services.find(service.id()).orElseThrow();
	}

	protected ServiceStatus statusOf(SmtpService service) {
		return current(service).status();
	}

	/** A plain mail from the service to one recipient. */
	protected static SendRequest.Builder mail(SmtpService service) {
		return SendRequest.builder(ACCOUNT, service.id())
			.to("reader@customer.example")
			.subject("Your weekly digest")
			.text("Three new articles this week.");
	}

	/** MSAL clients against the short-lived sandbox, built as {@link MicrosoftApps} is for Microsoft. */
	protected MicrosoftApps shortLivedApps() {
		return new MicrosoftApps(new IdentityPlatformProperties(URI.create(TestSandboxes.shortLived().authorityHost()),
				false, SSL_BUNDLE, Duration.ofSeconds(5), Duration.ofSeconds(10), "https://outlook.office.com/SMTP.Send",
				"https://outlook.office365.com/.default", URI.create(TestSandboxes.shortLived().graphBaseUrl()),
				"https://graph.microsoft.com/Mail.Send", "http://localhost/callback"),
				secrets, context.getBean(SslBundles.class));
	}

	/** Access tokens over other MSAL clients or settings, sharing this context's database and events. */
	protected AccessTokens accessTokens(MicrosoftApps apps, TokenProperties properties) {
		return new AccessTokens(apps, context.getBean(io.mailroom.core.google.GoogleAccounts.class), caches, properties,
				context.getBeanProvider(io.mailroom.worker.tokens.IdentityCircuit.class),
				context.getBeanProvider(java.time.Clock.class), context.getBeanProvider(MeterRegistry.class),
				context.getBeanProvider(io.micrometer.tracing.Tracer.class));
	}

	/** A delivery of its own settings. */
	protected SmtpDelivery delivery(AccessTokens tokens, DeliveryProperties properties) {
		return new SmtpDelivery(tokens, secrets, properties, context.getBean(SmtpDestinations.class),
				context.getBeanProvider(SslBundles.class),
				context.getBeanProvider(java.time.Clock.class), context.getBeanProvider(MeterRegistry.class));
	}

	protected static DeliveryProperties sandboxDelivery() {
		DeliveryProperties defaults = DeliveryProperties.defaults();
		return new DeliveryProperties(defaults.connectTimeout(), defaults.readTimeout(), defaults.writeTimeout(),
				defaults.probeAfter(), defaults.idleTimeout(), SSL_BUNDLE, null);
	}

}
