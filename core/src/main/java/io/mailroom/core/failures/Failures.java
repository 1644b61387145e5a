package io.mailroom.core.failures;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.SmtpReply;
import io.mailroom.core.text.SafeText;

/**
 * Classifies every failure Mailroom reports. Each factory returns a {@link Failure} whose
 * {@link Failure#error()} goes on the wire as is.
 */
public final class Failures {

	/** The code of a request whose {@code expiresAt} passed before it could be sent. */
	public static final String EXPIRED = "EXPIRED";

	/**
	 * The longest message, hint, help URL or SMTP reply text a failure carries, in code points: room for
	 * any sentence Mailroom writes and any reply Exchange sends, but not for a megabyte a server or a
	 * producer put into one.
	 */
	public static final int MAX_TEXT = 1000;

	/** The longest code a failure carries (codes from outside: an identity platform's {@code error}). */
	public static final int MAX_CODE = 100;

	private Failures() {
	}

	/**
	 * A non-success SMTP reply, by its enhanced code, reply code and (where Microsoft reuses a code for
	 * several causes, as with {@code 535 5.7.139}) its text.
	 * @param reply the server's reply, e.g. from {@link SmtpReplies#parse(String)}; must not be {@code null}
	 * @return the failure, with the reply attached; its code is the enhanced code ({@code 5.7.139}) when the
	 *     server sent one, else the reply code ({@code 554})
	 */
	public static Failure smtp(SmtpReply reply) {
		Objects.requireNonNull(reply, "reply");
		SmtpReply cleaned = SmtpReplies.cleaned(reply);
		return SmtpCatalogue.lookup(cleaned).failure(cleaned);
	}

	/**
	 * An identity platform error from the token endpoint or the authorize redirect.
	 * @param error the OAuth2 {@code error} value ({@code invalid_grant}…), or MSAL's error code; may be
	 *     {@code null}
	 * @param aadstsCode the AADSTS number when known (e.g. from {@code error_codes}); if {@code null} it is
	 *     looked for in {@code description}
	 * @param description the {@code error_description} or the MSAL exception message; may be {@code null}
	 * @param httpStatus the token endpoint's HTTP status; {@code null} for a redirect or when unknown
	 * @return the failure; its code is {@code AADSTS70008} when a code is known, else the {@code error}
	 */
	public static Failure identity(String error, Integer aadstsCode, String description, Integer httpStatus) {
		return IdentityCatalogue.classify(error, aadstsCode, description, httpStatus);
	}

	/**
	 * A Google OAuth error from the token endpoint or the authorize redirect.
	 * @param error the OAuth2 {@code error} value ({@code invalid_grant}, {@code unauthorized_client}…); may be null
	 * @param description Google's {@code error_description}; may be null
	 * @param httpStatus the token endpoint's HTTP status; null for a redirect or when unknown
	 * @return the failure; its code is the {@code error} value
	 */
	public static Failure google(String error, String description, Integer httpStatus) {
		return GoogleCatalogue.classify(error, SafeText.clean(description, 240), httpStatus);
	}

	/**
	 * A connection that failed or broke: refused, timed out, dropped, or a TLS problem. Problems that come
	 * back on every attempt (untrusted certificate, host name mismatch, no common TLS version, TLS on a
	 * STARTTLS port) are CONFIGURATION and not retryable; the rest are NETWORK and retryable.
	 * @param operation what Mailroom was doing, as a verb phrase for the admin, e.g. {@code "connect to
	 *     smtp.office365.com:587"} or {@code "get a token from login.microsoftonline.com"}
	 * @param cause the exception; wrappers are looked through
	 * @return the failure; its code names the problem, e.g. {@code CONNECTION_REFUSED} or {@code TLS_CERTIFICATE}
	 */
	public static Failure network(String operation, Throwable cause) {
		return NetworkProblems.classify(operation, cause);
	}

	/**
	 * A request Mailroom refuses before queueing it: category INVALID_REQUEST, never retryable.
	 * @param code one of {@link InvalidRequestCodes}, or another Mailroom code
	 * @param message what is wrong, naming the field, in one sentence
	 * @param hint how to fix it; {@code null} for the code's default hint
	 * @return the failure
	 */
	public static Failure invalidRequest(String code, String message, String hint) {
		Objects.requireNonNull(code, "code");
		String effectiveHint = (hint != null && !hint.isBlank()) ? hint : InvalidRequestCodes.defaultHint(code);
		return new Failure(details(ErrorCategory.INVALID_REQUEST, code, message, effectiveHint, null, false), null,
				ServiceImpact.NONE, null);
	}

