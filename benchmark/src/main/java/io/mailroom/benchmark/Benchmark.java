package io.mailroom.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;

import io.mailroom.benchmark.Options.Part;
import io.mailroom.contracts.Priority;
import io.mailroom.contracts.SendRequest;
import io.mailroom.core.services.SmtpService;

/**
 * Mailroom's benchmark: on this machine, in one run, with the same mails, (a) the SMTP ceiling (one loop,
 * one reused authenticated connection) against a lean SMTP sink and against the Microsoft stand-in, (b) a
 * new connection per mail, (c) Mailroom end to end (Kafka, one worker process, result events), cold and warm,
 * and (d) the Spring Boot application a user would write instead; then start-up, the isolation and token
 * scenarios and the heap with a large backlog. Prints numbers, never fails on a missed target: it is a
 * measurement, not a test.
 */
public final class Benchmark {

	/** The most unmeasured mails (b) sends first: it reports no cold figure. */
	private static final int B_WARMUP = 2_000;

	private final Options options;

	private final Path workDir;

	private final Path workerJar;

	/** The worker's own JVM options (its collector), which production starts it with too. */
	private final Path workerJvmOptions;

	private final Path peerJar;

	private final Path appLauncher;

	Benchmark(Options options, Path workDir, Path workerJar, Path workerJvmOptions, Path peerJar, Path appLauncher) {
		this.options = options;
		this.workDir = workDir;
		this.workerJar = workerJar;
		this.workerJvmOptions = workerJvmOptions;
		this.peerJar = peerJar;
		this.appLauncher = appLauncher;
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
		Path peerJar = Path.of(System.getProperty("mailroom.benchmark.peer-jar",
				"benchmark/target/apps/mailroom-spring-peer-exec.jar"));
		Path appLauncher = Path.of(System.getProperty("mailroom.benchmark.app-launcher", "ops/java/mailroom-app"));
		Path workerJvmOptions = Path.of(System.getProperty("mailroom.benchmark.worker-jvm-options",
				"worker/src/main/jvm/jvm.options"));
		Results results = new Benchmark(options, workDir, workerJar, workerJvmOptions, peerJar, appLauncher).run();
		new Report(System.out).print(results);
		// the embedded broker and the sandbox keep non-daemon threads; a missed target is not a failure
		System.exit(0);
	}

