package io.mailroom.sandbox;

import java.net.InetSocketAddress;
import java.time.ZonedDateTime;

import javax.net.ssl.SSLSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * Exchange Online's SMTP client submission endpoint (smtp.office365.com:587) on SubEthaSMTP: STARTTLS with
 * the sandbox's certificate, TLS 1.2 or newer, and {@link ExchangeCommands Exchange's commands}.
 */
final class ExchangeSmtp implements AutoCloseable {

	private static final Logger LOG = LoggerFactory.getLogger(ExchangeSmtp.class);

	private final SMTPServer server;

	ExchangeSmtp(SandboxSettings settings, SandboxTls tls, ExchangeCommands commands, MessageSubmission submission,
			Scenarios scenarios, SandboxStats stats) {
		this.server = SMTPServer.port(settings.smtpPort())
			.bindAddress(settings.bindAddress())
			// SubEthaSMTP greets with "220 <host name> ESMTP <software name>"; splitting Exchange's greeting
			// over the two gives "220 <host> Microsoft ESMTP MAIL Service ready at <date>". The host name is used
			// nowhere else since the sandbox's own commands answer EHLO and HELO. The date is the start time.
			.hostName(SmtpReplies.FRONT_END + " Microsoft")
			.softwareName(SmtpReplies.greetingTail(ZonedDateTime.now(settings.clock())))
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
			.messageHandlerFactory(submission)
			.connectionTimeoutMs((int) Math.min(Integer.MAX_VALUE, settings.smtpIdleTimeout().toMillis()))
			.insertReceivedHeaders(false)
			.maxConnections(10_000)
			.sessionHandler(new Sessions(scenarios, stats))
			.serverThreadName("sandbox-smtp")
			.build();
		for (Command command : commands.all()) {
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

	/** Counts sessions, delays the greeting when asked, and frees the mailbox's connection slot at the end. */
	private record Sessions(Scenarios scenarios, SandboxStats stats) implements SessionHandler {

		@Override
		public SessionAcceptance accept(Session session) {
			this.stats.smtpSessionOpened();
			Latency.apply(this.scenarios.smtpLatency());
			return SessionAcceptance.success();
		}

		@Override
		public void onSessionEnd(Session session) {
			session.getAuthenticationHandler()
				.filter(SmtpLogin.class::isInstance)
				.map(SmtpLogin.class::cast)
				.ifPresent((login) -> this.stats.connectionClosed(login.mailbox()));
			LOG.trace("SMTP session {} ended", session.getSessionId());
		}

	}

}
