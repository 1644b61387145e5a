package io.mailroom.api.authorization;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.microsoft.aad.msal4j.IAuthenticationResult;
import io.mailroom.api.audit.AuditAction;
import io.mailroom.api.audit.AuditLog;
import io.mailroom.api.web.Caller;
import io.mailroom.api.web.Conflict;
import io.mailroom.api.web.InvalidInput;
import io.mailroom.api.web.NotFound;
import io.mailroom.api.web.Problems;
import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.core.failures.ServiceImpact;
import io.mailroom.core.google.GoogleAccounts;
import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.services.GoogleOAuth2;
import io.mailroom.core.services.MicrosoftGuidance;
import io.mailroom.core.services.ServiceStatusChanges;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.core.tokens.IdentityErrors;
import io.mailroom.core.tokens.TokenCaches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/** Starts authorizations and completes them when Microsoft or Google sends the browser back. */
@Service
class AuthorizationFlow {

	private static final Logger LOG = LoggerFactory.getLogger(AuthorizationFlow.class);

	/** Exchange Online's documentation of the delegated SMTP permission and its setup. */
	private static final String SMTP_OAUTH_HELP = "https://learn.microsoft.com/exchange/client-developer/"
			+ "legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth";

	private final SmtpServices services;

	private final ServiceStatusChanges statusChanges;

	private final TokenCaches tokenCaches;

	private final AuthorizationAttempts attempts;

	private final MicrosoftSignIn microsoft;

	private final GoogleAccounts google;

	private final TenantCheck tenants;

	private final ReturnUrls returnUrls;

	private final SecretBox secrets;

	private final AuditLog audit;

	private final AuthorizationProperties properties;

	private final Clock clock;

	AuthorizationFlow(SmtpServices services, ServiceStatusChanges statusChanges, TokenCaches tokenCaches,
			AuthorizationAttempts attempts, MicrosoftSignIn microsoft, GoogleAccounts google, TenantCheck tenants,
			ReturnUrls returnUrls, SecretBox secrets, AuditLog audit, AuthorizationProperties properties, Clock clock) {
		this.google = google;
		this.services = services;
		this.statusChanges = statusChanges;
		this.tokenCaches = tokenCaches;
		this.attempts = attempts;
		this.microsoft = microsoft;
		this.tenants = tenants;
		this.returnUrls = returnUrls;
		this.secrets = secrets;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
	}

	/** Starts an authorization of the caller's service and returns where to send the admin's browser. */
	AuthorizationStarted start(Caller caller, UUID serviceId, String returnUrl) {
		SmtpService service = services.findOwned(caller.accountId(), serviceId)
			.orElseThrow(() -> new NotFound("SMTP service", serviceId));
		if (!service.usesOAuth2()) {
			throw new Conflict("Nothing to authorize",
					"This service uses basic authentication (username and password), which needs no authorization.");
		}
		if (service.usesGoogleOAuth2() && service.google().appOnly()) {
			throw new Conflict("Nothing to authorize",
					"This service uses a Google service account: nobody signs in. A Workspace super admin allows its "
							+ "client ID under domain-wide delegation (the service's setupGuidance), then click Verify setup.");
		}
		if (service.usesMicrosoftOAuth2() && service.microsoft().appOnly()) {
			throw new Conflict("Nothing to authorize",
					"This service uses application access: nobody signs in. An admin grants the app's permissions "
							+ "(the service's adminConsentUrl) and its mailbox access (setupGuidance), then click Verify setup.");
		}
		if (returnUrl != null && !returnUrl.isBlank() && !returnUrls.allowed(returnUrl)) {
			throw new InvalidInput("returnUrl", "is not one of the return URLs this Mailroom deployment allows "
					+ "(mailroom.api.authorization.allowed-return-urls); leave it out to get Mailroom's own page");
		}
		Optional<Failure> tenantRefused = service.usesMicrosoftOAuth2() ? tenants.refusal(service.microsoft().tenantId())
				: Optional.empty();
		if (tenantRefused.isPresent()) {
			ErrorDetails error = tenantRefused.get().error();
			throw new Conflict(Problems.IDENTITY_PLATFORM_REFUSED, "Microsoft does not know the service's tenant",
					error.message() + " " + error.hint(), error);
		}
		String state = Pkce.randomValue();
		String verifier = Pkce.randomValue();
		String stateHash = Pkce.stateHash(state);
		Instant now = clock.instant();
		Instant expiresAt = now.plus(properties.stateLifetime());
		attempts.insert(new AuthorizationAttempts.Started(stateHash, service.id(), caller.accountId(), caller.actor(),
				secrets.seal(verifier, AuthorizationAttempts.Started.verifierContext(stateHash)),
				returnUrl == null || returnUrl.isBlank() ? null : returnUrl, now, expiresAt));
		URI authorizeUrl = service.usesGoogleOAuth2()
				? google.authorizeUrl(service.google(), properties.redirectUri(), state, Pkce.challenge(verifier))
				: microsoft.authorizeUrl(service, properties.redirectUri(), state, Pkce.challenge(verifier));
		audit.record(caller, AuditAction.AUTHORIZATION_STARTED, service.id(),
				Map.of("loginEmail", service.authentication().login()));
		LOG.info("Authorization of service {} started by {}", service.id(), caller.actor());
		return new AuthorizationStarted(authorizeUrl, properties.redirectUri(), expiresAt);
	}

