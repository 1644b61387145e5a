package io.mailroom.sandbox;

import java.time.ZonedDateTime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * Exchange Online's SMTP client submission endpoint (smtp.office365.com:587) on SubEthaSMTP: STARTTLS with
 * the sandbox's certificate, TLS 1.2 or newer, and {@link ExchangeCommands Exchange's commands}.
 */
final class ExchangeSmtp extends SmtpEndpoint {

	private static final Logger LOG = LoggerFactory.getLogger(ExchangeSmtp.class);

	ExchangeSmtp(SandboxSettings settings, SandboxTls tls, ExchangeCommands commands, MessageSubmission submission,
			Scenarios scenarios, SandboxStats stats) {
		super(SmtpEndpoint.builder(settings.bindAddress(), settings.smtpPort(), tls)
			// SubEthaSMTP greets with "220 <host name> ESMTP <software name>"; splitting Exchange's greeting
			// over the two gives "220 <host> Microsoft ESMTP MAIL Service ready at <date>". The host name is used
			// nowhere else since the sandbox's own commands answer EHLO and HELO. The date is the start time.
			.hostName(SmtpReplies.FRONT_END + " Microsoft")
			.softwareName(SmtpReplies.greetingTail(ZonedDateTime.now(settings.clock())))
			.messageHandlerFactory(submission)
			.connectionTimeoutMs((int) Math.min(Integer.MAX_VALUE, settings.smtpIdleTimeout().toMillis()))
			.maxConnections(10_000)
			.sessionHandler(new Sessions(scenarios, stats))
			.serverThreadName("sandbox-smtp"));
		answerWith(commands.all());
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
