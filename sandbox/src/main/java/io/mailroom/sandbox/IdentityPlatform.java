package io.mailroom.sandbox;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mailroom.sandbox.IdentityError.Trace;

/**
 * The identity platform's HTTPS server: routes {@code /{tenant}/…} to the authorize and token endpoints and
 * serves the OpenID Connect discovery documents.
 */
final class IdentityPlatform implements AutoCloseable {

	private static final Logger LOG = LoggerFactory.getLogger(IdentityPlatform.class);

	private static final Pattern ROUTE = Pattern.compile(
			"^/([^/]+)/(oauth2/v2\\.0/authorize|oauth2/v2\\.0/token|login|v2\\.0/adminconsent|adminconsent|discovery/v2\\.0/keys|v2\\.0/\\.well-known/openid-configuration)/?$");

	private final HttpEndpoint server;

	private final AuthorizationEndpoint authorization;

	private final TokenEndpoint token;

	private final AdminConsent adminConsent;

	private final Directory directory;

	private final SandboxSettings settings;

	private final String baseUrl;

	IdentityPlatform(SandboxSettings settings, SandboxTls tls, Directory directory, Grants grants,
			Scenarios scenarios, SandboxStats stats, AdminConsent adminConsent) throws IOException {
		this.adminConsent = adminConsent;
		this.settings = settings;
		this.directory = directory;
		this.server = HttpEndpoint.https(settings.bindAddress(), settings.identityPort(), tls, "sandbox-identity-",
				this::handle);
		this.baseUrl = this.server.httpsUrl(settings.hostName());
		this.authorization = new AuthorizationEndpoint(directory, grants, scenarios, stats, settings);
		this.token = new TokenEndpoint(directory, grants, scenarios, stats, settings, this.baseUrl);
	}

	void start() {
		this.server.start();
	}

	/** The base URL, e.g. {@code https://localhost:49152}. */
	String baseUrl() {
		return this.baseUrl;
	}

	private void handle(HttpExchange exchange) throws IOException {
		try {
			String path = exchange.getRequestURI().getPath();
			String method = exchange.getRequestMethod();
			Matcher route = ROUTE.matcher(path);
			if (!route.matches()) {
				Http.json(exchange, 404, Map.of("error", "not_found", "path", path));
				return;
			}
			String tenant = route.group(1);
			switch (route.group(2)) {
				case "oauth2/v2.0/authorize" -> {
					if (method.equals("GET")) {
						this.authorization.authorize(exchange, tenant);
					}
					else {
						notAllowed(exchange);
					}
				}
				case "login" -> {
					if (method.equals("POST")) {
						this.authorization.login(exchange, tenant);
					}
					else {
						notAllowed(exchange);
					}
				}
				case "oauth2/v2.0/token" -> {
					if (method.equals("POST")) {
						this.token.token(exchange, tenant);
					}
					else {
						notAllowed(exchange);
					}
				}
				case "v2.0/adminconsent" -> this.adminConsent.start(exchange, tenant);
				case "adminconsent" -> this.adminConsent.decide(exchange);
				case "discovery/v2.0/keys" -> Http.json(exchange, 200, SigningKey.get().jwks(this.baseUrl + "/{tenantid}/v2.0"));
				default -> openIdConfiguration(exchange, tenant);
			}
		}
		catch (RuntimeException ex) {
			// A bug of the sandbox, not a scenario: say so loudly, and answer as a server in trouble would.
			LOG.warn("Identity platform request {} failed", exchange.getRequestURI().getPath(), ex);
			Http.json(exchange, 500, Map.of("error", "server_error", "error_description", String.valueOf(ex)));
		}
		finally {
			exchange.close();
		}
	}

	private void openIdConfiguration(HttpExchange exchange, String tenant) throws IOException {
		TenantSegment segment = TenantSegment.resolve(this.directory, tenant).orElse(null);
		if (segment == null) {
			IdentityError notFound = IdentityError.tenantNotFound(tenant);
			IdentityError invalidTenant = new IdentityError("invalid_tenant", notFound.code(), notFound.text(), null, 400);
			Http.json(exchange, 400, invalidTenant.body(Trace.of(null, this.settings.clock().instant())));
			return;
		}
		String base = this.baseUrl + "/" + tenant;
		String issuer = this.baseUrl + "/" + (segment.specific() ? segment.tenant().id() : "{tenantid}") + "/v2.0";
		Map<String, Object> configuration = new LinkedHashMap<>();
		configuration.put("token_endpoint", base + "/oauth2/v2.0/token");
		configuration.put("token_endpoint_auth_methods_supported",
				List.of("client_secret_post", "private_key_jwt", "client_secret_basic"));
		configuration.put("jwks_uri", base + "/discovery/v2.0/keys");
		configuration.put("response_modes_supported", List.of("query", "fragment", "form_post"));
		configuration.put("subject_types_supported", List.of("pairwise"));
		configuration.put("id_token_signing_alg_values_supported", List.of("RS256"));
		configuration.put("response_types_supported", List.of("code", "id_token", "code id_token", "id_token token"));
		configuration.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
		configuration.put("issuer", issuer);
		configuration.put("request_uri_parameter_supported", false);
		configuration.put("authorization_endpoint", base + "/oauth2/v2.0/authorize");
		configuration.put("http_logout_supported", true);
		configuration.put("frontchannel_logout_supported", true);
		configuration.put("claims_supported", List.of("sub", "iss", "aud", "exp", "iat", "nonce", "preferred_username",
				"name", "tid", "ver", "oid"));
		configuration.put("tenant_region_scope", null);
		configuration.put("cloud_instance_name", "microsoftonline.com");
		Http.json(exchange, 200, configuration);
	}

	private static void notAllowed(HttpExchange exchange) throws IOException {
		exchange.getResponseHeaders().set("Allow", "GET, POST");
		Http.json(exchange, 405, Map.of("error", "method_not_allowed"));
	}

	@Override
	public void close() {
		this.server.close();
	}

}
