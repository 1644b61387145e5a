package io.mailroom.worker.scheduling;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SendStatus;
import io.mailroom.core.sandbox.TestMicrosoft;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServiceFixtures;
import io.mailroom.sandbox.Scenario;
import io.mailroom.worker.WorkerIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SMTP host's circuit against real SMTP servers: the Microsoft stand-in with some of its mailboxes hanging,
 * and a server that accepts connections and never says a word. Replies are awaited 2 s; an open circuit pauses
 * 10 s, longer than any healthy mail here may wait.
 */
@TestPropertySource(properties = { "mailroom.delivery.read-timeout=2s", "mailroom.scheduling.breaker.open-duration=10s" })
class HostCircuitIntegrationTest extends WorkerIntegrationTest {

	@Autowired
	Circuits circuits;

	@Test
	void aFewHungMailboxesTimingOutAgainAndAgainNeverPauseTheOtherMailboxesOnTheirHost() {
		List<SmtpService> healthy = IntStream.range(0, 5).mapToObj(i -> authorizedService()).toList();
		List<TestMicrosoft.Mailbox> hungMailboxes = IntStream.range(0, 3).mapToObj(i -> TestMicrosoft.newMailbox()).toList();
		List<SmtpService> hung = hungMailboxes.stream().map(this::authorizedService).toList();
		HostCircuit host = circuits.host(MailboxRuntime.hostOf(healthy.getFirst()));
		int openingsBefore = host.openings();
		List<Scenario> hangs = hungMailboxes.stream().map(m -> microsoft().scenarios().smtpHang(m.upn())).toList();
		try {
			for (SmtpService service : hung) {
				publish(mail(service).build());
				publish(mail(service).build()); // two connections of the mailbox hang at once
			}

			// waves of mail for the healthy mailboxes until each hung mailbox timed out 3 times (its own circuit opens)
			for (int wave = 0; hung.stream().anyMatch(s -> timeouts(s) < 3); wave++) {
				assertThat(wave).as("the hung mailboxes time out within 20 waves").isLessThan(20);
				List<SendRequest> requests = healthy.stream().map(s -> mail(s).build()).toList();
				requests.forEach(this::publish);
				for (SendRequest request : requests) {
					assertThat(awaitResult(request.requestId(), Duration.ofSeconds(8)).status())
						.as("wave %d: healthy mail is not paused", wave)
						.isEqualTo(SendStatus.SENT);
				}
			}
		}
		finally {
			hangs.forEach(Scenario::clear);
		}

		assertThat(host.openings()).as("the host's circuit never opened").isEqualTo(openingsBefore);
	}

	@Test
	void aHostWhereMostMailboxesStopAnsweringIsPausedForAllOfThemThenTriedOneCallPerMailbox() throws IOException {
		try (SilentServer server = new SilentServer()) {
			List<SmtpService> services = IntStream.range(0, 4).mapToObj(i -> silentService(server)).toList();
			HostCircuit host = circuits.host(MailboxRuntime.hostOf(services.getFirst()));
			for (SmtpService service : services) {
				publish(mail(service).build());
				publish(mail(service).build());
			}

			await().atMost(Duration.ofSeconds(20)).until(() -> host.openings() == 1);
			int beforeOpening = server.accepted();
			assertThat(beforeOpening).as("the connections of at least 3 mailboxes timed out").isBetween(3, 8);
			await().during(Duration.ofSeconds(6))
				.atMost(Duration.ofSeconds(8))
				.until(() -> server.accepted() == beforeOpening);

			await().atMost(Duration.ofSeconds(20)).until(() -> host.openings() == 2);
			assertThat(server.accepted() - beforeOpening)
				.as("half-open, one trial call per mailbox (not two): trials of 3 mailboxes failing open it again")
				.isBetween(3, 4);
		}
	}

	/** Failed attempts of the service's mail that timed out. */
	private int timeouts(SmtpService service) {
		return jdbc.sql("""
				select count(*) from delivery_attempt a join delivery d on d.request_id = a.request_id
				where d.service_id = ? and a.outcome = 'RETRY' and a.error ->> 'category' = 'NETWORK'""")
			.param(service.id())
			.query(Integer.class)
			.single();
	}

	private SmtpService silentService(SilentServer server) {
		String login = "sender@" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		SmtpService service = SmtpServiceFixtures.basicService(secrets, "acct-" + UUID.randomUUID(),
				microsoft().smtpHost(), server.port(), login, "correct horse battery staple");
		services.insert(service);
		return service;
	}

	/** An SMTP host that is down the quiet way: it accepts every connection and never answers. */
	private static final class SilentServer implements AutoCloseable {

		private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

		private final List<Socket> connections = new CopyOnWriteArrayList<>();

		SilentServer() throws IOException {
			Thread.ofVirtual().start(() -> {
				while (!socket.isClosed()) {
					try {
						connections.add(socket.accept());
					}
					catch (IOException closed) {
						return;
					}
				}
			});
		}

		int port() {
			return socket.getLocalPort();
		}

		int accepted() {
			return connections.size();
		}

		@Override
		public void close() throws IOException {
			socket.close();
			for (Socket connection : connections) {
				connection.close();
			}
		}

	}

}
