package io.mailroom.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import javax.net.ssl.SSLSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * One of the sandbox's SMTP submission servers on SubEthaSMTP, whatever provider it stands in for: STARTTLS with
 * the sandbox's certificate (TLS 1.2 or newer) before anything is sent, and the provider's own commands in place
 * of SubEthaSMTP's, because every provider words its replies its own way.
 */
abstract class SmtpEndpoint implements AutoCloseable {

	private static final Logger LOG = LoggerFactory.getLogger(SmtpEndpoint.class);

	private final SMTPServer server;

	/** {@code server} comes from {@link #builder} with the provider's greeting, limits and handlers added. */
	SmtpEndpoint(SMTPServer.Builder server) {
		this.server = server.build();
	}

	static SMTPServer.Builder builder(InetAddress bindAddress, int port, SandboxTls tls) {
		return SMTPServer.port(port)
			.bindAddress(bindAddress)
			.enableTLS(true)
			.requireTLS(true)
			.startTlsSocketFactory((socket) -> {
				InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
				SSLSocket tlsSocket = (SSLSocket) tls.serverContext()
					.getSocketFactory()
					.createSocket(socket, remote.getHostString(), socket.getPort(), true);
				tlsSocket.setUseClientMode(false);
				tlsSocket.setEnabledProtocols(SandboxTls.PROTOCOLS);
				return tlsSocket;
			})
			.insertReceivedHeaders(false);
	}

	/** Called once from the provider's constructor: its commands are often inner classes, made after this. */
	final void answerWith(List<? extends Command> commands) {
		for (Command command : commands) {
			this.server.getCommandHandler().addCommand(command);
		}
	}

	void start() {
		this.server.start();
	}

	int port() {
		return this.server.getPortAllocated();
	}

	@Override
	public void close() {
		this.server.stop();
	}

	/** The TLS handshake after the provider's {@code 220} to STARTTLS; a failed handshake ends the session. */
	static void upgradeToTls(Session session) throws IOException {
		try {
			SSLSocket tls = session.getServer().createSSLSocket(session.getSocket());
			tls.startHandshake();
			session.setSocket(tls);
			// RFC 3207: the session starts over, so the client must say EHLO again
			session.resetSmtpProtocol();
			session.setTlsStarted(true);
		}
		catch (IOException ex) {
			LOG.debug("STARTTLS handshake failed in session {}: {}", session.getSessionId(), ex.getMessage());
			session.quit();
		}
	}

	static String clientAddress(Session session) {
		return session.getRemoteAddress().getAddress().getHostAddress();
	}

}
