package io.mailroom.worker.intake;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.mailroom.contracts.Attachment;
import io.mailroom.contracts.EmailAddress;
import io.mailroom.contracts.SendRequest;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.core.failures.InvalidRequestCodes;
import io.mailroom.core.text.SafeText;
import io.mailroom.core.text.SafeText.Flaw;
import io.mailroom.core.text.SafeText.Use;

/**
 * Every text of a request that is stored or goes into the mail, against what PostgreSQL and SMTP refuse
 * ({@link SafeText}) and intake's length limits. The refusal names the field, the character and where it
 * is, so the producer's developer can find it.
 */
final class TextCheck {

	private static final int UNLIMITED = Integer.MAX_VALUE;

	/** RFC 5321's longest path; the contract's schema says the same. */
	private static final int MAX_ADDRESS_LENGTH = 254;

	private final IntakeProperties limits;

	TextCheck(IntakeProperties limits) {
		this.limits = limits;
	}

	/** The first text of the request that cannot be stored or sent, as a refusal, or null. */
	Failure check(SendRequest request) {
		if (request.tags().size() > limits.maxTags()) {
			return Failures.invalidRequest(InvalidRequestCodes.TOO_MANY_TAGS,
					"The request has " + request.tags().size() + " tags; at most " + limits.maxTags() + " are allowed.",
					"Send at most " + limits.maxTags()
							+ " tags, and keep other data in your own records, keyed by requestId.");
		}
		return firstRefusal(request);
	}

	/**
	 * What the row and the result of a refused request keep of it (accountId, subject, recipients, tags),
	 * made storable whatever the request held: a refusal must never be unwritable itself.
	 */
	SendRequest storableCopy(SendRequest request) {
		Map<String, String> tags = new LinkedHashMap<>();
		request.tags()
			.entrySet()
			.stream()
			.limit(limits.maxTags())
			.forEach(tag -> tags.put(SafeText.clean(tag.getKey(), limits.maxTagLength()),
					SafeText.clean(tag.getValue(), limits.maxTagLength())));
		return new SendRequest(request.schemaVersion(), request.requestId(),
				SafeText.clean(request.accountId(), limits.maxAccountIdLength()), request.serviceId(), request.priority(),
				storable(request.to()), storable(request.cc()), storable(request.bcc()),
				SafeText.clean(request.subject(), limits.maxSubjectLength()), null, null, null, null, request.notBefore(),
				request.expiresAt(), tags);
	}

	private static List<EmailAddress> storable(List<EmailAddress> addresses) {
		return addresses.stream()
			.map(a -> EmailAddress.of(SafeText.clean(a.address(), MAX_ADDRESS_LENGTH)))
			.toList();
	}

	/** A value quoted in a message: what cannot be stored replaced, cut to a readable length. */
	static String printable(String value) {
		String shown = SafeText.clean(value, 100);
		return shown == null ? null : shown.replace('\r', SafeText.REPLACEMENT).replace('\n', SafeText.REPLACEMENT);
	}

