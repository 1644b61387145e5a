package io.mailroom.core.verify;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.SilentParameters;
import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.SmtpReply;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.core.failures.SmtpReplies;
import io.mailroom.core.google.GoogleAccounts;
import io.mailroom.core.services.GoogleGuidance;
import io.mailroom.core.services.GoogleOAuth2;
import io.mailroom.core.services.MicrosoftGuidance;
import io.mailroom.core.services.MicrosoftOAuth2;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.Transport;
import io.mailroom.core.tokens.IdentityErrors;
import io.mailroom.core.tokens.MicrosoftApi;
import io.mailroom.core.tokens.MicrosoftApps;
import io.mailroom.core.tokens.StoredTokenCache;
import io.mailroom.core.tokens.TokenCacheSession;
import io.mailroom.core.tokens.TokenCaches;

import org.springframework.stereotype.Component;

/**
 * Runs Verify setup for an OAuth2 service, without sending: for Microsoft the token, its claims, then SMTP AUTH or
 * Graph; for Google the token (refreshed grant or service account) and Gmail's SMTP AUTH with MAIL FROM.
 */
@Component
public class SetupVerification {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final MicrosoftApps apps;

	private final TokenCaches caches;

	private final HttpClient http;

	private final GoogleAccounts google;

	public SetupVerification(MicrosoftApps apps, TokenCaches caches, GoogleAccounts google) {
		this.apps = apps;
		this.caches = caches;
		this.google = google;
		this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).sslContext(sslContext()).build();
	}

	/** The outcome: every check, and whether the service can send as set up. */
	public record Result(boolean passed, List<Check> checks) {
	}

	public Result verify(SmtpService service) {
		if (service.usesGoogleOAuth2()) {
			return verifyGoogle(service);
		}
		if (!service.usesMicrosoftOAuth2()) {
			return new Result(false, List.of(Check.fail("service", "Basic authentication",
					"Verify setup checks OAuth2 services; send a test email to check a basic one.")));
		}
		MicrosoftOAuth2 oauth2 = service.microsoft();
		List<Check> checks = new ArrayList<>();
		boolean passed;
		if (oauth2.transport() == Transport.GRAPH) {
			passed = verifyApi(service, MicrosoftApi.GRAPH, checks);
		}
		else {
			passed = verifyApi(service, MicrosoftApi.SMTP, checks);
			if (!passed && oauth2.transport() == Transport.SMTP_WITH_GRAPH_FALLBACK && smtpAuthDisabled(checks)) {
				passed = verifyApi(service, MicrosoftApi.GRAPH, checks);
				if (passed) {
					checks.add(Check.pass("transport", "SMTP AUTH is disabled for the mailbox: mail goes through Graph."));
				}
			}
		}
		return new Result(passed, List.copyOf(checks));
	}

	/** A Google token (the grant refreshed, or the service account acting as the mailbox), then Gmail's SMTP. */
	private Result verifyGoogle(SmtpService service) {
		GoogleOAuth2 settings = service.google();
		List<Check> checks = new ArrayList<>();
		String token;
		try {
			if (settings.appOnly()) {
				token = google.serviceAccount(settings).value();
			}
			else {
				Optional<StoredTokenCache> stored = caches.load(service.id());
				if (stored.isEmpty()) {
					checks.add(Check.fail("google.token", "The service has no authorization yet.",
							"Click Authorize and sign in with Google as " + settings.loginEmail() + "."));
					return new Result(false, List.copyOf(checks));
				}
				token = google.refresh(settings, GoogleAccounts.Grant.fromStored(stored.get().json()).refreshToken())
					.value();
			}
			checks.add(Check.pass("google.token", "Google issued a token for " + google.scope()
					+ (settings.appOnly() ? " to the service account, acting as " + settings.loginEmail() : "") + "."));
		}
		catch (Exception ex) {
			Failure failure = settings.appOnly()
					? GoogleGuidance.forServiceAccount(GoogleAccounts.classifyServiceAccount(ex), settings)
					: GoogleAccounts.classify(ex);
			checks.add(Check.fail("google.token", failure.error().code() + ": " + failure.error().message(),
					failure.error().hint()));
			return new Result(false, List.copyOf(checks));
		}
		boolean passed = smtp(service, settings.loginEmail(), token, google.sslSocketFactory(), checks,
				failure -> settings.appOnly() ? GoogleGuidance.serviceAccountRefused(failure, settings) : failure);
		return new Result(passed, List.copyOf(checks));
	}

	private boolean verifyApi(SmtpService service, MicrosoftApi api, List<Check> checks) {
		String prefix = api == MicrosoftApi.SMTP ? "smtp." : "graph.";
		Optional<String> token = token(service, api, prefix, checks);
		if (token.isEmpty()) {
			return false;
		}
		boolean claimsHold = claims(service, api, prefix, token.get(), checks);
		boolean works = api == MicrosoftApi.SMTP ? smtp(service, token.get(), checks) : graph(service, token.get(), checks);
		return claimsHold && works;
	}

	private Optional<String> token(SmtpService service, MicrosoftApi api, String prefix, List<Check> checks) {
		MicrosoftOAuth2 oauth2 = service.microsoft();
		Set<String> scopes = apps.scopes(oauth2, api);
		try {
			IAuthenticationResult result;
			if (oauth2.appOnly()) {
				ConfidentialClientApplication app = apps.create(service, null);
				result = app.acquireToken(ClientCredentialParameters.builder(scopes).build())
					.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
			else {
				Optional<StoredTokenCache> stored = caches.load(service.id());
				if (stored.isEmpty()) {
					checks.add(Check.fail(prefix + "token", "The service has no authorization yet.",
							"Click Authorize and sign in as " + oauth2.loginEmail() + "."));
					return Optional.empty();
				}
				TokenCacheSession session = new TokenCacheSession(stored.get().json());
				ConfidentialClientApplication app = apps.create(service, session);
				Set<IAccount> accounts = app.getAccounts().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				IAccount account = accounts.stream()
					.filter(a -> oauth2.loginEmail().equalsIgnoreCase(a.username()))
					.findFirst()
					.orElse(accounts.stream().findFirst().orElse(null));
				if (account == null) {
					checks.add(Check.fail(prefix + "token", "The authorization holds no signed-in account.",
							"Click Authorize and sign in as " + oauth2.loginEmail() + "."));
					return Optional.empty();
				}
				result = app.acquireTokenSilently(SilentParameters.builder(scopes, account)
					.authorityUrl(apps.authority(oauth2))
					.build()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				if (session.changed()) {
					caches.compareAndSet(service.id(), stored.get().version(), session.json());
				}
			}
			checks.add(Check.pass(prefix + "token", "Microsoft issued a token for " + String.join(" ", scopes) + "."));
			return Optional.of(result.accessToken());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			checks.add(Check.fail(prefix + "token", "Interrupted.", "Try again."));
			return Optional.empty();
		}
		catch (Exception ex) {
			Failure failure = IdentityErrors.classify(ex);
			failure = oauth2.appOnly() ? MicrosoftGuidance.forAppOnly(failure, oauth2, apps.adminConsentUrl(oauth2))
					: MicrosoftGuidance.withAdminConsentHint(failure, apps.adminConsentUrl(oauth2));
			checks.add(Check.fail(prefix + "token", failure.error().code() + ": " + failure.error().message(),
					failure.error().hint()));
			return Optional.empty();
		}
	}

	/** Audience, permissions, account and tenant, read from the token (its signature is the API's business). */
	private boolean claims(SmtpService service, MicrosoftApi api, String prefix, String token, List<Check> checks) {
		Map<String, Object> claims = decode(token);
		if (claims == null) {
			checks.add(Check.pass(prefix + "token.claims", "The token is not a readable JWT; its claims are not checked."));
			return true;
		}
		MicrosoftOAuth2 oauth2 = service.microsoft();
		boolean ok = true;
		String audience = String.valueOf(claims.get("aud"));
		boolean audienceOk = api == MicrosoftApi.SMTP
				? audience.contains("outlook.office") || audience.equals("00000002-0000-0ff1-ce00-000000000000")
				: audience.equals(apps.graphResource()) || audience.equals("00000003-0000-0000-c000-000000000000");
		ok &= add(checks, audienceOk, prefix + "token.audience", audience,
				"The token is not for " + (api == MicrosoftApi.SMTP ? "Exchange Online" : "Microsoft Graph")
						+ ": check the service's transport, then authorize again.");
		String permission = api == MicrosoftApi.SMTP ? (oauth2.appOnly() ? "SMTP.SendAsApp" : "SMTP.Send") : "Mail.Send";
		if (oauth2.appOnly()) {
			Object roles = claims.get("roles");
			boolean hasRole = roles instanceof List<?> list && list.contains(permission);
			checks.add(Check.pass(prefix + "token.roles", hasRole ? "roles: " + roles
					: "No application permission in the token: fine with RBAC for Applications ('Application "
							+ permission + "' role assignment), otherwise grant " + permission + " with admin consent."));
		}
		else {
			String scp = String.valueOf(claims.getOrDefault("scp", ""));
			ok &= add(checks, List.of(scp.split(" ")).contains(permission) || scp.contains(permission + ".Shared"),
					prefix + "token.scp", scp, "Add the delegated permission " + permission
							+ " to the app registration (API permissions) and authorize again.");
			String account = String.valueOf(claims.getOrDefault("upn", claims.getOrDefault("preferred_username", "")));
			ok &= add(checks, account.equalsIgnoreCase(oauth2.loginEmail()) || account.equalsIgnoreCase(
					String.valueOf(service.authorizedAccount())), prefix + "token.account",
					account + " (oid " + claims.get("oid") + ")",
					"Authorize again signed in as " + oauth2.loginEmail() + " (or give " + account
							+ " FullAccess on it for a shared mailbox).");
		}
		if (oauth2.tenantId() != null && !oauth2.tenantId().isBlank()) {
			String tenant = String.valueOf(claims.get("tid"));
			ok &= add(checks, tenant.equalsIgnoreCase(oauth2.tenantId()), prefix + "token.tenant", tenant,
					"The token comes from another tenant than the service's Tenant ID " + oauth2.tenantId()
							+ ": correct the Tenant ID.");
		}
		return ok;
	}

	private boolean smtp(SmtpService service, String token, List<Check> checks) {
		MicrosoftOAuth2 oauth2 = service.microsoft();
		return smtp(service, oauth2.loginEmail(), token, apps.sslSocketFactory(), checks,
				failure -> oauth2.appOnly() && failure.smtpReply() != null
						&& "5.7.3".equals(failure.smtpReply().enhancedCode())
								? MicrosoftGuidance.appMailboxAccessMissing(failure, oauth2, service.fromAddress()) : failure);
	}

	/** SMTP AUTH as the mailbox, then MAIL FROM the From address; {@code authRefused} adapts an AUTH refusal's hint. */
	private boolean smtp(SmtpService service, String mailbox, String token, javax.net.ssl.SSLSocketFactory tls,
			List<Check> checks, java.util.function.UnaryOperator<Failure> authRefused) {
		try {
			SmtpProbe.Answers answers = SmtpProbe.authenticate(service.host(), service.port(), mailbox,
					service.fromAddress(), token, tls, TIMEOUT);
			String answer = answers.auth();
			if (answer.startsWith("235")) {
				checks.add(Check.pass("smtp.auth", answer));
				String sender = answers.mailFrom();
				if (sender != null && sender.startsWith("250")) {
					checks.add(Check.pass("smtp.sender", "MAIL FROM:<" + service.fromAddress() + "> " + sender));
					return true;
				}
				SmtpReply refused = sender == null ? null : SmtpReplies.parse(sender);
				checks.add(Check.fail("smtp.sender", String.valueOf(sender),
						refused == null ? "Check the From address." : Failures.smtp(refused).error().hint()));
				return false;
			}
			SmtpReply reply = SmtpReplies.parse(answer);
			Failure failure = reply == null ? Failures.network("authenticate to " + service.host(), new IOException(answer))
					: authRefused.apply(Failures.smtp(reply));
			checks.add(Check.fail("smtp.auth", answer, failure.error().hint()));
			return false;
		}
		catch (IOException ex) {
			Failure failure = Failures.network("authenticate to " + service.host() + ":" + service.port(), ex);
			checks.add(Check.fail("smtp.auth", failure.error().message(), failure.error().hint()));
			return false;
		}
	}

	/**
	 * Graph's sendMail with a message from the service's From address without recipients: Graph checks the
	 * token, the mailbox and Send As first, so {@code 400 ErrorInvalidRecipients} means it would send, and nothing
	 * is sent. UNCONFIRMED: Microsoft does not document that order; any other answer is reported as it is.
	 */
	private boolean graph(SmtpService service, String token, List<Check> checks) {
		String url = apps.graphHost() + "/v1.0/users/"
				+ URLEncoder.encode(service.microsoft().loginEmail(), StandardCharsets.UTF_8) + "/sendMail";
		try {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
				.timeout(TIMEOUT)
				.header("Authorization", "Bearer " + token)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(MailroomJson.mapper().writeValueAsString(Map.of("message",
						Map.of("subject", "Mailroom setup check", "from",
								Map.of("emailAddress", Map.of("address", service.fromAddress()))),
						"saveToSentItems", false))))
				.build(), HttpResponse.BodyHandlers.ofString());
			String code = errorCode(response.body());
			if (response.statusCode() == 400 && "ErrorInvalidRecipients".equals(code)) {
				checks.add(Check.pass("graph.mailbox", "Graph accepts sendMail for " + service.microsoft().loginEmail()
						+ " from " + service.fromAddress() + " (checked with a message without recipients: nothing was sent)."));
				return true;
			}
			Failure failure = Failures.graph(response.statusCode(), code, "", null);
			if (response.statusCode() == 403 && service.microsoft().appOnly() && !"ErrorSendAsDenied".equals(code)) {
				failure = MicrosoftGuidance.appMailboxAccessMissing(failure, service.microsoft(), service.fromAddress());
			}
			checks.add(Check.fail("graph.mailbox", response.statusCode() + " " + (code == null ? "" : code),
					failure.error().hint()));
			return false;
		}
		catch (IOException ex) {
			Failure failure = Failures.network("call Microsoft Graph", ex);
			checks.add(Check.fail("graph.mailbox", failure.error().message(), failure.error().hint()));
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			checks.add(Check.fail("graph.mailbox", "Interrupted.", "Try again."));
			return false;
		}
	}

	private static boolean smtpAuthDisabled(List<Check> checks) {
		return checks.stream().anyMatch(c -> c.name().equals("smtp.auth") && !c.passed() && c.detail().contains("5.7.139"));
	}

	private static boolean add(List<Check> checks, boolean passed, String name, String detail, String fix) {
		checks.add(passed ? Check.pass(name, detail) : Check.fail(name, detail, fix));
		return passed;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> decode(String token) {
		String[] parts = token.split("\\.");
		if (parts.length != 3) {
			return null;
		}
		try {
			return MailroomJson.mapper().readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	@SuppressWarnings("unchecked")
	private static String errorCode(String body) {
		try {
			Map<String, Object> parsed = MailroomJson.mapper().readValue(body, Map.class);
			return parsed.get("error") instanceof Map<?, ?> error ? String.valueOf(error.get("code")) : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private javax.net.ssl.SSLContext sslContext() {
		return apps.sslContext();
	}

}
