package io.mailroom.api.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.mailroom.contracts.ErrorDetails;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Mailroom's problem types. Each is a URN so that clients can switch on it without Mailroom having to
 * serve a page at that address; the title says the same in words.
 */
public final class Problems {

	/** The request body or parameters are invalid; {@code errors} lists each field with what to fix. */
	public static final URI INVALID_INPUT = type("invalid-input");

	/** No such resource for the caller's account (another account's resources are reported the same way). */
	public static final URI NOT_FOUND = type("not-found");

	/** The resource is not in a state that allows the request, e.g. a test email for an unauthorized service. */
	public static final URI CONFLICT = type("conflict");

	/** The resource changed since it was read; reload and try again. */
	public static final URI CHANGED_MEANWHILE = type("changed-meanwhile");

	/** No valid credentials: a bearer JWT or an API key is required. */
	public static final URI UNAUTHENTICATED = type("unauthenticated");

	/** The caller's role does not allow the request; the detail says which role does. */
	public static final URI FORBIDDEN = type("forbidden");

	/** Too many requests of this kind for the account; {@code Retry-After} says when to try again. */
	public static final URI RATE_LIMITED = type("rate-limited");

	/** The authorization callback's state is unknown, expired or already used. */
	public static final URI AUTHORIZATION_STATE_REFUSED = type("authorization-state-refused");

	/** Microsoft's identity platform refused a request; {@code error} has its code, link and hint. */
	public static final URI IDENTITY_PLATFORM_REFUSED = type("identity-platform-refused");

	/** Something failed inside Mailroom; the details are in its logs. */
	public static final URI INTERNAL = type("internal");

	private Problems() {
	}

	/** A problem of {@code type} with {@code title} and {@code detail}. */
	public static ProblemDetail of(HttpStatus status, URI type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		return problem;
	}

	/** Adds a classified error (category, code, message, hint, help URL) as the {@code error} member. */
	public static ProblemDetail withError(ProblemDetail problem, ErrorDetails error) {
		if (error != null) {
			problem.setProperty("error", error);
		}
		return problem;
	}

	/** Adds field errors as the {@code errors} member. */
	public static ProblemDetail withFieldErrors(ProblemDetail problem, List<FieldMessage> errors) {
		problem.setProperty("errors", errors.stream().map(error -> Map.of("field", error.field(), "message",
				error.message())).toList());
		return problem;
	}

	private static URI type(String name) {
		return URI.create("urn:mailroom:problem:" + name);
	}

}
