package io.mailroom.worker.scheduling;

import java.time.Duration;
import java.util.List;

import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.worker.tokens.IdentityCircuit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a failure counts against: its own circuit, never another tenant's or the shared SMTP host's. */
class CircuitsTest {

	private static final Failure TIMEOUT = Failures.network("get a token from login.test",
			new java.net.SocketTimeoutException("Read timed out"));

	private final Circuits circuits = new Circuits(settings(), new SimpleMeterRegistry());

	@Test
	void oneTenantsIdentityOutageOpensOnlyThatTenantsCircuit() {
		for (int i = 0; i < 3; i++) {
			circuits.tryCall("https://login.test/tenant-a/").failed(TIMEOUT);
		}

		assertThat(circuits.tryCall("https://login.test/tenant-a/")).as("tenant A's refreshes pause").isNull();
		IdentityCircuit.Call otherTenant = circuits.tryCall("https://login.test/tenant-b/");
		assertThat(otherTenant).as("tenant B's refreshes go on").isNotNull();
		otherTenant.succeeded();
		assertThat(circuits.trySmtp("smtp.office365.com/a@tenant-a.test", "smtp.office365.com:587"))
			.as("identity failures never count against the SMTP host every mailbox shares")
			.isNotNull();
	}

	@Test
	void aRefusedRecipientProvesTheServerWorksAndCountsAsSuccess() {
		Failure refused = Failures.smtp(new io.mailroom.contracts.SmtpReply(550, "5.1.10", "Recipient not found"));
		for (int i = 0; i < 3; i++) {
			circuits.trySmtp("smtp.test/a@a.test", "smtp.test:587").report(refused);
		}

		assertThat(circuits.trySmtp("smtp.test/a@a.test", "smtp.test:587")).isNotNull();
	}

	@Test
	void networkFailuresOfOneMailboxOpenItsCircuitAndItsHostsButNotAnotherHosts() {
		Failure refusedConnection = Failures.network("connect to smtp.test:587", new java.net.ConnectException());
		for (int i = 0; i < 3; i++) {
			circuits.trySmtp("smtp.test/a@a.test", "smtp.test:587").report(refusedConnection);
		}

		assertThat(circuits.trySmtp("smtp.test/a@a.test", "smtp.test:587")).isNull();
		assertThat(circuits.trySmtp("smtp.test/b@b.test", "smtp.test:587")).as("the host is down for everyone").isNull();
		assertThat(circuits.trySmtp("other.test/c@c.test", "other.test:587")).isNotNull();
	}

	private static SchedulingProperties settings() {
		return new SchedulingProperties(Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofSeconds(60), 50, 200, 3,
				List.of(), 30, new SchedulingProperties.Expiry(Duration.ofHours(6), Duration.ofHours(24)),
				new SchedulingProperties.Retry(Duration.ofSeconds(30), 2.0, Duration.ofMinutes(30), 0.2,
						Duration.ofHours(24), 1.0),
				new SchedulingProperties.Breaker(50, 4, 3, Duration.ofSeconds(30)), Duration.ofSeconds(5),
				Duration.ofDays(30));
	}

}
