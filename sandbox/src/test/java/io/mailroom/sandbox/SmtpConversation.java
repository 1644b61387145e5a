package io.mailroom.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** A line-by-line SMTP client that can switch to TLS, to pin replies that mail clients do not surface. */
final class SmtpConversation implements AutoCloseable {

	private final String host;

	private final int port;

	private Socket socket;

	private BufferedReader in;

	private OutputStream out;

	SmtpConversation(String host, int port) throws IOException {
		this.host = host;
		this.port = port;
		use(new Socket(host, port));
	}

	private void use(Socket socket) throws IOException {
		this.socket = socket;
		this.socket.setSoTimeout(10_000);
		this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
		this.out = socket.getOutputStream();
	}

	void startTls(SandboxTls tls) throws IOException {
		SSLSocket upgraded = (SSLSocket) tls.sslSocketFactory().createSocket(this.socket, this.host, this.port, true);
		upgraded.startHandshake();
		assertThat(upgraded.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
		use(upgraded);
	}

	/** Sends a line and returns the reply's lines. */
	List<String> send(String line) throws IOException {
		this.out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
		this.out.flush();
		List<String> reply = new ArrayList<>();
		String next;
		do {
			next = read();
			reply.add(next);
		}
		while (next != null && next.length() > 3 && next.charAt(3) == '-');
		return reply;
	}

	String read() throws IOException {
		return this.in.readLine();
	}

	static String xoauth2(String user, String token) {
		String response = "user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001";
		return Base64.getEncoder().encodeToString(response.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
