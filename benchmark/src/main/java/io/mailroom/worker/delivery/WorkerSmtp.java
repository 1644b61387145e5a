package io.mailroom.worker.delivery;

import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;

import javax.net.ssl.SSLSocketFactory;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import io.mailroom.contracts.SendRequest;
import io.mailroom.core.services.SmtpService;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * The worker's own message composer, SMTP session settings and transport, for the benchmark's plain SMTP
 * loops: they build every message exactly as delivery does and speak the same SMTP, so they pay the same
 * per-message cost. It sits in delivery's package only because {@link MailComposer}, {@link SmtpSessions}
 * and {@link MailroomTransport} are package-private; once delivery exposes them this class can go.
 */
public final class WorkerSmtp {

	private final SmtpSessions sessions;

	/**
	 * @param trust verifies the server's certificate (the sandbox's CA)
	 * @param writeTimeouts runs Angus Mail's write-timeout checks, as delivery's timer does
	 */
	public WorkerSmtp(SSLSocketFactory trust, ScheduledExecutorService writeTimeouts) {
		this.sessions = new SmtpSessions(DeliveryProperties.defaults(), trust, writeTimeouts);
	}

	/** A new, unconnected transport of the XOAUTH2 session. */
	public SMTPTransport newOAuth2Transport() {
		return new MailroomTransport(sessions.oauth2());
	}

	/** The request as the MIME message the service would send, with its envelope recipients. */
	public Mail compose(SmtpService service, SendRequest request) throws MessagingException {
		OutgoingMail mail = OutgoingMail.of(request);
		String messageId = MailComposer.messageId(mail.requestId(), service.fromAddress());
		try {
			MailComposer.Composed composed = MailComposer.compose(sessions.oauth2(), service, mail, messageId,
					Instant.now());
			return new Mail(composed.message(), composed.recipients());
		}
		catch (MailComposer.Unsendable ex) {
			throw new MessagingException("Unsendable request " + request.requestId() + ": " + ex.getMessage());
		}
	}

	/** A composed message and its envelope recipients. */
	public record Mail(MimeMessage message, Address[] recipients) {
	}

}
