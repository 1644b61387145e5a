package io.mailroom.testing.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** What the process types share: free ports, signals, this JVM's launcher, waiting for a condition. */
final class Processes {

	private Processes() {
	}

	/** A port nobody listens on now (the OS's choice). */
	static int freePort() {
		return io.mailroom.sandbox.FreePorts.take();
	}

	/** The {@code java} launcher of this JVM, so every process runs on the same JDK. */
	static String java() {
		return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

	/** Sends a signal ({@code STOP}, {@code CONT}) with the system's {@code kill}. */
	static void signal(long pid, String signal) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).redirectErrorStream(true).start();
			String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + pid + " failed: " + output.strip());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run kill -" + signal + " " + pid, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while signalling " + pid, ex);
		}
	}

	/** Ends a process: {@code SIGTERM} first, {@code SIGKILL} if it is still there after {@code grace}. */
	static void stop(Process process, Duration grace) {
		process.destroy();
		try {
			if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
		}
	}

	/** Kills a process at once ({@code SIGKILL}) and waits until it is gone. */
	static void kill(Process process) {
		process.destroyForcibly();
		try {
			process.waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while killing " + process.pid(), ex);
		}
	}

	/**
	 * Waits until {@code ready} holds; fails naming {@code what} and its log if {@code process} exits first or
	 * {@code timeout} passes. {@code ready} may throw while the process is not up yet.
	 */
	static void await(String what, Process process, Path log, Duration timeout, Callable<Boolean> ready) {
		try {
			Awaitility.await(what)
				.atMost(timeout)
				.pollInterval(Duration.ofMillis(200))
				.ignoreExceptions()
				.failFast(what + " exited; see " + log, () -> !process.isAlive())
				.until(ready);
		}
		catch (ConditionTimeoutException ex) {
			throw new IllegalStateException(what + " was not ready within " + timeout + "; see " + log, ex);
		}
	}

}
