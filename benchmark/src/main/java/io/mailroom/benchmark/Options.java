package io.mailroom.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What to run and how big, from the command line.
 *
 * @param messages the mails (a), (b) and (c) each send warm
 * @param warmup the cold mails: (a) sends them first, (c) and (d) queue them before their process starts;
 *     measured as the cold figures, and the warm-up of the warm ones ((b) sends up to 2,000 of them unmeasured)
 * @param peerMessages the mails (d) sends warm
 * @param newConnectionMessages how many of the {@code messages} (b) sends (all, unless told otherwise)
 * @param bulkMails the bulk backlog of the isolation scenario
 * @param isolationWindow how long the transactional service sends one mail a second, unloaded and loaded
 * @param tokenServices the authorized services of the token scenario
 * @param tokenSends the mails the token scenario sends across them
 * @param synchronousCommit PostgreSQL's {@code synchronous_commit} for Mailroom's database
 * @param profile record the worker with Flight Recorder during (c) and print where its time goes
 * @param workerSettings worker settings ({@code name=value}) that differ from its defaults: tuning knobs
 * @param workerJvmOptions options for the worker's JVM besides the benchmark's own
 * @param startupTrials how many times each way of starting the worker is timed
 * @param rounds how many times (a) and (c) to the lean sink are measured, in turns; the targets take the median
 * @param queued the backlog the worker's heap is measured with
 * @param parts the parts to run
 */
record Options(int messages, int warmup, int newConnectionMessages, int peerMessages, int bulkMails,
		Duration isolationWindow, int tokenServices, int tokenSends, boolean synchronousCommit, boolean profile,
		List<String> workerSettings, List<String> workerJvmOptions, int startupTrials, int rounds, int queued,
		Set<Part> parts) {

	enum Part {

		A, B, G, C, D, STARTUP, ISOLATION, TOKENS, HEAP

	}

	static final String USAGE = """
			Usage: ./run-benchmark [options]
			  --messages N              warm mails for (a), (b) and (c) (default 20000)
			  --warmup N                cold mails: sent first by (a), queued before (c)'s and (d)'s process
			                            starts (default 10000); (b) sends up to 2000 of them unmeasured
			  --new-connection-messages N  warm mails for (b) (default: --messages)
			  --peer-messages N         warm mails for (d), the Spring peer (default 10000)
			  --startup-trials N        starts of the worker timed each way (default 2)
			  --rounds N                (a) and (c) to the lean sink measured N times in turns, the targets
			                            being the median of the rounds' figures (default 3)
			  --queued N                backlog the worker's heap is measured with (default 100000)
			  --bulk N                  bulk backlog of the isolation scenario (default 10000)
			  --isolation-seconds S     unloaded and loaded windows of the isolation scenario (default 60)
			  --token-services N        services of the token scenario (default 100)
			  --token-sends N           mails of the token scenario (default 10000)
			  --synchronous-commit on|off  PostgreSQL synchronous_commit (default on, as in production)
			  --profile                 record the worker with Flight Recorder during (c)
			  --worker name=value       a worker setting other than its default, e.g.
			                            --worker mailroom.scheduling.claim-batch=100 (repeatable)
			  --worker-jvm OPTION       an option for the worker's JVM, e.g. --worker-jvm -XX:+UseSerialGC (repeatable)
			  --only a,b,g,c,d,startup,isolation,tokens,heap  run only these parts (default: all)
			""";

	static Options parse(String... args) {
		int messages = 20_000;
		Integer newConnection = null;
		int warmup = 10_000;
		int peerMessages = 10_000;
		int startupTrials = 2;
		int rounds = 3;
		int queued = 100_000;
		int bulk = 10_000;
		int isolationSeconds = 60;
		int tokenServices = 100;
		int tokenSends = 10_000;
		boolean synchronousCommit = true;
		boolean profile = false;
		Set<Part> parts = EnumSet.allOf(Part.class);
		List<String> workerSettings = new ArrayList<>();
		List<String> workerJvmOptions = new ArrayList<>();
		for (int i = 0; i < args.length; i++) {
			String option = args[i];
			if (option.equals("--profile")) {
				profile = true;
				continue;
			}
			if (i + 1 >= args.length) {
				throw new IllegalArgumentException("Option " + option + " needs a value");
			}
			String value = args[++i];
			switch (option) {
				case "--messages" -> messages = positive(option, value);
				case "--warmup" -> warmup = positive(option, value);
				case "--new-connection-messages" -> newConnection = positive(option, value);
				case "--peer-messages" -> peerMessages = positive(option, value);
				case "--startup-trials" -> startupTrials = positive(option, value);
				case "--rounds" -> rounds = positive(option, value);
				case "--queued" -> queued = positive(option, value);
				case "--bulk" -> bulk = positive(option, value);
				case "--isolation-seconds" -> isolationSeconds = positive(option, value);
				case "--token-services" -> tokenServices = positive(option, value);
				case "--token-sends" -> tokenSends = positive(option, value);
				case "--synchronous-commit" -> synchronousCommit = switch (value) {
					case "on" -> true;
					case "off" -> false;
					default -> throw new IllegalArgumentException("--synchronous-commit is on or off");
				};
				case "--only" -> parts = parts(value);
				case "--worker" -> {
					if (!value.matches("[a-z][a-z0-9.\\[\\]-]*=.*")) {
						throw new IllegalArgumentException("--worker takes name=value, e.g. mailroom.scheduling.claim-batch=100");
					}
					workerSettings.add(value);
				}
				case "--worker-jvm" -> {
					if (!value.startsWith("-")) {
						throw new IllegalArgumentException("--worker-jvm takes a JVM option such as -XX:+UseSerialGC");
					}
					workerJvmOptions.add(value);
				}
				default -> throw new IllegalArgumentException("Unknown option " + option);
			}
		}
		int b = newConnection == null ? messages : Math.min(newConnection, messages);
		return new Options(messages, warmup, b, peerMessages, bulk, Duration.ofSeconds(isolationSeconds), tokenServices,
				Math.max(tokenSends, tokenServices), synchronousCommit, profile, List.copyOf(workerSettings),
				List.copyOf(workerJvmOptions), startupTrials, rounds, queued, parts);
	}

	/** The worker settings as command-line arguments. */
	List<String> workerArguments() {
		return workerSettings.stream().map(setting -> "--" + setting).toList();
	}

	boolean runs(Part part) {
		return parts.contains(part);
	}

	private static Set<Part> parts(String list) {
		Set<Part> parts = EnumSet.noneOf(Part.class);
		Arrays.stream(list.split(",")).map(String::strip).filter(p -> !p.isEmpty()).forEach(p -> {
			try {
				parts.add(Part.valueOf(p.toUpperCase(Locale.ROOT)));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("--only takes a, b, g, c, d, startup, isolation, tokens and heap; not " + p);
			}
		});
		return parts;
	}

	private static int positive(String option, String value) {
		int n = notNegative(option, value);
		if (n == 0) {
			throw new IllegalArgumentException(option + " must be at least 1");
		}
		return n;
	}

	private static int notNegative(String option, String value) {
		try {
			int n = Integer.parseInt(value.replace("_", ""));
			if (n < 0) {
				throw new IllegalArgumentException(option + " must not be negative");
			}
			return n;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(option + " takes a number, not " + value);
		}
	}

}