	/**
	 * Completes an authorization from the parameters of Microsoft's redirect ({@code code} and
	 * {@code state}, or {@code error}, {@code error_description} and {@code state}).
	 */
	CallbackResult complete(Map<String, String> parameters) {
		if (parameters.containsKey("admin_consent") || parameters.containsKey("tenant") && !parameters.containsKey("code")
				&& !parameters.containsKey("state")) {
			// Microsoft sends an admin back here after the admin-consent URL: nothing to redeem, Verify setup follows
			boolean granted = "true".equalsIgnoreCase(parameters.get("admin_consent"));
			LOG.info("Admin consent {} for tenant {}", granted ? "granted" : "not granted", parameters.get("tenant"));
			return new CallbackResult.AdminConsent(granted, String.valueOf(parameters.get("tenant")),
					String.valueOf(parameters.getOrDefault("error_description", "")));
		}
		String state = parameters.get("state");
		if (state == null || state.isBlank()) {
			LOG.warn("Authorization callback without a state refused");
			return new CallbackResult.Refused(AuthorizationAttempts.Refusal.UNKNOWN);
		}
		String stateHash = Pkce.stateHash(state);
		Instant now = clock.instant();
		Optional<AuthorizationAttempts.Started> consumed = attempts.consume(stateHash, now);
		if (consumed.isEmpty()) {
			AuthorizationAttempts.Refusal why = attempts.whyRefused(stateHash, now);
			LOG.warn("Authorization callback refused: state {}", why);
			return new CallbackResult.Refused(why);
		}
		AuthorizationAttempts.Started started = consumed.get();
		AuthorizationOutcome outcome = services.findOwned(started.accountId(), started.serviceId())
			.map(service -> complete(service, started, parameters))
			.orElseGet(() -> AuthorizationOutcome.failed(started.serviceId(), new ErrorDetails(
					ErrorCategory.CONFIGURATION, "SERVICE_DELETED", "The service was deleted while it was being "
							+ "authorized.", "Create the service again if it is still needed.", null, false)));
		Map<String, Object> details = new LinkedHashMap<>();
		if (outcome.succeeded()) {
			details.put("authorizedAccount", outcome.authorizedAccount());
		}
		else {
			details.put("code", outcome.error().code());
		}
		audit.record(started.accountId(), started.actor(),
				outcome.succeeded() ? AuditAction.AUTHORIZATION_SUCCEEDED : AuditAction.AUTHORIZATION_FAILED,
				started.serviceId(), details);
		return new CallbackResult.Completed(outcome, started.returnUrl());
	}

