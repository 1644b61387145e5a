package io.mailroom.contracts;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A change in an SMTP service's state, published on {@link Topics#SERVICE_EVENTS} with the serviceId as key.
 *
 * @param schemaVersion the contract version; {@value #SCHEMA_VERSION} for this one
 * @param eventId unique per event, for deduplication
 * @param type what happened
 * @param accountId the service's account
 * @param serviceId the service
 * @param error why, for NEEDS_REAUTHORIZATION and CONFIGURATION_ERROR
 * @param occurredAt when it happened
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceEvent(int schemaVersion, UUID eventId, ServiceEventType type, String accountId, UUID serviceId,
		ErrorDetails error, Instant occurredAt) {

	public static final int SCHEMA_VERSION = 1;

	public static ServiceEvent of(ServiceEventType type, String accountId, UUID serviceId, ErrorDetails error,
			Instant occurredAt) {
		return new ServiceEvent(SCHEMA_VERSION, UUID.randomUUID(), type, accountId, serviceId, error, occurredAt);
	}

}
