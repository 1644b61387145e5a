package io.mailroom.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.mailroom.contracts.Priority;
import io.mailroom.contracts.SendRequest;
import io.mailroom.core.services.BasicAuthentication;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.SmtpService;

/**
 * (a) to the lean sink in a JVM of its own, started from this JVM's class path with the worker's JVM options,
 * so that its CPU is counted as the worker's is: the whole process, its JIT compiler and garbage collector
 * included, as a bare SMTP client application would spend it. The sending thread's own CPU is kept beside it.
 * The process builds the same mails from the same seeds as the loop in this JVM would.
 */
final class LoopProcess {

	private LoopProcess() {
	}

	/**
	 * Runs the cold and then the warm mails over one reused connection to the lean sink.
	 * @param jvmOptions the loop's JVM options (the worker's heap ceiling and options file)
	 */
	static Ceiling measure(Path workDir, List<String> jvmOptions, LeanSinkProcess sink, SmtpService service,
			String accessToken, int coldMails, int warmMails) {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.addAll(jvmOptions);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), LoopProcess.class.getName(),
				LeanSinkProcess.HOST, String.valueOf(sink.port()), service.authentication().login(),
				service.fromAddress(), service.id().toString(), service.accountId(),
				sink.certificate().toAbsolutePath().toString(), String.valueOf(coldMails), String.valueOf(warmMails),
				service.fromName() == null ? "" : service.fromName()));
		try {
			Process process = new ProcessBuilder(command).redirectError(workDir.resolve("loop.log").toFile()).start();
			try (PrintStream token = new PrintStream(process.getOutputStream(), true, StandardCharsets.US_ASCII);
					BufferedReader lines = new BufferedReader(
							new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
				// the token on stdin, not on the command line where any process could read it
				token.println(accessToken);
				Phase cold = Phase.read(lines);
				expect(lines, "warm");
				Duration sinkBefore = sink.cpu();
				Phase warm = Phase.read(lines);
				Duration sinkCpu = sink.cpu().minus(sinkBefore);
				if (!process.waitFor(1, TimeUnit.MINUTES)) {
					process.destroyForcibly();
				}
				return new Ceiling(cold.run(), warm.run(), sinkCpu, warm.processCpu());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The loop's process failed; see loop.log", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void expect(BufferedReader lines, String expected) throws IOException {
		String line = lines.readLine();
		if (!expected.equals(line)) {
			throw new IOException("The loop's process said " + line + " where " + expected + " was due; see loop.log");
		}
	}

	/** The loop's process: sends, and writes each phase's figures to its standard output. */
	public static void main(String[] args) throws Exception {
		String token = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
		SmtpService service = new SmtpService(UUID.fromString(args[4]), args[5], "lean sink", args[0],
				Integer.parseInt(args[1]), args[3], args[9].isEmpty() ? null : args[9], null,
				new BasicAuthentication(args[2], null),
				ServiceStatus.AUTHORIZED, null, null, null, null, null, null, null, null, null, null, null, null, null,
				0L);
		ScheduledExecutorService writeTimeouts = Executors.newSingleThreadScheduledExecutor(
				Thread.ofPlatform().daemon().name("smtp-write-timeouts").factory());
		SmtpLoops loops = new SmtpLoops(new RawSmtp(LeanSinkProcess.trusting(Path.of(args[6])), writeTimeouts),
				service, token);
		List<SendRequest> cold = Mails.digests(service, Integer.parseInt(args[7]), Priority.BULK, 2);
		List<SendRequest> warm = Mails.digests(service, Integer.parseInt(args[8]), Priority.BULK, 1);
		PrintStream out = System.out;
		Phase.measure(() -> loops.reusedConnection(cold)).write(out);
		out.println("warm");
		out.flush();
		Phase.measure(() -> loops.reusedConnection(warm)).write(out);
		out.flush();
		writeTimeouts.shutdownNow();
	}

	@FunctionalInterface
	private interface Loop {

		SmtpLoops.Run run() throws Exception;

	}

	/** A phase of the loop, and the CPU its whole process used meanwhile. */
	private record Phase(SmtpLoops.Run run, Duration processCpu) {

		static Phase measure(Loop loop) throws Exception {
			Duration before = thisProcessCpu();
			SmtpLoops.Run run = loop.run();
			return new Phase(run, thisProcessCpu().minus(before));
		}

		private static Duration thisProcessCpu() {
			return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
		}

		/** Two lines: the counts, then every mail's latency in milliseconds. */
		void write(PrintStream out) {
			out.println(run.messages() + " " + run.elapsed().toNanos() + " " + run.cpu().toNanos() + " "
					+ processCpu.toNanos());
			StringBuilder latencies = new StringBuilder();
			for (double millis : run.perMail().sortedMillis()) {
				latencies.append(millis).append(' ');
			}
			out.println(latencies.toString().strip());
		}

		static Phase read(BufferedReader lines) throws IOException {
			String counts = lines.readLine();
			String latencies = lines.readLine();
			if (counts == null || latencies == null) {
				throw new IOException("The loop's process ended early; see loop.log");
			}
			long[] n = Arrays.stream(counts.split(" ")).mapToLong(Long::parseLong).toArray();
			double[] millis = latencies.isEmpty() ? new double[0]
					: Arrays.stream(latencies.split(" ")).mapToDouble(Double::parseDouble).toArray();
			return new Phase(new SmtpLoops.Run((int) n[0], Duration.ofNanos(n[1]), Duration.ofNanos(n[2]),
					Latencies.ofMillis(millis)), Duration.ofNanos(n[3]));
		}

	}

}
