package io.mailroom.core.verify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * SMTP AUTH without sending: EHLO, STARTTLS (server identity checked), EHLO, AUTH XOAUTH2, then MAIL FROM the
 * service's From address (where Exchange answers {@code 550 5.7.60} for an address the mailbox may not send
 * as), RSET and QUIT: no DATA, no mail.
 */
final class SmtpProbe {

	private SmtpProbe() {
	}

	/** The server's answers to AUTH and, when AUTH passed, to MAIL FROM (else null). */
	record Answers(String auth, String mailFrom) {
	}

	static Answers authenticate(String host, int port, String mailbox, String from, String token, SSLSocketFactory tls,
			Duration timeout) throws IOException {
		try (Socket plain = new Socket()) {
			plain.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
			plain.setSoTimeout((int) timeout.toMillis());
			Session session = new Session(plain);
			session.expect("220");
			session.command("EHLO mailroom-verify", "250");
			session.command("STARTTLS", "220");
			try (SSLSocket secure = (SSLSocket) tls.createSocket(plain, host, port, true)) {
				SSLParameters parameters = secure.getSSLParameters();
				parameters.setEndpointIdentificationAlgorithm("HTTPS");
				secure.setSSLParameters(parameters);
				secure.startHandshake();
				Session tlsSession = new Session(secure);
				tlsSession.command("EHLO mailroom-verify", "250");
				String sasl = Base64.getEncoder()
					.encodeToString(("user=" + mailbox + "\u0001auth=Bearer " + token + "\u0001\u0001")
						.getBytes(StandardCharsets.UTF_8));
				String answer = tlsSession.send("AUTH XOAUTH2 " + sasl);
				if (answer.startsWith("334")) {
					answer = tlsSession.send(""); // the server's error challenge: an empty answer ends the exchange
				}
				String mailFrom = null;
				if (answer.startsWith("235")) {
					mailFrom = tlsSession.send("MAIL FROM:<" + from + ">");
					tlsSession.send("RSET");
				}
				tlsSession.send("QUIT");
				return new Answers(answer, mailFrom);
			}
		}
	}

	/** One SMTP session's line I/O; the last line of a multi-line reply is the reply. */
	private static final class Session {

		private final BufferedReader in;

		private final OutputStream out;

		Session(Socket socket) throws IOException {
			this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
			this.out = socket.getOutputStream();
		}

		String send(String line) throws IOException {
			out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return reply();
		}

		void command(String line, String expected) throws IOException {
			String reply = send(line);
			if (!reply.startsWith(expected)) {
				throw new IOException("The server answered " + line.split(" ")[0] + " with " + reply);
			}
		}

		void expect(String expected) throws IOException {
			String reply = reply();
			if (!reply.startsWith(expected)) {
				throw new IOException("The server greeted with " + reply);
			}
		}

		private String reply() throws IOException {
			String line;
			do {
				line = in.readLine();
				if (line == null) {
					throw new IOException("The server closed the connection");
				}
			}
			while (line.length() > 3 && line.charAt(3) == '-');
			return line;
		}

	}

}
