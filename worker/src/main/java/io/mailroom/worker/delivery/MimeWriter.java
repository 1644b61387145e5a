package io.mailroom.worker.delivery;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Writes a MIME message (RFC 5322, RFC 2045–2046) into bytes in one pass: header lines as given, text
 * bodies in UTF-8 with the transfer encoding Jakarta Mail would choose for them, binary content in base64,
 * and multipart boundaries. What goes into the message, and the encoding of header values (RFC 2047) and
 * parameters (RFC 2231), is {@link MailComposer}'s.
 *
 * <p>Why not Jakarta Mail's body parts: they encode a message part by part through a chain of streams, a
 * byte at a time, after a first pass that only chooses the encoding, and each part looks up its
 * encoders anew. That cost most of the worker's CPU per mail; this writes the same message in one pass.
 *
 * <p>A text body is 7bit when it is all ASCII in lines of at most 998 bytes and holds no {@code "=_"};
 * quoted-printable when most of it is ASCII; base64 otherwise (Jakarta Mail's rule, plus the last
 * condition). Every boundary holds {@code "=_"}, which no encoded body can hold (quoted-printable writes
 * {@code '='} as {@code "=3D"}, base64 has no {@code '_'}), so no body can end a part early, whatever it holds.
 * Line ends are CRLF throughout.
 */
final class MimeWriter {

	/** RFC 5322's limit on a line, CRLF excluded. */
	static final int MAX_LINE = 998;

	/** RFC 2045's limit on a line of quoted-printable or base64, CRLF excluded. */
	static final int MAX_ENCODED_LINE = 76;

	private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

	private static final Base64.Encoder BASE64 = Base64.getMimeEncoder();

	private final String boundaryToken;

	private byte[] bytes;

	private int count;

	private int multiparts;

	/**
	 * @param capacity bytes to start with; the buffer grows as needed
	 * @param boundaryToken makes the message's boundaries its own (letters and digits)
	 */
	MimeWriter(int capacity, String boundaryToken) {
		this.bytes = new byte[capacity];
		this.boundaryToken = boundaryToken;
	}

	/** A header line; {@code value} is encoded and folded already, and holds no line break that is not a fold. */
	void header(String name, String value) {
		ascii(name);
		ascii(": ");
		utf8(value);
		crlf();
	}

	/** The empty line between a message's or a part's headers and its body. */
	void endHeaders() {
		crlf();
	}

	/**
	 * The {@code Content-Type} header of a multipart body with a new boundary, which it returns: then
	 * {@link #endHeaders()}, and each part after {@link #part(String, boolean)}, then {@link #end(String)}.
	 */
	String multipart(String subtype) {
		String boundary = "----=_Part_" + multiparts++ + "_" + boundaryToken;
		ascii("Content-Type: multipart/");
		ascii(subtype);
		ascii(";\r\n\tboundary=\"");
		ascii(boundary);
		ascii("\"\r\n");
		return boundary;
	}

	/** Starts a part of a multipart body. */
	void part(String boundary, boolean first) {
		if (!first) {
			crlf();
		}
		ascii("--");
		ascii(boundary);
		crlf();
	}

	/** Ends a multipart body. */
	void end(String boundary) {
		crlf();
		ascii("--");
		ascii(boundary);
		ascii("--");
		crlf();
	}

	/** A text body in UTF-8: its {@code Content-Type} and {@code Content-Transfer-Encoding}, then the text. */
	void text(String subtype, String text) {
		byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
		Encoding encoding = Encoding.of(utf8);
		ascii("Content-Type: text/");
		ascii(subtype);
		ascii("; charset=UTF-8\r\nContent-Transfer-Encoding: ");
		ascii(encoding.name);
		crlf();
		crlf();
		switch (encoding) {
			case SEVEN_BIT -> lines(utf8);
			case QUOTED_PRINTABLE -> quotedPrintable(utf8);
			case BASE64 -> base64(utf8);
		}
	}

	/** Content in base64, in lines of 76 characters, the last one ended too. */
	void base64(byte[] content) {
		byte[] encoded = BASE64.encode(content);
		ensure(encoded.length + 2);
		System.arraycopy(encoded, 0, bytes, count, encoded.length);
		count += encoded.length;
		if (encoded.length > 0) {
			crlf();
		}
	}

