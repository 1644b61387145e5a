package io.mailroom.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.mailroom.faults.Observations.Accepted;
import io.mailroom.faults.Observations.DeadLetter;
import io.mailroom.faults.Observations.HostileRecord;
import io.mailroom.faults.Observations.MailboxLimits;
import io.mailroom.faults.Observations.Request;
import io.mailroom.faults.Observations.Result;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What each figure of the ledger counts, from hand-made observations. */
class LedgerTest {

	private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

	private static final UUID SERVICE = UUID.randomUUID();

	private static final UUID OTHER_SERVICE = UUID.randomUUID();

	private final List<Request> requests = new ArrayList<>();

	private final List<Result> results = new ArrayList<>();

	@Test
	void requestsWithoutResultsAreLostAndRepeatedOrContradictoryResultsAreCountedApart() {
		Request sent = request(SERVICE, 0);
		Request sentTwice = request(SERVICE, 1);
		Request contradicted = request(SERVICE, 2);
		Request lost = request(SERVICE, 3);
		result(sent, "SENT", 2);
		result(sentTwice, "SENT", 3);
		result(sentTwice, "SENT", 9);
		result(contradicted, "SENT", 4);
		result(contradicted, "FAILED", 5);

		Ledger ledger = Ledger.of(observations(Map.of(), List.of(), null));

		assertThat(ledger.requests()).isEqualTo(4);
		assertThat(ledger.answered()).isEqualTo(3);
		assertThat(ledger.lost()).isOne();
		assertThat(ledger.repeated()).isEqualTo(2);
		assertThat(ledger.disagreeing()).isOne();
		assertThat(ledger.statuses()).containsEntry("SENT", 3);
		assertThat(ledger.lostByMailbox()).containsEntry("m1@a.example", 1);
		assertThat(lost.requestId()).isNotNull();
	}

	@Test
	void rowsStillQueuedSendingOrHeldAreNonFinalAndRequestsWithoutARowWereNeverStored() {
		Request queued = request(SERVICE, 0);
		Request held = request(SERVICE, 1);
		Request sent = request(SERVICE, 2);
		request(SERVICE, 3);

		Ledger ledger = Ledger.of(observations(
				Map.of(queued.requestId(), "QUEUED", held.requestId(), "HELD", sent.requestId(), "SENT"), List.of(), null));

		assertThat(ledger.nonFinalRows()).isEqualTo(2);
		assertThat(ledger.missingRows()).isOne();
	}

	@Test
	void aDuplicateMailIsAMessageIdTheMailboxAcceptedMoreThanOnce() {
		List<Accepted> accepted = List.of(new Accepted("<a@x>", "m1@a.example", T0), new Accepted("<a@x>", "m1@a.example", T0),
				new Accepted("<a@x>", "m1@a.example", T0), new Accepted("<b@x>", "m1@a.example", T0),
				new Accepted("<c@x>", "m1@a.example", T0), new Accepted("<c@x>", "m1@a.example", T0));

		Ledger ledger = Ledger.of(observations(Map.of(), accepted, null));

		assertThat(ledger.duplicateMails()).isEqualTo(2);
		assertThat(ledger.extraCopies()).isEqualTo(3);
	}

