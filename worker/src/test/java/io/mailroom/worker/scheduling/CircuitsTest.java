package io.mailroom.worker.scheduling;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import io.mailroom.contracts.SmtpReply;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.worker.tokens.IdentityCircuit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a failure counts against: its own circuit, never another tenant's; and the shared SMTP host's only when
 * most of the host's mailboxes fail, never because a few mailboxes fail many times. The host circuits' time is
 * the test's to move.
 */
class CircuitsTest {

	private static final Failure TOKEN_TIMEOUT = Failures.network("get a token from login.test",
			new SocketTimeoutException("Read timed out"));

	private static final Failure READ_TIMEOUT = Failures.network("send mail through smtp.test:587",
			new SocketTimeoutException("Read timed out"));

	private static final String HOST = "smtp.test:587";

	private static final Duration OPEN = Duration.ofSeconds(30);

	private static final Instant START = Instant.parse("2026-12-03T12:00:00Z");

	private final AtomicLong ticker = new AtomicLong();

	private final Circuits circuits = new Circuits(settings(), new SimpleMeterRegistry(), ticker::get);

	@Test
	void oneTenantsIdentityOutageOpensOnlyThatTenantsCircuit() {
		for (int i = 0; i < 3; i++) {
			circuits.tryCall("https://login.test/tenant-a/").failed(TOKEN_TIMEOUT);
		}

		assertThat(circuits.tryCall("https://login.test/tenant-a/")).as("tenant A's refreshes pause").isNull();
		IdentityCircuit.Call otherTenant = circuits.tryCall("https://login.test/tenant-b/");
		assertThat(otherTenant).as("tenant B's refreshes go on").isNotNull();
		otherTenant.succeeded();
		assertThat(circuits.trySmtp("smtp.office365.com/a@tenant-a.test", "smtp.office365.com:587", now()))
			.as("identity failures never count against the SMTP host every mailbox shares")
			.isInstanceOf(Circuits.SmtpPermit.class);
	}

	@Test
	void aRefusedRecipientProvesTheServerWorksAndCountsAsSuccess() {
		Failure refused = Failures.smtp(new SmtpReply(550, "5.1.10", "Recipient not found"));
		for (int i = 0; i < 3; i++) {
			permit("a").report(refused);
		}

		assertThat(ask("a")).isInstanceOf(Circuits.SmtpPermit.class);
	}

	@Test
	void networkFailuresOfOneMailboxOpenOnlyItsOwnCircuit() {
		Failure refusedConnection = Failures.network("connect to smtp.test:587", new ConnectException());
		for (int i = 0; i < 3; i++) {
			permit("a").report(refusedConnection);
		}

		assertThat(ask("a")).as("its own circuit pauses it for the open time")
			.isEqualTo(new Circuits.SmtpRefused(now().plus(OPEN), "its own circuit"));
		assertThat(ask("b")).as("another mailbox on the host goes on").isInstanceOf(Circuits.SmtpPermit.class);
		assertThat(hostState()).isEqualTo(HostCircuit.State.CLOSED);
	}

	/** The smtp-hang scenario: 4 of 16 mailboxes hang, and the 3 connections of each time out at once. */
	@Test
	void aFewHungMailboxesTimingOutTogetherNeverOpenTheHostsCircuitOrPauseTheOthers() {
		List<String> healthy = mailboxes("healthy", 12);
		List<String> hung = mailboxes("hung", 4);
		healthy.forEach(this::succeed);
		hung.forEach(this::succeed);
		List<Circuits.SmtpPermit> hanging = new ArrayList<>();
		for (String mailbox : hung) {
			for (int connection = 0; connection < 3; connection++) {
				hanging.add(permit(mailbox));
			}
		}
		for (int second = 0; second < 60; second++) {
			advance(Duration.ofSeconds(1));
			healthy.forEach(this::succeed);
		}

		hanging.forEach(p -> p.report(READ_TIMEOUT)); // 12 failures in a burst

		for (String mailbox : healthy) {
			assertThat(ask(mailbox)).as("%s is not paused", mailbox).isInstanceOf(Circuits.SmtpPermit.class);
		}
		assertThat(ask(hung.getFirst())).as("a hung mailbox is paused by its own circuit")
			.isEqualTo(new Circuits.SmtpRefused(now().plus(OPEN), "its own circuit"));
		assertThat(hostState()).isEqualTo(HostCircuit.State.CLOSED);
		assertThat(circuits.host(HOST).openings()).isZero();
	}

