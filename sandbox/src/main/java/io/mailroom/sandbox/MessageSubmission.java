package io.mailroom.sandbox;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.MessageHandlerFactory;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.Session;

/**
 * The end of a mail transaction: once the message is in, Exchange checks its size, the sender's rights on
 * the From header and the daily recipient quota, and may fail for its own reasons (scenarios) before it
 * accepts the message with {@code 250 2.0.0 OK}.
 */
final class MessageSubmission implements MessageHandlerFactory {

	private static final Logger LOG = LoggerFactory.getLogger(MessageSubmission.class);

	private final Scenarios scenarios;

	private final SubmissionQuotas quotas;

	private final Mailbox mailbox;

	private final SandboxStats stats;

	private final Clock clock;

	MessageSubmission(Scenarios scenarios, SubmissionQuotas quotas, Mailbox mailbox, SandboxStats stats, Clock clock) {
		this.scenarios = scenarios;
		this.quotas = quotas;
		this.mailbox = mailbox;
		this.stats = stats;
		this.clock = clock;
	}

	@Override
	public MessageHandler create(MessageContext context) {
		return new Transaction((Session) context);
	}

	/** One message: the envelope the commands accepted, then its content. */
	final class Transaction extends Envelope {

		private final Session session;

		Transaction(Session session) {
			this.session = session;
		}

		@Override
		public String data(InputStream data) throws RejectException, IOException {
			SmtpLogin login = (SmtpLogin) this.session.getAuthenticationHandler().orElseThrow();
			SmtpLimits limits = MessageSubmission.this.scenarios.limits();
			Content content = read(data, limits.maxMessageBytes());
			if (MessageSubmission.this.scenarios.dropConnection(SmtpStage.END_OF_DATA)) {
				LOG.debug("Dropping session {} at the end of DATA", this.session.getSessionId());
				this.session.quit();
				throw new RejectException(421, "4.4.2 Connection dropped");
			}
			Instant now = MessageSubmission.this.clock.instant();
			String refusal = refusal(login, content, limits, now);
			if (refusal != null) {
				MessageSubmission.this.stats.messageRefused();
				this.session.resetMailTransaction();
				throw new RejectException(Integer.parseInt(refusal.substring(0, 3)), refusal.substring(4));
			}
			String queueId = "<" + HexFormat.of().withUpperCase().formatHex(randomBytes()) + "@"
					+ SmtpReplies.MAILBOX_SERVER.toUpperCase(Locale.ROOT) + ">";
			MessageSubmission.this.quotas.accepted(login.mailbox(), recipients().size(), now);
			MessageSubmission.this.mailbox.add(new ReceivedMessage(queueId, this.session.getSessionId(), login.mailbox(),
					login.authenticatedBy(), sender(), recipients(),
					MessageSubmission.this.mailbox.keepsContent() ? content.bytes() : new byte[0], now));
			MessageSubmission.this.stats.messageAccepted(login.mailbox(), now);
			return SmtpReplies.accepted(queueId);
		}

		private String refusal(SmtpLogin login, Content content, SmtpLimits limits, Instant now) {
			if (content.size() > limits.maxMessageBytes()) {
				return SmtpReplies.SEND_SIZE_LIMIT;
			}
			if (MessageSubmission.this.scenarios.transientFailure()) {
				return SmtpReplies.TEMPORARY_SERVER_ERROR;
			}
			String headerFrom = headerFrom(content.bytes());
			if (headerFrom != null && !login.account().maySendAs(headerFrom)) {
				return SmtpReplies.sendAsDeniedAfterData(login.mailbox(), headerFrom);
			}
			if (!MessageSubmission.this.quotas.mayReach(login.mailbox(), recipients().size(), limits, now)) {
				return SmtpReplies.submissionQuotaExceeded();
			}
			return null;
		}

	}

	/** The message, kept up to the size limit, and its full size. */
	private record Content(byte[] bytes, long size) {
	}

	private static Content read(InputStream data, long limit) throws IOException {
		ByteArrayOutputStream kept = new ByteArrayOutputStream();
		byte[] buffer = new byte[16 * 1024];
		long size = 0;
		for (int read = data.read(buffer); read != -1; read = data.read(buffer)) {
			if (size < limit) {
				kept.write(buffer, 0, (int) Math.min(read, limit - size));
			}
			size += read;
		}
		return new Content(kept.toByteArray(), size);
	}

	/** The From header's address; Exchange fills in a missing From itself, so none means no check. */
	private static String headerFrom(byte[] message) {
		try {
			String[] from = new InternetHeaders(new ByteArrayInputStream(message)).getHeader("From");
			if (from == null || from.length == 0) {
				return null;
			}
			InternetAddress[] addresses = InternetAddress.parseHeader(from[0], false);
			return (addresses.length > 0) ? addresses[0].getAddress() : null;
		}
		catch (MessagingException ex) {
			// An unparsable From header is left to the recipients' servers.
			LOG.debug("Unparsable From header: {}", ex.getMessage());
			return null;
		}
	}

	private static byte[] randomBytes() {
		byte[] bytes = new byte[16];
		ThreadLocalRandom.current().nextBytes(bytes);
		return bytes;
	}

}
