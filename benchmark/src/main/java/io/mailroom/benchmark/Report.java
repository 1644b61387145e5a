package io.mailroom.benchmark;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.mailroom.benchmark.Benchmark.Results;
import io.mailroom.sandbox.GrantType;

/** Prints what was measured: the throughput table with its ratios and targets, then the scenarios. */
final class Report {

	/** (c) cold must reach this share of (a)'s throughput to the lean sink. */
	static final double TARGET_COLD_C_OVER_A = 0.7;

	/** (c) warm must reach this share of (a)'s throughput to the lean sink. */
	static final double TARGET_WARM_C_OVER_A = 1.0;

	/** (c) must reach this multiple of the Spring peer's (d) throughput. */
	static final double TARGET_C_OVER_D = 8.0;

	/** The worker process's CPU per mail at most this multiple of (a)'s loop process's. */
	static final double TARGET_WORKER_CPU_OVER_LOOP = 1.0;

	/** PostgreSQL's CPU per mail, milliseconds. */
	static final double TARGET_POSTGRES_MS = 0.3;

	/** Process start to the first mail the sink receives, seconds. */
	static final double TARGET_START_TO_FIRST_MAIL_S = 5.0;

	/** The worker's heap with the backlog queued, megabytes. */
	static final double TARGET_HEAP_MB = 512;

	private static final String ROW = "  %-40s %-4s %7s %8s %10s %10s %7s %8s %9s%n";

	private final PrintStream out;

	Report(PrintStream out) {
		this.out = out;
	}

	void print(Results results) {
		header(results);
		if (results.aLean() != null || results.b() != null || results.g() != null || results.c() != null
				|| results.d() != null) {
			throughput(results);
			targets(results);
		}
		if (results.rounds() != null && results.rounds().all().size() > 1) {
			rounds(results.rounds());
		}
		if (results.c() != null) {
			cpu(results);
		}
		if (results.c() != null && results.c().warm().profile() != null) {
			profile(results.c().warm());
		}
		if (results.startUp() != null) {
			startUp(results.startUp());
		}
		if (results.heap() != null) {
			heap(results.heap());
		}
		if (results.isolation() != null) {
			isolation(results.isolation());
		}
		if (results.tokens() != null) {
			tokens(results.tokens());
		}
		out.flush();
	}

	private void header(Results results) {
		Environment env = results.environment();
		Options options = results.options();
		out.println();
		out.println("Mailroom benchmark, " + env.at());
		out.printf("  machine: %d CPUs, load average %s at the start; JDK %s%n", env.cpus(), env.loadAverage(), env.jdk());
		out.println("  SMTP sinks, both on loopback with STARTTLS and AUTH, counting only:");
		out.printf("    lean: SubEthaSMTP in a JVM of its own (%s), AUTH PLAIN and XOAUTH2 with any token; the%n",
				String.join(" ", LeanSinkProcess.JVM_OPTIONS));
		out.println("      ceiling the targets are measured against");
		out.println("    stand-in: the Microsoft sandbox (Exchange's replies, token checks), limits off, in the benchmark JVM");
		out.printf("  PostgreSQL %s embedded (synchronous_commit %s); Kafka %s, one KRaft broker in the benchmark JVM%n",
				env.postgres(), env.synchronousCommit(), env.kafka());
		out.printf("  worker: a JVM of its own, %s: java %s and its jvm.options (%s), settings: %s%n",
				results.deployed() == null ? "-" : results.deployed().name(), String.join(" ", jvmOptions(options)),
				results.workerJvmOptions(),
				options.workerSettings().isEmpty() ? "its defaults" : String.join(" ", options.workerSettings()));
		if (options.profile()) {
			out.println("    profiled (--profile): Flight Recorder's start-up options keep the JVM from using its AOT cache,");
			out.println("    so every worker but the start-up part's starts without it");
		}
		out.println("    (claim batch 50, 3 SMTP connections per service, no Mailroom rate limit for a non-Microsoft host,");
		out.println("     2 intake consumers of 500 records a poll, 20 database connections; unless overridden above)");
		out.printf("  mails: digests (1 to 8 articles, text and HTML, %s bytes of MIME on average), XOAUTH2 with a token%n",
				count(results.averageMimeBytes()));
		out.printf("    obtained once; cold: the first %s of a loop, or queued before a fresh process starts; warm: the%n",
				count(options.warmup()));
		out.println("    next ones, in one burst");
	}

