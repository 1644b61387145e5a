package io.mailroom.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a worker's Java threads spent their time, from a Flight Recorder recording's execution samples: each
 * sample is put under the stage of a mail's way through the worker it served (intake parse, validate and
 * insert, claim, token lookup, MIME composition, SMTP, settle, result publish…) and, within it, the kind of
 * work on top of the stack (TLS, MIME, JDBC, JSON…). Samples cover running Java code only: garbage
 * collection and JIT compilation are in {@link ThreadCpu}. On JDK 25 and newer the recording also counts
 * the JDBC driver's statements, round trips and commits ({@link #METHOD_TIMING}).
 */
final class WorkerProfile {

	/**
	 * JDK 25's method timing (JFR.start {@code method-timing=}): the PostgreSQL driver's statements sent (BEGIN
	 * and COMMIT included, each statement of a batch counted), its round trips (one per execute, a batch is
	 * one) and explicit commits.
	 */
	static final String METHOD_TIMING = "method-timing=org.postgresql.core.v3.QueryExecutorImpl::sendOneQuery;"
			+ "org.postgresql.core.v3.QueryExecutorImpl::execute;org.postgresql.jdbc.PgConnection::commit";

	static final String STATEMENTS = "org.postgresql.core.v3.QueryExecutorImpl::sendOneQuery";

	static final String ROUND_TRIPS = "org.postgresql.core.v3.QueryExecutorImpl::execute";

	static final String COMMITS = "org.postgresql.jdbc.PgConnection::commit";

	/**
	 * A mail's stages, recognised by the innermost frame on a sample's stack that one of these matches (a type
	 * prefix, and a method prefix or any method). Package-wide markers come after the classes within them, so
	 * a renamed class still falls into its package's stage.
	 */
	private static final List<Marker> STAGES = List.of(
			new Marker("io.mailroom.worker.intake.RequestValidator", null, "intake: validate"),
			new Marker("io.mailroom.worker.intake.SchemaCheck", null, "intake: validate"),
			new Marker("io.mailroom.worker.intake.EncodedSize", null, "intake: validate"),
			new Marker("io.mailroom.worker.intake.Intake", "check", "intake: validate"),
			new Marker("io.mailroom.worker.intake.Intake", "read", "intake: parse"),
			new Marker("io.mailroom.worker.queue.DeliveryQueue", "insert", "intake: insert"),
			new Marker("io.mailroom.worker.queue.DeliveryQueue", "claim", "claim"),
			new Marker("io.mailroom.worker.queue.DeliveryQueue", "settle", "settle"),
			new Marker("io.mailroom.worker.queue.DeliveryQueue", "markPublished", "result publish"),
			new Marker("io.mailroom.worker.tokens", null, "token lookup"),
			new Marker("io.mailroom.worker.delivery.MailComposer", null, "MIME composition"),
			new Marker("io.mailroom.worker.delivery.MimeWriter", null, "MIME composition"),
			new Marker("io.mailroom.worker.delivery", null, "SMTP"),
			new Marker("io.mailroom.worker.results", null, "result publish"),
			new Marker("io.mailroom.worker.scheduling.Outcomes", null, "settle"),
			new Marker("io.mailroom.worker.scheduling.MailboxRuntime", "claim", "claim"),
			new Marker("io.mailroom.worker.intake", null, "intake: other"),
			new Marker("io.mailroom.worker.scheduling.Housekeeping", null, "housekeeping"),
			new Marker("io.mailroom.worker.scheduling.Dispatcher", null, "dispatch (scan, leases)"),
			new Marker("io.mailroom.worker.scheduling", null, "dispatch (lanes)"),
			new Marker("io.mailroom.worker.queue", null, "queue: other"),
			new Marker("io.mailroom.worker.monitoring", null, "queue gauges"),
			new Marker("org.apache.kafka.clients.producer.internals.Sender", null, "result publish (producer I/O)"),
			new Marker("org.apache.kafka.clients.consumer", null, "intake: Kafka poll"),
			new Marker("org.springframework.kafka.listener", null, "intake: Kafka poll"),
			new Marker("org.apache.catalina", null, "HTTP (actuator)"),
			new Marker("org.apache.tomcat", null, "HTTP (actuator)"));

