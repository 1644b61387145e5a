package io.mailroom.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.faults.FloodPlan.Planned;
import io.mailroom.faults.Fleet.Sender;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the scenarios publish, without publishing it. */
class FloodPlanTest {

	private final Fleet fleet = fleet();

	@Test
	void theSteadyFloodGivesEveryMailboxItsShareAtItsRateAndAlternatesASharedMailboxsServices() {
		FloodPlan plan = FloodPlan.steady(fleet, Options.parse("--mails", "160", "--mailboxes", "8"));

		Map<String, Long> perMailbox = plan.valid()
			.stream()
			.collect(Collectors.groupingBy(p -> p.sender().mailbox(), Collectors.counting()));
		assertThat(perMailbox).hasSize(8).allSatisfy((mailbox, mails) -> assertThat(mails).isEqualTo(20));
		Map<UUID, Long> onShared = plan.valid()
			.stream()
			.filter(p -> p.sender().mailbox().equals("m1@a.example"))
			.collect(Collectors.groupingBy(p -> p.sender().serviceId(), Collectors.counting()));
		assertThat(onShared.values()).containsExactly(10L, 10L);
		// 8 mailboxes at 27 a minute: 160 mails take 44 s, one mailbox's mails 2.2 s apart
		assertThat(plan.duration()).isEqualTo(Duration.ofMillis(44_444));
		List<Planned> m2 = plan.valid().stream().filter(p -> p.sender().mailbox().equals("m2@a.example")).toList();
		assertThat(m2.get(1).at().minus(m2.get(0).at()).toMillis()).isBetween(2221L, 2223L);
	}

	@Test
	void aBacklogIsQueuedWithinASecondAndTheRestFlowsOverTheOtherMailboxes() {
		List<Sender> backlogged = fleet.soleSenders('A').subList(0, 2);
		FloodPlan plan = FloodPlan.backlog(fleet, Options.parse("--mails", "300", "--mailboxes", "8"), backlogged, 100);

		assertThat(plan.valid()).hasSize(300);
		assertThat(plan.valid().stream().filter(p -> backlogged.contains(p.sender())))
			.hasSize(200)
			.allMatch(p -> p.at().compareTo(Duration.ofSeconds(1)) < 0);
	}

	@Test
	void hostileRecordsAreSpreadThroughTheFloodAndMarked() {
		List<Planned> hostile = Hostile.records(fleet, 100);
		FloodPlan plan = FloodPlan.withHostile(fleet, Options.parse("--mails", "160", "--mailboxes", "8"), hostile);

		assertThat(plan.hostile()).hasSize(100)
			.allMatch(p -> p.marker() != null && p.requestId() != null)
			.allMatch(p -> p.at().compareTo(plan.duration()) < 0);
		assertThat(plan.valid()).hasSize(160);
	}

	@Test
	void hostileKindsPoisonEveryTextFieldAndEveryHeaderBearingField() {
		List<String> kinds = Hostile.kindNames();

		assertThat(kinds).contains("NUL in subject", "NUL in tags.key", "NUL in accountId",
				"control characters in attachment.filename", "CR/LF in headers.name", "CR/LF in bcc.address",
				"invalid UTF-8 in subject", "10 MB of garbage", "nesting 100,000 deep", "unknown service");
		List<Planned> records = Hostile.records(fleet, kinds.size());
		Planned nul = records.get(kinds.indexOf("NUL in subject"));
		assertThat(MailroomJson.mapper().readTree(nul.value()).path("subject").asString()).contains("\u0000");
		Planned big = records.get(kinds.indexOf("10 MB of garbage"));
		assertThat(big.value()).hasSizeGreaterThanOrEqualTo(10 * 1024 * 1024);
		assertThat(records).extracting(Planned::marker).doesNotHaveDuplicates();
	}

	private static Fleet fleet() {
		List<Sender> senders = new ArrayList<>();
		for (char tenant : new char[] { 'a', 'b' }) {
			for (int i = 1; i <= 4; i++) {
				String mailbox = "m" + i + "@" + tenant + ".example";
				String account = tenant == 'a' ? Stage.ACCOUNT_A : Stage.ACCOUNT_B;
				char letter = Character.toUpperCase(tenant);
				senders.add(new Sender(UUID.randomUUID(), account, letter, mailbox));
				if (i == 1) {
					senders.add(new Sender(UUID.randomUUID(), account, letter, mailbox));
				}
			}
		}
		return new Fleet("plan", null, null, senders);
	}

}
