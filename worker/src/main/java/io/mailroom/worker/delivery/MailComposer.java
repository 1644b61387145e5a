package io.mailroom.worker.delivery;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import io.mailroom.contracts.Attachment;
import io.mailroom.contracts.EmailAddress;
import io.mailroom.contracts.SendRequest;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.core.failures.InvalidRequestCodes;
import io.mailroom.core.services.SmtpService;

import jakarta.activation.DataHandler;

/**
 * Turns a request into the MIME message the service sends: From the service's address, Reply-To the
 * service's reply-to, To and Cc as headers (Bcc only in the envelope), the request's {@code X-} headers,
 * and a Message-ID made from the requestId. Intake has validated the request; what could still smuggle
 * headers in (CR or LF) or break the MIME structure is refused here again, as a last line.
 */
final class MailComposer {

	private static final Pattern EXTRA_HEADER = Pattern.compile("(?i)X-[A-Za-z0-9-]+");

	private static final String UTF_8 = StandardCharsets.UTF_8.name();

	/** Room for a typical mail's headers and text and HTML bodies before the buffer grows. */
	private static final int ENCODED_SIZE_GUESS = 8 * 1024;

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
			MimeMessage message = new StableIdMessage(session, messageId);
			InternetAddress from = address(service.fromAddress(), service.fromName(), "the service's From address");
			message.setFrom(from);
			if (service.replyTo() != null && !service.replyTo().isBlank()) {
				message.setReplyTo(new Address[] { address(service.replyTo(), null, "the service's Reply-To address") });
			}
			if (!request.to().isEmpty()) {
				message.setRecipients(Message.RecipientType.TO, addresses(request.to(), "to"));
			}
			if (!request.cc().isEmpty()) {
				message.setRecipients(Message.RecipientType.CC, addresses(request.cc(), "cc"));
			}
			message.setSubject(singleLine(request.subject() == null ? "" : request.subject(), "subject"), UTF_8);
			message.setSentDate(Date.from(now));
			for (Map.Entry<String, String> header : request.headers().entrySet()) {
				message.setHeader(headerName(header.getKey()), MimeUtility
					.fold(header.getKey().length() + 2, MimeUtility.encodeText(singleLine(header.getValue(),
							"header " + header.getKey()), UTF_8, null)));
			}
			setContent(message, request);
			message.saveChanges();
			Address[] recipients = addresses(request.allRecipients(), "to, cc and bcc");
			if (recipients.length == 0) {
				throw new Unsendable(Failures.invalidRequest(InvalidRequestCodes.NO_RECIPIENTS, "The mail has no recipient."));
			}
			byte[] mime = encoded(message);
			if (service.maxMessageBytes() != null && mime.length > service.maxMessageBytes()) {
				throw new Unsendable(Failures.invalidRequest(InvalidRequestCodes.MESSAGE_TOO_LARGE,
						"The encoded mail is larger than the service's limit of " + service.maxMessageBytes() + " bytes."));
			}
			return new Composed(new EncodedMail(session, mime, from), recipients);
		}
		catch (MessagingException | IOException ex) {
			throw new Unsendable(Failures.invalidRequest(InvalidRequestCodes.SCHEMA_VIOLATION,
					"The mail could not be composed: " + ex.getClass().getSimpleName() + "."));
		}
	}

	private static void setContent(MimeMessage message, SendRequest request) throws MessagingException, Unsendable {
		List<Attachment> attachments = request.attachments();
		if (attachments.isEmpty()) {
			setBody(message, request);
			return;
		}
		MimeMultipart mixed = new MimeMultipart("mixed");
		MimeBodyPart body = new MimeBodyPart();
		setBody(body, request);
		mixed.addBodyPart(body);
		for (Attachment attachment : attachments) {
			mixed.addBodyPart(attachmentPart(attachment));
		}
		message.setContent(mixed);
	}

	/** Text, HTML, or both as multipart/alternative (plain first: clients show the last part they can). */
	private static void setBody(Part part, SendRequest request) throws MessagingException {
		boolean text = request.text() != null;
		boolean html = request.html() != null;
		if (text && html) {
			MimeMultipart alternative = new MimeMultipart("alternative");
			MimeBodyPart plain = new MimeBodyPart();
			plain.setText(request.text(), UTF_8, "plain");
			MimeBodyPart rich = new MimeBodyPart();
			rich.setText(request.html(), UTF_8, "html");
			alternative.addBodyPart(plain);
			alternative.addBodyPart(rich);
			part.setContent(alternative);
		}
		else if (html) {
			((jakarta.mail.internet.MimePart) part).setText(request.html(), UTF_8, "html");
		}
		else {
			((jakarta.mail.internet.MimePart) part).setText(text ? request.text() : "", UTF_8, "plain");
		}
	}

	private static MimeBodyPart attachmentPart(Attachment attachment) throws MessagingException, Unsendable {
		byte[] bytes;
		try {
			bytes = attachment.decodedContent();
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			throw new Unsendable(Failures.invalidRequest(InvalidRequestCodes.INVALID_ATTACHMENT,
					"The content of attachment " + attachment.filename() + " is not base64."));
		}
		String contentType = attachment.contentType() == null || attachment.contentType().isBlank()
				? "application/octet-stream" : singleLine(attachment.contentType(), "attachment content type");
		MimeBodyPart part = new MimeBodyPart();
		part.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, contentType)));
		part.setDisposition(Part.ATTACHMENT);
		if (attachment.filename() != null) {
			part.setFileName(singleLine(attachment.filename(), "attachment file name"));
		}
		return part;
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

	private static byte[] encoded(MimeMessage message) throws IOException, MessagingException {
		Bytes out = new Bytes(ENCODED_SIZE_GUESS);
		message.writeTo(out);
		return out.toByteArray();
	}

	/**
	 * A growing byte array without {@link java.io.ByteArrayOutputStream}'s lock: Jakarta Mail's encoders write
	 * a message one byte at a time, and an uncontended lock per byte cost more than the encoding.
	 */
	private static final class Bytes extends OutputStream {

		private byte[] bytes;

		private int count;

		Bytes(int capacity) {
			bytes = new byte[capacity];
		}

		@Override
		public void write(int b) {
			if (count == bytes.length) {
				bytes = Arrays.copyOf(bytes, count * 2);
			}
			bytes[count++] = (byte) b;
		}

		@Override
		public void write(byte[] b, int off, int len) {
			Objects.checkFromIndexSize(off, len, b.length);
			if (count + len > bytes.length) {
				bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + len));
			}
			System.arraycopy(b, off, bytes, count, len);
			count += len;
		}

		byte[] toByteArray() {
			return Arrays.copyOf(bytes, count);
		}

	}

	/** A message whose Message-ID is given, not generated anew by every {@code saveChanges()}. */
	private static final class StableIdMessage extends MimeMessage {

		private final String messageId;

		StableIdMessage(Session session, String messageId) {
			super(session);
			this.messageId = messageId;
		}

		@Override
		protected void updateMessageID() throws MessagingException {
			setHeader("Message-ID", messageId);
		}

	}

}
