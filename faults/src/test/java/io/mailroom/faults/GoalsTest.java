package io.mailroom.faults;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.mailroom.faults.Goals.Goal;
import io.mailroom.faults.Observations.Accepted;
import io.mailroom.faults.Observations.MailboxLimits;
import io.mailroom.faults.Observations.Request;
import io.mailroom.faults.Observations.Result;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which goals a ledger meets. */
class GoalsTest {

	private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

	private final UUID requestId = UUID.randomUUID();

	@Test
	void aCleanRunMeetsEveryGoal() {
		List<Goal> goals = Goals.of(Ledger.of(observations(List.of(), Map.of(), null)));

		assertThat(goals).allMatch(Goal::met);
		assertThat(goals).extracting(Goal::name).contains("no mail lost", "nothing stuck",
				"exactly one final result per request", "every valid mail sent", "no duplicate mails",
				"never a 4th connection to a mailbox", "never a 31st message in a minute from a mailbox");
	}

	@Test
	void aRefusedFourthConnectionOrThirtyFirstMessageMissesTheLimitGoals() {
		List<Goal> goals = Goals.of(Ledger.of(observations(List.of(),
				Map.of("m@a.example", new MailboxLimits(1, 2, 3, 30)), null)));

		assertThat(missed(goals)).containsExactlyInAnyOrder("never a 4th connection to a mailbox",
				"never a 31st message in a minute from a mailbox");
	}

	@Test
	void afterAKillDuplicatesUpToTheMailsInFlightAreAllowedAndNoMore() {
		List<Accepted> twice = List.of(new Accepted("<a@x>", "m@a.example", T0), new Accepted("<a@x>", "m@a.example", T0));
		List<Accepted> thrice = List.of(new Accepted("<a@x>", "m@a.example", T0), new Accepted("<a@x>", "m@a.example", T0),
				new Accepted("<b@x>", "m@a.example", T0), new Accepted("<b@x>", "m@a.example", T0));

		assertThat(missed(Goals.of(Ledger.of(observations(twice, Map.of(), 1))))).isEmpty();
		assertThat(missed(Goals.of(Ledger.of(observations(thrice, Map.of(), 1)))))
			.containsExactly("duplicate mails at most those in flight at the kill");
		assertThat(missed(Goals.of(Ledger.of(observations(twice, Map.of(), null))))).containsExactly("no duplicate mails");
	}

	private Observations observations(List<Accepted> accepted, Map<String, MailboxLimits> limits, Integer inFlight) {
		Request request = new Request(requestId, UUID.randomUUID(), 'A', "m@a.example", false, T0);
		return new Observations("x", List.of(request), List.of(), List.of(new Result(requestId, "SENT", T0.plusSeconds(2))),
				List.of(), Map.of(requestId, "SENT"), accepted, limits, T0, T0, null, null, T0.plusSeconds(10), inFlight,
				Set.of(), false, List.of());
	}

	private static List<String> missed(List<Goal> goals) {
		return goals.stream().filter(g -> !g.met()).map(Goal::name).toList();
	}

}
