package io.mailroom.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** The {@link LeanSink} in a JVM of its own, started from this JVM's class path, and what it counted. */
final class LeanSinkProcess implements AutoCloseable {

	/** The sink's host name: its certificate names it, and services reach it by it. */
	static final String HOST = "localhost";

	/** The sink's JVM: small, one garbage collector thread, so it takes as little of the machine as it can. */
	static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC");

	private final Process process;

	private final BufferedReader replies;

	private final PrintStream commands;

	private final int port;

	private final Path certificate;

	private LeanSinkProcess(Process process, Path certificate) throws IOException {
		this.process = process;
		this.certificate = certificate;
		this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
		this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.US_ASCII);
		String ready = replies.readLine();
		if (ready == null || !ready.startsWith("ready ")) {
			throw new IllegalStateException("The lean SMTP sink did not start (" + ready + "); see its log");
		}
		this.port = Integer.parseInt(ready.substring("ready ".length()).strip());
	}

	static LeanSinkProcess start(Path workDir) {
		Path certificate = workDir.resolve("lean-sink.pem").toAbsolutePath();
		List<String> command = new java.util.ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.addAll(JVM_OPTIONS);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), LeanSink.class.getName(),
				certificate.toString()));
		try {
			Process process = new ProcessBuilder(command)
				.redirectError(workDir.resolve("lean-sink.log").toFile())
				.start();
			return new LeanSinkProcess(process, certificate);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the lean SMTP sink", ex);
		}
	}

	int port() {
		return port;
	}

	/** The sink's certificate (PEM), for clients to trust. */
	Path certificate() {
		return certificate;
	}

	/** A client socket factory that trusts the certificate in this PEM file and nothing else. */
	static SSLSocketFactory trusting(Path certificate) {
		try (var in = Files.newInputStream(certificate)) {
			X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			store.setCertificateEntry("lean-sink", cert);
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(store);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			return context.getSocketFactory();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not trust the lean sink's certificate", ex);
		}
	}

	/** Adds the sink's certificate to a PEM file of trusted certificates (the workers' trust bundle). */
	void addTrustTo(Path pemBundle) {
		try {
			Files.writeString(pemBundle, Files.readString(certificate), java.nio.file.StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** CPU time the sink's JVM used so far. */
	Duration cpu() {
		return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
	}

	synchronized Stats stats() {
		String[] fields = ask("stats").split(" ");
		return new Stats(Long.parseLong(fields[1]), Long.parseLong(fields[2]), Long.parseLong(fields[3]),
				Long.parseLong(fields[4]), Long.parseLong(fields[5]));
	}

	synchronized void reset() {
		ask("reset");
	}

	/** Waits until the sink has received at least {@code mails} since the last reset. */
	Stats awaitMails(long mails, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			Stats stats = stats();
			if (stats.mails() >= mails) {
				return stats;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The lean sink received " + stats.mails() + " of " + mails + " mails within "
						+ timeout);
			}
			Benchmark.sleep(10);
		}
	}

	private String ask(String command) {
		commands.println(command);
		try {
			String reply = replies.readLine();
			if (reply == null || !reply.startsWith(command)) {
				throw new IllegalStateException("The lean sink answered " + reply + " to " + command);
			}
			return reply;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		commands.close();
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
		}
	}

	/**
	 * What the sink received since its last reset.
	 * @param firstAt epoch milliseconds of the first mail, 0 if none
	 * @param lastAt epoch milliseconds of the last mail, 0 if none
	 */
	record Stats(long mails, long bytes, long sessions, long firstAt, long lastAt) {
	}

}