	private static List<String> jvmOptions(Options options) {
		List<String> jvm = new java.util.ArrayList<>(List.of(WorkerProcess.MAX_HEAP));
		jvm.addAll(options.workerJvmOptions());
		return jvm;
	}

	private void throughput(Results results) {
		out.println();
		out.printf(ROW, "Throughput", "", "mails", "mails/s", "p50", "p99", "CPU s", "µs/mail", "peak heap");
		Ceiling a = results.aLean();
		MailroomEndToEnd.Result c = results.c();
		SpringPeer.Result d = results.d();
		Rounds rounds = results.rounds();
		if (rounds != null && rounds.all().size() > 1) {
			out.printf("  to the lean sink, round %d of %d (the median worker CPU ratio, or the median of what ran; every%n",
					rounds.numberOf(rounds.shown()), rounds.all().size());
			out.println("    round's figures are under Targets):");
		}
		else {
			out.println("  to the lean sink:");
		}
		if (a != null) {
			loop("(a) one loop, one reused connection", "cold", a.cold());
			loop("", "warm", a.warm());
		}
		if (c != null) {
			MailroomEndToEnd.Cold cold = c.cold();
			out.printf(ROW, "(c) Mailroom: Kafka, worker, result event", "cold", count(cold.run().messages()),
					rate(cold.throughput()), millis(cold.run().latencies().p50()), millis(cold.run().latencies().p99()),
					seconds(cold.cpu().worker()), micros(cold.cpu().worker(), cold.run().messages()),
					megabytes(cold.peakHeapBytes()));
			warmRow("", c.warm());
		}
		if (d != null) {
			peerRow("(d) Spring peer: @KafkaListener ×" + d.concurrency() + ", JavaMailSender", "cold", d.cold());
			peerRow("", "warm", d.warm());
		}
		out.println("  to the Microsoft stand-in (a second view):");
		if (results.aStandIn() != null) {
			loop("(a) one loop, one reused connection", "cold", results.aStandIn().cold());
			loop("", "warm", results.aStandIn().warm());
		}
		if (results.b() != null) {
			loop("(b) one loop, a new connection per mail", "warm", results.b());
		}
		if (results.g() != null) {
			loop("(g) one loop, Graph sendMail (MIME, 202)", "warm", results.g());
		}
		if (results.cStandIn() != null) {
			warmRow("(c) Mailroom: Kafka, worker, result event", results.cStandIn());
		}
		out.println("  (a) to the lean sink runs in a JVM of its own, with the worker's JVM options; its process's CPU per mail");
		out.println("    is the ceiling's in the CPU target (JIT compiler and collector included, as for the worker)");
		out.println("  (a), (b), (g): CPU of the sending thread (composing, TLS, SMTP or HTTP client); latency of one mail,");
		out.println("    compose to the server's reply, connecting included in (b); (g) posts base64 MIME to the stand-in's Graph");
		out.println("  (c): CPU of the worker process (/proc/<pid>/stat); peak heap: its most heap in use (before each");
		out.println("    collection, -Xlog:gc); latency: the request's record timestamp to its result consumed. Cold: from the");
		out.println("    first mail the sink received to the last result; warm: from the burst's first publish to its last result");
		out.println("  (d): CPU of the peer's process; it publishes no results: cold from the first to the last mail at the");
		out.println("    sink, warm from the first publish to the last mail at the sink");
		if (c != null) {
			notAllSent(c.cold().run());
			notAllSent(c.warm().run());
			if (results.cStandIn() != null) {
				notAllSent(results.cStandIn().run());
			}
		}
	}

