package io.mailroom.api.services;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import io.mailroom.api.web.Caller;
import io.mailroom.api.limits.RateLimit;
import io.mailroom.api.limits.RateLimits;
import io.mailroom.api.web.RequiresRole;
import io.mailroom.api.web.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "SMTP services", description = "Set up the SMTP services an account sends through")
class ServiceController {

	private final ServiceSetup setup;

	ServiceController(ServiceSetup setup) {
		this.setup = setup;
	}

	@PostMapping("/api/smtp-services")
	@RequiresRole(Role.ADMIN)
	@RateLimit(RateLimits.Action.SERVICE_CHANGE)
	@Operation(operationId = "createService", summary = "Create an SMTP service",
			description = "An OAUTH2 service starts NOT_AUTHORIZED: authorize it next. A BASIC service is "
					+ "AUTHORIZED at once.")
	@ApiResponse(responseCode = "201", description = "Created; Location names the new service",
			useReturnTypeSchema = true)
	ResponseEntity<ServiceView> create(@AuthenticationPrincipal Caller caller, @RequestBody ServiceRequest request) {
		ServiceView created = setup.create(caller, request);
		return ResponseEntity.created(URI.create("/api/smtp-services/" + created.id())).body(created);
	}

	@GetMapping("/api/smtp-services")
	@RequiresRole(Role.OPERATOR)
	@Operation(operationId = "listServices", summary = "List your account's SMTP services")
	List<ServiceView> list(@AuthenticationPrincipal Caller caller) {
		return setup.list(caller);
	}

	@GetMapping("/api/smtp-services/{id}")
	@RequiresRole(Role.OPERATOR)
	@Operation(operationId = "getService", summary = "Read an SMTP service")
	ServiceView get(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
		return setup.view(caller, id);
	}

	@PutMapping("/api/smtp-services/{id}")
	@RequiresRole(Role.ADMIN)
	@RateLimit(RateLimits.Action.SERVICE_CHANGE)
	@Operation(operationId = "updateService", summary = "Change an SMTP service",
			description = "Send all settings; a secret left out keeps the stored one. Changing an OAUTH2 service's "
					+ "client ID, client secret, tenant ID or login email resets it to NOT_AUTHORIZED.")
	@ApiResponse(responseCode = "200", description = "The changed service", useReturnTypeSchema = true)
	@ApiResponse(responseCode = "409", description = "Changed meanwhile: reload and apply it again",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(ref = "#/components/schemas/Problem")))
	ServiceView update(@AuthenticationPrincipal Caller caller, @PathVariable UUID id,
			@RequestBody ServiceRequest request) {
		return setup.update(caller, id, request);
	}

	@PostMapping("/api/smtp-services/{id}/verification")
	@RequiresRole(Role.ADMIN)
	// like a test email it opens connections to Microsoft: it draws on the same allowance
	@RateLimit(RateLimits.Action.TEST_EMAIL)
	@Operation(operationId = "verifyService", summary = "Verify setup",
			description = "Gets a token and checks it (audience, scp or roles, account, tenant), then signs in to "
					+ "SMTP without sending (AUTH and MAIL FROM) or asks Graph about the mailbox; each check passes "
					+ "or fails with its fix. Nothing is sent. When every check passes, a service that held its mail "
					+ "(CONFIGURATION_ERROR, NEEDS_REAUTHORIZATION) becomes AUTHORIZED and its held mail is sent: "
					+ "the way out after an admin fixed SMTP AUTH, Send As or the app's permissions.")
	@ApiResponse(responseCode = "200", description = "The checks and the status afterwards", useReturnTypeSchema = true)
	VerificationView verify(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
		return setup.verify(caller, id);
	}

	@DeleteMapping("/api/smtp-services/{id}")
	@RequiresRole(Role.ADMIN)
	@RateLimit(RateLimits.Action.SERVICE_CHANGE)
	@Operation(operationId = "deleteService", summary = "Delete an SMTP service",
			description = "Its queued and held mail fails; its log stays.")
	@ApiResponse(responseCode = "204", description = "Deleted")
	ResponseEntity<Void> delete(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
		setup.delete(caller, id);
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/api/smtp-services/{id}/status")
	@RequiresRole(Role.OPERATOR)
	@Operation(operationId = "getServiceStatus",
			summary = "Whether an SMTP service can send, and how its sending went lately")
	StatusView status(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
		return setup.status(caller, id);
	}

}
