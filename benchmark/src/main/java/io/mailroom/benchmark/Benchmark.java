package io.mailroom.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.mailroom.benchmark.Options.Part;
import io.mailroom.contracts.Priority;
import io.mailroom.contracts.SendRequest;
import io.mailroom.core.services.SmtpService;

/**
 * Mailroom's benchmark: on this machine, in one run, with the same mails, (a) the SMTP ceiling (one loop,
 * one reused authenticated connection), (b) a new connection per mail, and (c) Mailroom end to end (Kafka,
 * one worker process, result events); then the isolation and token scenarios. Prints numbers, never fails
 * on a missed target: it is a measurement, not a test.
 */
public final class Benchmark {

	private final Options options;

	private final Path workDir;

	private final Path workerJar;

	Benchmark(Options options, Path workDir, Path workerJar) {
		this.options = options;
		this.workDir = workDir;
		this.workerJar = workerJar;
	}

	public static void main(String[] args) {
		if (List.of(args).contains("--help")) {
			System.out.print(Options.USAGE);
			return;
		}
		Options options;
		try {
			options = Options.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.err.print(Options.USAGE);
			System.exit(2);
			return;
		}
		Path workDir = Path.of(System.getProperty("mailroom.benchmark.dir", "benchmark/target/benchmark"));
		Path workerJar = Path.of(System.getProperty("mailroom.benchmark.worker-jar",
				"benchmark/target/apps/mailroom-worker-exec.jar"));
		Results results = new Benchmark(options, workDir, workerJar).run();
		new Report(System.out).print(results);
		// the embedded broker and the sandbox keep non-daemon threads; a missed target is not a failure
		System.exit(0);
	}

	Results run() {
		progress("Starting PostgreSQL, Kafka and the Microsoft sandbox");
		ScheduledExecutorService writeTimeouts = Executors.newSingleThreadScheduledExecutor(
				Thread.ofPlatform().daemon().name("smtp-write-timeouts").factory());
		try (Infrastructure infrastructure = Infrastructure.start(workDir, options.synchronousCommit());
				RequestPublisher requests = new RequestPublisher(infrastructure.kafka);
				ResultCollector results = new ResultCollector(infrastructure.kafka)) {
			WorkerFactory workers = name -> WorkerProcess.start(infrastructure, workerJar, name, options.workerJvmOptions(),
					options.workerArguments(),
					options.profile());
			Environment environment = Environment.describe(infrastructure);
			EndToEnd endToEnd = new EndToEnd(requests, results);
			SmtpService service = infrastructure.authorizedService("acct-benchmark");
			List<SendRequest> mails = Mails.digests(service, options.messages(), Priority.BULK, 1);
			List<SendRequest> warmup = Mails.digests(service, options.warmup(), Priority.BULK, 2);
			SmtpLoops loops = new SmtpLoops(new RawSmtp(infrastructure.sandbox.tls().sslSocketFactory(), writeTimeouts),
					service, infrastructure.accessToken(service));

			SmtpLoops.Run a = null;
			if (options.runs(Part.A)) {
				progress("(a) " + options.messages() + " mails over one reused connection");
				loops.reusedConnection(warmup);
				a = loops.reusedConnection(mails);
			}
			SmtpLoops.Run b = null;
			if (options.runs(Part.B)) {
				progress("(b) " + options.newConnectionMessages() + " mails, a new connection for each");
				loops.connectionPerMessage(warmup);
				b = loops.connectionPerMessage(mails.subList(0, options.newConnectionMessages()));
			}
			SmtpLoops.Run g = null;
			if (options.runs(Part.G)) {
				progress("(g) " + options.messages() + " mails through Microsoft Graph sendMail, one loop");
				GraphLoops graph = new GraphLoops(new RawSmtp(infrastructure.sandbox.tls().sslSocketFactory(), writeTimeouts),
						service, infrastructure.sandbox.tls().sslContext(), infrastructure.sandbox.graphBaseUrl(),
						infrastructure.graphToken(service));
				graph.sequential(warmup);
				g = graph.sequential(mails);
			}
			MailroomEndToEnd.Result c = null;
			if (options.runs(Part.C)) {
				// the warm-up mails again, as new requests: the queue stores each requestId once
				List<SendRequest> warmupRequests = Mails.digests(service, options.warmup(), Priority.BULK, 2);
				c = new MailroomEndToEnd(infrastructure, endToEnd, workers, workDir, options.profile()).run(mails,
						warmupRequests);
			}
			TokenScenario.Result tokens = options.runs(Part.TOKENS)
					? new TokenScenario(infrastructure, endToEnd, workers).run(options.tokenServices(), options.tokenSends())
					: null;
			IsolationScenario.Result isolation = options.runs(Part.ISOLATION)
					? new IsolationScenario(infrastructure, requests, results, workers).run(options.bulkMails(),
							options.isolationWindow())
					: null;
			return new Results(options, environment, loops.averageMimeBytes(mails), a, b, g, c, tokens, isolation);
		}
		catch (jakarta.mail.MessagingException ex) {
			throw new IllegalStateException("The SMTP loops could not send", ex);
		}
		finally {
			writeTimeouts.shutdownNow();
		}
	}

	/** Sleeps; an interruption ends the run. */
	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	static void progress(String message) {
		System.err.printf("[%tT] %s%n", System.currentTimeMillis(), message);
	}

	/** Everything measured, for the report. */
	record Results(Options options, Environment environment, long averageMimeBytes, SmtpLoops.Run a, SmtpLoops.Run b,
			SmtpLoops.Run g, MailroomEndToEnd.Result c,
			TokenScenario.Result tokens, IsolationScenario.Result isolation) {
	}

	static Duration timeoutFor(int mails) {
		return Duration.ofMinutes(2).plusMillis(mails * 20L);
	}

}
