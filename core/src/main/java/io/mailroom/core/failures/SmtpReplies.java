package io.mailroom.core.failures;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mailroom.contracts.SmtpReply;
import io.mailroom.core.text.SafeText;

/**
 * Reads SMTP replies out of what mail libraries hand back: a bare reply line, a multi-line reply, or an
 * exception message with the reply somewhere inside it. Angus Mail, for one, gives only the raw line
 * ({@code "535 5.7.3 Authentication unsuccessful [HOST]\n"}) and parses no enhanced code.
 */
public final class SmtpReplies {

	/**
	 * A reply code (RFC 5321: 2xx–5xx with a second digit of 0–5, which keeps port numbers such as 587 or
	 * 465 out), its separator ({@code '-'} for a line that continues), and an optional enhanced status code
	 * (RFC 3463) that does not run on into an IP address or a longer number.
	 */
	private static final String REPLY = "([2-5][0-5]\\d)(?:([ -])|$)(?:([245]\\.\\d{1,3}\\.\\d{1,3})(?![\\d.]))?";

	private static final Pattern AT_LINE_START = Pattern.compile("^\\s*" + REPLY);

	/** Every kind of line end; compiled once, as {@code String.split} would compile it for every reply. */
	private static final Pattern LINE_END = Pattern.compile("\r?\n|\r");

	/**
	 * A reply inside other text, e.g. "...AuthenticationFailedException: 535 5.7.3 ..." or "said: 530 5.7.57
	 * ...". Only taken when an enhanced code follows, or when a colon precedes it, so that other numbers
	 * in exception messages are not read as replies.
	 */
	private static final Pattern INSIDE_TEXT = Pattern.compile("(?:^|(?<=[\\s:;,(\\[]))" + REPLY);

	private SmtpReplies() {
	}

	/**
	 * The first SMTP reply in {@code replyLine}.
	 * @param replyLine a reply line, a multi-line reply ({@code "250-…\n250 …"}), or a message containing one
	 * @return the reply code, the enhanced code (or {@code null} when the server sent none) and the text
	 *     after them, continuation lines joined by a space, {@link #cleaned cleaned}; {@code null} if there
	 *     is no reply code
	 */
	public static SmtpReply parse(String replyLine) {
		if (replyLine == null || replyLine.isBlank()) {
			return null;
		}
		String[] lines = LINE_END.split(replyLine);
		for (int i = 0; i < lines.length; i++) {
			Matcher first = firstReplyIn(lines[i]);
			if (first != null) {
				return read(lines, i, first);
			}
		}
		return null;
	}

	private static Matcher firstReplyIn(String line) {
		Matcher start = AT_LINE_START.matcher(line);
		if (start.find()) {
			return start;
		}
		Matcher inside = INSIDE_TEXT.matcher(line);
		while (inside.find()) {
			boolean enhanced = inside.group(3) != null && classesAgree(inside);
			boolean afterColon = inside.start() > 0 && line.substring(0, inside.start()).stripTrailing().endsWith(":");
			if (enhanced || afterColon) {
				return inside;
			}
		}
		return null;
	}

	private static SmtpReply read(String[] lines, int index, Matcher first) {
		int code = Integer.parseInt(first.group(1));
		String enhanced = enhancedCode(first);
		List<String> texts = new ArrayList<>();
		texts.add(textAfter(lines[index], first, enhanced));
		boolean continues = "-".equals(first.group(2));
		for (int i = index + 1; continues && i < lines.length; i++) {
			Matcher next = AT_LINE_START.matcher(lines[i]);
			if (!next.find() || Integer.parseInt(next.group(1)) != code) {
				break;
			}
			if (enhanced == null) {
				enhanced = enhancedCode(next);
			}
			texts.add(textAfter(lines[i], next, enhanced));
			continues = "-".equals(next.group(2));
		}
		String text = String.join(" ", texts.stream().filter((t) -> !t.isEmpty()).toList());
		return cleaned(new SmtpReply(code, enhanced, text));
	}

	/**
	 * A reply as it may be stored and published: a server's text may hold anything (a NUL, stray control
	 * characters, a megabyte), and what PostgreSQL refuses must never make an outcome unwritable.
	 */
	static SmtpReply cleaned(SmtpReply reply) {
		String text = SafeText.clean(reply.text(), Failures.MAX_TEXT);
		String enhanced = SafeText.clean(reply.enhancedCode(), Failures.MAX_CODE);
		return text == reply.text() && enhanced == reply.enhancedCode() ? reply
				: new SmtpReply(reply.code(), enhanced, text);
	}

	/** The enhanced code, if its class agrees with the reply code's (RFC 3463 requires it). */
	private static String enhancedCode(Matcher reply) {
		return (reply.group(3) != null && classesAgree(reply)) ? reply.group(3) : null;
	}

	private static boolean classesAgree(Matcher reply) {
		return reply.group(3) == null || reply.group(3).charAt(0) == reply.group(1).charAt(0);
	}

	/** The rest of the line after the codes; a repeated enhanced code on a continuation line is dropped too. */
	private static String textAfter(String line, Matcher reply, String enhanced) {
		int end = (enhancedCode(reply) != null) ? reply.end(3) : (reply.group(2) != null) ? reply.end(2) : reply.end(1);
		String rest = line.substring(end).strip();
		if (enhanced != null && rest.startsWith(enhanced + " ")) {
			rest = rest.substring(enhanced.length()).strip();
		}
		return rest;
	}

}