	/** {@link #invalidRequest(String, String, String)} with the code's default hint. */
	public static Failure invalidRequest(String code, String message) {
		return invalidRequest(code, message, null);
	}

	/**
	 * A request whose {@code expiresAt} passed before it could be sent: category EXPIRED, not retryable.
	 * @param expiresAt the request's deadline; may be {@code null}
	 * @return the failure
	 */
	public static Failure expired(Instant expiresAt) {
		String message = (expiresAt != null) ? "The mail could not be sent before it expired at " + expiresAt + "."
				: "The mail could not be sent before it expired.";
		String hint = "Send it again with a later expiresAt if it is still needed, and if mail keeps expiring, check "
				+ "whether the service is waiting for re-authorization or is being throttled.";
		return new Failure(details(ErrorCategory.EXPIRED, EXPIRED, message, hint, null, false), null,
				ServiceImpact.NONE, null);
	}

	/**
	 * Mailroom cannot open one of a service's stored secrets because the key that sealed it is no longer
	 * configured: nothing the service's admin did, and it works again once the key is back. Retryable.
	 * @param secret what could not be opened, e.g. "SMTP password" or "client secret"
	 * @return the failure
	 */
	public static Failure secretUnavailable(String secret) {
		return new Failure(details(ErrorCategory.CONFIGURATION, "SECRET_UNAVAILABLE",
				"Mailroom cannot open the service's stored " + secret + ".",
				"Nothing to do for the service's admin: Mailroom's operators are alerted and retry once the key is "
						+ "restored; if it lasts, enter the " + secret + " again.",
				null, true), null, ServiceImpact.NONE, null);
	}

	/**
	 * Error details as every failure carries them: text that came from outside Mailroom (a producer's value
	 * quoted in a refusal, a server's words, an identity platform's {@code error}) is
	 * {@link SafeText#clean(String, int) cleaned} and cut to {@link #MAX_TEXT} / {@link #MAX_CODE}, so a
	 * failure can always be stored and published.
	 */
	static ErrorDetails details(ErrorCategory category, String code, String message, String hint, String helpUrl,
			boolean retryable) {
		return new ErrorDetails(category, SafeText.clean(code, MAX_CODE), SafeText.clean(message, MAX_TEXT),
				SafeText.clean(hint, MAX_TEXT), SafeText.clean(helpUrl, MAX_TEXT), retryable);
	}

	/**
	 * A Microsoft Graph error answer to sending mail, by HTTP status and {@code error.code} (e.g. {@code 403
	 * ErrorSendAsDenied}, {@code 429} with Retry-After, {@code 503}).
	 * @param status the HTTP status
	 * @param code Graph's {@code error.code}; may be {@code null}
	 * @param message Graph's {@code error.message}; only matched against, never reported
	 * @param retryAfter the Retry-After Graph asked for, or {@code null}
	 * @return the failure; its code is Graph's error code, or {@code HTTP_<status>} without one
	 */
	public static Failure graph(int status, String code, String message, Duration retryAfter) {
		return GraphCatalogue.classify(status, code, message, retryAfter);
	}

	/**
	 * Graph timed out ({@code 504}) after the mail was handed over and Mailroom could not find it in Sent
	 * Items: it may have been sent. Not retried blindly (Graph has no idempotency key); the admin decides.
	 */
	public static Failure graphOutcomeUnknown(boolean sentItemsReadable) {
		return new Failure(new ErrorDetails(ErrorCategory.NETWORK, "GRAPH_OUTCOME_UNKNOWN",
				"Microsoft Graph timed out (504) after taking the mail; it may have been sent.",
				sentItemsReadable ? "Look for the mail in the mailbox's Sent Items before sending it again."
						: "Look for the mail in the mailbox's Sent Items before sending it again; give the app "
								+ "Mail.ReadBasic.All (or RBAC 'Application Mail.ReadBasic') so Mailroom can check by itself.",
				"https://learn.microsoft.com/graph/api/user-sendmail", false), null, ServiceImpact.NONE, null);
	}

	/**
	 * Microsoft's page for an AADSTS code.
	 * @param aadstsCode the number, e.g. 70008
	 * @return e.g. {@code https://login.microsoftonline.com/error?code=70008}
	 */
	public static String identityHelpUrl(int aadstsCode) {
		return IdentityCatalogue.helpUrl(aadstsCode);
	}

}
