package io.mailroom.benchmark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLContext;

import jakarta.mail.MessagingException;
import io.mailroom.contracts.SendRequest;
import io.mailroom.core.services.SmtpService;

/**
 * (g) Microsoft Graph's sendMail beside the SMTP ceiling: one loop composing the same mails as (a) and
 * posting each as base64 MIME ({@code text/plain}) with the JDK's HttpClient over one kept-alive HTTPS
 * connection, as Mailroom's Graph transport does, until Graph's {@code 202 Accepted}.
 */
final class GraphLoops {

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private final RawSmtp smtp;

	private final SmtpService service;

	private final HttpClient http;

	private final URI sendMail;

	private final String accessToken;

	GraphLoops(RawSmtp smtp, SmtpService service, SSLContext trust, String graphBaseUrl, String accessToken) {
		this.smtp = smtp;
		this.service = service;
		this.http = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(10)).build();
		this.sendMail = URI.create(graphBaseUrl + "/v1.0/users/" + service.microsoft().loginEmail() + "/sendMail");
		this.accessToken = accessToken;
	}

	/** (g): compose, encode and post every mail, one after the other. */
	SmtpLoops.Run sequential(List<SendRequest> mails) throws MessagingException {
		long[] perMail = new long[mails.size()];
		long cpuBefore = THREADS.getCurrentThreadCpuTime();
		long started = System.nanoTime();
		for (int i = 0; i < mails.size(); i++) {
			long mailStarted = System.nanoTime();
			send(mails.get(i));
			perMail[i] = System.nanoTime() - mailStarted;
		}
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
		Duration cpu = Duration.ofNanos(THREADS.getCurrentThreadCpuTime() - cpuBefore);
		return new SmtpLoops.Run(mails.size(), elapsed, cpu, Latencies.ofNanos(perMail));
	}

	private void send(SendRequest mail) throws MessagingException {
		RawSmtp.Mail composed = smtp.compose(service, mail);
		ByteArrayOutputStream mime = new ByteArrayOutputStream();
		try {
			composed.message().writeTo(mime);
			HttpResponse<Void> response = http.send(HttpRequest.newBuilder(sendMail)
				.header("Authorization", "Bearer " + accessToken)
				.header("Content-Type", "text/plain")
				.POST(HttpRequest.BodyPublishers.ofByteArray(Base64.getEncoder().encode(mime.toByteArray())))
				.build(), HttpResponse.BodyHandlers.discarding());
			if (response.statusCode() != 202) {
				throw new MessagingException("Graph answered " + response.statusCode());
			}
		}
		catch (IOException ex) {
			throw new MessagingException("Graph request failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MessagingException("Interrupted", ex);
		}
	}

}
