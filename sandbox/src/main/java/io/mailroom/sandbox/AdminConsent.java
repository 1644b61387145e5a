package io.mailroom.sandbox;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;

import io.mailroom.sandbox.Directory.Account;
import io.mailroom.sandbox.Directory.App;
import io.mailroom.sandbox.IdentityError.Trace;

/**
 * {@code GET /{tenant}/v2.0/adminconsent?client_id=…&redirect_uri=…&scope=…&state=…}: an admin of the
 * tenant grants the application permissions the app registration lists for the scope's resource (all of
 * them for {@code .default}); the browser returns with {@code admin_consent=True&tenant=…&scope=…&state=…},
 * or {@code error=access_denied} when declined.
 */
final class AdminConsent {

	private static final Duration LIFETIME = Duration.ofHours(1);

	private record Pending(Tenant tenant, App app, String redirectUri, String scope, String state, Instant startedAt) {
	}

	private final Map<String, Pending> pending = new ConcurrentHashMap<>();

	private final Directory directory;

	private final SandboxSettings settings;

	AdminConsent(Directory directory, SandboxSettings settings) {
		this.directory = directory;
		this.settings = settings;
	}

	void start(HttpExchange exchange, String tenantSegment) throws IOException {
		Map<String, String> query = Http.query(exchange);
		Trace trace = Trace.of(null, now());
		Tenant tenant = this.directory.tenant(tenantSegment).orElse(null);
		if (tenant == null) {
			Http.html(exchange, 400, SignInPages.error(IdentityError.tenantNotFound(tenantSegment), trace));
			return;
		}
		App app = this.directory.registeredApp(query.get("client_id")).orElse(null);
		if (app == null) {
			Http.html(exchange, 400, SignInPages.error(IdentityError.appNotFound(String.valueOf(query.get("client_id")),
					tenant.id()), trace));
			return;
		}
		String redirectUri = query.get("redirect_uri");
		if (redirectUri == null || !app.redirectUris.contains(redirectUri)) {
			Http.html(exchange, 400, SignInPages.error(IdentityError.redirectUriMismatch(String.valueOf(redirectUri),
					app.clientId), trace));
			return;
		}
		String scope = query.getOrDefault("scope", "");
		String context = UUID.randomUUID().toString();
		this.pending.values().removeIf((old) -> old.startedAt().isBefore(now().minus(LIFETIME)));
		this.pending.put(context, new Pending(tenant, app, redirectUri, scope, query.get("state"), now()));
		Set<String> roles = new LinkedHashSet<>();
		for (ApplicationPermission permission : permissions(app, scope)) {
			roles.add(permission.resource() + "/" + permission.value());
		}
		Http.html(exchange, 200, SignInPages.consent(context, tenantSegment, "adminconsent", app, "",
				new Scopes(Set.of(), roles), null));
	}

	void decide(HttpExchange exchange) throws IOException {
		Map<String, String> form = Http.form(exchange);
		Trace trace = Trace.of(null, now());
		Pending consent = this.pending.remove(String.valueOf(form.get("ctx")));
		if (consent == null) {
			Http.html(exchange, 400, SignInPages.error(IdentityError.signInExpired(), trace));
			return;
		}
		Map<String, String> parameters = new LinkedHashMap<>();
		if (!"accept".equals(form.get("decision"))) {
			parameters.putAll(IdentityError.userDeclinedConsent().redirectParameters(trace));
		}
		else {
			Account admin = this.directory.account(form.getOrDefault("login", "")).orElse(null);
			if (admin == null || !admin.user.tenantId().equals(consent.tenant().id()) || !admin.admin) {
				Http.html(exchange, 403, SignInPages.error(
						IdentityError.adminConsentRequired(consent.app().clientId, consent.app().displayName), trace));
				return;
			}
			AppRegistration registration = consent.app().snapshot();
			for (ApplicationPermission permission : permissions(consent.app(), consent.scope())) {
				this.directory.grantApplicationPermission(registration, consent.tenant(), permission);
			}
			consent.app().servicePrincipals.add(consent.tenant().id());
			parameters.put("admin_consent", "True");
			parameters.put("tenant", consent.tenant().id());
			parameters.put("scope", consent.scope());
		}
		if (consent.state() != null) {
			parameters.put("state", consent.state());
		}
		String target = consent.redirectUri() + (consent.redirectUri().contains("?") ? "&" : "?") + Http.encode(parameters);
		Http.redirect(exchange, 302, target);
	}

	/** The app's listed application permissions on the scope's resource (all of them without a scope). */
	private static Set<ApplicationPermission> permissions(App app, String scope) {
		Set<ApplicationPermission> permissions = new LinkedHashSet<>();
		for (ApplicationPermission permission : app.requiredPermissions) {
			if (scope.isBlank() || scope.contains(permission.resource())
					|| (scope.contains("outlook.office.com") && permission.resource().contains("outlook"))) {
				permissions.add(permission);
			}
		}
		return permissions;
	}

	private Instant now() {
		return this.settings.clock().instant();
	}

}
