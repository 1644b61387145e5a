package io.mailroom.api.authorization;

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

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Authorization", description = "Authorizing a Microsoft or Google OAuth2 service (authorization code flow with PKCE)")
class AuthorizationController {

	private final AuthorizationFlow flow;

	AuthorizationController(AuthorizationFlow flow) {
		this.flow = flow;
	}

	@PostMapping("/api/smtp-services/{id}/authorization")
	@RequiresRole(Role.ADMIN)
	@RateLimit(RateLimits.Action.AUTHORIZATION_START)
	@Operation(operationId = "startAuthorization", summary = "Start authorizing a service with Microsoft or Google",
			description = "Send the admin's browser to authorizeUrl. They sign in as the service's login email and "
					+ "accept the permissions; Microsoft posts (Google redirects) the result to Mailroom's redirect URI, which "
					+ "stores "
					+ "the grant and sends the browser to returnUrl with authorization=succeeded or "
					+ "authorization=failed (with code, message, hint and helpUrl), or shows its own page when there "
					+ "is no returnUrl. The sign-in must be finished within 10 minutes.")
	@ApiResponse(responseCode = "200", description = "Where to send the admin's browser", useReturnTypeSchema = true)
	@ApiResponse(responseCode = "409", description = "A basic-auth or app-only service (nobody signs in), or Microsoft "
			+ "does not know the service's tenant "
			+ "(error has AADSTS90002 and what to do)", content = @Content(mediaType = "application/problem+json",
					schema = @Schema(ref = "#/components/schemas/Problem")))
	AuthorizationFlow.AuthorizationStarted start(@AuthenticationPrincipal Caller caller, @PathVariable UUID id,
			@RequestBody(required = false) StartRequest request) {
		return flow.start(caller, id, request == null ? null : request.returnUrl());
	}

	/** @param returnUrl where to send the browser afterwards; must be on the deployment's allow-list */
	record StartRequest(@Schema(example = "https://app.example.com/settings/smtp/42") String returnUrl) {
	}

}
