package io.mailroom.api.services;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.mailroom.api.audit.AuditAction;
import io.mailroom.api.audit.AuditLog;
import io.mailroom.api.authorization.Authorizations;
import io.mailroom.api.deliveries.DeliveryLog;
import io.mailroom.api.web.Caller;
import io.mailroom.api.web.Conflict;
import io.mailroom.api.web.NotFound;
import io.mailroom.api.web.Problems;
import io.mailroom.core.secrets.SealedSecret;
import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.services.Access;
import io.mailroom.core.services.Authentication;
import io.mailroom.core.services.GoogleOAuth2;
import io.mailroom.core.services.BasicAuthentication;
import io.mailroom.core.services.ClientCertificate;
import io.mailroom.core.services.CredentialKind;
import io.mailroom.core.services.MicrosoftOAuth2;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.ServiceStatusChanges;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.core.tokens.ClientCertificates;
import io.mailroom.core.tokens.MicrosoftApps;
import io.mailroom.core.tokens.TokenCaches;
import io.mailroom.core.verify.SetupVerification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Creates, changes and deletes an account's SMTP services. */
@Service
class ServiceSetup {

	private static final Logger LOG = LoggerFactory.getLogger(ServiceSetup.class);

	private final SmtpServices services;

	private final ServiceStatusChanges statusChanges;

	private final TokenCaches tokenCaches;

	private final Authorizations authorizations;

	private final DeliveryLog deliveries;

	private final ServiceValidator validator;

	private final SecretBox secrets;

	private final AuditLog audit;

	private final TransactionTemplate transaction;

	private final ServiceProperties properties;

	private final Clock clock;

	private final SetupVerification verification;

	private final MicrosoftApps apps;

	ServiceSetup(SmtpServices services, ServiceStatusChanges statusChanges, TokenCaches tokenCaches,
			Authorizations authorizations, DeliveryLog deliveries, ServiceValidator validator, SecretBox secrets,
			AuditLog audit, TransactionTemplate transaction, ServiceProperties properties, Clock clock,
			SetupVerification verification, MicrosoftApps apps) {
		this.verification = verification;
		this.apps = apps;
		this.services = services;
		this.statusChanges = statusChanges;
		this.tokenCaches = tokenCaches;
		this.authorizations = authorizations;
		this.deliveries = deliveries;
		this.validator = validator;
		this.secrets = secrets;
		this.audit = audit;
		this.transaction = transaction;
		this.properties = properties;
		this.clock = clock;
	}

	ServiceView create(Caller caller, ServiceRequest request) {
		ValidService valid = validator.validate(request, null);
		UUID id = UUID.randomUUID();
		Instant now = now();
		SmtpService service = new SmtpService(id, caller.accountId(), valid.name(), valid.host(), valid.port(),
				valid.fromAddress(), valid.fromName(), valid.replyTo(), authentication(id, valid.credentials(), null),
				ServiceStatus.NOT_AUTHORIZED, null, now, null, null, valid.messagesPerMinute(), valid.maxConnections(),
				valid.maxMessageBytes(), null, null, null, now, now, now, 0, valid.messagesPerDay());
		services.insert(service);
		if (service.authentication() instanceof BasicAuthentication basic) {
			statusChanges.authorized(service, basic.username(), now);
		}
		else if (service.appOnly()) {
			// nothing to sign in: the app's own credential is the grant; Verify setup checks the admin's part
			statusChanges.authorized(service, appAccount(service), now);
		}
		LOG.info("Service {} created by {} of account {}", id, caller.actor(), caller.accountId());
		audit.record(caller, AuditAction.SERVICE_CREATED, id,
				Map.of("name", valid.name(), "authentication", typeOf(service.authentication())));
		return view(caller, id);
	}

