package io.mailroom.sandbox;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mailroom.sandbox.Directory.Account;
import io.mailroom.sandbox.Directory.App;
import io.mailroom.sandbox.IdentityError.Trace;

/**
 * {@code GET /{tenant}/oauth2/v2.0/authorize} and the sign-in/consent page it shows, whose form posts to
 * {@code /{tenant}/login}. Errors Microsoft shows on its own page (unknown tenant or app, redirect URI
 * mismatch, account of the wrong tenant) are pages here too; the others go back to the app's redirect URI
 * in its response mode.
 */
final class AuthorizationEndpoint {

	private static final Logger LOG = LoggerFactory.getLogger(AuthorizationEndpoint.class);

	// INVENTED: how long the sign-in page stays valid; Microsoft's own flow token lifetime is not documented.
	private static final Duration SIGN_IN_LIFETIME = Duration.ofHours(1);

	/** An authorization request that passed validation and waits for the person's decision. */
	private record SignIn(TenantSegment segment, App app, String redirectUri, String responseMode, String state,
			Scopes scopes, String codeChallenge, String codeChallengeMethod, String nonce, String loginHint,
			Instant startedAt) {
	}

	private final Map<String, SignIn> signIns = new ConcurrentHashMap<>();

	private final Directory directory;

	private final Grants grants;

	private final Scenarios scenarios;

	private final SandboxStats stats;

	private final SandboxSettings settings;

	AuthorizationEndpoint(Directory directory, Grants grants, Scenarios scenarios, SandboxStats stats,
			SandboxSettings settings) {
		this.directory = directory;
		this.grants = grants;
		this.scenarios = scenarios;
		this.stats = stats;
		this.settings = settings;
	}

	void authorize(HttpExchange exchange, String tenant) throws IOException {
		this.stats.authorizeRequest();
		Map<String, String> query = Http.query(exchange);
		Trace trace = Trace.of(query.get("client-request-id"), now());
		TenantSegment segment = TenantSegment.resolve(this.directory, tenant).orElse(null);
		if (segment == null) {
			errorPage(exchange, IdentityError.tenantNotFound(tenant), trace);
			return;
		}
		String clientId = query.get("client_id");
		if (blank(clientId)) {
			errorPage(exchange, IdentityError.missingParameter("client_id"), trace);
			return;
		}
		App app = this.directory.registeredApp(clientId).orElse(null);
		if (app == null) {
			errorPage(exchange, IdentityError.appNotFound(clientId, segment.directoryName()), trace);
			return;
		}
		if (!app.multiTenant && !segment.specific()) {
			errorPage(exchange, IdentityError.singleTenantAppOnCommonEndpoint(app.clientId, app.displayName), trace);
			return;
		}
		if (!app.multiTenant && !segment.admits(app.homeTenantId)) {
			errorPage(exchange, IdentityError.appNotFound(app.clientId, segment.directoryName()), trace);
			return;
		}
		String redirectUri = query.get("redirect_uri");
		if (blank(redirectUri)) {
			errorPage(exchange, IdentityError.missingParameter("redirect_uri"), trace);
			return;
		}
		if (!app.redirectUris.contains(redirectUri)) {
			errorPage(exchange, IdentityError.redirectUriMismatch(redirectUri, app.clientId), trace);
			return;
		}
		String responseMode = query.getOrDefault("response_mode", "query");
		if (!Set.of("query", "fragment", "form_post").contains(responseMode)) {
			errorPage(exchange, new IdentityError("invalid_request", 900144,
					"The provided value for the input parameter 'response_mode' is not valid.", null, 400), trace);
			return;
		}
		Redirect redirect = new Redirect(redirectUri, responseMode, query.get("state"));
		try {
			String responseType = query.get("response_type");
			if (!"code".equals(responseType)) {
				throw new IdentityFailure(blank(responseType) ? IdentityError.missingParameter("response_type")
						: IdentityError.unsupportedResponseType(responseType));
			}
			if (blank(query.get("scope"))) {
				throw new IdentityFailure(IdentityError.missingParameter("scope"));
			}
			Scopes scopes = Scopes.parseForConsent(query.get("scope"), segment.directoryName());
			String challenge = query.get("code_challenge");
			String method = query.get("code_challenge_method");
			if (!blank(challenge)) {
				method = blank(method) ? "plain" : method;
				if (!method.equals("S256") && !method.equals("plain")) {
					throw new IdentityFailure(new IdentityError("invalid_request", 50149,
							"Invalid Code_Challenge_method parameter.", null, 400));
				}
			}
			if ("none".equals(query.get("prompt"))) {
				// The sandbox keeps no browser sessions, so a silent sign-in never finds one.
				throw new IdentityFailure(IdentityError.loginRequired());
			}
			String context = UUID.randomUUID().toString();
			this.signIns.values().removeIf((old) -> old.startedAt().isBefore(now().minus(SIGN_IN_LIFETIME)));
			SignIn signIn = new SignIn(segment, app, redirectUri, responseMode, query.get("state"), scopes,
					blank(challenge) ? null : challenge, blank(challenge) ? null : method, query.get("nonce"),
					query.get("login_hint"), now());
			this.signIns.put(context, signIn);
			Http.html(exchange, 200, SignInPages.consent(context, tenant, app, signIn.loginHint(), scopes, null));
		}
		catch (IdentityFailure failure) {
			redirect.error(exchange, failure.error(), trace);
		}
	}

