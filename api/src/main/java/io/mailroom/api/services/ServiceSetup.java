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
import io.mailroom.core.services.Authentication;
import io.mailroom.core.services.BasicAuthentication;
import io.mailroom.core.services.MicrosoftOAuth2;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.ServiceStatusChanges;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.core.tokens.TokenCaches;
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

	ServiceSetup(SmtpServices services, ServiceStatusChanges statusChanges, TokenCaches tokenCaches,
			Authorizations authorizations, DeliveryLog deliveries, ServiceValidator validator, SecretBox secrets,
			AuditLog audit, TransactionTemplate transaction, ServiceProperties properties, Clock clock) {
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
				valid.maxMessageBytes(), null, null, null, now, now, now, 0);
		services.insert(service);
		if (service.authentication() instanceof BasicAuthentication basic) {
			statusChanges.authorized(service, basic.username(), now);
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
		boolean resetsAuthorization = credentialsChanged && authentication instanceof MicrosoftOAuth2;
		// the grant of the old credentials must not outlive them, whatever the service uses now
		boolean forgetsGrant = credentialsChanged && existing.authentication() instanceof MicrosoftOAuth2;
		SmtpService updated = new SmtpService(id, existing.accountId(), valid.name(), valid.host(), valid.port(),
				valid.fromAddress(), valid.fromName(), valid.replyTo(), authentication,
				resetsAuthorization ? ServiceStatus.NOT_AUTHORIZED : existing.status(),
				resetsAuthorization ? null : existing.statusReason(),
				resetsAuthorization ? now : existing.statusChangedAt(),
				resetsAuthorization ? null : existing.authorizedAt(),
				resetsAuthorization ? null : existing.authorizedAccount(), valid.messagesPerMinute(),
				valid.maxConnections(), valid.maxMessageBytes(), existing.lastSuccessAt(), existing.lastFailureAt(),
				existing.lastFailure(), secretChanged ? now : existing.secretChangedAt(), existing.createdAt(), now,
				existing.version());
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

	ServiceView view(Caller caller, UUID id) {
		SmtpService service = owned(caller, id);
		return ServiceView.of(service, status(service, deliveries.held(id)), authorizations.redirectUri());
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
					authorizations.redirectUri()))
			.toList();
	}

	private StatusView status(SmtpService service, long held) {
		return StatusView.of(service, held, clock.instant(), properties.secretExpiryWarning());
	}

	private SmtpService owned(Caller caller, UUID id) {
		return services.findOwned(caller.accountId(), id).orElseThrow(() -> new NotFound("SMTP service", id));
	}

	/** The stored credentials: new secrets sealed, an absent or unchanged secret kept as it was sealed. */
	private Authentication authentication(UUID id, ValidService.Credentials credentials, Authentication stored) {
		return switch (credentials) {
			case ValidService.OAuth2 oauth2 -> {
				SealedSecret kept = stored instanceof MicrosoftOAuth2 old ? old.clientSecret() : null;
				yield new MicrosoftOAuth2(oauth2.loginEmail(), oauth2.clientId(),
						secret(id, "client_secret", oauth2.clientSecret(), kept), oauth2.tenantId(),
						oauth2.clientSecretExpiresOn());
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
			return !old.loginEmail().equalsIgnoreCase(now.loginEmail()) || !old.clientId().equalsIgnoreCase(now.clientId())
					|| !Objects.equals(old.tenantId(), now.tenantId()) || !Objects.equals(old.clientSecret(), now.clientSecret());
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
		}
		else if (before instanceof BasicAuthentication old && after instanceof BasicAuthentication now) {
			note(changed, "authentication.username", old.username(), now.username());
			if (!Objects.equals(old.password(), now.password())) {
				changed.add("authentication.password");
			}
		}
		else if (after instanceof MicrosoftOAuth2) {
			changed.add("authentication.clientSecret");
		}
		else {
			changed.add("authentication.password");
		}
		return changed;
	}

	private static void note(List<String> changed, String field, Object before, Object after) {
		if (!Objects.equals(before, after)) {
			changed.add(field);
		}
	}

	private static String typeOf(Authentication authentication) {
		return authentication instanceof MicrosoftOAuth2 ? "OAUTH2" : "BASIC";
	}

	private Instant now() {
		// PostgreSQL keeps microseconds; a response built from the stored row then equals one built in memory
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

}