	/** HotSpot's tier of fully optimised code (C2); tiers 1 to 3 are C1's. */
	private static final int C2 = 4;

	private static final String JDK = "JDK";

	/** Kinds of work, by the innermost frame of these packages. */
	private static final Map<String, String> KINDS = kinds();

	private WorkerProfile() {
	}

	private static Map<String, String> kinds() {
		Map<String, String> kinds = new LinkedHashMap<>();
		kinds.put("sun.security.ssl", "TLS");
		kinds.put("com.sun.crypto.provider", "TLS");
		kinds.put("sun.security", "TLS");
		kinds.put("javax.crypto", "TLS");
		kinds.put("com.networknt", "JSON Schema");
		kinds.put("tools.jackson", "JSON");
		kinds.put("com.fasterxml.jackson", "JSON");
		kinds.put("org.postgresql", "JDBC driver");
		kinds.put("com.zaxxer.hikari", "connection pool");
		kinds.put("org.springframework.jdbc", "Spring JDBC");
		kinds.put("org.springframework.transaction", "Spring JDBC");
		kinds.put("org.eclipse.angus.mail.smtp", "SMTP client");
		kinds.put("org.eclipse.angus.mail", "MIME");
		kinds.put("jakarta.mail", "MIME");
		kinds.put("jakarta.activation", "MIME");
		kinds.put("org.eclipse.angus.activation", "MIME");
		kinds.put("com.microsoft.aad.msal4j", "MSAL");
		kinds.put("org.apache.kafka", "Kafka client");
		kinds.put("io.micrometer", "metrics");
		kinds.put("ch.qos.logback", "logging");
		kinds.put("org.slf4j", "logging");
		kinds.put("io.github.resilience4j", "circuit breakers");
		kinds.put("io.mailroom", "Mailroom code");
		kinds.put("java.util.regex", "regex");
		kinds.put("sun.nio", "socket I/O");
		kinds.put("java.net", "socket I/O");
		return kinds;
	}

	/** Reads the recording and summarises it. */
	static Summary of(Path recording) {
		Map<String, Map<String, Integer>> byActivity = new HashMap<>();
		Map<String, Integer> selfFrames = new HashMap<>();
		Map<String, Long> invocations = new HashMap<>();
		Map<String, Compiled> c2 = new HashMap<>();
		Map<String, Compiled> c1 = new HashMap<>();
		List<Compilation> c2Compilations = new ArrayList<>();
		Instant first = Instant.MAX;
		Instant last = Instant.MIN;
		int samples = 0;
		try (RecordingFile file = new RecordingFile(recording)) {
			while (file.hasMoreEvents()) {
				RecordedEvent event = file.readEvent();
				first = event.getStartTime().isBefore(first) ? event.getStartTime() : first;
				last = event.getEndTime().isAfter(last) ? event.getEndTime() : last;
				if (event.getEventType().getName().equals("jdk.MethodTiming")) {
					// cumulative since the recording started: the largest count is the total
					RecordedMethod method = event.getValue("method");
					invocations.merge(method.getType().getName() + "::" + method.getName(), event.getLong("invocations"),
							Math::max);
					continue;
				}
				if (event.getEventType().getName().equals("jdk.Compilation")) {
					RecordedMethod method = event.getValue("method");
					boolean byC2 = event.getInt("compileLevel") == C2;
					(byC2 ? c2 : c1).merge(kind(method.getType().getName()), new Compiled(1, event.getDuration()),
							Compiled::plus);
					if (byC2) {
						c2Compilations.add(new Compilation(
								method.getType().getName() + "::" + method.getName() + method.getDescriptor(),
								event.getStartTime(), event.getDuration()));
					}
					continue;
				}
				if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
					continue;
				}
				RecordedStackTrace stack = event.getStackTrace();
				if (stack == null || stack.getFrames().isEmpty()) {
					continue;
				}
				samples++;
				List<RecordedFrame> frames = stack.getFrames();
				String activity = activity(frames, event);
				byActivity.computeIfAbsent(activity, a -> new HashMap<>()).merge(kind(frames), 1, Integer::sum);
				selfFrames.merge(name(frames.getFirst()), 1, Integer::sum);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the recording " + recording, ex);
		}
		return new Summary(samples, byActivity, selfFrames, invocations, c2, c1, quarters(c2Compilations, first, last),
				recompiled(c2Compilations));
	}