	ServiceView update(Caller caller, UUID id, ServiceRequest request) {
		SmtpService existing = owned(caller, id);
		ValidService valid = validator.validate(request, existing);
		Instant now = now();
		Authentication authentication = authentication(id, valid.credentials(), existing.authentication());
		List<String> changed = changes(existing, valid, authentication);
		boolean credentialsChanged = credentialsChanged(existing.authentication(), authentication);
		boolean secretChanged = changed.contains("authentication.clientSecret")
				|| changed.contains("authentication.password");
		boolean resetsAuthorization = credentialsChanged && !(authentication instanceof BasicAuthentication)
				&& !appOnly(authentication);
		// the grant of the old credentials must not outlive them, whatever the service uses now
		boolean forgetsGrant = credentialsChanged && !(existing.authentication() instanceof BasicAuthentication);
		SmtpService updated = new SmtpService(id, existing.accountId(), valid.name(), valid.host(), valid.port(),
				valid.fromAddress(), valid.fromName(), valid.replyTo(), authentication,
				resetsAuthorization ? ServiceStatus.NOT_AUTHORIZED : existing.status(),
				resetsAuthorization ? null : existing.statusReason(),
				resetsAuthorization ? now : existing.statusChangedAt(),
				resetsAuthorization ? null : existing.authorizedAt(),
				resetsAuthorization ? null : existing.authorizedAccount(), valid.messagesPerMinute(),
				valid.maxConnections(), valid.maxMessageBytes(), existing.lastSuccessAt(), existing.lastFailureAt(),
				existing.lastFailure(), secretChanged ? now : existing.secretChangedAt(), existing.createdAt(), now,
				existing.version(), valid.messagesPerDay());
		boolean saved = Boolean.TRUE.equals(transaction.execute(tx -> {
			if (!services.update(updated)) {
				return false;
			}
			if (forgetsGrant) {
				tokenCaches.delete(id);
				authorizations.cancelStarted(id);
			}
			return true;
		}));
		if (!saved) {
			throw new Conflict(Problems.CHANGED_MEANWHILE, "Changed meanwhile",
					"The service changed while you edited it (perhaps it was just authorized): reload it and apply "
							+ "your change again.",
					null);
		}
		if (authentication instanceof BasicAuthentication basic
				&& (existing.status() != ServiceStatus.AUTHORIZED || credentialsChanged)) {
			// saved with credentials: ready to send, and its held mail goes out with the new settings
			statusChanges.authorized(updated, basic.username(), now);
		}
		else if (!(authentication instanceof BasicAuthentication) && !resetsAuthorization
				&& (updated.status().holdsMail() || appOnly(authentication) && updated.status() != ServiceStatus.AUTHORIZED)) {
			// the admin edited what the hint pointed at (From address, credential…): check again, and a service
			// that passes sends its held mail
			recheck(services.find(id).orElseThrow());
		}
		LOG.info("Service {} changed by {} ({}){}", id, caller.actor(), String.join(", ", changed),
				resetsAuthorization ? "; its authorization was reset" : "");
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("changed", changed);
		details.put("authorizationReset", resetsAuthorization);
		audit.record(caller, AuditAction.SERVICE_UPDATED, id, details);
		return view(caller, id);
	}

	void delete(Caller caller, UUID id) {
		SmtpService existing = owned(caller, id);
		statusChanges.deleted(existing, now());
		authorizations.cancelStarted(id);
		LOG.info("Service {} deleted by {}", id, caller.actor());
		audit.record(caller, AuditAction.SERVICE_DELETED, id, Map.of("name", existing.name()));
	}

	/**
	 * Verify setup: runs every check; when all pass, a service that held its mail (or an app-only service not
	 * yet ready) becomes AUTHORIZED and its held mail is released.
	 */
	VerificationView verify(Caller caller, UUID id) {
		SmtpService service = owned(caller, id);
		SetupVerification.Result result = recheck(service);
		audit.record(caller, AuditAction.SERVICE_VERIFIED, id, Map.of("passed", result.passed()));
		SmtpService after = owned(caller, id);
		return new VerificationView(result.passed(), result.checks(), after.status(), deliveries.held(id));
	}

	private SetupVerification.Result recheck(SmtpService service) {
		SetupVerification.Result result = verification.verify(service);
		boolean ready = service.status().holdsMail()
				|| service.status() == ServiceStatus.NOT_AUTHORIZED && service.appOnly();
		if (result.passed() && ready) {
			String account = service.appOnly() ? appAccount(service)
					: service.authorizedAccount() != null ? service.authorizedAccount() : service.authentication().login();
			statusChanges.authorized(service, account, now());
			LOG.info("Service {} passed Verify setup: AUTHORIZED again, its held mail is released", service.id());
		}
		return result;
	}

	/** Who "authorized" a service that acts with its app's own authority: the app, or the service account. */
	private static String appAccount(SmtpService service) {
		return service.usesGoogleOAuth2() ? "serviceaccount:" + service.google().serviceAccount().clientEmail()
				: "app:" + service.microsoft().clientId();
	}

	private static boolean appOnly(Authentication authentication) {
		return authentication instanceof MicrosoftOAuth2 microsoft && microsoft.appOnly()
				|| authentication instanceof GoogleOAuth2 google && google.appOnly();
	}

	ServiceView view(Caller caller, UUID id) {
		SmtpService service = owned(caller, id);
		return ServiceView.of(service, status(service, deliveries.held(id)), authorizations.redirectUri(), apps);
	}

