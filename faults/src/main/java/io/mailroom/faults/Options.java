package io.mailroom.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What to run and how big, from the command line.
 *
 * @param scenarios the scenarios, in the order given (all by default)
 * @param mails valid mails each scenario floods
 * @param mailboxes stand-in mailboxes, half in each of the two tenants
 * @param sharedMailboxes mailboxes of each tenant that two services log in as (the others have one service)
 * @param ratePerMinute mails a minute published per mailbox (Exchange allows 30 sent)
 * @param smtpLatency the stand-in's delay before every SMTP reply
 * @param settle the longest wait for the last answers after the flood and the fault (it ends sooner once a
 *     minute passes without a new answer)
 * @param hostile hostile records of the {@code hostile} scenario
 * @param backlog queued mails on each of 4 services in {@code database-stop-backlog}
 */
record Options(List<Scenario> scenarios, int mails, int mailboxes, int sharedMailboxes, int ratePerMinute,
		Duration smtpLatency,
		Duration settle, int hostile, int backlog) {

	static final String USAGE = """
			Usage: ./run-faults [options] [scenario...]
			Scenarios (default: all, in this order):
			%s
			Options:
			  --mails N            valid mails per scenario (default 1500)
			  --mailboxes N        stand-in mailboxes over two tenants, even, at least 8 (default 16)
			  --shared-mailboxes N mailboxes of each tenant shared by two services (default 1; 0: one service each)
			  --rate N             mails a minute published per mailbox (default 27; Exchange allows 30)
			  --smtp-latency MS    the stand-in's delay before each SMTP reply (default 400)
			  --settle S           the longest wait, in seconds, for the last answers after flood and fault; it ends
			                       sooner once a minute passes without a new answer (default 180)
			  --hostile N          hostile records in the hostile scenario (default 230)
			  --backlog N          queued mails on each of 4 services in database-stop-backlog (default 150)
			""".formatted(Scenario.catalogue());

	Options {
		scenarios = List.copyOf(scenarios);
	}

	static Options defaults() {
		return new Options(List.of(Scenario.values()), 1500, 16, 1, 27, Duration.ofMillis(400), Duration.ofSeconds(180),
				230, 150);
	}

	static Options parse(String... args) {
		Options defaults = defaults();
		List<Scenario> scenarios = new ArrayList<>();
		int mails = defaults.mails();
		int mailboxes = defaults.mailboxes();
		int shared = defaults.sharedMailboxes();
		int rate = defaults.ratePerMinute();
		Duration latency = defaults.smtpLatency();
		Duration settle = defaults.settle();
		int hostile = defaults.hostile();
		int backlog = defaults.backlog();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (!arg.startsWith("--")) {
				scenarios.add(Scenario.named(arg));
				continue;
			}
			if (i + 1 >= args.length) {
				throw new IllegalArgumentException("Option " + arg + " needs a value");
			}
			String value = args[++i];
			switch (arg) {
				case "--mails" -> mails = atLeast(arg, value, 1);
				case "--mailboxes" -> mailboxes = atLeast(arg, value, 8);
				case "--shared-mailboxes" -> shared = atLeast(arg, value, 0);
				case "--rate" -> rate = atLeast(arg, value, 1);
				case "--smtp-latency" -> latency = Duration.ofMillis(atLeast(arg, value, 0));
				case "--settle" -> settle = Duration.ofSeconds(atLeast(arg, value, 1));
				case "--hostile" -> hostile = atLeast(arg, value, 1);
				case "--backlog" -> backlog = atLeast(arg, value, 1);
				default -> throw new IllegalArgumentException("Unknown option " + arg);
			}
		}
		if (mailboxes % 2 != 0) {
			throw new IllegalArgumentException("--mailboxes must be even: half of them are in each tenant");
		}
		if (shared > mailboxes / 2 - 3) {
			throw new IllegalArgumentException("--shared-mailboxes leaves too few mailboxes of their own: at most "
					+ (mailboxes / 2 - 3) + " of a tenant's " + mailboxes / 2 + " may be shared");
		}
		return new Options(scenarios.isEmpty() ? defaults.scenarios() : scenarios, mails, mailboxes, shared, rate, latency,
				settle, hostile, backlog);
	}

	/** Services: every mailbox has one, and the shared mailboxes of each tenant have two. */
	int services() {
		return mailboxes + 2 * sharedMailboxes;
	}

	/** How long the regular flood takes to publish: every mailbox gets {@code ratePerMinute}. */
	Duration floodDuration(int mailCount, int mailboxCount) {
		return Duration.ofMillis(Math.round(60_000.0 * mailCount / ((double) mailboxCount * ratePerMinute)));
	}

	private static int atLeast(String option, String value, int minimum) {
		int n;
		try {
			n = Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(option + " takes a whole number, not '" + value + "'");
		}
		if (n < minimum) {
			throw new IllegalArgumentException(option + " must be at least " + minimum);
		}
		return n;
	}

}
