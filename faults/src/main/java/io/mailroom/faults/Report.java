package io.mailroom.faults;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.faults.Goals.Goal;

/**
 * The suite's report: one table row per scenario, the goals each missed, what each scenario did and what
 * arrived after its ledger was taken; and the same as JSON for machines.
 */
final class Report {

	/** A scenario's ledger with its goals, and the ledger taken again at the end of the run. */
	record Entry(Ledger ledger, List<Goal> goals, Ledger atEnd) {

		boolean passed() {
			return Goals.allMet(goals);
		}

	}

	private static final String ROW = "%-22s %8s %8s %6s %8s %6s %9s %9s %6s %6s %5s %7s %9s %7s %8s  %s%n";

	private final PrintStream out;

	Report(PrintStream out) {
		this.out = out;
	}

	void print(String heading, List<Entry> entries, Duration took) {
		out.println();
		out.println(heading);
		out.println();
		out.printf(ROW, "scenario", "requests", "results", ">1 res", "disagree", "lost", "non-final", "dup mails",
				"432", "421", "conn", "max/60s", "recovery", "p99", "stall", "verdict");
		for (Entry entry : entries) {
			Ledger l = entry.ledger();
			out.printf(ROW, l.scenario(), count(l.requests()), count(l.answered()), count(l.repeated()),
					count(l.disagreeing()), count(l.lost()), count(l.nonFinalRows()), count(l.duplicateMails()),
					count(l.connectionRefusals()), count(l.rateRefusals()), l.peakConnections(), l.peakPerMinute(),
					Goals.seconds(l.recovery()), Goals.seconds(l.p99()), Goals.seconds(l.longestStall()),
					entry.passed() ? "PASS" : "FAIL");
		}
		out.println();
		out.println("\"stall\": the longest any service owed mail without a result coming; \"conn\" and \"max/60s\": the most"
				+ " connections and accepted messages of one mailbox as the stand-in saw them.");
		for (Entry entry : entries) {
			Ledger l = entry.ledger();
			out.println();
			out.println(l.scenario() + ": " + (entry.passed() ? "every goal met" : "goals missed:"));
			entry.goals().stream().filter(g -> !g.met()).forEach(g -> out.println("  - " + g.name() + ": " + g.detail()));
			l.notes().forEach(note -> out.println("  · " + note));
			if (l.longestStallOthers() != null) {
				out.println("  · longest stall of the services the fault did not hit: " + Goals.seconds(l.longestStallOthers()));
			}
			if (l.hostileRecords() > 0) {
				out.println("  · hostile records: " + l.hostileAnswered() + " of " + l.hostileRecords()
						+ " answered, the slowest after " + Goals.seconds(l.slowestHostileAnswer()));
			}
			out.println("  · results: " + l.statuses() + "; p50 " + Goals.seconds(l.p50()));
			if (!l.lostByMailbox().isEmpty()) {
				out.println("  · lost per mailbox: " + l.lostByMailbox());
			}
			l.refusedByMailbox()
				.forEach((mailbox, limits) -> out.println("  · " + mailbox + ": " + limits.connectionRefusals() + "× 432, "
						+ limits.rateRefusals() + "× 421"));
			String late = late(l, entry.atEnd());
			if (!late.isEmpty()) {
				out.println("  · by the end of the run: " + late);
			}
		}
		out.println();
		out.println("Took " + Goals.seconds(took).replace(" s", "") + " s ("
				+ took.toMinutes() + " min); "
				+ entries.stream().filter(Entry::passed).count() + " of " + entries.size() + " scenarios met every goal.");
	}

	/** What changed between a scenario's ledger and the same ledger at the end of the run. */
	static String late(Ledger then, Ledger atEnd) {
		if (atEnd == null) {
			return "";
		}
		StringBuilder late = new StringBuilder();
		change(late, "answered", then.answered(), atEnd.answered());
		change(late, "non-final rows", then.nonFinalRows(), atEnd.nonFinalRows());
		change(late, "requests with more than one result", then.repeated(), atEnd.repeated());
		change(late, "disagreeing", then.disagreeing(), atEnd.disagreeing());
		change(late, "duplicate mails", then.duplicateMails(), atEnd.duplicateMails());
		change(late, "432 refusals", then.connectionRefusals(), atEnd.connectionRefusals());
		change(late, "421 refusals", then.rateRefusals(), atEnd.rateRefusals());
		return late.toString();
	}

	private static void change(StringBuilder out, String what, long then, long atEnd) {
		if (then != atEnd) {
			out.append(out.isEmpty() ? "" : ", ").append(what).append(' ').append(then).append(" → ").append(atEnd);
		}
	}

	/** Writes the report as JSON. */
	static void write(Path file, Map<String, Object> run, List<Entry> entries) {
		Map<String, Object> json = new LinkedHashMap<>(run);
		json.put("scenarios", entries.stream().map(entry -> {
			Map<String, Object> scenario = new LinkedHashMap<>();
			scenario.put("ledger", entry.ledger());
			scenario.put("goals", entry.goals());
			scenario.put("passed", entry.passed());
			scenario.put("atEndOfRun", entry.atEnd());
			return scenario;
		}).toList());
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.write(file, MailroomJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write " + file, ex);
		}
	}

	static String now() {
		return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
	}

	private static String count(long n) {
		return String.format(Locale.ROOT, "%,d", n);
	}

}
