package io.mailroom.core.outbound;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.net.SocketFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Decides whether Mailroom may connect to an SMTP service's host and port: the one guard against services
 * pointed at internal hosts (server-side request forgery). The api asks it when a service is saved, so the
 * admin hears at once; the worker asks it on every connect, for the address the connection really goes to,
 * so a host name that resolves elsewhere by then (DNS rebinding) is refused too.
 */
@Component
public class SmtpDestinations {

	private static final Logger LOG = LoggerFactory.getLogger(SmtpDestinations.class);

	private final Set<Integer> allowedPorts;

	private final List<AllowedHost> allowedHosts;

	private final SocketFactory socketFactory = new GuardedSocketFactory(this);

	public SmtpDestinations(OutboundProperties properties) {
		this.allowedPorts = properties.allowedPorts();
		this.allowedHosts = properties.allowedHosts().stream().map(AllowedHost::parse).toList();
	}

	/**
	 * Why {@code host} and {@code port} are refused, if they are: resolves the host and checks every address it
	 * has. A host that does not resolve now is not refused here; connecting to it will say so.
	 */
	public Optional<DestinationRefused> refusal(String host, int port) {
		InetAddress[] addresses;
		try {
			addresses = InetAddress.getAllByName(host);
		}
		catch (UnknownHostException ex) {
			return check(host, InetSocketAddress.createUnresolved(host, port));
		}
		for (InetAddress address : addresses) {
			Optional<DestinationRefused> refused = check(host, new InetSocketAddress(address, port));
			if (refused.isPresent()) {
				return refused;
			}
		}
		return Optional.empty();
	}

	/**
	 * A socket factory whose sockets check every address they connect to first, and throw
	 * {@link DestinationRefused} instead of connecting. For Angus Mail's {@code mail.smtp.socketFactory}, with
	 * {@code mail.smtp.socketFactory.fallback=false} (else Angus connects without it after a refusal).
	 */
	public SocketFactory socketFactory() {
		return this.socketFactory;
	}

	/** Throws if {@code destination}, reached through the name {@code host}, is refused. */
	void requireAllowed(String host, InetSocketAddress destination) throws DestinationRefused {
		Optional<DestinationRefused> refused = check(host, destination);
		if (refused.isPresent()) {
			LOG.warn("Refused to connect: {}", refused.get().getMessage());
			throw refused.get();
		}
	}

	private Optional<DestinationRefused> check(String host, InetSocketAddress destination) {
		if (this.allowedHosts.stream().anyMatch(allowed -> allowed.allows(host, destination))) {
			return Optional.empty();
		}
		if (!this.allowedPorts.contains(destination.getPort())) {
			return Optional.of(DestinationRefused.port(host, destination.getPort(), this.allowedPorts));
		}
		InetAddress address = destination.getAddress();
		if (address == null) {
			return Optional.empty();
		}
		return AddressKind.of(address)
			.map(kind -> DestinationRefused.internalAddress(host, address, destination.getPort(), kind));
	}

}