	Results run() {
		progress("Starting PostgreSQL, Kafka, the Microsoft stand-in and the lean SMTP sink");
		ScheduledExecutorService writeTimeouts = Executors.newSingleThreadScheduledExecutor(
				Thread.ofPlatform().daemon().name("smtp-write-timeouts").factory());
		try (Infrastructure infrastructure = Infrastructure.start(workDir, options.synchronousCommit());
				LeanSinkProcess sink = LeanSinkProcess.start(workDir);
				RequestPublisher requests = new RequestPublisher(infrastructure.kafka);
				ResultCollector results = new ResultCollector(infrastructure.kafka)) {
			// the workers read their trust bundle when they start: from now on it trusts the lean sink too
			sink.addTrustTo(infrastructure.caCertificate);
			Environment environment = Environment.describe(infrastructure);
			EndToEnd endToEnd = new EndToEnd(requests, results);
			SmtpService standIn = infrastructure.authorizedService("acct-benchmark");
			SmtpService lean = leanService(infrastructure, sink);
			List<SendRequest> mails = Mails.digests(standIn, options.messages(), Priority.BULK, 1);
			List<SendRequest> cold = Mails.digests(standIn, options.warmup(), Priority.BULK, 2);
			SmtpLoops standInLoops = new SmtpLoops(
					new RawSmtp(infrastructure.sandbox.tls().sslSocketFactory(), writeTimeouts), standIn,
					infrastructure.accessToken(standIn));

			WorkerLaunch deployed = null;
			if (options.runs(Part.C) || options.runs(Part.STARTUP) || options.runs(Part.ISOLATION)
					|| options.runs(Part.TOKENS) || options.runs(Part.HEAP)) {
				progress("Extracting the worker's jar and recording its AOT cache, as the image does");
				deployed = WorkerLaunch.asDeployed(workerJar, workerJvmOptions, appLauncher, workDir);
			}
			WorkerFactory workers = workers(infrastructure, deployed, options.profile());

			List<Rounds.Round> rounds = new java.util.ArrayList<>();
			Ceiling aStandIn = null;
			MailroomEndToEnd.Warm cStandIn = null;
			for (int round = 1; round <= options.rounds() && (options.runs(Part.A) || options.runs(Part.C)); round++) {
				String turn = options.rounds() > 1 ? "round " + round + " of " + options.rounds() + ": " : "";
				Ceiling aLean = null;
				if (options.runs(Part.A)) {
					progress(turn + "(a) " + cold.size() + " cold, then " + options.messages()
							+ " mails over one reused connection to the lean sink, in a JVM of its own");
					aLean = LoopProcess.measure(workDir,
							List.of(WorkerProcess.MAX_HEAP, "@" + workerJvmOptions.toAbsolutePath()), sink, lean,
							infrastructure.accessToken(lean), options.warmup(), options.messages());
				}
				if (options.runs(Part.A) && round == 1) {
					progress("(a) the same to the Microsoft stand-in");
					aStandIn = Ceiling.inThisJvm(standInLoops, cold, mails);
				}
				MailroomEndToEnd.Result c = null;
				if (options.runs(Part.C)) {
					if (!turn.isEmpty()) {
						progress(turn + "(c)");
					}
					// new requests each time: the queue stores each requestId once; the stand-in in the first round only
					c = new MailroomEndToEnd(infrastructure, endToEnd, workers, sink, workDir, options.profile()).run(
							Mails.digests(lean, options.warmup(), Priority.BULK, 2),
							Mails.digests(lean, options.messages(), Priority.BULK, 1),
							round == 1 ? Mails.digests(standIn, options.messages(), Priority.BULK, 1) : List.of());
					if (round == 1) {
						cStandIn = c.standIn();
					}
				}
				rounds.add(new Rounds.Round(aLean, c));
			}
			SmtpLoops.Run b = null;
			if (options.runs(Part.B)) {
				progress("(b) " + options.newConnectionMessages() + " mails, a new connection for each");
				// 2,000 connections warm the JIT as well as 10,000 would, in a fifth of the time
				standInLoops.connectionPerMessage(cold.subList(0, Math.min(cold.size(), B_WARMUP)));
				b = standInLoops.connectionPerMessage(mails.subList(0, options.newConnectionMessages()));
			}
			SmtpLoops.Run g = null;
			if (options.runs(Part.G)) {
				progress("(g) " + options.messages() + " mails through Microsoft Graph sendMail, one loop");
				GraphLoops graph = new GraphLoops(new RawSmtp(infrastructure.sandbox.tls().sslSocketFactory(),
						writeTimeouts), standIn, infrastructure.sandbox.tls().sslContext(),
						infrastructure.sandbox.graphBaseUrl(), infrastructure.graphToken(standIn));
				graph.sequential(cold);
				g = graph.sequential(mails);
			}
			SpringPeer.Result d = null;
			if (options.runs(Part.D)) {
				d = new SpringPeer(infrastructure, sink, peerJar, List.of(WorkerProcess.MAX_HEAP)).run(lean,
						Mails.digests(lean, options.warmup(), Priority.BULK, 2),
						Mails.digests(lean, options.peerMessages(), Priority.BULK, 1));
			}
			StartUp.Result startUp = null;
			if (options.runs(Part.STARTUP)) {
				WorkerLaunch asBuilt = WorkerLaunch.executableJar(workerJar, workerJvmOptions);
				Map<WorkerLaunch, WorkerFactory> launches = new LinkedHashMap<>();
				// never profiled: Flight Recorder's start-up options change the module graph, and the cache needs the
				// one it was recorded with
				launches.put(asBuilt, workers(infrastructure, asBuilt, false));
				launches.put(deployed, workers(infrastructure, deployed, false));
				startUp = new StartUp(endToEnd, sink, workDir).run(lean, launches, options.startupTrials());
			}
			TokenScenario.Result tokens = options.runs(Part.TOKENS)
					? new TokenScenario(infrastructure, endToEnd, workers).run(options.tokenServices(), options.tokenSends())
					: null;
			IsolationScenario.Result isolation = options.runs(Part.ISOLATION)
					? new IsolationScenario(infrastructure, requests, results, workers).run(options.bulkMails(),
							options.isolationWindow())
					: null;
			// last: the backlog stays queued (30 mails a minute) and would weigh on every later part
			QueuedHeap.Result heap = options.runs(Part.HEAP)
					? new QueuedHeap(infrastructure, requests, workers).run(leanService(infrastructure, sink),
							options.queued())
					: null;
			return new Results(options, environment, deployed, optionsIn(workerJvmOptions),
					standInLoops.averageMimeBytes(mails), rounds.isEmpty() ? null : new Rounds(rounds), aStandIn, cStandIn,
					b, g, d, startUp, tokens, isolation, heap);
		}
		catch (jakarta.mail.MessagingException ex) {
			throw new IllegalStateException("The SMTP loops could not send", ex);
		}
		finally {
			writeTimeouts.shutdownNow();
		}
	}