	@Test
	void aStallRunsFromTheLaterOfTheLastResultAndThePublishingOfOwedMailToTheNextResult() {
		// published at 0 s and 1 s, answered at 2 s and 12 s: owed from 2 s to 12 s
		result(request(SERVICE, 0), "SENT", 2);
		result(request(SERVICE, 1), "SENT", 12);
		// nothing owed between 12 s and 30 s: idle time is no stall
		result(request(SERVICE, 30), "SENT", 33);
		// the other service answers promptly
		result(request(OTHER_SERVICE, 0), "SENT", 1);
		result(request(OTHER_SERVICE, 5), "SENT", 6);

		var stalls = Ledger.stalls(requests, firstResults(), T0.plusSeconds(60));

		assertThat(stalls.get(SERVICE)).isEqualTo(Duration.ofSeconds(10));
		assertThat(stalls.get(OTHER_SERVICE)).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void mailNeverAnsweredStallsItsServiceUntilTheObservation() {
		result(request(SERVICE, 0), "SENT", 1);
		request(SERVICE, 10);

		var stalls = Ledger.stalls(requests, firstResults(), T0.plusSeconds(70));

		assertThat(stalls.get(SERVICE)).isEqualTo(Duration.ofSeconds(60));
	}

	@Test
	void recoveryRunsFromTheFaultsEndToTheLastResultAndIsUnknownWhileMailIsLost() {
		result(request(SERVICE, 0), "SENT", 5);
		result(request(SERVICE, 1), "SENT", 95);

		Ledger recovered = Ledger.of(observations(Map.of(), List.of(), T0.plusSeconds(50)));
		request(SERVICE, 2);
		Ledger notRecovered = Ledger.of(observations(Map.of(), List.of(), T0.plusSeconds(50)));

		assertThat(recovered.recovery()).isEqualTo(Duration.ofSeconds(45));
		assertThat(notRecovered.recovery()).isNull();
	}

	@Test
	void aHostileRecordIsAnsweredByItsResultOrItsDeadLetterWhicheverComesFirst() {
		UUID rejected = UUID.randomUUID();
		UUID both = UUID.randomUUID();
		List<HostileRecord> hostile = List.of(new HostileRecord("s:0", "NUL in subject", rejected, T0),
				new HostileRecord("s:1", "to a string", both, T0), new HostileRecord("s:2", "binary garbage", UUID.randomUUID(), T0),
				new HostileRecord("s:3", "malformed JSON", UUID.randomUUID(), T0));
		results.add(new Result(rejected, "REJECTED", T0.plusSeconds(2)));
		results.add(new Result(both, "REJECTED", T0.plusSeconds(7)));
		List<DeadLetter> deadLetters = List.of(new DeadLetter("s:1", T0.plusSeconds(1)), new DeadLetter("s:2", T0.plusSeconds(3)));

		Ledger ledger = Ledger.of(new Observations("hostile", requests, hostile, results, deadLetters, Map.of(), List.of(),
				Map.of(), T0, T0, null, null, T0.plusSeconds(60), null, Set.of(), false, List.of()));

		assertThat(ledger.hostileAnswered()).isEqualTo(3);
		assertThat(ledger.slowestHostileAnswer()).isEqualTo(Duration.ofSeconds(3));
		assertThat(ledger.unansweredHostile()).containsExactly("malformed JSON");
	}

	@Test
	void limitsAreTheWorstMailboxAndRefusalsAddUp() {
		Map<String, MailboxLimits> limits = Map.of("m1@a.example", new MailboxLimits(2, 0, 3, 30), "m2@a.example",
				new MailboxLimits(1, 4, 2, 31));

		Ledger ledger = Ledger.of(new Observations("x", requests, List.of(), results, List.of(), Map.of(), List.of(), limits,
				T0, T0, null, null, T0, null, Set.of(), false, List.of()));

		assertThat(ledger.connectionRefusals()).isEqualTo(3);
		assertThat(ledger.rateRefusals()).isEqualTo(4);
		assertThat(ledger.peakConnections()).isEqualTo(3);
		assertThat(ledger.peakPerMinute()).isEqualTo(31);
		assertThat(ledger.refusedByMailbox()).containsOnlyKeys("m1@a.example", "m2@a.example");
	}

	@Test
	void theOthersStallLeavesOutTheServicesTheFaultHitsAndSharedMailboxes() {
		UUID shared = UUID.randomUUID();
		result(request(SERVICE, 0), "SENT", 40);
		result(request(OTHER_SERVICE, 0), "SENT", 3);
		Request onShared = new Request(UUID.randomUUID(), shared, 'B', "shared@b.example", true, T0);
		requests.add(onShared);
		results.add(new Result(onShared.requestId(), "SENT", T0.plusSeconds(20)));

		Ledger ledger = Ledger.of(new Observations("x", requests, List.of(), results, List.of(), Map.of(), List.of(),
				Map.of(), T0, T0, T0, T0, T0.plusSeconds(60), null, Set.of(SERVICE), true, List.of()));

		assertThat(ledger.longestStall()).isEqualTo(Duration.ofSeconds(40));
		assertThat(ledger.longestStallOthers()).isEqualTo(Duration.ofSeconds(3));
	}

	private Request request(UUID service, int publishedSecond) {
		Request request = new Request(UUID.randomUUID(), service, 'A', "m1@a.example", false,
				T0.plusSeconds(publishedSecond));
		requests.add(request);
		return request;
	}

	private void result(Request request, String status, int second) {
		results.add(new Result(request.requestId(), status, T0.plusSeconds(second)));
	}

	private Map<UUID, Instant> firstResults() {
		Map<UUID, Instant> first = new java.util.HashMap<>();
		results.forEach(r -> first.merge(r.requestId(), r.at(), (a, b) -> a.isBefore(b) ? a : b));
		return first;
	}

	private Observations observations(Map<UUID, String> rows, List<Accepted> accepted, Instant faultEnd) {
		return new Observations("x", requests, List.of(), results, List.of(), rows, accepted, Map.of(), T0, T0,
				faultEnd == null ? null : T0, faultEnd, T0.plusSeconds(120), null, Set.of(), false, List.of());
	}

}
