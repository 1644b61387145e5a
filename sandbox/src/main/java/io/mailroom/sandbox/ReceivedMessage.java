package io.mailroom.sandbox;

import java.io.ByteArrayInputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeUtility;

/**
 * A message Exchange accepted, with its envelope and the session it came in.
 *
 * @param queueId the ID of the {@code 250 2.0.0 OK <id>} reply
 * @param sessionId the SMTP session (connection) it was sent on
 * @param mailbox the mailbox the session authenticated as ({@code user=} of XOAUTH2)
 * @param authenticatedBy who proved it: the user principal name of a delegated token's user (the mailbox
 * itself, or a delegate with FullAccess) or the client ID of an app-only token
 * @param envelopeFrom the MAIL FROM address
 * @param recipients the RCPT TO addresses
 * @param content the raw MIME message as received
 * @param receivedAt when the final reply was sent
 */
public record ReceivedMessage(String queueId, String sessionId, String mailbox, String authenticatedBy,
		String envelopeFrom, List<String> recipients, byte[] content, Instant receivedAt) {

	public ReceivedMessage {
		recipients = List.copyOf(recipients);
	}

	/** A copy of the raw MIME message. */
	@Override
	public byte[] content() {
		return this.content.clone();
	}

	/** The raw MIME message as text (UTF-8). */
	public String contentAsString() {
		return new String(this.content, StandardCharsets.UTF_8);
	}

	/** Size of the raw message in bytes. */
	public int size() {
		return this.content.length;
	}

	/** The message headers, names in lower case, values unfolded and RFC 2047-decoded. */
	public Map<String, List<String>> headers() {
		try {
			InternetHeaders parsed = new InternetHeaders(new ByteArrayInputStream(this.content));
			Map<String, List<String>> headers = new LinkedHashMap<>();
			for (Header header : Collections.list(parsed.getAllHeaders())) {
				headers.computeIfAbsent(header.getName().toLowerCase(Locale.ROOT), (name) -> new ArrayList<>())
					.add(decode(MimeUtility.unfold(header.getValue()).trim()));
			}
			return headers;
		}
		catch (MessagingException ex) {
			throw new IllegalStateException("Received message has unreadable headers", ex);
		}
	}

	/** The first value of a header. */
	public Optional<String> header(String name) {
		List<String> values = headers().get(name.toLowerCase(Locale.ROOT));
		return (values == null || values.isEmpty()) ? Optional.empty() : Optional.of(values.get(0));
	}

	/** The {@code Message-ID} header, as the client wrote it. */
	public Optional<String> messageId() {
		return header("Message-ID");
	}

	public Optional<String> subject() {
		return header("Subject");
	}

	/** The {@code From} header. */
	public Optional<String> from() {
		return header("From");
	}

	@Override
	public String toString() {
		return "ReceivedMessage[queueId=" + this.queueId + ", mailbox=" + this.mailbox + ", envelopeFrom="
				+ this.envelopeFrom + ", recipients=" + this.recipients + ", size=" + this.content.length + "]";
	}

	private static String decode(String value) {
		try {
			return MimeUtility.decodeText(value);
		}
		catch (UnsupportedEncodingException ex) {
			return value;
		}
	}

}
