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

	/** (c) must reach this share of (a)'s throughput. */
	static final double TARGET_C_OVER_A = 0.7;

	/** (c) must reach this multiple of (b)'s throughput. */
	static final double TARGET_C_OVER_B = 5.0;

	private static final String ROW = "  %-44s %7s %12s %10s %10s %9s %10s%n";

	private final PrintStream out;

	Report(PrintStream out) {
		this.out = out;
	}

	void print(Results results) {
		header(results);
		if (results.a() != null || results.b() != null || results.c() != null) {
			throughput(results);
		}
		if (results.c() != null && results.c().profile() != null) {
			profile(results.c().profile());
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
		out.println("  SMTP sink: the Microsoft sandbox on loopback (STARTTLS, XOAUTH2), limits off, counting only");
		out.printf("  PostgreSQL %s embedded (synchronous_commit %s); Kafka %s, one KRaft broker in the benchmark JVM%n",
				env.postgres(), env.synchronousCommit(), env.kafka());
		out.printf("  worker: a JVM of its own (java %s -jar mailroom-worker-exec.jar), settings: %s%n",
				String.join(" ", jvmOptions(options)),
				options.workerSettings().isEmpty() ? "its defaults" : String.join(" ", options.workerSettings()));
		out.println("    (claim batch 50, 3 SMTP connections per service, no Mailroom rate limit for a non-Microsoft host,");
		out.println("     2 intake consumers of 500 records a poll, 20 database connections; unless overridden above)");
		out.printf("  mails: %s digests (1 to 8 articles, text and HTML, %s bytes of MIME on average), XOAUTH2 with a token%n",
				count(options.messages()), count(results.averageMimeBytes()));
		out.printf("    obtained once; each of (a), (b), (c) first sends %s other mails, unmeasured (JIT warm-up)%n",
				count(options.warmup()));
	}

	private static List<String> jvmOptions(Options options) {
		List<String> jvm = new java.util.ArrayList<>(List.of(WorkerProcess.MAX_HEAP));
		jvm.addAll(options.workerJvmOptions());
		return jvm;
	}

	private void throughput(Results results) {
		out.println();
		out.printf(ROW, "Throughput", "mails", "mails/s", "p50", "p99", "CPU s", "peak heap");
		SmtpLoops.Run a = results.a();
		SmtpLoops.Run b = results.b();
		MailroomEndToEnd.Result c = results.c();
		if (a != null) {
			out.printf(ROW, "(a) one loop, one reused connection", count(a.messages()), rate(a.throughput()),
					millis(a.perMail().p50()), millis(a.perMail().p99()), seconds(a.cpu()) + " ¹", "-");
		}
		if (b != null) {
			out.printf(ROW, "(b) one loop, a new connection per mail", count(b.messages()), rate(b.throughput()),
					millis(b.perMail().p50()), millis(b.perMail().p99()), seconds(b.cpu()) + " ¹", "-");
		}
		SmtpLoops.Run g = results.g();
		if (g != null) {
			out.printf(ROW, "(g) one loop, Graph sendMail (MIME, 202)", count(g.messages()), rate(g.throughput()),
					millis(g.perMail().p50()), millis(g.perMail().p99()), seconds(g.cpu()) + " ¹", "-");
		}
		if (c != null) {
			out.printf(ROW, "(c) Mailroom: Kafka, one worker, result event", count(c.run().messages()),
					rate(c.run().throughput()), millis(c.run().latencies().p50()), millis(c.run().latencies().p99()),
					seconds(c.cpu().worker()) + " ²", megabytes(c.peakHeapBytes()) + " ²");
		}
		out.println("  ¹ (a), (b), (g): CPU of the sending thread (composing, TLS, SMTP or HTTP client); latency of one mail,");
		out.println("    compose to the server's reply, connecting included in (b); (g) posts base64 MIME to the stand-in's Graph");
		out.println("  ² (c): CPU of the worker process (/proc/<pid>/stat) over the burst, its most heap in use (before");
		out.println("    each collection, from -Xlog:gc); latency: request's record timestamp to its result consumed; all");
		out.println("    mails are published in one burst, so latency is mostly time spent waiting in the queue");
		if (c != null && !c.run().allSent()) {
			out.println("  NOT ALL SENT: " + c.run().statuses());
		}
		out.println();
		if (a != null && c != null) {
			ratio("c/a", c.run().throughput() / a.throughput(), "≥", TARGET_C_OVER_A);
		}
		if (b != null && c != null) {
			ratio("c/b", c.run().throughput() / b.throughput(), "≥", TARGET_C_OVER_B);
		}
		if (c != null) {
			CpuSnapshot.Usage cpu = c.cpu();
			out.printf("  (c) used %s s of CPU over its %s s (%d CPUs: %s CPU s available): worker %s, PostgreSQL %s,%n",
					seconds(cpu.machineBusy()), seconds(cpu.wall()), results.environment().cpus(),
					seconds(cpu.wall().multipliedBy(results.environment().cpus())), seconds(cpu.worker()),
					seconds(cpu.postgres()));
			out.printf("    benchmark JVM (Kafka broker, SMTP sink, producer, result consumer) %s, rest of the machine %s%n",
					seconds(cpu.benchmark()), seconds(cpu.rest()));
			out.printf("    per mail: worker %.0f µs, PostgreSQL %.0f µs; (a)'s sending thread %s%n",
					micros(cpu.worker(), c.run().messages()), micros(cpu.postgres(), c.run().messages()),
					a == null ? "-" : String.format(Locale.ROOT, "%.0f µs", micros(a.cpu(), a.messages())));
			DatabaseActivity db = c.database();
			double mails = c.run().messages();
			out.printf(Locale.ROOT,
					"    PostgreSQL per mail: %.2f commits, %.1f rows inserted, %.1f updated, %.1f deleted, %,.0f bytes of WAL%n",
					db.commits() / mails, db.inserted() / mails, db.updated() / mails, db.deleted() / mails,
					db.walBytes() / mails);
			out.println("    worker CPU s by thread: " + threads(c.workerThreads()));
			out.println("    benchmark JVM CPU s by thread: " + threads(c.benchmarkThreads()));
		}
	}

	private void profile(WorkerProfile.Summary profile) {
		out.println();
		out.printf("Where the worker's Java threads spent (c) (Flight Recorder, %s execution samples)%n",
				count(profile.samples()));
		profile.byActivity()
			.entrySet()
			.stream()
			.sorted(Comparator.comparingInt((Map.Entry<String, Map<String, Integer>> e) -> total(e.getValue())).reversed())
			.forEach(activity -> {
				int samples = total(activity.getValue());
				String kinds = activity.getValue()
					.entrySet()
					.stream()
					.sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
					.limit(6)
					.map(k -> k.getKey() + " " + percent(k.getValue(), profile.samples()))
					.collect(Collectors.joining(", "));
				out.printf("  %-34s %6s   %s%n", activity.getKey(), percent(samples, profile.samples()), kinds);
			});
		out.println("  hottest methods (on top of the stack):");
		profile.selfFrames()
			.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
			.limit(15)
			.forEach(frame -> out.printf("    %6s  %s%n", percent(frame.getValue(), profile.samples()), frame.getKey()));
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

	private void ratio(String name, double value, String relation, double target) {
		boolean pass = relation.equals("≥") ? value >= target : value <= target;
		out.printf(Locale.ROOT, "  %-30s = %8.2f   target %s %.2f   %s%n", name, value, relation, target,
				pass ? "PASS" : "MISS");
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

	private static double micros(Duration cpu, int mails) {
		return cpu.toNanos() / 1e3 / mails;
	}

}
