package io.mailroom.core.services;

import java.time.Instant;

import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.ServiceEvent;
import io.mailroom.contracts.ServiceEventType;
import io.mailroom.core.events.ServiceEvents;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.ServiceImpact;

import org.springframework.stereotype.Component;

/** Changes a service's status and tells everyone: the one way to do both, so no change goes unannounced. */
@Component
public class ServiceStatusChanges {

	private final SmtpServices services;

	private final ServiceEvents events;

	public ServiceStatusChanges(SmtpServices services, ServiceEvents events) {
		this.services = services;
		this.events = events;
	}

	/**
	 * Marks an authorized service NEEDS_REAUTHORIZATION or CONFIGURATION_ERROR (see
	 * {@link SmtpServices#markNeedsAttention}) and publishes the event when the status changed.
	 * @return whether it changed
	 */
	public boolean needsAttention(SmtpService service, ServiceStatus status, ErrorDetails reason,
			Long tokenCacheVersion, Instant at) {
		boolean changed = services.markNeedsAttention(service.id(), status, reason, tokenCacheVersion, at);
		if (changed) {
			events.publish(ServiceEvent.of(status == ServiceStatus.NEEDS_REAUTHORIZATION
					? ServiceEventType.NEEDS_REAUTHORIZATION : ServiceEventType.CONFIGURATION_ERROR,
					service.accountId(), service.id(), reason, at));
		}
		return changed;
	}

	/**
	 * What a failed delivery or token request means for its service, decided in one place: a failure whose
	 * impact is {@link ServiceImpact#NEEDS_REAUTHORIZATION} or {@link ServiceImpact#CONFIGURATION_ERROR}
	 * marks the service (and its mail is then held) if the authorization that failed is still the current
	 * one; any other failure concerns only its mail.
	 * @param authorizationVersion the token cache version the failed attempt used
	 *     ({@link io.mailroom.core.tokens.TokenCaches#NONE} if it found none), or null for basic services
	 * @return whether the status changed
	 */
	public boolean attemptFailed(SmtpService service, Failure failure, Long authorizationVersion, Instant at) {
		ServiceStatus status = switch (failure.impact()) {
			case NEEDS_REAUTHORIZATION -> ServiceStatus.NEEDS_REAUTHORIZATION;
			case CONFIGURATION_ERROR -> ServiceStatus.CONFIGURATION_ERROR;
			default -> null;
		};
		return status != null && needsAttention(service, status, failure.error(), authorizationVersion, at);
	}

	/** Marks a service AUTHORIZED after an admin's successful authorization and publishes the event. */
	public boolean authorized(SmtpService service, String authorizedAccount, Instant at) {
		boolean changed = services.markAuthorized(service.id(), authorizedAccount, at);
		if (changed) {
			events.publish(ServiceEvent.of(ServiceEventType.AUTHORIZED, service.accountId(), service.id(), null, at));
		}
		return changed;
	}

	/**
	 * Records why an admin's authorization attempt failed. An authorized service keeps its working grant
	 * unless the failure is a configuration problem (wrong secret, unknown tenant, missing app), which every
	 * send would hit too; a service that is not authorized shows the reason, and moves to
	 * CONFIGURATION_ERROR for configuration problems.
	 * @return whether the status changed (and an event was published)
	 */
	public boolean authorizationFailed(SmtpService service, ErrorDetails reason, boolean configurationProblem,
			Instant at) {
		if (service.status() == ServiceStatus.AUTHORIZED) {
			return configurationProblem
					&& needsAttention(service, ServiceStatus.CONFIGURATION_ERROR, reason, null, at);
		}
		ServiceStatus status = configurationProblem ? ServiceStatus.CONFIGURATION_ERROR : service.status();
		boolean changed = services.recordUnauthorizedReason(service.id(), status, reason, at)
				&& status != service.status();
		if (changed) {
			events.publish(ServiceEvent.of(ServiceEventType.CONFIGURATION_ERROR, service.accountId(), service.id(),
					reason, at));
		}
		return changed;
	}

	/** Soft-deletes a service and publishes the event. */
	public boolean deleted(SmtpService service, Instant at) {
		boolean changed = services.markDeleted(service.accountId(), service.id(), at);
		if (changed) {
			events.publish(ServiceEvent.of(ServiceEventType.DELETED, service.accountId(), service.id(), null, at));
		}
		return changed;
	}

}
