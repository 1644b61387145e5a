package io.mailroom.api.audit;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One recorded admin action.
 *
 * @param id increases with time; pass the smallest one seen as {@code before} for the next page
 * @param actor who acted: a JWT's user name, or {@code api-key:<id>}
 * @param serviceId the service acted on, if any
 * @param details what changed, without secret values
 */
public record AuditEvent(long id, String actor, AuditAction action, UUID serviceId, Instant occurredAt,
		Map<String, Object> details) {
}
