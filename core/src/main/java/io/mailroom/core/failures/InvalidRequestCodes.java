package io.mailroom.core.failures;

import java.util.Map;

/**
 * Mailroom's own codes for requests it refuses before queueing them (category INVALID_REQUEST), each with
 * the hint a producer's developer or an admin needs to fix the request. The message, written where the
 * problem is found, says which field and value were wrong.
 */
public final class InvalidRequestCodes {

	/** A recipient, From or Reply-To address is not a valid email address. */
	public static final String INVALID_ADDRESS = "INVALID_ADDRESS";

	/** A subject, name, address or header contains CR or LF. */
	public static final String HEADER_INJECTION = "HEADER_INJECTION";

	/** More recipients than allowed (to, cc and bcc together). */
	public static final String TOO_MANY_RECIPIENTS = "TOO_MANY_RECIPIENTS";

	/** No recipient at all in to, cc and bcc. */
	public static final String NO_RECIPIENTS = "NO_RECIPIENTS";

	/** An extra header Mailroom does not pass on (its name must start with {@code X-}). */
	public static final String INVALID_HEADER = "INVALID_HEADER";

	/** The encoded message is larger than the service accepts. */
	public static final String MESSAGE_TOO_LARGE = "MESSAGE_TOO_LARGE";

	/** Neither a text nor an HTML body. */
	public static final String NO_BODY = "NO_BODY";

	/** An attachment without a usable name, content type or content. */
	public static final String INVALID_ATTACHMENT = "INVALID_ATTACHMENT";

	/** The serviceId names no existing service. */
	public static final String UNKNOWN_SERVICE = "UNKNOWN_SERVICE";

	/** The service belongs to another account than the request's accountId. */
	public static final String SERVICE_NOT_OWNED = "SERVICE_NOT_OWNED";

	/** The request does not match its JSON Schema (a missing field, a wrong type, an unknown version…). */
	public static final String SCHEMA_VIOLATION = "SCHEMA_VIOLATION";

	/** The record could not be read as a request at all (not JSON, not UTF-8, empty). */
	public static final String UNREADABLE_RECORD = "UNREADABLE_RECORD";

	/**
	 * A text holds what cannot be stored or sent: NUL or another control character, a lone surrogate, a line
	 * break outside the bodies (outside mail headers; in them it is {@link #HEADER_INJECTION}), or the record
	 * is not UTF-8.
	 */
	public static final String INVALID_TEXT = "INVALID_TEXT";

	/** A subject, display name, header value, tag, filename or accountId is longer than allowed. */
	public static final String TEXT_TOO_LONG = "TEXT_TOO_LONG";

	/** More tags than allowed. */
	public static final String TOO_MANY_TAGS = "TOO_MANY_TAGS";

	/**
	 * The request passed intake's checks, yet Mailroom could not check or store it (a gap in the checks);
	 * the record is kept on the dead-letter topic for Mailroom's operators.
	 */
	public static final String UNPROCESSABLE_REQUEST = "UNPROCESSABLE_REQUEST";

	private static final Map<String, String> HINTS = Map.ofEntries(
			Map.entry(INVALID_ADDRESS, "Correct the address so that it reads like name@example.com, with no spaces and "
					+ "the display name kept out of the address itself."),
			Map.entry(HEADER_INJECTION, "Remove line breaks from the subject, names, addresses and headers, since they "
					+ "could smuggle extra headers into the mail."),
			Map.entry(INVALID_HEADER, "Give extra headers names that start with X- and contain only letters, digits "
					+ "and hyphens."),
			Map.entry(NO_RECIPIENTS, "Add at least one address to to, cc or bcc."),
			Map.entry(TOO_MANY_RECIPIENTS, "Send to at most 500 recipients per request (to, cc and bcc together), "
					+ "splitting larger mailings into several requests."),
			Map.entry(MESSAGE_TOO_LARGE, "Make the mail smaller, for example by linking to large files instead of "
					+ "attaching them (attachments grow by about a third when encoded)."),
			Map.entry(NO_BODY, "Give the mail a text body, an HTML body or both."),
			Map.entry(INVALID_ATTACHMENT, "Give each attachment a file name, a content type and base64 content that "
					+ "decodes."),
			Map.entry(UNKNOWN_SERVICE, "Check the serviceId against the services of the account: the service may have "
					+ "been deleted or belong to another environment."),
			Map.entry(SERVICE_NOT_OWNED, "Send through a service of the account named in accountId, or correct the "
					+ "accountId."),
			Map.entry(SCHEMA_VIOLATION, "Make the request match the SendRequest JSON Schema of its schemaVersion; the "
					+ "message names the first field that does not."),
			Map.entry(UNREADABLE_RECORD, "Publish requests as UTF-8 JSON that matches the SendRequest JSON Schema, "
					+ "since this record could not be read at all."),
			Map.entry(INVALID_TEXT, "Send text as valid Unicode in UTF-8 without NUL or other control characters; "
					+ "only TAB may appear anywhere, and line breaks only in text and html."),
			Map.entry(TEXT_TOO_LONG, "Shorten the field the message names to the length it gives."),
			Map.entry(TOO_MANY_TAGS, "Send fewer tags, and keep other data in your own records, keyed by requestId."),
			Map.entry(UNPROCESSABLE_REQUEST, "Send the request again without unusual characters or sizes; if it is "
					+ "refused again, contact Mailroom support with its requestId."));

	private InvalidRequestCodes() {
	}

	/**
	 * The default hint for one of the codes above.
	 * @param code a Mailroom invalid-request code
	 * @return its hint, or {@code null} for a code not listed here
	 */
	public static String defaultHint(String code) {
		return (code != null) ? HINTS.get(code) : null;
	}

}
