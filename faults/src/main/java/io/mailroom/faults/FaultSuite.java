package io.mailroom.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Mailroom's fault suite: starts the real processes, runs each chosen scenario (flood, fault, recovery,
 * ledger), then prints the ledgers and the goals they meet. Exits 0 when every scenario met every goal, 1
 * when one did not, 2 on a usage error, 3 when the suite itself could not run (an app that did not start).
 */
public final class FaultSuite {

	private final Options options;

	private final Path workDir;

	private final Path apps;

	private final Consumer<String> progress;

	FaultSuite(Options options, Path workDir, Path apps, Consumer<String> progress) {
		this.options = options;
		this.workDir = workDir;
		this.apps = apps;
		this.progress = progress;
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
		Path workDir = Path.of(System.getProperty("mailroom.faults.dir", "faults/target/faults"));
		Path apps = Path.of(System.getProperty("mailroom.faults.apps", "faults/target/apps"));
		Instant began = Instant.now();
		FaultSuite suite = new FaultSuite(options, workDir, apps, FaultSuite::progress);
		List<Report.Entry> entries;
		try {
			entries = suite.run();
		}
		catch (RuntimeException ex) {
			System.err.println("The fault suite could not run: " + ex.getMessage() + " (logs: " + workDir + ")");
			ex.printStackTrace();
			System.exit(3);
			return;
		}
		Duration took = Duration.between(began, Instant.now());
		new Report(System.out).print(suite.heading(), entries, took);
		Report.write(workDir.resolve("ledger.json"), suite.describe(took), entries);
		System.out.println("Ledger as JSON: " + workDir.resolve("ledger.json") + "; logs: " + workDir);
		// the stand-in keeps non-daemon threads
		System.exit(entries.stream().allMatch(Report.Entry::passed) ? 0 : 1);
	}

	/** Runs the scenarios on one stage; each entry holds the ledger taken after it and again at the end. */
	List<Report.Entry> run() {
		List<ScenarioRun> runs = new ArrayList<>();
		List<Ledger> ledgers = new ArrayList<>();
		try (Stage stage = Stage.start(workDir, apps, options, progress)) {
			for (int i = 0; i < options.scenarios().size(); i++) {
				Scenario scenario = options.scenarios().get(i);
				progress.accept(scenario.title() + ": starting (load average " + loadAverage() + ")");
				ScenarioRun run = new ScenarioRun(stage, options, scenario, progress);
				Ledger ledger = Ledger.of(run.run());
				runs.add(run);
				ledgers.add(ledger);
				progress.accept(scenario.title() + ": " + (Goals.allMet(Goals.of(ledger)) ? "every goal met"
						: "goals missed: " + Goals.of(ledger).stream().filter(g -> !g.met()).map(Goals.Goal::name).toList()));
				// the next scenario needs intake flowing; after the last, nothing does
				long lag = (i == options.scenarios().size() - 1) ? 0 : stage.intakeLag();
				if (lag > 0) {
					progress.accept(scenario.title() + ": intake is stuck (" + lag
							+ " records not taken in); clearing mail.send-requests and restarting the workers");
					stage.clearStuckIntake();
				}
			}
			List<Report.Entry> entries = new ArrayList<>();
			for (int i = 0; i < runs.size(); i++) {
				Ledger ledger = ledgers.get(i);
				entries.add(new Report.Entry(ledger, Goals.of(ledger), Ledger.of(runs.get(i).observe())));
			}
			return entries;
		}
	}

	String heading() {
		return String.format(Locale.ROOT,
				"Fault suite, %s: %d CPUs (load average now %s); %d services over %d mailboxes in 2 tenants; %,d mails"
						+ " a scenario at %d a minute per mailbox; SMTP replies after %d ms; Exchange Online's limits",
				Report.now(), Runtime.getRuntime().availableProcessors(), loadAverage(), options.services(),
				options.mailboxes(), options.mails(), options.ratePerMinute(), options.smtpLatency().toMillis());
	}

	/** The machine's 1, 5 and 15 minute load averages: other work on it moves every timing. */
	static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException | RuntimeException ex) {
			return "?";
		}
	}

	Map<String, Object> describe(Duration took) {
		Map<String, Object> run = new LinkedHashMap<>();
		run.put("at", Report.now());
		run.put("cpus", Runtime.getRuntime().availableProcessors());
		run.put("loadAverage", loadAverage());
		Map<String, Object> chosen = new LinkedHashMap<>();
		chosen.put("scenarios", options.scenarios().stream().map(Scenario::title).toList());
		chosen.put("mails", options.mails());
		chosen.put("mailboxes", options.mailboxes());
		chosen.put("services", options.services());
		chosen.put("ratePerMinute", options.ratePerMinute());
		chosen.put("smtpLatencyMillis", options.smtpLatency().toMillis());
		chosen.put("settleSeconds", options.settle().toSeconds());
		chosen.put("hostile", options.hostile());
		chosen.put("backlog", options.backlog());
		run.put("options", chosen);
		run.put("tookSeconds", took.toSeconds());
		return run;
	}

	private static void progress(String message) {
		System.err.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + message);
	}

}
