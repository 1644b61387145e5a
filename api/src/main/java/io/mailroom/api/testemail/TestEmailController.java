package io.mailroom.api.testemail;

import java.net.URI;
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
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Test email", description = "Check that a service really sends")
class TestEmailController {

	private final TestEmails testEmails;

	TestEmailController(TestEmails testEmails) {
		this.testEmails = testEmails;
	}

	@PostMapping("/api/smtp-services/{id}/test-email")
	@RequiresRole(Role.OPERATOR)
	@RateLimit(RateLimits.Action.TEST_EMAIL)
	@Operation(operationId = "sendTestEmail", summary = "Send a test email through an authorized service",
			description = "Answers 200 with the outcome (SENT with the message ID, or FAILED, HELD, EXPIRED or "
					+ "REJECTED with the SMTP reply, Microsoft's code, a link and what to do) when the worker reports "
					+ "it within the wait (30 seconds by default); otherwise 202 with the requestId and a Location to "
					+ "poll. Microsoft 365 delivers test mail only to addresses of your own organization.")
	@ApiResponse(responseCode = "200", description = "The outcome", useReturnTypeSchema = true)
	@ApiResponse(responseCode = "202", description = "No outcome within the wait: poll Location", useReturnTypeSchema = true)
	@ApiResponse(responseCode = "409", description = "The service is not AUTHORIZED; detail and error say what to do first",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(ref = "#/components/schemas/Problem")))
	ResponseEntity<TestEmailResult> send(@AuthenticationPrincipal Caller caller, @PathVariable UUID id,
			@RequestBody TestEmailRequest request) throws InterruptedException {
		TestEmailResult result = testEmails.send(caller, id, request == null ? null : request.recipient());
		if (result.outcome().equals("PENDING")) {
			return ResponseEntity.accepted()
				.location(URI.create("/api/smtp-services/" + id + "/deliveries/" + result.requestId()))
				.body(result);
		}
		return ResponseEntity.ok(result);
	}

	/** @param recipient who gets the test email; an address of your own Microsoft organization */
	record TestEmailRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
			example = "it-admin@contoso.com") String recipient) {
	}

}