	/**
	 * Checks every text in turn, the first refusal wins. A field's name is only spelled out for a refusal:
	 * intake reads every request, and nearly all of them pass.
	 */
	private Failure firstRefusal(SendRequest request) {
		Failure failure = check(request.accountId(), Use.LINE, limits.maxAccountIdLength(), false, () -> "accountId");
		if (failure == null) {
			failure = check(request.subject(), Use.LINE, limits.maxSubjectLength(), true, () -> "subject");
		}
		if (failure == null) {
			failure = check(request.text(), Use.BODY, UNLIMITED, false, () -> "text");
		}
		if (failure == null) {
			failure = check(request.html(), Use.BODY, UNLIMITED, false, () -> "html");
		}
		if (failure == null) {
			failure = addresses("to", request.to());
		}
		if (failure == null) {
			failure = addresses("cc", request.cc());
		}
		if (failure == null) {
			failure = addresses("bcc", request.bcc());
		}
		for (Map.Entry<String, String> header : request.headers().entrySet()) {
			String name = header.getKey();
			if (failure == null) {
				failure = check(name, Use.LINE, UNLIMITED, true, () -> "header name '" + printable(name) + "'");
			}
			if (failure == null) {
				failure = check(header.getValue(), Use.LINE, limits.maxHeaderValueLength(), true,
						() -> "header " + printable(name));
			}
		}
		for (Map.Entry<String, String> tag : request.tags().entrySet()) {
			String name = tag.getKey();
			if (failure == null) {
				failure = check(name, Use.LINE, limits.maxTagLength(), false, () -> "tag name '" + printable(name) + "'");
			}
			if (failure == null) {
				failure = check(tag.getValue(), Use.LINE, limits.maxTagLength(), false,
						() -> "tags['" + printable(name) + "']");
			}
		}
		for (int i = 0; i < request.attachments().size() && failure == null; i++) {
			Attachment attachment = request.attachments().get(i);
			int index = i;
			if (attachment != null) {
				failure = check(attachment.filename(), Use.LINE, limits.maxFilenameLength(), true,
						() -> "attachments[" + index + "].filename");
			}
			if (attachment != null && failure == null) {
				failure = check(attachment.contentType(), Use.LINE, limits.maxHeaderValueLength(), true,
						() -> "attachments[" + index + "].contentType");
			}
		}
		return failure;
	}

	private Failure addresses(String list, List<EmailAddress> addresses) {
		Failure failure = null;
		for (int i = 0; i < addresses.size() && failure == null; i++) {
			EmailAddress address = addresses.get(i);
			int index = i;
			if (address != null) {
				failure = check(address.address(), Use.LINE, MAX_ADDRESS_LENGTH, true,
						() -> list + "[" + index + "].address");
			}
			if (address != null && failure == null) {
				failure = check(address.name(), Use.LINE, limits.maxDisplayNameLength(), true,
						() -> list + "[" + index + "].name");
			}
		}
		return failure;
	}

	/**
	 * One text of a request: refused for a character it may not hold or for its length.
	 *
	 * @param field how the refusal names it
	 * @param inHeader whether it goes into a mail header, where a line break is an injection
	 */
	private static Failure check(String value, Use use, int maxLength, boolean inHeader, Supplier<String> field) {
		Flaw flaw = SafeText.flaw(value, use);
		if (flaw != null) {
			return refusal(field.get(), flaw, inHeader);
		}
		if (value != null && value.length() > maxLength) {
			int length = value.codePointCount(0, value.length());
			if (length > maxLength) {
				String name = field.get();
				return Failures.invalidRequest(InvalidRequestCodes.TEXT_TOO_LONG,
						name + " is " + length + " characters long; at most " + maxLength + " are allowed.",
						"Shorten " + name + " to at most " + maxLength + " characters.");
			}
		}
		return null;
	}

	private static Failure refusal(String field, Flaw flaw, boolean inHeader) {
		String message = field + " contains " + flaw.describe() + ".";
		return switch (flaw.kind()) {
			case LINE_BREAK -> Failures.invalidRequest(
					inHeader ? InvalidRequestCodes.HEADER_INJECTION : InvalidRequestCodes.INVALID_TEXT, message,
					"Remove line breaks from " + field + ": only text and html may hold them"
							+ (inHeader ? ", since in a mail header they could add headers of their own." : "."));
			case CONTROL -> Failures.invalidRequest(InvalidRequestCodes.INVALID_TEXT, message,
					"Remove " + flaw.character() + " from " + field
							+ ": no text may hold control characters other than TAB (and line breaks in text and html).");
			case LONE_SURROGATE -> Failures.invalidRequest(InvalidRequestCodes.INVALID_TEXT, message,
					"Send " + field + " as valid Unicode: a surrogate escape (\\uD800 to \\uDFFF) must be one half of "
							+ "a pair, as in \\uD83D\\uDE00.");
		};
	}

}
