package io.mailroom.api.authorization;

import java.util.Map;

import io.mailroom.api.web.Problems;
import io.swagger.v3.oas.annotations.Hidden;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The provider's redirect back to Mailroom, reached by the admin's browser: MSAL asks for
 * {@code response_mode=form_post}, so Microsoft's page posts a form; Google redirects with the parameters in the
 * query (a GET), which is accepted too. Answers with a redirect to the return URL, or with a page for people, or (for clients that
 * ask for JSON) with a problem.
 */
@Hidden
@RestController
class AuthorizationCallback {

	private final AuthorizationFlow flow;

	AuthorizationCallback(AuthorizationFlow flow) {
		this.flow = flow;
	}

	@RequestMapping(path = "${mailroom.api.authorization.callback-path:/oauth2/custom-smtp-token}",
			method = { RequestMethod.GET, RequestMethod.POST })
	ResponseEntity<?> callback(@RequestParam Map<String, String> parameters,
			@RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
		AuthorizationFlow.CallbackResult result = flow.complete(parameters);
		return switch (result) {
			case AuthorizationFlow.CallbackResult.Refused refused -> wantsJson(accept)
					? ResponseEntity.badRequest()
						.cacheControl(CacheControl.noStore())
						.contentType(MediaType.APPLICATION_PROBLEM_JSON)
						.body(Problems.of(HttpStatus.BAD_REQUEST, Problems.AUTHORIZATION_STATE_REFUSED,
								"Authorization not accepted", refused.why().explanation()
										+ " Nothing was changed: start the authorization again."))
					: page(HttpStatus.BAD_REQUEST, OutcomePage.refused(refused.why().explanation()));
			case AuthorizationFlow.CallbackResult.Completed completed when completed.returnUrl() != null -> ResponseEntity
				.status(HttpStatus.SEE_OTHER)
				.cacheControl(CacheControl.noStore())
				.header("Referrer-Policy", "no-referrer")
				.location(ReturnUrls.withOutcome(completed.returnUrl(), completed.outcome()))
				.build();
			case AuthorizationFlow.CallbackResult.Completed completed -> page(HttpStatus.OK,
					OutcomePage.of(completed.outcome()));
			case AuthorizationFlow.CallbackResult.AdminConsent consent -> page(HttpStatus.OK,
					OutcomePage.adminConsent(consent.granted(), consent.tenant(), consent.error()));
		};
	}

	/** A page that loads nothing and leaks no referrer (a GET callback's URL holds the code). */
	private static ResponseEntity<String> page(HttpStatus status, String html) {
		return ResponseEntity.status(status)
			.cacheControl(CacheControl.noStore())
			.header("Referrer-Policy", "no-referrer")
			.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
			.contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
			.body(html);
	}

	private static boolean wantsJson(String accept) {
		return accept != null && !accept.contains("text/html")
				&& (accept.contains("application/json") || accept.contains("application/problem+json"));
	}

}