	private AuthorizationOutcome complete(SmtpService service, AuthorizationAttempts.Started started,
			Map<String, String> parameters) {
		if (service.usesGoogleOAuth2()) {
			return completeGoogle(service, started, parameters);
		}
		if (!service.usesMicrosoftOAuth2()) {
			return failed(service, Failures.invalidRequest("NOT_OAUTH2",
					"The service was changed to basic authentication while it was being authorized.",
					"Nothing to do: basic-auth services need no authorization."));
		}
		if (parameters.containsKey("error")) {
			Failure refused = Failures.identity(parameters.get("error"), null, parameters.get("error_description"), null);
			LOG.info("Microsoft ended the authorization of service {} with {}", service.id(), refused.error().code());
			return failed(service, refused);
		}
		String code = parameters.get("code");
		if (code == null || code.isBlank()) {
			return failed(service, Failures.invalidRequest("INVALID_CALLBACK",
					"Microsoft's redirect carried neither an authorization code nor an error.",
					"Click Authorize again; if it happens again, contact Mailroom support."));
		}
		String verifier = secrets.open(started.sealedVerifier(),
				AuthorizationAttempts.Started.verifierContext(started.stateHash()));
		MicrosoftSignIn.Redeemed redeemed;
		try {
			redeemed = microsoft.redeem(service, code, verifier, properties.redirectUri());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return failed(service, Failures.network("redeem the authorization code at Microsoft", ex));
		}
		catch (Exception ex) {
			Failure failure = IdentityErrors.classify(ex);
			LOG.info("Microsoft refused to redeem the authorization code of service {}: {}", service.id(),
					failure.error().code());
			return failed(service, failure);
		}
		IAuthenticationResult result = redeemed.result();
		String loginEmail = service.microsoft().loginEmail();
		String signedIn = result.account() == null ? null : result.account().username();
		if (signedIn == null || !signedIn.strip().equalsIgnoreCase(loginEmail.strip())) {
			LOG.info("Authorization of service {} signed in as another account than its login email", service.id());
			return failed(service, wrongAccount(signedIn, loginEmail));
		}
		if (!microsoft.grantsTransport(service, result)) {
			LOG.info("Authorization of service {} did not grant the SMTP scope", service.id());
			return failed(service, smtpNotGranted());
		}
		tokenCaches.replace(service.id(), redeemed.session().json());
		statusChanges.authorized(service, signedIn.toLowerCase(Locale.ROOT), clock.instant());
		LOG.info("Service {} authorized", service.id());
		return AuthorizationOutcome.succeeded(service.id(), signedIn);
	}

	/**
	 * Google's redirect: {@code code} (redeemed with the PKCE verifier; the id token names who signed in, who must
	 * be the login email), or {@code error} ({@code access_denied} when the consent was cancelled).
	 */
	private AuthorizationOutcome completeGoogle(SmtpService service, AuthorizationAttempts.Started started,
			Map<String, String> parameters) {
		GoogleOAuth2 settings = service.google();
		if (settings.appOnly()) {
			return failed(service, Failures.invalidRequest("NOT_DELEGATED",
					"The service was changed to a service account while it was being authorized.",
					"Nothing to do: a service account needs no sign-in."));
		}
		if (parameters.containsKey("error")) {
			Failure refused = Failures.google(parameters.get("error"), parameters.get("error_description"), null);
			LOG.info("Google ended the authorization of service {} with {}", service.id(), refused.error().code());
			return failed(service, refused);
		}
		String code = parameters.get("code");
		if (code == null || code.isBlank()) {
			return failed(service, Failures.invalidRequest("INVALID_CALLBACK",
					"Google's redirect carried neither an authorization code nor an error.",
					"Click Authorize again; if it happens again, contact Mailroom support."));
		}
		String verifier = secrets.open(started.sealedVerifier(),
				AuthorizationAttempts.Started.verifierContext(started.stateHash()));
		GoogleAccounts.Grant grant;
		try {
			grant = google.redeem(settings, code, verifier, properties.redirectUri());
		}
		catch (java.io.IOException | RuntimeException ex) {
			Failure failure = GoogleAccounts.classify(ex);
			LOG.info("Google refused to redeem the authorization code of service {}: {}", service.id(),
					failure.error().code());
			return failed(service, failure);
		}
		if (grant.account() == null || !grant.account().equalsIgnoreCase(settings.loginEmail().strip())) {
			LOG.info("Authorization of service {} signed in as another account than its login email", service.id());
			return failed(service, wrongGoogleAccount(grant.account(), settings.loginEmail()));
		}
		tokenCaches.replace(service.id(), grant.stored());
		statusChanges.authorized(service, grant.account(), clock.instant());
		LOG.info("Service {} authorized with Google", service.id());
		return AuthorizationOutcome.succeeded(service.id(), grant.account());
	}