	/** The consent page's form: the account, and Accept or Cancel. */
	void login(HttpExchange exchange, String tenant) throws IOException {
		Map<String, String> form = Http.form(exchange);
		Trace trace = Trace.of(null, now());
		String context = form.get("ctx");
		SignIn signIn = (context != null) ? this.signIns.get(context) : null;
		if (signIn == null || signIn.startedAt().isBefore(now().minus(SIGN_IN_LIFETIME))) {
			errorPage(exchange, IdentityError.signInExpired(), trace);
			return;
		}
		Redirect redirect = new Redirect(signIn.redirectUri(), signIn.responseMode(), signIn.state());
		if (!"accept".equals(form.get("decision"))) {
			this.signIns.remove(context);
			redirect.error(exchange, IdentityError.userDeclinedConsent(), trace);
			return;
		}
		String login = form.getOrDefault("login", "");
		Account account = this.directory.account(login).orElse(null);
		if (account == null) {
			// Like Microsoft's page: the person may correct the name and try again.
			IdentityError unknown = IdentityError.unknownUser(signIn.segment().directoryName());
			Http.html(exchange, 200, SignInPages.consent(context, tenant, signIn.app(), login, signIn.scopes(),
					unknown.description(trace)));
			return;
		}
		this.signIns.remove(context);
		User user = account.user;
		App app = signIn.app();
		if (!signIn.segment().admits(user.tenantId()) || (!app.multiTenant && !app.homeTenantId.equals(user.tenantId()))) {
			String directoryName = signIn.segment().specific() ? signIn.segment().tenant().domain() : app.homeTenantId;
			errorPage(exchange, IdentityError.userNotInTenant(user, directoryName, app.clientId, app.displayName), trace);
			return;
		}
		if (this.scenarios.blockedByConditionalAccess(user.id())) {
			errorPage(exchange, IdentityError.blockedByConditionalAccess(), trace);
			return;
		}
		if (this.scenarios.consentDeclined(user.id())) {
			redirect.error(exchange, IdentityError.userDeclinedConsent(), trace);
			return;
		}
		// A user's consent creates the app's service principal in their tenant.
		app.servicePrincipals.add(user.tenantId());
		Instant now = now();
		String code = this.grants.issue(new Grants.AuthorizationCode(app.clientId, user.tenantId(), user.id(),
				signIn.redirectUri(), signIn.scopes().all(), signIn.codeChallenge(), signIn.codeChallengeMethod(),
				signIn.nonce(), now, this.grants.nextGrant(), now, new AtomicBoolean()),
				this.settings.authorizationCodeLifetime());
		LOG.debug("{} signed in to app {} through tenant segment {}", user.userPrincipalName(), app.clientId,
				signIn.segment().value());
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("code", code);
		redirect.send(exchange, parameters, true);
	}

	private void errorPage(HttpExchange exchange, IdentityError error, Trace trace) throws IOException {
		LOG.debug("Sign-in page shows AADSTS{}", error.code());
		Http.html(exchange, error.status(), SignInPages.error(error, trace));
	}

	private Instant now() {
		return this.settings.clock().instant();
	}

	private static boolean blank(String value) {
		return value == null || value.isBlank();
	}

	/** Where and how the browser is sent back to the app. */
	private record Redirect(String redirectUri, String responseMode, String state) {

		void error(HttpExchange exchange, IdentityError error, Trace trace) throws IOException {
			LOG.debug("Authorization ends with {} AADSTS{}", error.error(), error.code());
			send(exchange, error.redirectParameters(trace), false);
		}

		void send(HttpExchange exchange, Map<String, String> parameters, boolean success) throws IOException {
			Map<String, String> all = new LinkedHashMap<>(parameters);
			if (this.state != null) {
				all.put("state", this.state);
			}
			if (success) {
				// Observed in Entra's redirects; apps ignore it.
				all.put("session_state", UUID.randomUUID().toString());
			}
			switch (this.responseMode) {
				case "form_post" -> Http.html(exchange, 200, SignInPages.formPost(this.redirectUri, all));
				case "fragment" -> Http.redirect(exchange, 302, this.redirectUri + "#" + Http.encode(all));
				default -> Http.redirect(exchange, 302,
						this.redirectUri + (this.redirectUri.contains("?") ? "&" : "?") + Http.encode(all));
			}
		}

	}

}
