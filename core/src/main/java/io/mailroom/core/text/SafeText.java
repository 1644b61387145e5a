package io.mailroom.core.text;

import java.util.Locale;

/**
 * What PostgreSQL and SMTP refuse in text, known in one place.
 *
 * <ul>
 *   <li><b>NUL (U+0000)</b>: PostgreSQL stores no NUL in {@code text} nor {@code \u0000} in {@code jsonb}
 *       (the statement fails), and RFC 5322 allows none in a mail.</li>
 *   <li><b>Other control characters</b> (U+0001–U+001F, U+007F): not allowed in mail headers (RFC 5322
 *       {@code VCHAR}/{@code WSP}); Mailroom allows TAB everywhere and CR and LF in bodies only, where
 *       they end lines. Anywhere else a line break would let a value add headers of its own.</li>
 *   <li><b>Lone surrogates</b> (a UTF-16 half without its other half, e.g. from a JSON
 *       {@code "\ud800"}): not a Unicode character, cannot be written as UTF-8; PostgreSQL refuses the
 *       escape in {@code jsonb}, and the JDBC driver would turn it into {@code ?} in {@code text}.</li>
 *   <li><b>Bytes that are not UTF-8</b> in a record: checked before the record is read as JSON.</li>
 * </ul>
 */
public final class SafeText {

	/** What replaces a refused character in cleaned text: U+FFFD, Unicode's replacement character. */
	public static final char REPLACEMENT = '\uFFFD';

	private static final String ELLIPSIS = "…";

	private SafeText() {
	}

	/** Where a text goes, which decides whether it may hold line breaks. */
	public enum Use {

		/** One line: a header, an address, a name, an id, a tag. TAB is allowed, CR and LF are not. */
		LINE,

		/** A mail body: TAB, CR and LF are allowed. */
		BODY

	}

	/**
	 * The first character of a text that may not be stored or sent.
	 *
	 * @param position where it is, counted in Unicode code points from 0 (a lone surrogate counts as one)
	 * @param codePoint the character (for a lone surrogate, the surrogate's value)
	 * @param kind what is wrong with it
	 */
	public record Flaw(int position, int codePoint, Kind kind) {

		/** Why a character is refused. */
		public enum Kind {

			/** CR or LF where the text must be one line. */
			LINE_BREAK,

			/** NUL or another control character. */
			CONTROL,

			/** Half of a UTF-16 surrogate pair without its other half. */
			LONE_SURROGATE

		}

		/** The character as a producer's developer can look it up, e.g. {@code U+0000 (NUL)}. */
		public String character() {
			String code = "U+" + String.format(Locale.ROOT, "%04X", codePoint);
			return switch (kind) {
				case LINE_BREAK -> "a line break (" + code + (codePoint == '\r' ? ", CR)" : ", LF)");
				case CONTROL -> codePoint == 0 ? code + " (NUL)" : "the control character " + code;
				case LONE_SURROGATE -> "a lone surrogate " + code;
			};
		}

		/** E.g. {@code U+0000 (NUL) at position 12}. */
		public String describe() {
			return character() + " at position " + position;
		}

	}

	/**
	 * The first character of {@code value} that may not be stored or sent where it is used, or null when
	 * there is none (or the value is null).
	 */
	public static Flaw flaw(String value, Use use) {
		if (value == null) {
			return null;
		}
		int position = 0;
		int i = 0;
		int length = value.length();
		while (i < length) {
			char c = value.charAt(i);
			if (c >= 0x20 && c < 0x7F) {
				// printable ASCII, nearly every character of a mail: nothing else to check (intake reads every body)
				i++;
				position++;
				continue;
			}
			if (Character.isSurrogate(c)) {
				if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
					i += 2;
					position++;
					continue;
				}
				return new Flaw(position, c, Flaw.Kind.LONE_SURROGATE);
			}
			if (c == '\r' || c == '\n') {
				if (use == Use.LINE) {
					return new Flaw(position, c, Flaw.Kind.LINE_BREAK);
				}
			}
			else if (isRefusedControl(c)) {
				return new Flaw(position, c, Flaw.Kind.CONTROL);
			}
			i++;
			position++;
		}
		return null;
	}

	/**
	 * Text from outside Mailroom (a server's reply, an exception message, an identity platform description)
	 * made safe to store and publish: every refused character (NUL and other control characters except TAB,
	 * CR and LF; lone surrogates) replaced by {@link #REPLACEMENT}, and cut to {@code maxLength} code
	 * points, the last of them an ellipsis. Returns {@code value} itself when nothing needs changing.
	 */
	public static String clean(String value, int maxLength) {
		if (value == null) {
			return null;
		}
		if (maxLength < 1) {
			throw new IllegalArgumentException("maxLength must be at least 1");
		}
		boolean tooLong = value.length() > maxLength && value.codePointCount(0, value.length()) > maxLength;
		if (!tooLong && flaw(value, Use.BODY) == null) {
			return value;
		}
		int keep = tooLong ? maxLength - 1 : Integer.MAX_VALUE;
		StringBuilder cleaned = new StringBuilder(Math.min(value.length(), maxLength) + 1);
		int kept = 0;
		int i = 0;
		while (i < value.length() && kept < keep) {
			char c = value.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
				cleaned.append(c).append(value.charAt(i + 1));
				i += 2;
			}
			else {
				cleaned.append(Character.isSurrogate(c) || isRefusedControl(c) ? REPLACEMENT : c);
				i++;
			}
			kept++;
		}
		return tooLong ? cleaned.append(ELLIPSIS).toString() : cleaned.toString();
	}

	/** {@link #clean(String, int)} without a length limit: only the refused characters are replaced. */
	public static String clean(String value) {
		return clean(value, Integer.MAX_VALUE);
	}

	/**
	 * The offset of the first byte that does not belong to well-formed UTF-8 (RFC 3629: no overlong forms,
	 * no surrogates, nothing above U+10FFFF, no truncated sequence), or -1 when all of {@code bytes} is UTF-8.
	 */
	public static int invalidUtf8At(byte[] bytes) {
		int i = 0;
		while (i < bytes.length) {
			int b = bytes[i] & 0xFF;
			if (b < 0x80) {
				i++;
				continue;
			}
			int continuations;
			int secondMin = 0x80;
			int secondMax = 0xBF;
			if (b >= 0xC2 && b <= 0xDF) {
				continuations = 1;
			}
			else if (b >= 0xE0 && b <= 0xEF) {
				continuations = 2;
				if (b == 0xE0) {
					secondMin = 0xA0; // shorter forms are overlong
				}
				else if (b == 0xED) {
					secondMax = 0x9F; // U+D800..U+DFFF are surrogates
				}
			}
			else if (b >= 0xF0 && b <= 0xF4) {
				continuations = 3;
				if (b == 0xF0) {
					secondMin = 0x90;
				}
				else if (b == 0xF4) {
					secondMax = 0x8F; // nothing above U+10FFFF
				}
			}
			else {
				return i;
			}
			for (int k = 1; k <= continuations; k++) {
				if (i + k >= bytes.length) {
					return i;
				}
				int next = bytes[i + k] & 0xFF;
				int min = k == 1 ? secondMin : 0x80;
				int max = k == 1 ? secondMax : 0xBF;
				if (next < min || next > max) {
					return i;
				}
			}
			i += continuations + 1;
		}
		return -1;
	}

	private static boolean isRefusedControl(char c) {
		return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F;
	}

}
