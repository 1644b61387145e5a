package io.mailroom.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import io.mailroom.faults.Goals.Goal;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short fault suite of {@code ./mvnw verify}: the real processes, a flood of 300 mails per scenario, and
 * three faults (none, a worker frozen past its lease, PostgreSQL stopped); every goal of every scenario is a
 * test of its own, so a report names each one that is missed with its figures. The full suite is
 * {@code ./run-faults} (docs/reliability.md).
 */
class FaultSuiteIT {

	private static final List<Scenario> SCENARIOS = List.of(Scenario.NONE, Scenario.WORKER_FREEZE,
			Scenario.DATABASE_STOP);

	@TestFactory
	Stream<DynamicNode> everyScenarioMeetsTheGoals() {
		Options options = new Options(SCENARIOS, 300, 16, 1, 27, Duration.ofMillis(400), Duration.ofSeconds(120), 230, 150);
		Path workDir = Path.of(System.getProperty("mailroom.faults.dir", "target/faults-it"));
		Path apps = Path.of(System.getProperty("mailroom.faults.apps", "target/apps"));
		FaultSuite suite = new FaultSuite(options, workDir, apps, message -> System.out.println(message));
		Instant began = Instant.now();
		List<Report.Entry> entries = suite.run();
		new Report(System.out).print(suite.heading(), entries, Duration.between(began, Instant.now()));
		return entries.stream()
			.map(entry -> DynamicContainer.dynamicContainer(entry.ledger().scenario(),
					entry.goals().stream().map(FaultSuiteIT::test)));
	}

	private static DynamicTest test(Goal goal) {
		return DynamicTest.dynamicTest(goal.name(), () -> assertThat(goal.met()).as(goal.detail()).isTrue());
	}

}
