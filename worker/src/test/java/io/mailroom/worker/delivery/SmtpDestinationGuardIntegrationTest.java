package io.mailroom.worker.delivery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.ServiceImpact;
import io.mailroom.core.outbound.DestinationRefused;
import io.mailroom.core.outbound.OutboundProperties;
import io.mailroom.core.outbound.SmtpDestinations;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServiceFixtures;
import io.mailroom.worker.tokens.SandboxIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.ssl.SslBundles;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker connects only where the destination guard allows, and says why when it does not. */
class SmtpDestinationGuardIntegrationTest extends SandboxIntegrationTest {

	@Test
	void anInternalHostIsAConfigurationFailureAndNoConnectionIsMade() throws IOException {
		try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			// the port is allowed, so it is the loopback address that is refused
			try (Sending guarded = new Sending(new SmtpDelivery(tokens, secrets, sandboxDelivery(),
					new SmtpDestinations(new OutboundProperties(Set.of(server.getLocalPort()), List.of())),
					context.getBeanProvider(SslBundles.class), context.getBeanProvider(java.time.Clock.class),
					context.getBeanProvider(io.micrometer.core.instrument.MeterRegistry.class)))) {
				SmtpService service = stored("127.0.0.1", server.getLocalPort());

				Failure failure = failed(guarded.send(service, OutgoingMail.of(mail(service).build())));

				assertThat(failure.error().category()).isEqualTo(ErrorCategory.CONFIGURATION);
				assertThat(failure.error().code()).isEqualTo(DestinationRefused.HOST_NOT_ALLOWED);
				assertThat(failure.error().message()).contains("the SMTP host 127.0.0.1 is a loopback address");
				assertThat(failure.error().hint()).contains("public host name", "mailroom.outbound.allowed-hosts");
				assertThat(failure.error().retryable()).isFalse();
				assertThat(failure.impact()).isEqualTo(ServiceImpact.CONFIGURATION_ERROR);
				assertThat(failure.smtpReply()).isNull();
			}
			// the first connection the server sees is this probe: the worker never reached it
			server.setSoTimeout(5000);
			try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
					Socket accepted = server.accept()) {
				assertThat(accepted.getPort()).isEqualTo(probe.getLocalPort());
			}
		}
	}

	@Test
	void aPortThatIsNoSmtpPortIsRefusedBeforeConnecting() {
		SmtpService service = stored("127.0.0.1", 22);

		Failure failure;
		try (Sending sending = new Sending(delivery)) {
			failure = failed(sending.send(service, OutgoingMail.of(mail(service).build())));
		}

		assertThat(failure.error().code()).isEqualTo(DestinationRefused.PORT_NOT_ALLOWED);
		assertThat(failure.error().message()).contains("port 22");
		assertThat(failure.error().hint()).contains("587");
	}

	@Test
	void everySessionOpensItsConnectionsThroughTheGuard() {
		SmtpDestinations destinations = new SmtpDestinations(OutboundProperties.defaults());
		SmtpSessions sessions = new SmtpSessions(sandboxDelivery(), null, null, destinations.socketFactory());

		for (var session : List.of(sessions.oauth2(), sessions.basic())) {
			assertThat(session.getProperties().get("mail.smtp.socketFactory")).isSameAs(destinations.socketFactory());
			// without this, Angus Mail retries with a plain socket after the factory refused
			assertThat(session.getProperty("mail.smtp.socketFactory.fallback")).isEqualTo("false");
		}
	}

	private SmtpService stored(String host, int port) {
		SmtpService service = SmtpServiceFixtures.basicService(secrets, ACCOUNT, host, port, "relay@guard.example",
				"a-password");
		services.insert(service);
		return services.find(service.id()).orElseThrow();
	}

	private static Failure failed(DeliveryOutcome outcome) {
		assertThat(outcome).isInstanceOf(DeliveryOutcome.Failed.class);
		return ((DeliveryOutcome.Failed) outcome).failure();
	}

}
