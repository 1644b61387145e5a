package io.mailroom.core.tokens;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import com.microsoft.aad.msal4j.MsalServiceException;
import io.mailroom.core.failures.AadstsCodes;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;

/** Turns what MSAL4J throws into a classified {@link Failure}. */
public final class IdentityErrors {

	private IdentityErrors() {
	}

	/**
	 * Classifies a failed token call. MSAL puts the numeric AADSTS code only in the message (the
	 * error_description), so it is read from there; service errors carry the OAuth2 {@code error} and,
	 * except for {@code invalid_grant}, the HTTP status. Anything else (I/O, TLS, timeouts) is a network failure.
	 */
	public static Failure classify(Throwable thrown) {
		Throwable cause = unwrap(thrown);
		if (cause instanceof MsalServiceException service) {
			String message = service.getMessage() == null ? "" : service.getMessage();
			Integer code = AadstsCodes.find(message).stream().boxed().findFirst().orElse(null);
			return Failures.identity(service.errorCode(), code, firstLine(message), service.statusCode());
		}
		return Failures.network("Microsoft identity platform request", cause);
	}

	private static Throwable unwrap(Throwable thrown) {
		Throwable cause = thrown;
		while ((cause instanceof ExecutionException || cause instanceof CompletionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	// error_description continues with "Trace ID: …", "Correlation ID: …" and "Timestamp: …" lines
	private static String firstLine(String description) {
		int end = description.indexOf('\r');
		if (end < 0) {
			end = description.indexOf('\n');
		}
		return end < 0 ? description : description.substring(0, end);
	}

}