	StatusView status(Caller caller, UUID id) {
		SmtpService service = owned(caller, id);
		return status(service, deliveries.held(id));
	}

	List<ServiceView> list(Caller caller) {
		List<SmtpService> all = services.list(caller.accountId());
		Map<UUID, Long> held = deliveries.held(all.stream().map(SmtpService::id).toList());
		return all.stream()
			.map(service -> ServiceView.of(service, status(service, held.getOrDefault(service.id(), 0L)),
					authorizations.redirectUri(), apps))
			.toList();
	}

	private StatusView status(SmtpService service, long held) {
		return StatusView.of(service, held, clock.instant(), properties.secretExpiryWarning(),
				services.lastFallback(service.id()).orElse(null));
	}

	private SmtpService owned(Caller caller, UUID id) {
		return services.findOwned(caller.accountId(), id).orElseThrow(() -> new NotFound("SMTP service", id));
	}

	/** The stored credentials: new secrets sealed, an absent or unchanged secret kept as it was sealed. */
	private Authentication authentication(UUID id, ValidService.Credentials credentials, Authentication stored) {
		return switch (credentials) {
			case ValidService.OAuth2 oauth2 -> {
				MicrosoftOAuth2 old = stored instanceof MicrosoftOAuth2 previous ? previous : null;
				boolean certificate = oauth2.credential() == CredentialKind.CERTIFICATE;
				SealedSecret secret = certificate ? null
						: secret(id, "client_secret", oauth2.clientSecret(), old == null ? null : old.clientSecret());
				ClientCertificate keptCertificate = old == null ? null : old.certificate();
				ClientCertificate newCertificate = !certificate ? null
						: oauth2.certificate() != null ? ClientCertificates.seal(oauth2.certificate(), id, secrets)
								: keptCertificate;
				yield new MicrosoftOAuth2(oauth2.loginEmail(), oauth2.clientId(), secret, oauth2.tenantId(),
						oauth2.clientSecretExpiresOn(), oauth2.access(), oauth2.transport(), newCertificate);
			}
			case ValidService.Google google -> {
				GoogleOAuth2 old = stored instanceof GoogleOAuth2 previous ? previous : null;
				if (google.access() == Access.APPLICATION) {
					GoogleOAuth2.ServiceAccount account = google.serviceAccount() != null
							? new GoogleOAuth2.ServiceAccount(secrets.sealFor(google.serviceAccountKey(),
									SmtpService.secretContext(id, SmtpServices.SERVICE_ACCOUNT_KEY)),
									google.serviceAccount().clientEmail(), google.serviceAccount().clientId())
							: old == null ? null : old.serviceAccount();
					yield new GoogleOAuth2(google.loginEmail(), null, null, Access.APPLICATION, account);
				}
				yield new GoogleOAuth2(google.loginEmail(), google.clientId(), secret(id, "client_secret",
						google.clientSecret(), old == null ? null : old.clientSecret()), Access.DELEGATED, null);
			}
			case ValidService.Basic basic -> {
				SealedSecret kept = stored instanceof BasicAuthentication old ? old.password() : null;
				yield new BasicAuthentication(basic.username(), secret(id, "password", basic.password(), kept));
			}
		};
	}

	private SealedSecret secret(UUID id, String name, String plaintext, SealedSecret kept) {
		if (plaintext == null || (kept != null && sameSecret(kept, plaintext))) {
			return kept;
		}
		return secrets.sealFor(plaintext, SmtpService.secretContext(id, name));
	}