	/** The options in a JVM options file, comments left out. */
	private static String optionsIn(Path file) {
		try {
			return Files.readAllLines(file)
				.stream()
				.map(String::strip)
				.filter(line -> !line.isEmpty() && !line.startsWith("#"))
				.collect(Collectors.joining(" "));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Starts workers the given way, with this run's settings; the executable jar as built if {@code launch} is null.
	 * @param profiled whether Flight Recorder may record them (then without their AOT cache: see WorkerProcess)
	 */
	private WorkerFactory workers(Infrastructure infrastructure, WorkerLaunch launch, boolean profiled) {
		WorkerLaunch chosen = launch == null ? WorkerLaunch.executableJar(workerJar, workerJvmOptions) : launch;
		List<String> jvm = new java.util.ArrayList<>(chosen.jvmOptions());
		jvm.addAll(options.workerJvmOptions());
		return name -> WorkerProcess.start(infrastructure, chosen.jar(), name, jvm, options.workerArguments(), profiled);
	}

	/**
	 * A Microsoft service authorized at the stand-in's identity platform whose SMTP server is the lean sink, as
	 * an admin would point a service at another host: the same tokens, a sink that costs little per mail.
	 */
	private static SmtpService leanService(Infrastructure infrastructure, LeanSinkProcess sink) {
		SmtpService service = infrastructure.authorizedService("acct-benchmark-lean");
		infrastructure.jdbc()
			.sql("update smtp_service set host = ?, port = ?, version = version + 1 where id = ?")
			.params(LeanSinkProcess.HOST, sink.port(), service.id())
			.update();
		return infrastructure.authorize(service); // authorized again, and read back as stored
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

	/**
	 * Everything measured, for the report; a part not run is null.
	 * @param deployed how the workers were started, or null if no worker was
	 * @param workerJvmOptions the options of the worker's own options file, as one line
	 * @param rounds (a) and (c) to the lean sink, or null if neither ran
	 * @param cStandIn (c)'s burst to the stand-in, in the first round
	 */
	record Results(Options options, Environment environment, WorkerLaunch deployed, String workerJvmOptions,
			long averageMimeBytes, Rounds rounds, Ceiling aStandIn, MailroomEndToEnd.Warm cStandIn,
			SmtpLoops.Run b, SmtpLoops.Run g, SpringPeer.Result d, StartUp.Result startUp, TokenScenario.Result tokens,
			IsolationScenario.Result isolation, QueuedHeap.Result heap) {

		/** (a) to the lean sink of the round shown in full, or null if not run. */
		Ceiling aLean() {
			return rounds == null ? null : rounds.shown().a();
		}

		/** (c) of the round shown in full, or null if not run. */
		MailroomEndToEnd.Result c() {
			return rounds == null ? null : rounds.shown().c();
		}

	}

	static Duration timeoutFor(int mails) {
		return Duration.ofMinutes(2).plusMillis(mails * 20L);
	}

}
