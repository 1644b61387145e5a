package io.mailroom.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;

import jakarta.mail.MessagingException;
import io.mailroom.contracts.SendRequest;
import io.mailroom.core.services.SmtpService;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * The two ways to send without Mailroom, in one thread: (a) one authenticated connection reused for every
 * message, the SMTP ceiling; (b) a new connection per message (TCP, STARTTLS, AUTH, send, QUIT), what most
 * applications do. Both use Angus Mail directly with the worker's SMTP settings and message shape
 * ({@link RawSmtp}).
 */
final class SmtpLoops {

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private final RawSmtp smtp;

	private final SmtpService service;

	private final String accessToken;

	SmtpLoops(RawSmtp smtp, SmtpService service, String accessToken) {
		this.smtp = smtp;
		this.service = service;
		this.accessToken = accessToken;
	}

	/** (a): compose and send every mail over one connection. */
	Run reusedConnection(List<SendRequest> mails) throws MessagingException {
		SMTPTransport transport = connect();
		try {
			return timed(mails, mail -> send(transport, mail));
		}
		finally {
			transport.close();
		}
	}

	/** (b): compose every mail, then connect, authenticate, send and quit. */
	Run connectionPerMessage(List<SendRequest> mails) throws MessagingException {
		return timed(mails, mail -> {
			RawSmtp.Mail composed = smtp.compose(service, mail);
			SMTPTransport transport = connect();
			try {
				transport.sendMessage(composed.message(), composed.recipients());
			}
			finally {
				transport.close();
			}
		});
	}

	/** The average size of the mails as sent (MIME, before dot-stuffing), from up to 200 of them. */
	long averageMimeBytes(List<SendRequest> mails) throws MessagingException {
		List<SendRequest> sample = mails.subList(0, Math.min(200, mails.size()));
		long total = 0;
		for (SendRequest mail : sample) {
			total += smtp.compose(service, mail).mimeBytes();
		}
		return sample.isEmpty() ? 0 : total / sample.size();
	}

	private void send(SMTPTransport transport, SendRequest mail) throws MessagingException {
		RawSmtp.Mail composed = smtp.compose(service, mail);
		transport.sendMessage(composed.message(), composed.recipients());
	}

	private SMTPTransport connect() throws MessagingException {
		return smtp.connect(service, accessToken);
	}

	private static Run timed(List<SendRequest> mails, Sending sending) throws MessagingException {
		long[] perMail = new long[mails.size()];
		long cpuBefore = THREADS.getCurrentThreadCpuTime();
		long started = System.nanoTime();
		for (int i = 0; i < mails.size(); i++) {
			long mailStarted = System.nanoTime();
			sending.send(mails.get(i));
			perMail[i] = System.nanoTime() - mailStarted;
		}
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
		Duration cpu = Duration.ofNanos(THREADS.getCurrentThreadCpuTime() - cpuBefore);
		return new Run(mails.size(), elapsed, cpu, Latencies.ofNanos(perMail));
	}

	@FunctionalInterface
	private interface Sending {

		void send(SendRequest mail) throws MessagingException;

	}

	/**
	 * @param cpu CPU time of the sending thread (composing, TLS, the client side of SMTP)
	 * @param perMail how long each mail took, compose to server's reply (connection included in (b))
	 */
	record Run(int messages, Duration elapsed, Duration cpu, Latencies perMail) {

		double throughput() {
			return messages / (elapsed.toNanos() / 1e9);
		}

	}

}
