package io.mailroom.api;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.mailroom.core.sandbox.TestMicrosoft;
import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.core.tokens.MicrosoftApps;
import io.mailroom.core.tokens.TokenCaches;
import io.mailroom.sandbox.AuthorizationRedirect;
import io.mailroom.sandbox.Consent;
import io.mailroom.sandbox.MicrosoftSandbox;
import io.mailroom.testing.OtlpCollector;
import io.mailroom.testing.RealInfrastructure;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The api on a real port, against real PostgreSQL and Kafka and the Microsoft sandbox, with a worker
 * alongside, both exporting their spans to the test JVM's {@link OtlpCollector}. Every test class
 * shares this one application context; tests keep apart by using accounts and mailboxes of their own.
 *
 * <p>The port is chosen before the context starts because the redirect URI (public base URL + callback
 * path) must be registered on the sandbox's apps, exactly as an admin registers Mailroom's on theirs.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ContextConfiguration(initializers = RealInfrastructure.class)
@Import(WorkerAlongside.class)
abstract class ApiIntegrationTest {

	static final int PORT = freePort();

	static final String BASE_URL = "http://localhost:" + PORT;

	static final String REDIRECT_URI = BASE_URL + "/oauth2/custom-smtp-token";

	static final String RETURN_URL = "https://app.example.test/settings/smtp";

	static final JwtIssuer JWTS = new JwtIssuer();

	static final String REBINDING_FIRST_ANSWER = "127.0.0.2";

	@Autowired
	protected SmtpServices services;

	@Autowired
	protected SecretBox secrets;

	@Autowired
	protected MicrosoftApps microsoftApps;

	@Autowired
	protected TokenCaches tokenCaches;

	@Autowired
	protected JdbcClient jdbc;

