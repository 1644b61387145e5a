package io.mailroom.worker.delivery;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParameterList;
import io.mailroom.contracts.Attachment;
import io.mailroom.contracts.EmailAddress;
import io.mailroom.contracts.SendRequest;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.core.failures.InvalidRequestCodes;
import io.mailroom.core.services.SmtpService;

/**
 * Turns a request into the MIME message the service sends, encoded once into the bytes every send of the
 * attempt writes: From the service's address, Reply-To the service's reply-to, To and Cc as headers (Bcc
 * only in the envelope), the request's {@code X-} headers, and a Message-ID made from the requestId. Intake
 * has validated the request; what could still smuggle headers in (CR or LF) or break the MIME structure is
 * refused here again, as a last line. Header values are encoded and folded with Jakarta Mail's own helpers;
 * the bodies are written by {@link MimeWriter}.
 */
final class MailComposer {

	private static final Pattern EXTRA_HEADER = Pattern.compile("(?i)X-[A-Za-z0-9-]+");

	private static final String UTF_8 = StandardCharsets.UTF_8.name();

	/** Room for a typical mail's headers and text and HTML bodies before the buffer grows. */
	private static final int ENCODED_SIZE_GUESS = 8 * 1024;

	/** RFC 5322's date-time, in UTC. */
	private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US)
		.withZone(ZoneOffset.UTC);

	private MailComposer() {
	}

	/** {@code <requestId@from-domain>}: the same for every attempt of a request. */
	static String messageId(UUID requestId, String fromAddress) {
		int at = fromAddress == null ? -1 : fromAddress.lastIndexOf('@');
		String domain = at < 0 || at == fromAddress.length() - 1 ? "mailroom.invalid"
				: fromAddress.substring(at + 1).toLowerCase(Locale.ROOT);
		return "<" + requestId + "@" + domain + ">";
	}

	/** A mail that cannot be built from the request; {@link #failure()} says which field is wrong. */
	static final class Unsendable extends Exception {

		private final transient Failure failure;

		Unsendable(Failure failure) {
			super(failure.error().message(), null, false, false);
			this.failure = failure;
		}

		Failure failure() {
			return failure;
		}

	}

	/**
	 * The message, encoded once, and its envelope recipients: every send of this attempt (a reconnect
	 * included) and Graph's upload write the same bytes.
	 */
	record Composed(EncodedMail message, Address[] recipients) {

		/** The MIME message as sent. */
		byte[] mime() {
			return message.bytes();
		}

	}

	static Composed compose(Session session, SmtpService service, OutgoingMail mail, String messageId, Instant now)
			throws Unsendable {
		SendRequest request = mail.request();
		try {
			MimeWriter out = new MimeWriter(ENCODED_SIZE_GUESS, mail.requestId().toString().replace("-", ""));
			InternetAddress from = address(service.fromAddress(), service.fromName(), "the service's From address");
			out.header("Date", DATE.format(now));
			addressHeader(out, "From", new Address[] { from });
			if (service.replyTo() != null && !service.replyTo().isBlank()) {
				addressHeader(out, "Reply-To",
						new Address[] { address(service.replyTo(), null, "the service's Reply-To address") });
			}
			if (!request.to().isEmpty()) {
				addressHeader(out, "To", addresses(request.to(), "to"));
			}
			if (!request.cc().isEmpty()) {
				addressHeader(out, "Cc", addresses(request.cc(), "cc"));
			}
			out.header("Message-ID", messageId);
			encodedHeader(out, "Subject", singleLine(request.subject() == null ? "" : request.subject(), "subject"));
			for (Map.Entry<String, String> header : extraHeaders(request).entrySet()) {
				encodedHeader(out, header.getKey(), singleLine(header.getValue(), "header " + header.getKey()));
			}
			out.header("MIME-Version", "1.0");
			body(out, request);
			Address[] recipients = addresses(request.allRecipients(), "to, cc and bcc");
			if (recipients.length == 0) {
				throw new Unsendable(Failures.invalidRequest(InvalidRequestCodes.NO_RECIPIENTS, "The mail has no recipient."));
			}
			byte[] mime = out.toByteArray();
			if (service.maxMessageBytes() != null && mime.length > service.maxMessageBytes()) {
				throw new Unsendable(Failures.invalidRequest(InvalidRequestCodes.MESSAGE_TOO_LARGE,
						"The encoded mail is larger than the service's limit of " + service.maxMessageBytes() + " bytes."));
			}
			return new Composed(new EncodedMail(session, mime, from), recipients);
		}
		catch (MessagingException | UnsupportedEncodingException ex) {
			throw new Unsendable(Failures.invalidRequest(InvalidRequestCodes.SCHEMA_VIOLATION,
					"The mail could not be composed: " + ex.getClass().getSimpleName() + "."));
		}
	}

	/** An address header as Jakarta Mail writes it: encoded display names, folded after the header's name. */
	private static void addressHeader(MimeWriter out, String name, Address[] addresses) {
		out.header(name, InternetAddress.toString(addresses, name.length() + 2));
	}

	/** A header of free text: RFC 2047 words in UTF-8 where it is not ASCII, folded after the header's name. */
	private static void encodedHeader(MimeWriter out, String name, String value) throws UnsupportedEncodingException {
		out.header(name, MimeUtility.fold(name.length() + 2, MimeUtility.encodeText(value, UTF_8, null)));
	}

	/** The request's X- headers, one of each name regardless of case (the last value wins). */
	private static Map<String, String> extraHeaders(SendRequest request) throws Unsendable {
		Map<String, String> headers = new LinkedHashMap<>();
		for (Map.Entry<String, String> header : request.headers().entrySet()) {
			String name = headerName(header.getKey());
			headers.keySet().removeIf(name::equalsIgnoreCase);
			headers.put(name, header.getValue());
		}
		return headers;
	}

	private static void body(MimeWriter out, SendRequest request) throws MessagingException, Unsendable {
		List<Attachment> attachments = request.attachments();
		if (attachments.isEmpty()) {
			content(out, request);
			return;
		}
		String mixed = out.multipart("mixed");
		out.endHeaders();
		out.part(mixed, true);
		content(out, request);
		for (Attachment attachment : attachments) {
			out.part(mixed, false);
			attachment(out, attachment);
		}
		out.end(mixed);
	}

	/**
	 * Text, HTML, or both as multipart/alternative (plain first: clients show the last part they can): the
	 * rest of the headers, then the body.
	 */
	private static void content(MimeWriter out, SendRequest request) {
		boolean text = request.text() != null;
		boolean html = request.html() != null;
		if (text && html) {
			String alternative = out.multipart("alternative");
			out.endHeaders();
			out.part(alternative, true);
			out.text("plain", request.text());
			out.part(alternative, false);
			out.text("html", request.html());
			out.end(alternative);
		}
		else if (html) {
			out.text("html", request.html());
		}
		else {
			out.text("plain", text ? request.text() : "");
		}
	}

	/** An attachment in base64, its file name in Content-Type and Content-Disposition as Jakarta Mail sets it. */
	private static void attachment(MimeWriter out, Attachment attachment) throws MessagingException, Unsendable {
		byte[] bytes;
		try {
			bytes = attachment.decodedContent();
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			throw new Unsendable(Failures.invalidRequest(InvalidRequestCodes.INVALID_ATTACHMENT,
					"The content of attachment " + attachment.filename() + " is not base64."));
		}
		ContentType type = new ContentType(attachment.contentType() == null || attachment.contentType().isBlank()
				? "application/octet-stream" : singleLine(attachment.contentType(), "attachment content type"));
		ContentDisposition disposition = new ContentDisposition(Part.ATTACHMENT, null);
		if (attachment.filename() != null) {
			String filename = singleLine(attachment.filename(), "attachment file name");
			disposition.setParameterList(parameter("filename", filename, disposition.getParameterList()));
			type.setParameterList(parameter("name", filename, type.getParameterList()));
		}
		out.header("Content-Type", type.toString());
		out.header("Content-Transfer-Encoding", "base64");
		out.header("Content-Disposition", disposition.toString());
		out.endHeaders();
		out.base64(bytes);
	}

	/** A parameter in UTF-8 (RFC 2231 where it is not ASCII), added to a header's parameters. */
	private static ParameterList parameter(String name, String value, ParameterList parameters) {
		ParameterList list = parameters == null ? new ParameterList() : parameters;
		list.set(name, value, UTF_8);
		return list;
	}

	private static String headerName(String name) throws Unsendable {
		if (name == null || !EXTRA_HEADER.matcher(name).matches()) {
			throw new Unsendable(Failures.invalidRequest(InvalidRequestCodes.INVALID_HEADER,
					"The extra header " + name + " is not an X- header."));
		}
		return name;
	}

	private static InternetAddress[] addresses(List<EmailAddress> addresses, String field) throws Unsendable {
		InternetAddress[] result = new InternetAddress[addresses.size()];
		for (int i = 0; i < result.length; i++) {
			result[i] = address(addresses.get(i).address(), addresses.get(i).name(), field);
		}
		return result;
	}

	private static InternetAddress address(String address, String name, String field) throws Unsendable {
		try {
			InternetAddress parsed = new InternetAddress(singleLine(address, field), true);
			if (name != null && !name.isBlank()) {
				parsed.setPersonal(singleLine(name, field), UTF_8);
			}
			return parsed;
		}
		catch (AddressException | UnsupportedEncodingException | NullPointerException ex) {
			throw new Unsendable(Failures.invalidRequest(InvalidRequestCodes.INVALID_ADDRESS,
					"An address in " + field + " is not a valid email address."));
		}
	}

	private static String singleLine(String value, String field) throws Unsendable {
		if (value != null && (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0)) {
			throw new Unsendable(Failures.invalidRequest(InvalidRequestCodes.HEADER_INJECTION,
					"The " + field + " contains a line break."));
		}
		return value;
	}

}
