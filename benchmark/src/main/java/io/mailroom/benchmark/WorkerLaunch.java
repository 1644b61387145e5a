package io.mailroom.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a worker's JVM is started: from the executable jar as built ({@code java -jar}, Spring Boot's launcher),
 * or as the image starts it ({@code ops/java/mailroom-app}: the jar extracted, with the JDK's ahead-of-time
 * cache recorded by the same script on JDK 25 and newer; ADR 0010).
 * Both start the JVM with the worker's own options file ({@code worker/src/main/jvm/jvm.options}, the
 * image's {@code /app/jvm.options}), as production does.
 * @param jar the jar {@code java -jar} is given
 * @param jvmOptions the options that go with it
 * @param training how long recording the cache took, or null if none was recorded
 */
record WorkerLaunch(String name, Path jar, List<String> jvmOptions, Duration training) {

	/** The executable jar as built, started by Spring Boot's launcher, no cache. */
	static WorkerLaunch executableJar(Path jar, Path jvmOptionsFile) {
		return new WorkerLaunch("java -jar (executable jar, no AOT cache)", jar,
				List.of("@" + jvmOptionsFile.toAbsolutePath()), null);
	}

	/** The jar extracted and its cache recorded with {@code script}, as the Dockerfile does. */
	static WorkerLaunch asDeployed(Path executableJar, Path jvmOptionsFile, Path script, Path workDir) {
		Path dir = workDir.resolve("worker-app").toAbsolutePath();
		run(script, workDir.resolve("worker-extract.log"), "extract", executableJar.toAbsolutePath().toString(),
				dir.toString(), jvmOptionsFile.toAbsolutePath().toString());
		String options = "@" + dir.resolve("jvm.options");
		long started = System.nanoTime();
		run(script, workDir.resolve("worker-aot-training.log"), "train", dir.toString());
		Duration training = Duration.ofNanos(System.nanoTime() - started);
		Path cache = dir.resolve("application.aot");
		if (!Files.isRegularFile(cache)) {
			return new WorkerLaunch("extracted jar (JDK " + Runtime.version().feature() + ": no AOT cache)",
					dir.resolve("application.jar"), List.of(options), null);
		}
		return new WorkerLaunch("extracted jar with its AOT cache", dir.resolve("application.jar"),
				List.of(options, "-XX:AOTCache=" + cache), training);
	}

	private static void run(Path script, Path log, String... arguments) {
		List<String> command = new java.util.ArrayList<>(List.of("bash", script.toAbsolutePath().toString()));
		command.addAll(List.of(arguments));
		Path javaHome = Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent().getParent();
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().put("JAVA_HOME", javaHome.toString());
		try {
			Process process = builder.start();
			if (process.waitFor() != 0) {
				throw new IllegalStateException(String.join(" ", arguments) + " failed; see " + log);
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

}