	private void loop(String name, String phase, SmtpLoops.Run run) {
		out.printf(ROW, name, phase, count(run.messages()), rate(run.throughput()), millis(run.perMail().p50()),
				millis(run.perMail().p99()), seconds(run.cpu()), micros(run.cpu(), run.messages()), "-");
	}

	private void warmRow(String name, MailroomEndToEnd.Warm warm) {
		EndToEnd.Run run = warm.run();
		out.printf(ROW, name, "warm", count(run.messages()), rate(run.throughput()), millis(run.latencies().p50()),
				millis(run.latencies().p99()), seconds(warm.cpu().worker()), micros(warm.cpu().worker(), run.messages()),
				megabytes(warm.peakHeapBytes()));
	}

	private void peerRow(String name, String phase, SpringPeer.Run run) {
		out.printf(ROW, name, phase, count(run.messages()), rate(run.throughput()), "-", "-", seconds(run.cpu()),
				micros(run.cpu(), run.messages()), "-");
	}

	private void notAllSent(EndToEnd.Run run) {
		if (!run.allSent()) {
			out.println("  NOT ALL SENT: " + run.statuses());
		}
	}

	private void targets(Results results) {
		Rounds rounds = results.rounds();
		boolean ac = rounds != null && rounds.hasA() && rounds.hasC();
		boolean c = rounds != null && rounds.hasC();
		SpringPeer.Result d = results.d();
		MailroomEndToEnd.Warm standIn = results.cStandIn();
		out.println();
		out.println("Targets (ratios of figures measured side by side in this run"
				+ (rounds != null && rounds.all().size() > 1
						? "; (a) and (c): the median of " + rounds.all().size() + " rounds, each round's figure after it)"
						: ")"));
		if (ac) {
			ratio("c/a cold, lean sink", rounds.each(Rounds.Round::coldOverA), "≥", TARGET_COLD_C_OVER_A);
			ratio("c/a warm, lean sink", rounds.each(Rounds.Round::warmOverA), "≥", TARGET_WARM_C_OVER_A);
		}
		if (c && d != null) {
			ratio("c/d warm", rounds.each(round -> round.c().warm().run().throughput() / d.warm().throughput()), "≥",
					TARGET_C_OVER_D);
			ratio("c/d cold", rounds.median(round -> round.c().cold().throughput()) / d.cold().throughput());
		}
		if (ac) {
			// process against process, as a bare client application spends it (its JIT compiler and collector
			// included); against the sending thread alone as well, the stricter view
			ratio("worker CPU/mail ÷ (a)'s process's", rounds.each(Rounds.Round::workerCpuOverLoopProcess), "≤",
					TARGET_WORKER_CPU_OVER_LOOP);
			ratio("worker CPU/mail ÷ (a)'s thread's", rounds.median(Rounds.Round::workerCpuOverLoopThread));
		}
		if (c) {
			ratio("PostgreSQL CPU ms/mail, warm", rounds.each(Rounds.Round::postgresMillisPerMail), "≤",
					TARGET_POSTGRES_MS);
			ratio("start-to-first-mail (c), s", rounds.each(Rounds.Round::startToFirstMailSeconds), "≤",
					TARGET_START_TO_FIRST_MAIL_S);
		}
		if (d != null) {
			ratio("start-to-first-mail (d), s", d.startToFirstMail().toMillis() / 1000.0);
		}
		if (results.heap() != null) {
			ratio("heap MB, " + count(results.heap().published()) + " queued", results.heap().peakHeapBytes() / 1_048_576.0,
					"≤", TARGET_HEAP_MB);
		}
		if (results.aStandIn() != null && standIn != null) {
			ratio("stand-in: c/a warm", standIn.run().throughput() / results.aStandIn().warm().throughput());
		}
		if (results.b() != null && standIn != null) {
			ratio("stand-in: c/b warm", standIn.run().throughput() / results.b().throughput());
		}
	}