	@Test
	void aFewMailboxesFailingOverAndOverAmongHealthyOnesNeverOpenTheHostsCircuit() {
		List<String> healthy = mailboxes("healthy", 4);
		List<String> failing = mailboxes("failing", 3);
		for (int round = 0; round < 100; round++) {
			advance(Duration.ofSeconds(1));
			for (String mailbox : healthy) {
				assertThat(ask(mailbox)).as("%s in round %d", mailbox, round).isInstanceOf(Circuits.SmtpPermit.class);
				succeed(mailbox);
			}
			for (String mailbox : failing) {
				for (int connection = 0; connection < 3; connection++) {
					if (ask(mailbox) instanceof Circuits.SmtpPermit permit) {
						permit.report(READ_TIMEOUT);
					}
				}
			}
		}

		assertThat(circuits.host(HOST).openings()).as("3 of 7 mailboxes failing is not most of them").isZero();
	}

	@Test
	void halfTheActiveMailboxesFailingIsNotMostOfThem() {
		mailboxes("healthy", 3).forEach(this::succeed);

		mailboxes("failing", 3).forEach(this::fail);

		assertThat(hostState()).isEqualTo(HostCircuit.State.CLOSED);
	}

	@Test
	void fewerFailingMailboxesThanTheMinimumNeverOpenTheHostsCircuitEvenIfTheyAreAllThereIs() {
		mailboxes("failing", 2).forEach(this::fail);

		assertThat(hostState()).as("their own circuits pause them").isEqualTo(HostCircuit.State.CLOSED);
	}

	@Test
	void mostOfTheActiveMailboxesFailingOpensTheHostsCircuitForEveryMailbox() {
		mailboxes("healthy", 2).forEach(this::succeed);
		List<String> failing = mailboxes("failing", 3);
		fail(failing.get(0));
		fail(failing.get(1));
		assertThat(hostState()).as("2 of 4: not yet").isEqualTo(HostCircuit.State.CLOSED);

		advance(Duration.ofSeconds(1));
		fail(failing.get(2));

		assertThat(hostState()).isEqualTo(HostCircuit.State.OPEN);
		assertThat(ask("healthy-0")).as("a healthy mailbox is paused for the open time")
			.isEqualTo(new Circuits.SmtpRefused(now().plus(OPEN), "the circuit of SMTP host " + HOST));
		advance(Duration.ofSeconds(10));
		assertThat(ask("new")).as("so is one that had not sent yet, for the time left")
			.isEqualTo(new Circuits.SmtpRefused(now().plus(OPEN).minusSeconds(10), "the circuit of SMTP host " + HOST));
	}

	@Test
	void aDeadHostOpensItsCircuitAsSoonAsEnoughMailboxesFailedOnce() {
		List<String> all = mailboxes("mailbox", 10);
		all.forEach(this::succeed);
		advance(Duration.ofSeconds(61)); // they were quiet for longer than the window: they no longer count

		all.subList(0, 3).forEach(this::fail);

		assertThat(hostState()).isEqualTo(HostCircuit.State.OPEN);
		assertThat(ask(all.getLast())).isInstanceOf(Circuits.SmtpRefused.class);
	}

	@Test
	void halfOpenLetsOneTrialCallOfEachMailboxThroughAndTheFirstSuccessClosesIt() {
		openTheHost();
		advance(OPEN);

		Circuits.SmtpPermit trialOfA = permit("failing-0");
		assertThat(ask("failing-0")).as("one trial at a time per mailbox; its end is the time to ask again")
			.isEqualTo(new Circuits.SmtpRefused(null, "the circuit of SMTP host " + HOST));
		Circuits.SmtpPermit trialOfB = permit("failing-1");
		Circuits.SmtpPermit trialOfC = permit("other");
		assertThat(hostState()).isEqualTo(HostCircuit.State.HALF_OPEN);

		trialOfA.report(READ_TIMEOUT);
		assertThat(hostState()).as("one mailbox failing proves nothing").isEqualTo(HostCircuit.State.HALF_OPEN);
		trialOfB.report(null);

		assertThat(hostState()).isEqualTo(HostCircuit.State.CLOSED);
		assertThat(ask("other")).as("no longer one at a time").isInstanceOf(Circuits.SmtpPermit.class);
		trialOfC.report(READ_TIMEOUT);
		assertThat(hostState()).as("a late trial counts like any call").isEqualTo(HostCircuit.State.CLOSED);
	}