	@DynamicPropertySource
	static void api(DynamicPropertyRegistry registry) {
		TestMicrosoft.springProperties().forEach((name, value) -> registry.add(name, () -> value));
		io.mailroom.core.sandbox.TestGoogle.springProperties().forEach((name, value) -> registry.add(name, () -> value));
		// 127.0.0.2 stands for a public mail server in the DNS rebinding test: allowed, and still this machine
		registry.add("mailroom.outbound.allowed-hosts", () -> microsoft().smtpHost() + "," + REBINDING_FIRST_ANSWER);
		registry.add("server.port", () -> PORT);
		registry.add("mailroom.api.authorization.public-base-url", () -> BASE_URL);
		registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", JWTS::publicKeyLocation);
		registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> JwtIssuer.AUDIENCE);
		registry.add("management.opentelemetry.tracing.export.otlp.endpoint",
				() -> OtlpCollector.shared().tracesEndpoint());
	}

	/** A client acting as {@code user}, an admin of {@code account}, with a JWT. */
	static ApiClient admin(String account, String user) {
		return anonymous().with("Authorization", "Bearer " + JWTS.tokenFor(account, user));
	}

	/** A client acting as {@code user}, an operator of {@code account}, with a JWT. */
	static ApiClient operator(String account, String user) {
		return anonymous().with("Authorization", "Bearer " + JWTS.tokenFor(account, user, JwtIssuer.OPERATOR));
	}

	/** An admin of a new account of its own. */
	static ApiClient newAdmin() {
		return admin("acct-" + UUID.randomUUID(), "admin@product.test");
	}

	static ApiClient anonymous() {
		return new ApiClient(BASE_URL, Map.of());
	}

	static MicrosoftSandbox microsoft() {
		return TestMicrosoft.sandbox();
	}

	/** A sandbox tenant, app and mailbox whose app accepts this api's redirect URI. */
	static TestMicrosoft.Mailbox newMailbox() {
		TestMicrosoft.Mailbox mailbox = TestMicrosoft.newMailbox();
		microsoft().directory().addRedirectUri(mailbox.app(), REDIRECT_URI);
		return mailbox;
	}

	/** The JSON an admin enters for a Microsoft OAuth2 service of {@code mailbox}. */
	static Map<String, Object> oauth2Service(TestMicrosoft.Mailbox mailbox) {
		return oauth2Service(mailbox, mailbox.app().clientSecret());
	}

	static Map<String, Object> oauth2Service(TestMicrosoft.Mailbox mailbox, String clientSecret) {
		Map<String, Object> authentication = new LinkedHashMap<>();
		authentication.put("type", "OAUTH2");
		authentication.put("provider", "MICROSOFT");
		authentication.put("loginEmail", mailbox.upn());
		authentication.put("clientId", mailbox.app().clientId());
		authentication.put("clientSecret", clientSecret);
		authentication.put("tenantId", mailbox.tenant().id());
		Map<String, Object> service = new LinkedHashMap<>();
		service.put("name", "Support mailbox");
		service.put("host", microsoft().smtpHost());
		service.put("port", microsoft().smtpPort());
		service.put("fromAddress", mailbox.upn());
		service.put("fromName", "Support");
		service.put("authentication", authentication);
		return service;
	}

	/** Creates a service through the api and returns its JSON. */
	static JsonNode create(ApiClient admin, Map<String, Object> service) {
		ApiClient.Response created = admin.post("/api/smtp-services", service);
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created.json();
	}

	/** Starts an authorization through the api and returns Microsoft's authorize URL. */
	static URI startAuthorization(ApiClient admin, String serviceId, String returnUrl) {
		Map<String, Object> body = returnUrl == null ? Map.of() : Map.of("returnUrl", returnUrl);
		ApiClient.Response started = admin.post("/api/smtp-services/" + serviceId + "/authorization", body);
		assertThat(started.status()).as(started.toString()).isEqualTo(200);
		return URI.create(started.json().path("authorizeUrl").asString());
	}

	/** The browser signs in at Microsoft and follows the redirect (MSAL's form_post) back to the api. */
	static ApiClient.Response signInAndReturn(URI authorizeUrl, String account, Consent consent) {
		return follow(microsoft().signIn(authorizeUrl, account, consent));
	}

	/** What a browser does with the identity platform's redirect: post the form, or get the URL. */
	static ApiClient.Response follow(AuthorizationRedirect redirect) {
		HttpRequest.Builder request = redirect.method().equals("POST")
				? HttpRequest.newBuilder(redirect.target())
					.header("Content-Type", "application/x-www-form-urlencoded")
					.header("Accept", "text/html")
					.POST(HttpRequest.BodyPublishers.ofString(redirect.encodedParameters()))
				: HttpRequest.newBuilder(redirect.uri()).header("Accept", "text/html").GET();
		return anonymous().send(request);
	}

	/** Authorizes a service through the api as an admin would, with a return URL; returns the callback's answer. */
	static ApiClient.Response authorize(ApiClient admin, String serviceId, String account) {
		return signInAndReturn(startAuthorization(admin, serviceId, RETURN_URL), account, Consent.ACCEPT);
	}

	/** The query parameters of a URL. */
	static Map<String, String> query(String url) {
		Map<String, String> parameters = new LinkedHashMap<>();
		String query = URI.create(url).getRawQuery();
		if (query != null) {
			for (String pair : query.split("&")) {
				int equals = pair.indexOf('=');
				parameters.put(decode(equals < 0 ? pair : pair.substring(0, equals)),
						equals < 0 ? "" : decode(pair.substring(equals + 1)));
			}
		}
		return parameters;
	}

	/** Creates an OAuth2 service of the mailbox through the api, authorizes it directly, and returns its id. */
	String createAuthorized(ApiClient admin, TestMicrosoft.Mailbox mailbox) {
		String id = create(admin, oauth2Service(mailbox)).path("id").asString();
		authorizeDirectly(id);
		return id;
	}

	/** Authorizes a stored service without the browser (for tests about what comes after). */
	SmtpService authorizeDirectly(String serviceId) {
		SmtpService service = services.find(UUID.fromString(serviceId)).orElseThrow();
		TestMicrosoft.authorize(service, microsoftApps, tokenCaches, services);
		return services.find(service.id()).orElseThrow();
	}

	private static String decode(String value) {
		return java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
	}

	private static int freePort() {
		return io.mailroom.sandbox.FreePorts.take();
	}

}
