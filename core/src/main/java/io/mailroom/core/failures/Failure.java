package io.mailroom.core.failures;

import java.time.Duration;
import java.util.Objects;

import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.SmtpReply;

/**
 * A classified failure: what to tell the admin ({@link #error()}), what to do with the service
 * ({@link #impact()}) and how soon trying again may help ({@link #retryAfter()}).
 *
 * @param error the category, code, message, hint and help URL, as reported on the wire
 * @param smtpReply the SMTP server's reply, when the failure is one; {@code null} otherwise
 * @param impact what the failure means for the whole service
 * @param retryAfter a suggested minimum wait before trying again (for example 24 hours for a used-up daily
 *     quota); {@code null} when the server suggested none and the caller's own backoff applies
 */
public record Failure(ErrorDetails error, SmtpReply smtpReply, ServiceImpact impact, Duration retryAfter) {

	public Failure {
		Objects.requireNonNull(error, "error");
		Objects.requireNonNull(impact, "impact");
	}

	/** Whether sending again later may succeed without anyone changing anything. */
	public boolean retryable() {
		return error.retryable();
	}

	/** This failure with another service impact, e.g. a token refused again after the one forced refresh. */
	public Failure withImpact(ServiceImpact impact) {
		return new Failure(error, smtpReply, impact, retryAfter);
	}

}
