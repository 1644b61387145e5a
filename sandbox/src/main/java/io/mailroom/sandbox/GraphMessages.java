package io.mailroom.sandbox;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;

/** MIME as Graph reads and writes it: recipients from headers, JSON messages and uploaded attachments as MIME. */
final class GraphMessages {

	private GraphMessages() {
	}

	/** A message's From, recipients (To, Cc and Bcc, which Graph takes from MIME) and Message-ID. */
	record Envelope(String from, List<String> recipients, String internetMessageId, String subject) {
	}

	static Envelope envelope(byte[] mime) throws GraphFailure {
		try {
			InternetHeaders headers = new InternetHeaders(new ByteArrayInputStream(mime));
			List<String> recipients = new ArrayList<>();
			for (String name : List.of("To", "Cc", "Bcc")) {
				String[] values = headers.getHeader(name);
				if (values != null) {
					for (String value : values) {
						for (InternetAddress address : InternetAddress.parseHeader(value, false)) {
							recipients.add(address.getAddress());
						}
					}
				}
			}
			String from = first(headers, "From");
			String fromAddress = from == null ? null : InternetAddress.parseHeader(from, false)[0].getAddress();
			return new Envelope(fromAddress, recipients, first(headers, "Message-ID"), first(headers, "Subject"));
		}
		catch (MessagingException | RuntimeException ex) {
			throw new GraphFailure(400, "ErrorMimeContentInvalid", "The MIME content is invalid.");
		}
	}

	/** The MIME body of a {@code text/plain} request: base64, as Graph requires, or its error. */
	static byte[] decodeBase64(byte[] body) throws GraphFailure {
		try {
			// line breaks are allowed between base64 lines, anything else outside the alphabet is not
			String text = new String(body, StandardCharsets.US_ASCII).replaceAll("[\\r\\n]", "");
			byte[] mime = Base64.getDecoder().decode(text);
			if (mime.length == 0) {
				throw new IllegalArgumentException("empty");
			}
			return mime;
		}
		catch (IllegalArgumentException ex) {
			throw new GraphFailure(400, "ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content.");
		}
	}

	/** A JSON {@code message} resource as the MIME message Exchange would make of it. */
	@SuppressWarnings("unchecked")
	static byte[] fromJson(Map<String, Object> message, String mailbox) throws GraphFailure {
		List<String> to = addresses(message.get("toRecipients"));
		List<String> cc = addresses(message.get("ccRecipients"));
		List<String> bcc = addresses(message.get("bccRecipients"));
		Map<String, Object> body = (Map<String, Object>) message.getOrDefault("body", Map.of());
		String contentType = "html".equalsIgnoreCase(String.valueOf(body.get("contentType"))) ? "text/html" : "text/plain";
		String from = addresses(message.get("from") == null ? null : List.of(message.get("from"))).stream().findFirst()
			.orElse(mailbox);
		StringBuilder mime = new StringBuilder();
		mime.append("From: ").append(from).append("\r\n");
		if (!to.isEmpty()) {
			mime.append("To: ").append(String.join(", ", to)).append("\r\n");
		}
		if (!cc.isEmpty()) {
			mime.append("Cc: ").append(String.join(", ", cc)).append("\r\n");
		}
		if (!bcc.isEmpty()) {
			mime.append("Bcc: ").append(String.join(", ", bcc)).append("\r\n");
		}
		mime.append("Subject: ").append(String.valueOf(message.getOrDefault("subject", ""))).append("\r\n");
		mime.append("Message-ID: <").append(UUID.randomUUID()).append("@sandbox.prod.outlook.localhost>\r\n");
		mime.append("MIME-Version: 1.0\r\nContent-Type: ").append(contentType).append("; charset=utf-8\r\n\r\n");
		mime.append(String.valueOf(body.getOrDefault("content", ""))).append("\r\n");
		byte[] bytes = mime.toString().getBytes(StandardCharsets.UTF_8);
		List<Map<String, Object>> attachments = (List<Map<String, Object>>) message.getOrDefault("attachments", List.of());
		for (Map<String, Object> attachment : attachments) {
			byte[] content = Base64.getDecoder().decode(String.valueOf(attachment.get("contentBytes")));
			bytes = withAttachment(bytes, String.valueOf(attachment.get("name")),
					String.valueOf(attachment.getOrDefault("contentType", "application/octet-stream")), content);
		}
		return bytes;
	}

	/** {@code mime} with one more attachment: the original body becomes the first part of a multipart/mixed. */
	static byte[] withAttachment(byte[] mime, String name, String contentType, byte[] content) {
		String text = new String(mime, StandardCharsets.ISO_8859_1);
		int split = text.indexOf("\r\n\r\n");
		String head = split < 0 ? text : text.substring(0, split);
		String body = split < 0 ? "" : text.substring(split + 4);
		StringBuilder kept = new StringBuilder();
		StringBuilder partHeaders = new StringBuilder();
		for (String line : head.split("\r\n(?![ \t])")) {
			String lower = line.toLowerCase(java.util.Locale.ROOT);
			if (lower.startsWith("content-type:") || lower.startsWith("content-transfer-encoding:")) {
				partHeaders.append(line).append("\r\n");
			}
			else if (!lower.startsWith("mime-version:")) {
				kept.append(line).append("\r\n");
			}
		}
		String boundary = "graph-" + UUID.randomUUID();
		String result = kept + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n"
				+ "--" + boundary + "\r\n" + partHeaders + "\r\n" + body + "\r\n--" + boundary + "\r\nContent-Type: "
				+ contentType + "; name=\"" + name + "\"\r\nContent-Disposition: attachment; filename=\"" + name
				+ "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
				+ Base64.getMimeEncoder(76, new byte[] { '\r', '\n' }).encodeToString(content) + "\r\n--" + boundary
				+ "--\r\n";
		return result.getBytes(StandardCharsets.ISO_8859_1);
	}

	@SuppressWarnings("unchecked")
	private static List<String> addresses(Object recipients) throws GraphFailure {
		List<String> addresses = new ArrayList<>();
		if (recipients == null) {
			return addresses;
		}
		for (Object recipient : (List<Object>) recipients) {
			Object email = ((Map<String, Object>) recipient).get("emailAddress");
			String address = email == null ? null : String.valueOf(((Map<String, Object>) email).get("address"));
			try {
				new InternetAddress(address, true);
			}
			catch (AddressException | NullPointerException ex) {
				throw new GraphFailure(400, "ErrorInvalidRecipients", "At least one recipient is not valid.");
			}
			addresses.add(address);
		}
		return addresses;
	}

	private static String first(InternetHeaders headers, String name) {
		String[] values = headers.getHeader(name);
		return values == null || values.length == 0 ? null : values[0].trim();
	}

}