	/** Methods compiled more than once. */
	private static int recompiled(List<Compilation> compilations) {
		Map<String, Long> times = compilations.stream()
			.collect(Collectors.groupingBy(Compilation::method, Collectors.counting()));
		return (int) times.values().stream().filter(count -> count > 1).count();
	}

	/** Compile time by the quarter of the recording each compilation started in. */
	private static List<Duration> quarters(List<Compilation> compilations, Instant first, Instant last) {
		Duration[] quarters = { Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO };
		long span = Math.max(1, Duration.between(first, last).toNanos());
		for (Compilation compilation : compilations) {
			long into = Duration.between(first, compilation.start()).toNanos();
			int quarter = (int) Math.min(3, Math.max(0, into * 4 / span));
			quarters[quarter] = quarters[quarter].plus(compilation.time());
		}
		return List.of(quarters);
	}

	/** @param method type, name and descriptor: an overload is a method of its own */
	private record Compilation(String method, Instant start, Duration time) {
	}

	private static String activity(List<RecordedFrame> frames, RecordedEvent event) {
		for (RecordedFrame frame : frames) { // innermost first
			String type = frame.getMethod().getType().getName();
			String method = frame.getMethod().getName();
			for (Marker marker : STAGES) {
				if (type.startsWith(marker.type()) && (marker.method() == null || method.startsWith(marker.method()))) {
					return marker.activity();
				}
			}
		}
		var thread = event.getThread("sampledThread");
		String name = thread == null ? "?" : thread.getJavaName();
		return "other (" + (name == null ? "?" : name.replaceAll("[0-9]+", "#")) + ")";
	}

	private static String kind(List<RecordedFrame> frames) {
		for (RecordedFrame frame : frames) {
			String kind = kind(frame.getMethod().getType().getName());
			if (!kind.equals(JDK)) {
				return kind;
			}
			// collections, strings, locks, I/O streams: charge them to the code that called
		}
		return JDK;
	}

	/** The kind of work a type's code does: a known library's, else its package's, else the JDK's. */
	private static String kind(String type) {
		for (var kind : KINDS.entrySet()) {
			if (type.startsWith(kind.getKey())) {
				return kind.getValue();
			}
		}
		if (type.startsWith("java.") || type.startsWith("javax.") || type.startsWith("jdk.") || type.startsWith("sun.")) {
			return JDK;
		}
		int second = type.indexOf('.', type.indexOf('.') + 1);
		return second < 0 ? type : type.substring(0, second) + ".*";
	}

	private static String name(RecordedFrame frame) {
		return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
	}

	private record Marker(String type, String method, String activity) {
	}

	/**
	 * @param byActivity samples per stage, then per kind of work
	 * @param selfFrames samples per method on top of the stack
	 * @param invocations calls of the {@link #METHOD_TIMING} methods ({@code type::method}), empty before JDK 25
	 * @param c2 the JIT's C2 compilations by the kind of the compiled method's code
	 * @param c1 the same for C1's
	 * @param c2ByQuarter C2's compile time in each quarter of the recording, in order: a JIT still busy in the
	 *     last quarter means the window did not reach the worker's steady state
	 * @param c2Recompiled methods C2 compiled more than once (after a deoptimization, or OSR and then whole)
	 */
	record Summary(int samples, Map<String, Map<String, Integer>> byActivity, Map<String, Integer> selfFrames,
			Map<String, Long> invocations, Map<String, Compiled> c2, Map<String, Compiled> c1,
			List<Duration> c2ByQuarter, int c2Recompiled) {

		/** Calls of a timed method, or -1 if it was not timed. */
		long calls(String method) {
			return invocations.getOrDefault(method, -1L);
		}

	}

	/**
	 * Compilations of the JIT.
	 * @param time the compilations' wall-clock time: a compiler thread waiting for a CPU counts, so on a busy
	 *     machine this is more than the compiler threads' CPU
	 */
	record Compiled(int methods, Duration time) {

		Compiled plus(Compiled other) {
			return new Compiled(methods + other.methods, time.plus(other.time));
		}

		static Compiled total(Map<String, Compiled> byKind) {
			return byKind.values().stream().reduce(new Compiled(0, Duration.ZERO), Compiled::plus);
		}

	}

}