	/**
	 * A failed authorization stores no grant, but it does tell the service's status page why: the reason of
	 * a service that is not authorized becomes this failure, and a configuration failure (wrong secret,
	 * unknown tenant, missing app) marks the service CONFIGURATION_ERROR, since every send would fail the
	 * same way. An authorized service keeps its working grant when an admin's new attempt is declined.
	 */
	private AuthorizationOutcome failed(SmtpService service, Failure reported) {
		Failure failure = service.usesMicrosoftOAuth2() ? MicrosoftGuidance.withAdminConsentHint(reported,
				microsoft.adminConsentUrl(service, properties.redirectUri())) : reported;
		ErrorDetails error = failure.error();
		statusChanges.authorizationFailed(service, error, failure.impact() == ServiceImpact.CONFIGURATION_ERROR,
				clock.instant());
		return AuthorizationOutcome.failed(service.id(), error);
	}

	private static Failure wrongAccount(String signedIn, String loginEmail) {
		String who = signedIn == null ? "an account Microsoft did not name" : signedIn;
		return new Failure(new ErrorDetails(ErrorCategory.AUTHORIZATION, "WRONG_ACCOUNT",
				"You signed in to Microsoft as " + who + ", but this service sends as its login email " + loginEmail
						+ ".",
				"Click Authorize again and sign in as " + loginEmail + " (on Microsoft's account picker choose "
						+ "'Use another account'), or change the service's login email if " + who
						+ " is the mailbox that should send.",
				SMTP_OAUTH_HELP, false), null, ServiceImpact.NEEDS_REAUTHORIZATION, null);
	}

	private static Failure wrongGoogleAccount(String signedIn, String loginEmail) {
		String who = signedIn == null ? "an account Google did not name" : signedIn;
		return new Failure(new ErrorDetails(ErrorCategory.AUTHORIZATION, "WRONG_ACCOUNT",
				"You signed in to Google as " + who + ", but this service sends as its login email " + loginEmail + ".",
				"Click Authorize again and choose " + loginEmail + " on Google's account chooser (or 'Use another "
						+ "account'), or change the service's login email if " + who + " is the mailbox that should send.",
				"https://developers.google.com/identity/protocols/oauth2/web-server", false), null,
				ServiceImpact.NEEDS_REAUTHORIZATION, null);
	}

	private static Failure smtpNotGranted() {
		return new Failure(new ErrorDetails(ErrorCategory.CONFIGURATION, "SMTP_SEND_NOT_GRANTED",
				"Microsoft signed you in but did not grant the SMTP.Send permission Mailroom needs to send mail.",
				"Add the delegated permission SMTP.Send under the app registration's API permissions (Microsoft "
						+ "Graph), grant consent, then authorize again.",
				SMTP_OAUTH_HELP, false), null, ServiceImpact.CONFIGURATION_ERROR, null);
	}

	/**
	 * Where to send the admin's browser to sign in.
	 *
	 * @param authorizeUrl Microsoft's sign-in page for this service's app
	 * @param redirectUri where Microsoft sends the browser back; it must be registered on the app
	 * @param expiresAt the sign-in must be finished by then
	 */
	record AuthorizationStarted(URI authorizeUrl, String redirectUri, Instant expiresAt) {
	}

	/** What the callback answers. */
	sealed interface CallbackResult {

		/** The state was unknown, expired or used: nothing happened. */
		/** Back from the admin-consent URL. */
		record AdminConsent(boolean granted, String tenant, String error) implements CallbackResult {
		}

		record Refused(AuthorizationAttempts.Refusal why) implements CallbackResult {
		}

		/** The authorization ended, one way or the other; send the browser to the return URL if there is one. */
		record Completed(AuthorizationOutcome outcome, String returnUrl) implements CallbackResult {
		}

	}

}
