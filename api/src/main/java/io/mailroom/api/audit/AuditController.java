package io.mailroom.api.audit;

import java.util.List;
import java.util.UUID;

import io.mailroom.api.web.Caller;
import io.mailroom.api.web.RequiresRole;
import io.mailroom.api.web.Role;
import io.mailroom.api.web.InvalidInput;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Audit log", description = "Who did what to which service, and when")
class AuditController {

	private final AuditLog log;

	AuditController(AuditLog log) {
		this.log = log;
	}

	@GetMapping("/api/audit")
	@RequiresRole(Role.ADMIN)
	@Operation(operationId = "listAuditEvents", summary = "The account's admin actions, newest first",
			description = "Page back with before = the smallest id of the previous page.")
	AuditPage list(@AuthenticationPrincipal Caller caller,
			@Parameter(description = "Only events of this service") @RequestParam(required = false) UUID serviceId,
			@Parameter(description = "Only events with a smaller id") @RequestParam(required = false) Long before,
			@Parameter(description = "Events per page, 1 to 200") @RequestParam(defaultValue = "50") int limit) {
		if (limit < 1 || limit > 200) {
			throw new InvalidInput("limit", "must be between 1 and 200");
		}
		List<AuditEvent> events = log.list(caller.accountId(), serviceId, before, limit + 1);
		boolean more = events.size() > limit;
		List<AuditEvent> page = more ? events.subList(0, limit) : events;
		return new AuditPage(page, more ? page.get(page.size() - 1).id() : null);
	}

	/**
	 * A page of events.
	 *
	 * @param nextBefore the {@code before} for the next page; absent on the last page
	 */
	record AuditPage(List<AuditEvent> events, Long nextBefore) {
	}

}