	private void rounds(Rounds rounds) {
		out.println();
		out.println("Rounds, to the lean sink (warm unless said; (a) process: its whole JVM's CPU per mail)");
		for (Rounds.Round round : rounds.all()) {
			StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %d:", rounds.numberOf(round)));
			if (round.a() != null) {
				line.append(String.format(Locale.ROOT, "  (a) %s mails/s, process %s µs/mail;", rate(round.a().warm().throughput()),
						micros(round.a().warmProcessCpu(), round.a().warm().messages())));
			}
			if (round.c() != null) {
				line.append(String.format(Locale.ROOT, "  (c) cold %s mails/s, warm %s mails/s, worker %s µs/mail, first mail %s s",
						rate(round.c().cold().throughput()), rate(round.c().warm().run().throughput()),
						String.format(Locale.ROOT, "%,.0f", round.workerMicrosPerMail()), seconds(round.c().cold().startToFirstMail())));
			}
			out.println(line);
		}
	}

	private void cpu(Results results) {
		MailroomEndToEnd.Warm warm = results.c().warm();
		CpuSnapshot.Usage cpu = warm.cpu();
		int mails = warm.run().messages();
		int cpus = results.environment().cpus();
		out.println();
		Rounds rounds = results.rounds();
		String round = rounds.all().size() > 1 ? " (round " + rounds.numberOf(rounds.shown()) + ")" : "";
		out.printf("Where the CPU went during (c) warm to the lean sink%s: %s s of %s s available (%d CPUs × %s s)%n", round,
				seconds(cpu.machineBusy()), seconds(cpu.wall().multipliedBy(cpus)), cpus, seconds(cpu.wall()));
		out.printf("  worker %s s (%s µs/mail), PostgreSQL %s s (%s µs/mail), lean sink %s s (%s µs/mail),%n",
				seconds(cpu.worker()), micros(cpu.worker(), mails), seconds(cpu.postgres()), micros(cpu.postgres(), mails),
				seconds(cpu.sink()), micros(cpu.sink(), mails));
		out.printf("  benchmark JVM (Kafka broker, producer, result consumer) %s s, rest of the machine %s s,"
				+ " stolen by the host %s s%n", seconds(cpu.benchmark()), seconds(cpu.rest()), seconds(cpu.steal()));
		Ceiling a = results.aLean();
		if (a != null) {
			out.printf("  (a) warm to the lean sink, for comparison: its process %s µs/mail, sending thread %s µs/mail,"
					+ " lean sink %s µs/mail%n", micros(a.warmProcessCpu(), a.warm().messages()),
					micros(a.warm().cpu(), a.warm().messages()), micros(a.sinkCpu(), a.warm().messages()));
		}
		DatabaseActivity db = warm.database();
		out.printf(Locale.ROOT,
				"  PostgreSQL per mail: %.2f commits, %.1f rows inserted, %.1f updated (%.1f HOT), %.1f deleted, %,.0f bytes of WAL%n",
				db.commits() / (double) mails, db.inserted() / (double) mails, db.updated() / (double) mails,
				db.hotUpdated() / (double) mails, db.deleted() / (double) mails, db.walBytes() / (double) mails);
		if (db.statements() >= 0) {
			out.printf(Locale.ROOT, "    %.1f statements per mail (pg_stat_statements)%n", db.statements() / (double) mails);
		}
		out.println("    index scans per mail: " + db.indexScansPerMail(mails));
		out.println("  worker CPU s by thread: " + threads(warm.workerThreads()));
		out.println("  benchmark JVM CPU s by thread: " + threads(warm.benchmarkThreads()));
	}

