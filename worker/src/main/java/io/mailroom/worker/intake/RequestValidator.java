package io.mailroom.worker.intake;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.mailroom.contracts.Attachment;
import io.mailroom.contracts.EmailAddress;
import io.mailroom.contracts.SendRequest;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.core.services.SmtpService;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.ParseException;

/**
 * The rules a request must meet to be queued. Each refusal names the field and what to change, because
 * the producer's developer reads it in a result event, far from the code that sent it.
 */
final class RequestValidator {

	private static final Pattern HEADER_NAME = Pattern.compile("X-[A-Za-z0-9][A-Za-z0-9-]{0,75}");

	private final IntakeProperties settings;

	private final TextCheck texts;

	RequestValidator(IntakeProperties settings) {
		this.settings = settings;
		this.texts = new TextCheck(settings);
	}

	/** The first rule the request breaks on its own (before looking at its service), or null. */
	Failure validate(SendRequest request) {
		if (request.schemaVersion() != SendRequest.SCHEMA_VERSION) {
			return invalid("SCHEMA_VIOLATION", "schemaVersion is " + request.schemaVersion() + ".",
					"Send schemaVersion " + SendRequest.SCHEMA_VERSION + ".");
		}
		// texts first: a refusal that names the character beats a vaguer one caused by it
		Failure textFailure = texts.check(request);
		if (textFailure != null) {
			return textFailure;
		}
		if (request.accountId() == null || request.accountId().isBlank()) {
			return invalid("SCHEMA_VIOLATION", "accountId is missing.", "Set accountId to the account that owns the service.");
		}
		if (request.serviceId() == null) {
			return invalid("SCHEMA_VIOLATION", "serviceId is missing.", "Set serviceId to the SMTP service to send through.");
		}
		List<EmailAddress> recipients = request.allRecipients();
		if (recipients.isEmpty()) {
			return invalid("NO_RECIPIENTS", "The request has no recipients.", "Add at least one address to to, cc or bcc.");
		}
		if (recipients.size() > settings.maxRecipients()) {
			return invalid("TOO_MANY_RECIPIENTS",
					"The request has " + recipients.size() + " recipients; at most " + settings.maxRecipients()
							+ " are allowed per message.",
					"Split it into several requests of at most " + settings.maxRecipients() + " recipients.");
		}
		for (String field : new String[] { "to", "cc", "bcc" }) {
			List<EmailAddress> list = switch (field) {
				case "to" -> request.to();
				case "cc" -> request.cc();
				default -> request.bcc();
			};
			for (int i = 0; i < list.size(); i++) {
				Failure failure = validateAddress(field + "[" + i + "]", list.get(i));
				if (failure != null) {
					return failure;
				}
			}
		}
		if (isBlank(request.text()) && isBlank(request.html())) {
			return invalid("NO_BODY", "The request has neither a text nor an html body.", "Set text, html or both.");
		}
		for (Map.Entry<String, String> header : request.headers().entrySet()) {
			if (!HEADER_NAME.matcher(header.getKey()).matches()) {
				return invalid("INVALID_HEADER",
						"Header name '" + TextCheck.printable(header.getKey()) + "' is not allowed: only X- headers may be set.",
						"Only extra headers whose names start with X- (letters, digits, hyphens) may be set.");
			}
		}
		for (int i = 0; i < request.attachments().size(); i++) {
			Failure failure = validateAttachment(i, request.attachments().get(i));
			if (failure != null) {
				return failure;
			}
		}
		if (request.notBefore() != null && request.expiresAt() != null
				&& !request.expiresAt().isAfter(request.notBefore())) {
			return invalid("SCHEMA_VIOLATION", "expiresAt is not after notBefore.",
					"Give the mail a window to be sent in: expiresAt later than notBefore.");
		}
		return null;
	}

	/** Whether the request fits its service's message size limit. */
	Failure validateSize(SendRequest request, SmtpService service) {
		long limit = service.maxMessageBytes() != null ? service.maxMessageBytes() : settings.defaultMaxMessageBytes();
		long size = EncodedSize.estimate(request);
		if (size > limit) {
			return invalid("MESSAGE_TOO_LARGE",
					"The encoded message would be about " + megabytes(size) + " MB; the service accepts at most "
							+ megabytes(limit) + " MB.",
					"Send smaller attachments, or links to the files instead.");
		}
		return null;
	}

	private static Failure validateAddress(String field, EmailAddress address) {
		if (address == null || isBlank(address.address())) {
			return invalid("INVALID_ADDRESS", field + " has no address.", "Give every recipient an address.");
		}
		try {
			InternetAddress parsed = new InternetAddress(address.address(), true);
			parsed.validate();
			if (parsed.getPersonal() != null || !parsed.getAddress().equals(address.address().strip())
					|| !address.address().contains("@")) {
				return invalidAddress(field, address.address());
			}
		}
		catch (AddressException ex) {
			return invalidAddress(field, address.address());
		}
		return null;
	}

	private static Failure validateAttachment(int index, Attachment attachment) {
		String field = "attachments[" + index + "]";
		if (attachment == null || isBlank(attachment.filename())) {
			return invalid("INVALID_ATTACHMENT", field + " has no filename.", "Give every attachment a filename.");
		}
		try {
			new ContentType(attachment.contentType() == null ? "" : attachment.contentType());
		}
		catch (ParseException ex) {
			return invalid("INVALID_ATTACHMENT",
					field + " (" + TextCheck.printable(attachment.filename()) + ") has no valid contentType.",
					"Set contentType to a MIME type such as application/pdf.");
		}
		if (attachment.content() == null) {
			return invalid("INVALID_ATTACHMENT", field + " (" + TextCheck.printable(attachment.filename()) + ") has no content.",
					"Set content to the file's bytes, base64-encoded.");
		}
		try {
			attachment.decodedContent();
		}
		catch (IllegalArgumentException ex) {
			return invalid("INVALID_ATTACHMENT",
					field + " (" + TextCheck.printable(attachment.filename()) + ") is not valid base64.",
					"Encode the file's bytes with standard base64 (RFC 4648).");
		}
		return null;
	}

	private static Failure invalidAddress(String field, String address) {
		return invalid("INVALID_ADDRESS", field + " '" + TextCheck.printable(address) + "' is not a valid email address.",
				"Use a plain address such as name@example.com; put a display name in the name field.");
	}

	private static Failure invalid(String code, String message, String hint) {
		return Failures.invalidRequest(code, message, hint);
	}

	private static boolean isBlank(String value) {
		return value == null || value.isBlank();
	}

	private static String megabytes(long bytes) {
		return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1_048_576.0);
	}

}
