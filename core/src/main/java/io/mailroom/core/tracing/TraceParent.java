package io.mailroom.core.tracing;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import org.slf4j.MDC;

/**
 * A W3C {@code traceparent}: {@code 00-<32 hex trace id>-<16 hex parent span id>-<2 hex flags>}.
 *
 * @param traceId the trace the mail belongs to
 * @param spanId the producer's span
 * @param flags trace flags (01 = sampled)
 */
public record TraceParent(String traceId, String spanId, String flags) {

	/** The record header (and MDC key prefix) W3C trace context uses. */
	public static final String HEADER = "traceparent";

	private static final Pattern FORMAT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

	private static final String ZERO_TRACE = "0".repeat(32);

	private static final String ZERO_SPAN = "0".repeat(16);

	/** Reads a header value; null when absent or malformed (a bad header never fails a mail). */
	public static TraceParent parse(String value) {
		if (value == null) {
			return null;
		}
		var matcher = FORMAT.matcher(value.strip());
		if (!matcher.matches() || ZERO_TRACE.equals(matcher.group(1)) || ZERO_SPAN.equals(matcher.group(2))) {
			return null;
		}
		return new TraceParent(matcher.group(1), matcher.group(2), matcher.group(3));
	}

	/** A new trace, for mail Mailroom itself originates (test emails). */
	public static TraceParent newTrace() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		HexFormat hex = HexFormat.of();
		return new TraceParent(hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong()),
				hex.toHexDigits(random.nextLong()), "01");
	}

	/** The header value. */
	public String value() {
		return "00-" + traceId + "-" + spanId + "-" + flags;
	}

	/**
	 * Puts the trace into the logging context of this thread until the returned scope is closed; logs then
	 * carry {@code traceId} and {@code spanId}.
	 */
	public static Scope inLogs(String headerValue) {
		TraceParent parent = parse(headerValue);
		if (parent == null) {
			return () -> {
			};
		}
		MDC.put("traceId", parent.traceId());
		MDC.put("spanId", parent.spanId());
		return () -> {
			MDC.remove("traceId");
			MDC.remove("spanId");
		};
	}

	/** Ends a logging context. */
	@FunctionalInterface
	public interface Scope extends AutoCloseable {

		@Override
		void close();

	}

}