	private void startUp(StartUp.Result result) {
		out.println();
		out.println("Start-up: process start to the first mail at the lean sink, 20 mails queued before the start");
		result.trials().forEach((launch, trials) -> {
			String each = trials.stream()
				.map(t -> seconds(t.firstMail()) + " (ready " + seconds(t.ready()) + ")")
				.collect(Collectors.joining(", "));
			out.printf("  %-48s median %5s s   each: %s%n", launch.name(), seconds(StartUp.Result.median(trials)), each);
			trials.stream()
				.map(StartUp.Trial::cacheError)
				.filter(java.util.Objects::nonNull)
				.findFirst()
				.ifPresent(error -> out.printf("  %-48s THE CACHE WAS NOT USED: %s%n", "", error));
			if (launch.training() != null) {
				out.printf("  %-48s recording the cache took %s s (once, when the image is built)%n", "",
						seconds(launch.training()));
			}
		});
	}

	private void heap(QueuedHeap.Result heap) {
		out.println();
		out.printf("Heap: %s short mails published in one burst for a service limited to %d a minute (%s stored in %s s)%n",
				count(heap.published()), IsolationScenario.BULK_RATE_PER_MINUTE, count(heap.stored()),
				seconds(heap.intake()));
		out.printf("  the worker's most heap in use from the burst to 5 s after all were stored: %s (its ceiling: %s)%n",
				megabytes(heap.peakHeapBytes()), WorkerProcess.MAX_HEAP);
	}

	/**
	 * The profile's stages as CPU per mail: each stage's share of the execution samples times the CPU of the
	 * worker's Java threads (the process's CPU less its GC and JIT threads'), then GC and JIT themselves.
	 */
	private void profile(MailroomEndToEnd.Warm warm) {
		WorkerProfile.Summary profile = warm.profile();
		int mails = warm.run().messages();
		double gc = warm.workerThreads().getOrDefault("GC", 0.0);
		double jit = warm.workerThreads().getOrDefault("JIT", 0.0);
		double java = Math.max(0, warm.cpu().worker().toNanos() / 1e9 - gc - jit);
		out.println();
		out.printf("Where the worker's CPU went during (c) warm, by stage (Flight Recorder, %s execution samples over%n",
				count(profile.samples()));
		out.printf("  %.1f s of its Java threads' CPU; µs per mail = the stage's share of the samples × that CPU ÷ %s mails)%n",
				java, count(mails));
		profile.byActivity()
			.entrySet()
			.stream()
			.sorted(Comparator.comparingInt((Map.Entry<String, Map<String, Integer>> e) -> total(e.getValue())).reversed())
			.forEach(stage -> {
				int samples = total(stage.getValue());
				String kinds = stage.getValue()
					.entrySet()
					.stream()
					.sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
					.limit(5)
					.map(k -> k.getKey() + " " + percent(k.getValue(), samples))
					.collect(Collectors.joining(", "));
				out.printf(Locale.ROOT, "  %-34s %6s %7.0f µs   %s%n", stage.getKey(), percent(samples, profile.samples()),
						java * 1e6 * samples / profile.samples() / mails, kinds);
			});
		out.printf(Locale.ROOT, "  %-34s %6s %7.0f µs%n", "garbage collection (GC threads)", "", gc * 1e6 / mails);
		out.printf(Locale.ROOT, "  %-34s %6s %7.0f µs%n", "JIT compilation", "", jit * 1e6 / mails);
		jit("C2", profile.c2());
		jit("C1", profile.c1());
		out.printf(Locale.ROOT, "    C2's compile time by quarter of the window: %s s; %d methods compiled by C2 more than once%n",
				profile.c2ByQuarter()
					.stream()
					.map(time -> String.format(Locale.ROOT, "%.1f", time.toNanos() / 1e9))
					.collect(Collectors.joining(", ")),
				profile.c2Recompiled());
		long statements = profile.calls(WorkerProfile.STATEMENTS);
		if (statements >= 0) {
			out.printf(Locale.ROOT,
					"  JDBC per mail: %.2f statements sent (BEGIN and COMMIT included), %.2f round trips, %.2f commits%n",
					statements / (double) mails, profile.calls(WorkerProfile.ROUND_TRIPS) / (double) mails,
					profile.calls(WorkerProfile.COMMITS) / (double) mails);
		}
		out.println("  hottest methods (on top of the stack):");
		profile.selfFrames()
			.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
			.limit(15)
			.forEach(frame -> out.printf("    %6s  %s%n", percent(frame.getValue(), profile.samples()), frame.getKey()));
	}

