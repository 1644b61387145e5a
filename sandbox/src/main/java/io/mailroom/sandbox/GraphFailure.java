package io.mailroom.sandbox;

import java.time.Duration;

/** A Graph error response: HTTP status, {@code error.code}, {@code error.message}, and a Retry-After. */
final class GraphFailure extends Exception {

	private final int status;

	private final String code;

	private final Duration retryAfter;

	GraphFailure(int status, String code, String message) {
		this(status, code, message, null);
	}

	GraphFailure(int status, String code, String message, Duration retryAfter) {
		super(message, null, false, false);
		this.status = status;
		this.code = code;
		this.retryAfter = retryAfter;
	}

	int status() {
		return this.status;
	}

	String code() {
		return this.code;
	}

	Duration retryAfter() {
		return this.retryAfter;
	}

	static GraphFailure accessDenied() {
		return new GraphFailure(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
	}

	static GraphFailure sendAsDenied() {
		return new GraphFailure(403, "ErrorSendAsDenied",
				"The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account., Cannot submit message.");
	}

}
