package io.mailroom.core.failures;

import java.time.Duration;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.SmtpReply;

/**
 * The decision part of a catalogue row: what kind of failure it is and what the caller should do. The
 * factory names are the vocabulary of the catalogue tables.
 */
record Outcome(ErrorCategory category, boolean retryable, ServiceImpact impact, Duration retryAfter) {

	/** Only this mail failed, for good. */
	static Outcome fails(ErrorCategory category) {
		return new Outcome(category, false, ServiceImpact.NONE, null);
	}

	/** Every mail of the service would fail the same way until someone fixes the setup: hold them. */
	static Outcome holdsService(ErrorCategory category) {
		return new Outcome(category, false, ServiceImpact.CONFIGURATION_ERROR, null);
	}

	/** The grant is gone: hold the service's mail until an admin authorizes again. */
	static Outcome needsReauthorization() {
		return new Outcome(ErrorCategory.AUTHORIZATION, false, ServiceImpact.NEEDS_REAUTHORIZATION, null);
	}

	/** The token was refused: refresh it once and retry once; not retryable beyond that. */
	static Outcome refreshTokenOnce() {
		return new Outcome(ErrorCategory.AUTHORIZATION, false, ServiceImpact.REFRESH_TOKEN_ONCE, null);
	}

	/** Temporary: try again, with the caller's own backoff. */
	static Outcome retries(ErrorCategory category) {
		return new Outcome(category, true, ServiceImpact.NONE, null);
	}

	/** Temporary, and trying again sooner than {@code wait} is pointless or makes it worse. */
	static Outcome retriesAfter(ErrorCategory category, Duration wait) {
		return new Outcome(category, true, ServiceImpact.NONE, wait);
	}

	Failure failure(String code, String message, String hint, String helpUrl, SmtpReply reply) {
		return new Failure(Failures.details(category, code, message, hint, helpUrl, retryable), reply, impact,
				retryAfter);
	}

}