	/** What one JIT tier compiled during the window, by library, the most compile time first. */
	private void jit(String tier, Map<String, WorkerProfile.Compiled> byKind) {
		WorkerProfile.Compiled total = WorkerProfile.Compiled.total(byKind);
		if (total.methods() == 0) {
			return;
		}
		String kinds = byKind.entrySet()
			.stream()
			.sorted(Comparator.comparing((Map.Entry<String, WorkerProfile.Compiled> e) -> e.getValue().time()).reversed())
			.limit(8)
			.map(e -> String.format(Locale.ROOT, "%s %.2f s (%d)", e.getKey(), e.getValue().time().toNanos() / 1e9,
					e.getValue().methods()))
			.collect(Collectors.joining(", "));
		out.printf(Locale.ROOT, "    %s compiled %s methods in %.1f s of compile time (wall clock): %s%n", tier,
				count(total.methods()), total.time().toNanos() / 1e9, kinds);
	}

	private void isolation(IsolationScenario.Result result) {
		out.println();
		out.printf("Isolation: one password reset a second for %d s alone (unloaded), then for %d s while %s bulk%n",
				result.resetsPerWindow(), result.resetsPerWindow(), count(result.bulkMails()));
		out.printf("  mails are queued for another service limited to %d/min, its requests on another Kafka partition%n",
				IsolationScenario.BULK_RATE_PER_MINUTE);
		out.println("  (loaded: the target). Then two harsher windows, each from the moment another such backlog starts");
		out.println("  to arrive in one burst: on another partition, then on the resets' own, where they wait behind");
		out.println("  the burst at intake. Earlier backlogs stay queued throughout; latency: enqueue to result");
		String row = "  %-36s %7s %10s %10s %10s%n";
		out.printf(row, "", "resets", "p50", "p99", "max");
		Latencies unloaded = result.unloaded();
		out.printf(row, "unloaded", count(unloaded.count()), millis(unloaded.p50()), millis(unloaded.p99()),
				millis(unloaded.max()));
		loadedRow(row, "loaded, backlog queued", result.queued());
		loadedRow(row, "backlog arriving, another partition", result.otherPartition());
		loadedRow(row, "backlog arriving, same partition", result.samePartition());
		ratio("p99 loaded/unloaded", result.ratio(result.queued()), "≤", IsolationScenario.ALLOWED_RATIO);
		ratio("p99 arriving, other/unloaded", result.ratio(result.otherPartition()));
		ratio("p99 arriving, same/unloaded", result.ratio(result.samePartition()));
		loadedDetails(result.queued());
		loadedDetails(result.otherPartition());
		loadedDetails(result.samePartition());
	}

	private void loadedRow(String row, String name, IsolationScenario.Loaded loaded) {
		Latencies latencies = loaded.latencies();
		out.printf(row, name, count(latencies.count()), millis(latencies.p50()), millis(latencies.p99()),
				millis(latencies.max()));
	}

	private void loadedDetails(IsolationScenario.Loaded loaded) {
		int over = loaded.secondsOverTarget().size();
		out.printf("  backlog %s, %s: stored %s after it began to arrive; %d reset%s took over %.0f× the unloaded p99%s;%n",
				loaded.queuedFirst() ? "queued" : "arriving", IsolationScenario.Loaded.partition(loaded.samePartition()),
				loaded.intake() == null ? "not within 5 minutes" : seconds(loaded.intake()) + " s", over,
				over == 1 ? "" : "s", IsolationScenario.ALLOWED_RATIO,
				over == 0 ? "" : " (sent at second " + seconds(loaded.secondsOverTarget()) + ")");
		out.printf("    the bulk service had sent %d mails %s s after its backlog began to arrive (its limit: %d a minute)%n",
				loaded.bulkSent(), seconds(loaded.sinceArrival()), IsolationScenario.BULK_RATE_PER_MINUTE);
	}