	byte[] toByteArray() {
		return Arrays.copyOf(bytes, count);
	}

	/** ASCII text with every line end (CR, LF or CRLF) written as CRLF. */
	private void lines(byte[] ascii) {
		ensure(ascii.length * 2);
		for (int i = 0; i < ascii.length; i++) {
			byte b = ascii[i];
			if (b == '\r' || b == '\n') {
				bytes[count++] = '\r';
				bytes[count++] = '\n';
				if (b == '\r' && i + 1 < ascii.length && ascii[i + 1] == '\n') {
					i++;
				}
			}
			else {
				bytes[count++] = b;
			}
		}
	}

	/**
	 * Quoted-printable (RFC 2045 6.7) in lines of at most 76 characters, soft breaks included: every line end
	 * becomes CRLF, a space before a line end or at the end is encoded, and so are '=', control characters
	 * other than the line ends, and every byte above 126.
	 */
	private void quotedPrintable(byte[] content) {
		int limit = MAX_ENCODED_LINE - 1; // room for the '=' of a soft break
		int column = 0;
		for (int i = 0; i < content.length; i++) {
			ensure(8);
			int c = content[i] & 0xFF;
			if (c == '\r' || c == '\n') {
				bytes[count++] = '\r';
				bytes[count++] = '\n';
				column = 0;
				if (c == '\r' && i + 1 < content.length && content[i + 1] == '\n') {
					i++;
				}
				continue;
			}
			boolean lineEndsHere = i + 1 == content.length || content[i + 1] == '\r' || content[i + 1] == '\n';
			boolean encode = c == '=' || c > 126 || c < 32 && c != '\t' || (c == ' ' || c == '\t') && lineEndsHere;
			int width = encode ? 3 : 1;
			if (column + width > limit) {
				bytes[count++] = '=';
				bytes[count++] = '\r';
				bytes[count++] = '\n';
				column = 0;
			}
			if (encode) {
				bytes[count++] = '=';
				bytes[count++] = HEX[c >> 4];
				bytes[count++] = HEX[c & 0xF];
			}
			else {
				bytes[count++] = (byte) c;
			}
			column += width;
		}
	}

	private void ascii(String s) {
		int length = s.length();
		ensure(length);
		for (int i = 0; i < length; i++) {
			bytes[count++] = (byte) s.charAt(i);
		}
	}

	/** Header values are ASCII once encoded; an address may still hold other characters, written as UTF-8. */
	private void utf8(String s) {
		for (int i = 0; i < s.length(); i++) {
			if (s.charAt(i) > 127) {
				byte[] encoded = s.getBytes(StandardCharsets.UTF_8);
				ensure(encoded.length);
				System.arraycopy(encoded, 0, bytes, count, encoded.length);
				count += encoded.length;
				return;
			}
		}
		ascii(s);
	}

	private void crlf() {
		ensure(2);
		bytes[count++] = '\r';
		bytes[count++] = '\n';
	}

	private void ensure(int more) {
		if (count + more > bytes.length) {
			bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + more));
		}
	}

	/** How a text body is written. */
	enum Encoding {

		SEVEN_BIT("7bit"), QUOTED_PRINTABLE("quoted-printable"), BASE64("base64");

		final String name;

		Encoding(String name) {
			this.name = name;
		}

		/** Jakarta Mail's choice for text (and quoted-printable for a text that holds {@code "=_"}). */
		static Encoding of(byte[] utf8) {
			int ascii = 0;
			int other = 0;
			int line = 0;
			boolean longLine = false;
			boolean boundaryLike = false;
			for (int i = 0; i < utf8.length; i++) {
				int b = utf8[i] & 0xFF;
				if (b == '\r' || b == '\n') {
					line = 0;
				}
				else if (++line > MAX_LINE) {
					longLine = true;
				}
				if (b >= 127 || b < 32 && b != '\r' && b != '\n' && b != '\t') {
					other++;
				}
				else {
					ascii++;
					if (b == '_' && i > 0 && utf8[i - 1] == '=') {
						boundaryLike = true;
					}
				}
			}
			if (other == 0) {
				return longLine || boundaryLike ? QUOTED_PRINTABLE : SEVEN_BIT;
			}
			return ascii > other ? QUOTED_PRINTABLE : BASE64;
		}

	}

}
