package io.mailroom.api.deliveries;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.mailroom.api.web.Caller;
import io.mailroom.api.limits.RateLimit;
import io.mailroom.api.limits.RateLimits;
import io.mailroom.api.web.RequiresRole;
import io.mailroom.api.web.Role;
import io.mailroom.api.web.InvalidInput;
import io.mailroom.api.web.NotFound;
import io.mailroom.core.services.SmtpServices;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Delivery log", description = "What happened to each send request of a service")
class DeliveryController {

	private static final int MAX_PAGE_SIZE = 200;

	private final DeliveryLog log;

	private final SmtpServices services;

	DeliveryController(DeliveryLog log, SmtpServices services) {
		this.log = log;
		this.services = services;
	}

	@GetMapping("/api/smtp-services/{serviceId}/deliveries")
	@RequiresRole(Role.OPERATOR)
	@RateLimit(RateLimits.Action.DELIVERY_LOG_READ)
	@Operation(operationId = "searchDeliveries", summary = "A service's delivery log, newest first")
	DeliveryPage search(@AuthenticationPrincipal Caller caller, @PathVariable UUID serviceId,
			@Parameter(description = "Only these statuses (repeat the parameter for several)")
			@RequestParam(required = false) List<DeliveryStatus> status,
			@Parameter(description = "Accepted at or after this instant, e.g. 2027-01-31T00:00:00Z")
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
			@Parameter(description = "Accepted before this instant")
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
			@Parameter(description = "Only requests with this tag: 'name' or 'name=value', e.g. mailroom.test=true")
			@RequestParam(required = false) String tag,
			@Parameter(description = "Page number, from 0") @RequestParam(defaultValue = "0") int page,
			@Parameter(description = "Requests per page, 1 to 200") @RequestParam(defaultValue = "50") int size) {
		requireOwned(caller, serviceId);
		if (page < 0) {
			throw new InvalidInput("page", "must be 0 or more");
		}
		if (size < 1 || size > MAX_PAGE_SIZE) {
			throw new InvalidInput("size", "must be between 1 and " + MAX_PAGE_SIZE);
		}
		if (from != null && to != null && !from.isBefore(to)) {
			throw new InvalidInput("to", "must be after from");
		}
		String tagName = null;
		String tagValue = null;
		if (tag != null && !tag.isBlank()) {
			int equals = tag.indexOf('=');
			tagName = equals < 0 ? tag.strip() : tag.substring(0, equals).strip();
			tagValue = equals < 0 ? null : tag.substring(equals + 1);
			if (tagName.isEmpty()) {
				throw new InvalidInput("tag", "must be 'name' or 'name=value'");
			}
		}
		var filter = new DeliveryLog.DeliveryFilter(status == null ? List.of() : status, from, to, tagName, tagValue);
		List<Delivery> rows = log.search(caller.accountId(), serviceId, filter, Math.multiplyExact(page, size),
				size + 1);
		boolean more = rows.size() > size;
		return new DeliveryPage(more ? rows.subList(0, size) : rows, page, size, more);
	}

	@GetMapping("/api/smtp-services/{serviceId}/deliveries/{requestId}")
	@RequiresRole(Role.OPERATOR)
	@RateLimit(RateLimits.Action.DELIVERY_LOG_READ)
	@Operation(operationId = "getServiceDelivery", summary = "One request of a service, with its attempts")
	Delivery find(@AuthenticationPrincipal Caller caller, @PathVariable UUID serviceId, @PathVariable UUID requestId) {
		requireOwned(caller, serviceId);
		return log.find(caller.accountId(), requestId)
			.filter(delivery -> serviceId.equals(delivery.serviceId()))
			.orElseThrow(() -> new NotFound("send request", requestId));
	}

	@GetMapping("/api/deliveries/{requestId}")
	@RequiresRole(Role.OPERATOR)
	@RateLimit(RateLimits.Action.DELIVERY_LOG_READ)
	@Operation(operationId = "getDelivery",
			summary = "One request of your account, with its attempts, by requestId alone")
	Delivery find(@AuthenticationPrincipal Caller caller, @PathVariable UUID requestId) {
		return log.find(caller.accountId(), requestId).orElseThrow(() -> new NotFound("send request", requestId));
	}

	private void requireOwned(Caller caller, UUID serviceId) {
		if (services.findOwned(caller.accountId(), serviceId).isEmpty()) {
			throw new NotFound("SMTP service", serviceId);
		}
	}

	/**
	 * A page of the log.
	 *
	 * @param hasMore whether page + 1 has requests
	 */
	record DeliveryPage(List<Delivery> items, int page, int size, boolean hasMore) {
	}

}