	private boolean sameSecret(SealedSecret sealed, String plaintext) {
		return MessageDigest.isEqual(secrets.open(sealed).getBytes(StandardCharsets.UTF_8),
				plaintext.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Whether what the grant or the SMTP login depends on changed: for OAuth2 the app, its secret, the tenant
	 * and the login email; for basic auth the username and password; or the kind of authentication.
	 */
	private static boolean credentialsChanged(Authentication before, Authentication after) {
		if (before instanceof MicrosoftOAuth2 old && after instanceof MicrosoftOAuth2 now) {
			// a transport of other APIs needs other delegated scopes: a new authorization
			return !old.loginEmail().equalsIgnoreCase(now.loginEmail()) || !old.clientId().equalsIgnoreCase(now.clientId())
					|| !Objects.equals(old.tenantId(), now.tenantId()) || !Objects.equals(old.clientSecret(), now.clientSecret())
					|| old.access() != now.access() || !thumbprint(old).equals(thumbprint(now))
					|| old.transport() != now.transport();
		}
		if (before instanceof GoogleOAuth2 old && after instanceof GoogleOAuth2 now) {
			return !old.loginEmail().equalsIgnoreCase(now.loginEmail()) || !Objects.equals(old.clientId(), now.clientId())
					|| !Objects.equals(old.clientSecret(), now.clientSecret()) || old.access() != now.access()
					|| !Objects.equals(old.serviceAccount(), now.serviceAccount());
		}
		if (before instanceof BasicAuthentication old && after instanceof BasicAuthentication now) {
			return !old.username().equals(now.username()) || !Objects.equals(old.password(), now.password());
		}
		return true;
	}

	/** The names of the fields that changed, for the audit log: names only, never values of secrets. */
	private static List<String> changes(SmtpService existing, ValidService valid, Authentication after) {
		List<String> changed = new ArrayList<>();
		note(changed, "name", existing.name(), valid.name());
		note(changed, "host", existing.host(), valid.host());
		note(changed, "port", existing.port(), valid.port());
		note(changed, "fromAddress", existing.fromAddress(), valid.fromAddress());
		note(changed, "fromName", existing.fromName(), valid.fromName());
		note(changed, "replyTo", existing.replyTo(), valid.replyTo());
		note(changed, "limits.messagesPerMinute", existing.rateLimitPerMinute(), valid.messagesPerMinute());
		note(changed, "limits.maxConnections", existing.maxConnections(), valid.maxConnections());
		note(changed, "limits.maxMessageBytes", existing.maxMessageBytes(), valid.maxMessageBytes());
		note(changed, "limits.messagesPerDay", existing.dailyLimit(), valid.messagesPerDay());
		Authentication before = existing.authentication();
		note(changed, "authentication.type", typeOf(before), typeOf(after));
		if (before instanceof MicrosoftOAuth2 old && after instanceof MicrosoftOAuth2 now) {
			note(changed, "authentication.loginEmail", old.loginEmail(), now.loginEmail());
			note(changed, "authentication.clientId", old.clientId(), now.clientId());
			note(changed, "authentication.tenantId", old.tenantId(), now.tenantId());
			note(changed, "authentication.clientSecretExpiresOn", old.clientSecretExpiresOn(),
					now.clientSecretExpiresOn());
			if (!Objects.equals(old.clientSecret(), now.clientSecret())) {
				changed.add("authentication.clientSecret");
			}
			note(changed, "authentication.access", old.access(), now.access());
			note(changed, "authentication.transport", old.transport(), now.transport());
			note(changed, "authentication.certificate", thumbprint(old), thumbprint(now));
		}
		else if (before instanceof GoogleOAuth2 old && after instanceof GoogleOAuth2 now) {
			note(changed, "authentication.provider", "GOOGLE", "GOOGLE");
			note(changed, "authentication.loginEmail", old.loginEmail(), now.loginEmail());
			note(changed, "authentication.clientId", old.clientId(), now.clientId());
			if (!Objects.equals(old.clientSecret(), now.clientSecret())) {
				changed.add("authentication.clientSecret");
			}
			note(changed, "authentication.access", old.access(), now.access());
			if (!Objects.equals(old.serviceAccount(), now.serviceAccount())) {
				changed.add("authentication.serviceAccountKey");
			}
		}
		else if (before instanceof BasicAuthentication old && after instanceof BasicAuthentication now) {
			note(changed, "authentication.username", old.username(), now.username());
			if (!Objects.equals(old.password(), now.password())) {
				changed.add("authentication.password");
			}
		}
		else if (!(after instanceof BasicAuthentication)) {
			note(changed, "authentication.provider", provider(before), provider(after));
			changed.add(after instanceof GoogleOAuth2 google && google.appOnly() ? "authentication.serviceAccountKey"
					: "authentication.clientSecret");
		}
		else {
			changed.add("authentication.password");
		}
		return changed;
	}

	private static String thumbprint(MicrosoftOAuth2 oauth2) {
		return oauth2.certificate() == null ? "" : oauth2.certificate().thumbprint();
	}

	private static void note(List<String> changed, String field, Object before, Object after) {
		if (!Objects.equals(before, after)) {
			changed.add(field);
		}
	}

	private static String typeOf(Authentication authentication) {
		return authentication instanceof BasicAuthentication ? "BASIC" : "OAUTH2";
	}

	private static String provider(Authentication authentication) {
		return switch (authentication) {
			case MicrosoftOAuth2 microsoft -> "MICROSOFT";
			case GoogleOAuth2 google -> "GOOGLE";
			case BasicAuthentication basic -> null;
		};
	}

	private Instant now() {
		// PostgreSQL keeps microseconds; a response built from the stored row then equals one built in memory
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

}
