package io.mailroom.contracts;

import java.util.Base64;

/**
 * A file attached to a {@link SendRequest}.
 *
 * @param filename the name the recipient sees
 * @param contentType MIME type, e.g. {@code application/pdf}
 * @param content the file's bytes, base64-encoded (RFC 4648, standard alphabet, padded, no line breaks)
 */
public record Attachment(String filename, String contentType, String content) {

	public static Attachment of(String filename, String contentType, byte[] bytes) {
		return new Attachment(filename, contentType, Base64.getEncoder().encodeToString(bytes));
	}

	/**
	 * The decoded bytes; throws {@link IllegalArgumentException} when {@code content} is not base64. Strict on
	 * purpose: a lenient (MIME) decoder skips characters outside the alphabet and would turn garbage into a
	 * silently corrupted file instead of a refused request.
	 */
	public byte[] decodedContent() {
		return Base64.getDecoder().decode(content);
	}

}