	@Test
	void trialsOfEnoughMailboxesFailingOpenTheHostsCircuitAgain() {
		openTheHost();
		advance(OPEN);

		permit("failing-0").report(READ_TIMEOUT);
		permit("failing-0").report(READ_TIMEOUT);
		assertThat(hostState()).as("the same mailbox failing again counts once").isEqualTo(HostCircuit.State.HALF_OPEN);
		permit("failing-1").report(READ_TIMEOUT);
		permit("other").report(READ_TIMEOUT);

		assertThat(hostState()).isEqualTo(HostCircuit.State.OPEN);
		assertThat(ask("healthy-0")).isEqualTo(new Circuits.SmtpRefused(now().plus(OPEN), "the circuit of SMTP host " + HOST));
		assertThat(circuits.host(HOST).openings()).isEqualTo(2);
	}

	@Test
	void callsPermittedBeforeTheHostsCircuitOpenedNoLongerCount() {
		Circuits.SmtpPermit before = permit("slow");
		openTheHost();
		advance(OPEN);
		Circuits.SmtpPermit trial = permit("failing-0");

		before.report(null);
		assertThat(hostState()).as("a success from before the opening closes nothing").isEqualTo(HostCircuit.State.HALF_OPEN);

		trial.report(null);
		assertThat(hostState()).isEqualTo(HostCircuit.State.CLOSED);
	}

	@Test
	void aTrialThatWasNeverMadeLetsTheMailboxTryAgain() {
		openTheHost();
		advance(OPEN);

		permit("failing-0").release();

		assertThat(ask("failing-0")).isInstanceOf(Circuits.SmtpPermit.class);
	}

	/** 2 healthy mailboxes, 3 failing: the host's circuit opens. */
	private void openTheHost() {
		mailboxes("healthy", 2).forEach(this::succeed);
		mailboxes("failing", 3).forEach(this::fail);
		assertThat(hostState()).isEqualTo(HostCircuit.State.OPEN);
	}

	private static List<String> mailboxes(String prefix, int count) {
		return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
	}

	private Circuits.SmtpAnswer ask(String mailbox) {
		return circuits.trySmtp("smtp.test/" + mailbox + "@contoso.test", HOST, now());
	}

	private Circuits.SmtpPermit permit(String mailbox) {
		Circuits.SmtpAnswer answer = ask(mailbox);
		assertThat(answer).as("%s may send", mailbox).isInstanceOf(Circuits.SmtpPermit.class);
		return (Circuits.SmtpPermit) answer;
	}

	private void succeed(String mailbox) {
		permit(mailbox).report(null);
	}

	private void fail(String mailbox) {
		permit(mailbox).report(READ_TIMEOUT);
	}

	private HostCircuit.State hostState() {
		return circuits.host(HOST).state(ticker.get());
	}

	private void advance(Duration duration) {
		ticker.addAndGet(duration.toNanos());
	}

	private Instant now() {
		return START.plusNanos(ticker.get());
	}

	private static SchedulingProperties settings() {
		return new SchedulingProperties(Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofSeconds(60), 50, 200, 3,
				List.of(), 30, new SchedulingProperties.Expiry(Duration.ofHours(6), Duration.ofHours(24)),
				new SchedulingProperties.Retry(Duration.ofSeconds(30), 2.0, Duration.ofMinutes(30), 0.2,
						Duration.ofHours(24), 1.0),
				new SchedulingProperties.Breaker(50, 4, 3, OPEN,
						new SchedulingProperties.HostBreaker(Duration.ofSeconds(60), 3, 50)),
				Duration.ofSeconds(5), Duration.ofDays(30));
	}

}
