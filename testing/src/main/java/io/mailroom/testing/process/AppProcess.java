package io.mailroom.testing.process;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Spring Boot application from its executable jar, in a JVM of its own, as {@code java -jar} runs it in
 * production: readiness is its {@code /actuator/health/readiness}. It can be killed ({@code SIGKILL}),
 * frozen ({@code SIGSTOP}) and thawed ({@code SIGCONT}), and started again on the same port.
 */
public final class AppProcess implements AutoCloseable {

	private static final Duration GRACE = Duration.ofSeconds(30);

	private final Spec spec;

	private final int port;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private volatile Process process;

	private AppProcess(Spec spec, int port) {
		this.spec = spec;
		this.port = port;
	}

	/**
	 * What to run.
	 * @param name names the process in messages, e.g. {@code worker-1}
	 * @param jar the executable jar
	 * @param jvmOptions options for its JVM, e.g. {@code -Xmx512m}
	 * @param arguments its {@code --name=value} settings ({@code --server.port} is added)
	 * @param environment variables on top of this JVM's, e.g. secrets that must not show on a command line
	 * @param log where its output goes, appended across restarts
	 * @param port its HTTP port ({@code --server.port}); 0 for a free one. An application that must know its
	 *     own address (a redirect URI) gets one from {@link #freePort()} and puts it in its arguments too
	 * @param startTimeout how long it may take to become ready
	 */
	public record Spec(String name, Path jar, List<String> jvmOptions, List<String> arguments,
			Map<String, String> environment, Path log, int port, Duration startTimeout) {

		public Spec {
			Objects.requireNonNull(name, "name");
			Objects.requireNonNull(jar, "jar");
			jvmOptions = List.copyOf(jvmOptions);
			arguments = List.copyOf(arguments);
			environment = Map.copyOf(environment);
			Objects.requireNonNull(log, "log");
			Objects.requireNonNull(startTimeout, "startTimeout");
		}

	}

	/** Starts the application on a free port and waits until it is ready. */
	public static AppProcess start(Spec spec) {
		if (!Files.isRegularFile(spec.jar())) {
			throw new IllegalStateException("No executable jar at " + spec.jar().toAbsolutePath()
					+ ": build it first (./mvnw -pl <module> -am package -DskipTests)");
		}
		AppProcess app = new AppProcess(spec, spec.port() == 0 ? Processes.freePort() : spec.port());
		app.launch();
		return app;
	}

	/** A port nobody listens on now, for {@link Spec#port()}. */
	public static int freePort() {
		return Processes.freePort();
	}

	/** Starts it again after {@link #kill()} or {@link #close()}: same jar, settings, port and log. */
	public void restart() {
		if (process.isAlive()) {
			throw new IllegalStateException(spec.name() + " is still running (pid " + process.pid() + ")");
		}
		launch();
	}

	private void launch() {
		List<String> command = new ArrayList<>();
		command.add(Processes.java());
		command.addAll(spec.jvmOptions());
		command.addAll(List.of("-jar", spec.jar().toAbsolutePath().toString()));
		command.addAll(spec.arguments());
		command.add("--server.port=" + port);
		// actuator on the application's own port, so readiness is found there whatever its management port
		command.add("--management.server.port=" + port);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(Redirect.appendTo(spec.log().toFile()));
		builder.environment().putAll(spec.environment());
		try {
			Files.createDirectories(spec.log().toAbsolutePath().getParent());
			process = builder.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start " + spec.name(), ex);
		}
		Process started = process;
		Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, spec.name() + "-stop"));
		Processes.await(spec.name(), started, spec.log(), spec.startTimeout(),
				() -> get("/actuator/health/readiness").statusCode() == 200);
	}

	public String name() {
		return spec.name();
	}

	public int port() {
		return port;
	}

	/** The process id of the running (or last) process. */
	public long pid() {
		return process.pid();
	}

	public boolean alive() {
		return process.isAlive();
	}

	public Path log() {
		return spec.log();
	}

	/** The process, for what this class does not offer (CPU time, exit value). */
	public ProcessHandle handle() {
		return process.toHandle();
	}

	/** Kills it at once ({@code SIGKILL}): no shutdown hook runs, nothing is handed back. */
	public void kill() {
		Processes.kill(process);
	}

	/** Freezes it ({@code SIGSTOP}): every thread stops, sockets stay open, as in a long GC pause. */
	public void freeze() {
		Processes.signal(process.pid(), "STOP");
	}

	/** Lets a frozen process run on ({@code SIGCONT}). */
	public void thaw() {
		Processes.signal(process.pid(), "CONT");
	}

	/** A GET on the application's own port, e.g. {@code /actuator/metrics/...}. */
	public HttpResponse<byte[]> get(String path) throws IOException {
		try {
			return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted", ex);
		}
	}

	/** Stops it as a deployment does ({@code SIGTERM}: graceful), forcibly after 30 s. */
	@Override
	public void close() {
		if (process.isAlive()) {
			// a frozen process cannot act on SIGTERM
			Processes.signal(process.pid(), "CONT");
		}
		Processes.stop(process, GRACE);
	}

	@Override
	public String toString() {
		return spec.name() + "[pid " + process.pid() + ", port " + port + "]";
	}

}