	private void tokens(TokenScenario.Result result) {
		out.println();
		out.printf("Tokens: %s sends across %d authorized services, each round with a fresh worker; token endpoint%n",
				count(result.sends()), result.services());
		out.println("  calls counted by the sandbox from the end of the authorizations (worker start included)");
		String row = "  %-30s %7s %22s %8s %9s %10s %10s%n";
		out.printf(row, "", "calls", "refresh/code/client", "SMTP", "mails/s", "p50", "p99");
		round(row, "as authorized", result.asAuthorized());
		round(row, "every access token expired", result.expired());
		ratio("most calls in a round", Math.max(result.asAuthorized().tokenCalls(), result.expired().tokenCalls()),
				"≤", result.allowedCalls());
	}

	private void round(String row, String name, TokenScenario.Round round) {
		Map<GrantType, Long> calls = round.callsByGrant();
		out.printf(row, name, count(round.tokenCalls()),
				calls.get(GrantType.REFRESH_TOKEN) + "/" + calls.get(GrantType.AUTHORIZATION_CODE) + "/"
						+ calls.get(GrantType.CLIENT_CREDENTIALS),
				count(round.smtpSessions()), rate(round.run().throughput()), millis(round.run().latencies().p50()),
				millis(round.run().latencies().p99()));
		if (!round.run().allSent()) {
			out.println("    NOT ALL SENT: " + round.run().statuses());
		}
	}

	/** A ratio printed for reading, with no target to meet. */
	private void ratio(String name, double value) {
		out.printf(Locale.ROOT, "  %-30s = %8.2f   (no target: reported)%n", name, value);
	}

	/** A target decided on the median of the rounds' figures, which follow it when there are several. */
	private void ratio(String name, List<Double> rounds, String relation, double target) {
		double value = Rounds.median(rounds);
		boolean pass = relation.equals("≥") ? value >= target : value <= target;
		String each = rounds.size() < 2 ? ""
				: rounds.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).collect(Collectors.joining(" ", "   rounds: ", ""));
		out.printf(Locale.ROOT, "  %-30s = %8.2f   target %s %.2f   %s%s%n", name, value, relation, target,
				pass ? "PASS" : "MISS", each);
	}

	private void ratio(String name, double value, String relation, double target) {
		ratio(name, List.of(value), relation, target);
	}

	private static String threads(Map<String, Double> seconds) {
		return seconds.entrySet()
			.stream()
			.limit(10)
			.map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.1f", e.getValue()))
			.collect(Collectors.joining(", "));
	}

	private static int total(Map<String, Integer> counts) {
		return counts.values().stream().mapToInt(Integer::intValue).sum();
	}

	private static String percent(int part, int whole) {
		return String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
	}

	private static String count(long n) {
		return String.format(Locale.ROOT, "%,d", n);
	}

	private static String rate(double perSecond) {
		return String.format(Locale.ROOT, "%,.0f", perSecond);
	}

	private static String millis(double millis) {
		return String.format(Locale.ROOT, millis < 10 ? "%.2f ms" : "%,.0f ms", millis);
	}

	private static String seconds(Duration duration) {
		return String.format(Locale.ROOT, "%.1f", duration.toNanos() / 1e9);
	}

	private static String seconds(List<Integer> seconds) {
		return seconds.size() <= 8 ? seconds.stream().map(String::valueOf).collect(Collectors.joining(", "))
				: seconds.getFirst() + " to " + seconds.getLast();
	}

	private static String megabytes(long bytes) {
		return String.format(Locale.ROOT, "%.0f MB", bytes / 1_048_576.0);
	}

	static double microsPerMail(Duration cpu, int mails) {
		return cpu.toNanos() / 1e3 / mails;
	}

	private static String micros(Duration cpu, int mails) {
		return String.format(Locale.ROOT, "%,.0f", microsPerMail(cpu, mails));
	}

}
