package io.mailroom.core.outbound;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;

import javax.net.SocketFactory;

/**
 * Plain sockets that ask {@link SmtpDestinations} before every connect, with the address actually being
 * connected to: the check and the connection cannot see two different DNS answers.
 */
final class GuardedSocketFactory extends SocketFactory {

	private final SmtpDestinations destinations;

	GuardedSocketFactory(SmtpDestinations destinations) {
		this.destinations = destinations;
	}

	@Override
	public Socket createSocket() {
		return new GuardedSocket(this.destinations);
	}

	@Override
	public Socket createSocket(String host, int port) throws IOException {
		return connected(new InetSocketAddress(host, port), null);
	}

	@Override
	public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
		return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
	}

	@Override
	public Socket createSocket(InetAddress host, int port) throws IOException {
		return connected(new InetSocketAddress(host, port), null);
	}

	@Override
	public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
			throws IOException {
		return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
	}

	private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
		Socket socket = createSocket();
		try {
			if (local != null) {
				socket.bind(local);
			}
			socket.connect(remote);
			return socket;
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	private static final class GuardedSocket extends Socket {

		private final SmtpDestinations destinations;

		GuardedSocket(SmtpDestinations destinations) {
			this.destinations = destinations;
		}

		// Socket.connect(SocketAddress) comes here too
		@Override
		public void connect(SocketAddress endpoint, int timeout) throws IOException {
			if (!(endpoint instanceof InetSocketAddress requested)) {
				throw new IllegalArgumentException("Only internet socket addresses are supported: " + endpoint);
			}
			InetSocketAddress destination = requested.isUnresolved()
					? new InetSocketAddress(requested.getHostString(), requested.getPort()) : requested;
			this.destinations.requireAllowed(requested.getHostString(), destination);
			super.connect(destination, timeout);
		}

	}

}
