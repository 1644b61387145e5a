package io.mailroom.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.testing.process.AppProcess;

/**
 * A Mailroom worker in a JVM of its own, started from the same executable jar as in production, so that
 * its CPU time and heap are its own and nothing of the benchmark's runs in it.
 */
final class WorkerProcess implements AutoCloseable {

	/** A fixed heap ceiling, so that "peak heap" does not just mirror how much of the machine G1 may take. */
	static final String MAX_HEAP = "-Xmx512m";

	private final AppProcess app;

	private final Path gcLog;

	private WorkerProcess(AppProcess app, Path gcLog) {
		this.app = app;
		this.gcLog = gcLog;
	}

	/**
	 * Starts a worker and waits until it is ready.
	 * @param jvmOptions extra options for its JVM
	 * @param settings extra {@code --name=value} settings (tuning knobs), after the infrastructure's
	 * @param profiled whether Flight Recorder may record it (deeper stacks, so phases can be told apart)
	 */
	static WorkerProcess start(Infrastructure infrastructure, Path workerJar, String name, List<String> jvmOptions,
			List<String> settings, boolean profiled) {
		Path log = infrastructure.workDir.resolve("worker-" + name + ".log");
		Path gcLog = infrastructure.workDir.resolve("worker-" + name + "-gc.log");
		List<String> jvm = new ArrayList<>();
		jvm.add(MAX_HEAP);
		jvm.add("-Xlog:gc:file=" + gcLog.toAbsolutePath());
		if (profiled) {
			jvm.add("-XX:FlightRecorderOptions:stackdepth=512");
		}
		jvm.addAll(jvmOptions);
		List<String> arguments = new ArrayList<>(infrastructure.workerSettings());
		arguments.addAll(settings);
		// the log is the last run's alone: the harness appends across restarts, the benchmark never restarts
		try {
			Files.deleteIfExists(log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new WorkerProcess(AppProcess.start(new AppProcess.Spec("the worker", workerJar, jvm, arguments,
				infrastructure.workerEnvironment(), log, 0, Duration.ofMinutes(3))), gcLog);
	}

	long pid() {
		return app.pid();
	}

	/** CPU time the worker's threads used so far, user and system, from {@code /proc/<pid>/stat}. */
	Duration cpu() {
		return app.handle().info().totalCpuDuration().orElse(Duration.ZERO);
	}

	/** Heap in use now, from the worker's own {@code jvm.memory.used{area=heap}}. */
	long heapUsed() throws IOException {
		HttpResponse<byte[]> response = app.get("/actuator/metrics/jvm.memory.used?tag=area:heap");
		if (response.statusCode() != 200) {
			throw new IOException("metrics answered " + response.statusCode());
		}
		return MailroomJson.mapper().readTree(response.body()).get("measurements").get(0).get("value").asLong();
	}

	/** Starts watching the heap: the peak is read from the collections logged from now on. */
	HeapPeak watchHeap() {
		try {
			return new HeapPeak(this, Files.exists(gcLog) ? Files.size(gcLog) : 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Starts a Flight Recorder recording in the running worker, to {@code file}, with more JFR.start options. */
	void startRecording(Path file, String... options) {
		// every compilation, not only those over the profile's 100 ms: the JIT's work by library
		List<String> start = new ArrayList<>(List.of("JFR.start", "name=benchmark", "settings=profile",
				"jdk.Compilation#threshold=0ms", "filename=" + file.toAbsolutePath()));
		start.addAll(List.of(options));
		jcmd(start.toArray(String[]::new));
	}

	void stopRecording() {
		jcmd("JFR.stop", "name=benchmark");
	}

	private void jcmd(String... command) {
		Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
		List<String> line = new ArrayList<>(List.of(java.resolveSibling("jcmd").toString(), String.valueOf(pid())));
		line.addAll(List.of(command));
		try {
			Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
			String output = new String(jcmd.getInputStream().readAllBytes());
			if (jcmd.waitFor() != 0) {
				throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Stops the worker as a deployment does (SIGTERM: graceful), forcibly if it takes over 30 s. */
	@Override
	public void close() {
		app.close();
	}

	/**
	 * The most heap in use since a point in time: heap occupancy peaks just before a collection, and every
	 * collection logs it ({@code -Xlog:gc}: {@code Pause Young (Normal) (G1 Evacuation Pause) 45M->12M(128M)}),
	 * so the largest "before" value since then, or the heap in use now if larger, is the peak. Reading a log
	 * costs the worker nothing, unlike sampling its metrics endpoint.
	 */
	static final class HeapPeak {

		private static final Pattern COLLECTION = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

		private final WorkerProcess worker;

		private final long logOffset;

		private HeapPeak(WorkerProcess worker, long logOffset) {
			this.worker = worker;
			this.logOffset = logOffset;
		}

		/** The peak in bytes since this watch started. */
		long peak() {
			long peak;
			try {
				peak = worker.heapUsed();
			}
			catch (IOException ex) {
				peak = 0;
			}
			try (var in = Files.newInputStream(worker.gcLog)) {
				in.skipNBytes(logOffset);
				for (String line : new String(in.readAllBytes()).split("\n")) {
					Matcher collection = COLLECTION.matcher(line);
					if (collection.find()) {
						peak = Math.max(peak, bytes(collection.group(1), collection.group(2)));
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not read the worker's GC log " + worker.gcLog, ex);
			}
			return peak;
		}

		private static long bytes(String amount, String unit) {
			long n = Long.parseLong(amount);
			return switch (unit) {
				case "K" -> n << 10;
				case "M" -> n << 20;
				default -> n << 30;
			};
		}

	}

}
