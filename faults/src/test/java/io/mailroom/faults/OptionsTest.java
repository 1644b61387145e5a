package io.mailroom.faults;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionsTest {

	@Test
	void withoutArgumentsEveryScenarioRunsWithTheIssuesSizes() {
		Options options = Options.parse();

		assertThat(options.scenarios()).containsExactly(Scenario.values());
		assertThat(options.mails()).isEqualTo(1500);
		assertThat(options.mailboxes()).isEqualTo(16);
		assertThat(options.services()).isEqualTo(18);
		assertThat(options.smtpLatency()).isEqualTo(Duration.ofMillis(400));
	}

	@Test
	void scenariosAreChosenByNameInTheOrderGiven() {
		Options options = Options.parse("hostile", "--mails", "300", "none");

		assertThat(options.scenarios()).containsExactly(Scenario.HOSTILE, Scenario.NONE);
		assertThat(options.mails()).isEqualTo(300);
	}

	@Test
	void withoutSharedMailboxesEveryServiceHasAMailboxOfItsOwn() {
		assertThat(Options.parse("--shared-mailboxes", "0").services()).isEqualTo(16);
		assertThat(Options.parse("--shared-mailboxes", "2").services()).isEqualTo(20);
		assertThatThrownBy(() -> Options.parse("--shared-mailboxes", "6")).hasMessageContaining("at most 5");
	}

	@Test
	void mistakesAreExplained() {
		assertThatThrownBy(() -> Options.parse("no-such-fault")).hasMessageContaining("Unknown scenario 'no-such-fault'");
		assertThatThrownBy(() -> Options.parse("--mailboxes", "9")).hasMessageContaining("must be even");
		assertThatThrownBy(() -> Options.parse("--mails", "many")).hasMessageContaining("takes a whole number");
		assertThatThrownBy(() -> Options.parse("--mails")).hasMessageContaining("needs a value");
	}

	@Test
	void theFloodTakesAsLongAsTheMailboxesRateAllows() {
		Options options = Options.parse("--mails", "432");

		assertThat(options.floodDuration(432, 16)).isEqualTo(Duration.ofMinutes(1));
		assertThat(List.of(Options.USAGE.split("\n"))).anyMatch(line -> line.contains("worker-freeze"));
	}

}
