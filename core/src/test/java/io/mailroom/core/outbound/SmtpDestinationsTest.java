package io.mailroom.core.outbound;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.ServiceImpact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmtpDestinationsTest {

	private final SmtpDestinations defaults = new SmtpDestinations(OutboundProperties.defaults());

	@ParameterizedTest(name = "{0} is {1}")
	@CsvSource({ "127.0.0.1, LOOPBACK", "127.8.9.10, LOOPBACK", "::1, LOOPBACK", "10.0.0.5, PRIVATE",
			"172.16.0.1, PRIVATE", "172.31.255.254, PRIVATE", "192.168.1.1, PRIVATE", "fec0::1, PRIVATE",
			"169.254.1.1, LINK_LOCAL", "fe80::1, LINK_LOCAL", "100.64.0.1, CARRIER_GRADE_NAT",
			"100.127.255.254, CARRIER_GRADE_NAT", "fc00::1, UNIQUE_LOCAL", "fd12:3456::1, UNIQUE_LOCAL",
			"224.0.0.1, MULTICAST", "239.255.255.250, MULTICAST", "ff02::1, MULTICAST", "0.0.0.0, UNSPECIFIED",
			"0.1.2.3, UNSPECIFIED", "::, UNSPECIFIED", "169.254.169.254, CLOUD_METADATA",
			"169.254.170.2, CLOUD_METADATA", "168.63.129.16, CLOUD_METADATA", "100.100.100.200, CLOUD_METADATA",
			"192.0.0.192, CLOUD_METADATA", "fd00:ec2::254, CLOUD_METADATA", "240.0.0.1, RESERVED",
			"255.255.255.255, RESERVED", "198.18.0.1, RESERVED", "192.0.0.8, RESERVED",
			// IPv6 forms that carry an IPv4 address reach it: mapped, compatible, NAT64, 6to4
			"::ffff:7f00:1, LOOPBACK", "::a00:5, PRIVATE", "64:ff9b::a9fe:a9fe, CLOUD_METADATA",
			"2002:a00:5::1, PRIVATE" })
	void everyInternalRangeIsRefusedWithWhatItIs(String address, AddressKind kind) {
		DestinationRefused refused = this.defaults.refusal(address, 587).orElseThrow();

		assertThat(refused.kind()).isEqualTo(kind);
		assertThat(refused.field()).isEqualTo("host");
		assertThat(refused.fieldMessage()).startsWith("is " + kind.description())
			.contains("mailroom.outbound.allowed-hosts");
	}

	@Test
	void aPublicMailServerOnAnSmtpPortIsAllowed() {
		for (int port : List.of(25, 465, 587, 2525)) {
			assertThat(this.defaults.refusal("203.0.113.7", port)).as("port " + port).isEmpty();
			assertThat(this.defaults.refusal("2001:db8::7", port)).as("port " + port).isEmpty();
		}
	}

	@Test
	void aPortThatIsNoSmtpPortIsRefusedWithThePortsToUse() {
		DestinationRefused refused = this.defaults.refusal("203.0.113.7", 22).orElseThrow();

		assertThat(refused.field()).isEqualTo("port");
		assertThat(refused.fieldMessage()).contains("587 (SMTP submission with STARTTLS", "25, 465, 587, 2525",
				"mailroom.outbound.allowed-ports");
		Failure failure = refused.failure();
		assertThat(failure.error().code()).isEqualTo(DestinationRefused.PORT_NOT_ALLOWED);
		assertThat(failure.error().message()).contains("port 22");
	}

	@Test
	void aHostNameThatResolvesToAnInternalAddressIsRefusedNamingTheAddress() {
		TestDns.answer("intranet.mailroom.test", "203.0.113.9", "127.0.0.1");
		try {
			DestinationRefused refused = this.defaults.refusal("intranet.mailroom.test", 587).orElseThrow();

			assertThat(refused.fieldMessage()).startsWith("resolves to 127.0.0.1, a loopback address");
			Failure failure = refused.failure();
			assertThat(failure.error().category()).isEqualTo(ErrorCategory.CONFIGURATION);
			assertThat(failure.error().code()).isEqualTo(DestinationRefused.HOST_NOT_ALLOWED);
			assertThat(failure.error().retryable()).isFalse();
			assertThat(failure.impact()).isEqualTo(ServiceImpact.CONFIGURATION_ERROR);
			assertThat(failure.smtpReply()).isNull();
			assertThat(failure.error().message()).isEqualTo("Mailroom did not connect: the SMTP host "
					+ "intranet.mailroom.test resolves to 127.0.0.1, a loopback address, and Mailroom does not connect "
					+ "to internal networks.");
			assertThat(failure.error().hint()).startsWith("Enter your mail server's public host name");
		}
		finally {
			TestDns.forget("intranet.mailroom.test");
		}
	}

	@Test
	void aHostThatDoesNotResolveIsLeftToTheConnectionToReport() {
		assertThat(this.defaults.refusal("nowhere.invalid", 587)).isEmpty();
		assertThat(this.defaults.refusal("nowhere.invalid", 22)).isPresent();
	}

	@Test
	void hostsTheOperatorAllowsAreReachableOnAnyPortWhateverTheyResolveTo() {
		SmtpDestinations allowing = new SmtpDestinations(
				new OutboundProperties(Set.of(587), List.of("localhost", "10.20.0.0/16", "Relay.Corp.Example.")));

		assertThat(allowing.refusal("localhost", 2587)).isEmpty();
		assertThat(allowing.refusal("10.20.1.2", 25)).isEmpty();
		assertThat(allowing.refusal("10.21.0.1", 587)).isPresent();
		// a name is trusted as a name: the loopback address written out is not
		assertThat(allowing.refusal("127.0.0.1", 587)).isPresent();
		TestDns.answer("relay.corp.example", "10.9.8.7");
		try {
			assertThat(allowing.refusal("relay.corp.example", 2525)).isEmpty();
		}
		finally {
			TestDns.forget("relay.corp.example");
		}
	}

	@Test
	void anAllowListEntryThatIsNeitherHostNorAddressStopsTheStart() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new OutboundProperties(Set.of(587), List.of("smtp://relay.example")))
			.withMessageContaining("is not a host name, IP address or CIDR block");
		assertThatIllegalArgumentException().isThrownBy(() -> new OutboundProperties(Set.of(587), List.of("10.0.0.0/33")))
			.withMessageContaining("/33");
		assertThatIllegalArgumentException().isThrownBy(() -> new OutboundProperties(Set.of(70000), List.of()))
			.withMessageContaining("70000");
	}

	@Test
	void aGuardedSocketRefusesBeforeAnyPacketLeaves() throws IOException {
		try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			SmtpDestinations destinations = new SmtpDestinations(
					new OutboundProperties(Set.of(server.getLocalPort()), List.of()));
			// what a resolver answered for the name at connect time, as a mail library passes it on
			InetSocketAddress rebound = new InetSocketAddress(
					InetAddress.getByAddress("rebound.mailroom.test", new byte[] { 127, 0, 0, 1 }),
					server.getLocalPort());

			try (Socket guarded = destinations.socketFactory().createSocket()) {
				assertThatThrownBy(() -> guarded.connect(rebound, 2000)).isInstanceOf(DestinationRefused.class)
					.hasMessage("SMTP host rebound.mailroom.test resolves to 127.0.0.1, a loopback address");
				assertThat(guarded.isConnected()).isFalse();
			}

			// the first connection the server sees is this probe: the guarded socket never reached it
			server.setSoTimeout(5000);
			try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
					Socket accepted = server.accept()) {
				assertThat(accepted.getPort()).isEqualTo(probe.getLocalPort());
			}
		}
	}

	@Test
	void aGuardedSocketConnectsWhereItIsAllowed() throws IOException {
		try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			SmtpDestinations destinations = new SmtpDestinations(new OutboundProperties(Set.of(587), List.of("localhost")));

			try (Socket guarded = destinations.socketFactory().createSocket("localhost", server.getLocalPort())) {
				assertThat(guarded.isConnected()).isTrue();
			}
		}
	}

	@Test
	void aRefusalIsFoundInsideTheExceptionsThatWrapIt() {
		DestinationRefused refused = this.defaults.refusal("10.0.0.5", 587).orElseThrow();

		assertThat(DestinationRefused.in(new IllegalStateException("connect failed", new IOException(refused))))
			.containsSame(refused);
		assertThat(DestinationRefused.in(new IOException("Connection refused"))).isEmpty();
	}

}
