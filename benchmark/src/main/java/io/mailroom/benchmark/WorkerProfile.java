package io.mailroom.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a worker's Java threads spent their time, from a Flight Recorder recording's execution samples:
 * each sample is put under the Mailroom activity it served (intake, claim, send, settle, result
 * publishing…) and, within it, the kind of work on top of the stack (TLS, MIME, JDBC, JSON…).
 * Samples cover running Java code only: garbage collection and JIT compilation are in {@link ThreadCpu}.
 */
final class WorkerProfile {

	/** Mailroom's activities, recognised by the innermost of these frames on a sample's stack. */
	private static final List<Marker> ACTIVITIES = List.of(
			new Marker("io.mailroom.worker.intake.Intake", null, "intake (validate, store)"),
			new Marker("io.mailroom.worker.scheduling.MailboxRuntime", "claim", "claim"),
			new Marker("io.mailroom.worker.scheduling.MailboxRuntime", "send", "send (compose, token, SMTP)"),
			new Marker("io.mailroom.worker.scheduling.MailboxRuntime", "sendTraced", "send (compose, token, SMTP)"),
			new Marker("io.mailroom.worker.scheduling.MailboxRuntime", null, "mailbox runtime bookkeeping"),
			new Marker("io.mailroom.worker.scheduling.Outcomes", null, "settle outcomes"),
			new Marker("io.mailroom.worker.results.ResultPublisher", null, "publish results"),
			new Marker("io.mailroom.worker.scheduling.Housekeeping", null, "housekeeping"),
			new Marker("io.mailroom.worker.scheduling.Dispatcher", null, "dispatcher (scan, leases)"),
			new Marker("io.mailroom.worker.monitoring", null, "queue gauges"),
			new Marker("org.apache.kafka.clients.producer.internals.Sender", null, "Kafka producer I/O thread"),
			new Marker("org.apache.kafka.clients.consumer", null, "Kafka consumer (intake poll)"),
			new Marker("org.springframework.kafka.listener", null, "Kafka listener container"),
			new Marker("org.apache.catalina", null, "HTTP (actuator)"),
			new Marker("org.apache.tomcat", null, "HTTP (actuator)"));

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
		int samples = 0;
		try (RecordingFile file = new RecordingFile(recording)) {
			while (file.hasMoreEvents()) {
				RecordedEvent event = file.readEvent();
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
		return new Summary(samples, byActivity, selfFrames);
	}

	private static String activity(List<RecordedFrame> frames, RecordedEvent event) {
		for (RecordedFrame frame : frames) { // innermost first
			String type = frame.getMethod().getType().getName();
			String method = frame.getMethod().getName();
			for (Marker marker : ACTIVITIES) {
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
			String type = frame.getMethod().getType().getName();
			for (var kind : KINDS.entrySet()) {
				if (type.startsWith(kind.getKey())) {
					return kind.getValue();
				}
			}
			if (type.startsWith("java.") || type.startsWith("javax.") || type.startsWith("jdk.")
					|| type.startsWith("sun.")) {
				continue; // collections, strings, locks, I/O streams: charge them to the code that called
			}
			int second = type.indexOf('.', type.indexOf('.') + 1);
			return second < 0 ? type : type.substring(0, second) + ".*";
		}
		return "JDK";
	}

	private static String name(RecordedFrame frame) {
		return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
	}

	private record Marker(String type, String method, String activity) {
	}

	/**
	 * @param byActivity samples per activity, then per kind of work
	 * @param selfFrames samples per method on top of the stack
	 */
	record Summary(int samples, Map<String, Map<String, Integer>> byActivity, Map<String, Integer> selfFrames) {
	}

}
