package io.mailroom.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import javax.net.ssl.SSLSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.AuthenticationHandler;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.internal.io.DotTerminatedInputStream;
import org.subethamail.smtp.internal.io.DotUnstuffingInputStream;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.util.EmailUtils;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * Gmail's SMTP submission (smtp.gmail.com:587, STARTTLS) on SubEthaSMTP, in Gmail's words: {@code AUTH XOAUTH2}
 * with a token of the user and the scope https://mail.google.com/, and on a bad token the error challenge
 * ({@code 334} + base64 JSON) followed by {@code 535-5.7.8} once the client answers; passwords get
 * {@code 534-5.7.9}; mail without a sign-in {@code 530-5.7.0}; the user's daily limit {@code 550-5.4.5}; the
 * scenarios {@code 454-4.7.0} and {@code 421-4.7.0}; executables {@code 552-5.7.0}. Every reply ends in
 * {@code gsmtp}, as Gmail's do.
 */
final class GmailSmtp implements AutoCloseable {

	private static final Logger LOG = LoggerFactory.getLogger(GmailSmtp.class);

	/** The XOAUTH2 error challenge's JSON (Google's XOAUTH2 protocol page). */
	static final String ERROR_CHALLENGE_JSON = "{\"status\":\"400\",\"schemes\":\"Bearer\",\"scope\":\"https://mail.google.com/\"}";

	private final SMTPServer server;

	private final GoogleWorkspace workspace;

	private final Mailbox mailbox;

	GmailSmtp(String hostName, InetAddress bindAddress, int port, SandboxTls tls, GoogleWorkspace workspace,
			Mailbox mailbox) {
		this.workspace = workspace;
		this.mailbox = mailbox;
		this.server = SMTPServer.port(port)
			.bindAddress(bindAddress)
			.hostName(hostName)
			.softwareName("ESMTP " + sessionTag() + " - gsmtp")
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
			.messageHandlerFactory((context) -> new Transaction())
			.insertReceivedHeaders(false)
			.maxConnections(1_000)
			.serverThreadName("sandbox-gmail")
			.build();
		for (BaseCommand command : List.of(new Ehlo(), new StartTls(), new Auth(), new Mail(), new Rcpt(), new Data(),
				new Rset(), new Noop(), new Quit())) {
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

	/** Gmail ends its replies with a session tag and {@code gsmtp}. */
	private static String sessionTag() {
		return Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50), 36);
	}

	private static String gmail(int code, String enhanced, String... lines) {
		StringBuilder reply = new StringBuilder();
		for (int i = 0; i < lines.length; i++) {
			boolean last = i == lines.length - 1;
			reply.append(code).append(last ? ' ' : '-').append(enhanced).append(' ').append(lines[i]);
			if (last) {
				reply.append(' ').append(sessionTag()).append(" - gsmtp");
			}
			else {
				reply.append("\r\n");
			}
		}
		return reply.toString();
	}

	static final String BAD_CREDENTIALS = gmail(535, "5.7.8", "Username and Password not accepted. For more information, go to",
			" https://support.google.com/mail/?p=BadCredentials");

	static final String APP_PASSWORD_REQUIRED = gmail(534, "5.7.9", "Application-specific password required. For more information, go to",
			" https://support.google.com/mail/?p=InvalidSecondFactor");

	static final String AUTHENTICATION_REQUIRED = gmail(530, "5.7.0", "Authentication Required. For more information, go to",
			" https://support.google.com/mail/?p=WantAuthError");

	static final String TOO_MANY_LOGINS = gmail(454, "4.7.0", "Too many login attempts, please try again later. For more information, go to",
			" https://support.google.com/mail/answer/7126229");

	static final String DAILY_LIMIT = gmail(550, "5.4.5", "Daily user sending limit exceeded. For more information on Gmail",
			"sending limits go to", " https://support.google.com/a/answer/166852");

	static final String CONTENT_BLOCKED = gmail(552, "5.7.0", "This message was blocked because its content presents a potential",
			"security issue. To review our message content and attachment content guidelines, go to",
			" https://support.google.com/mail/?p=BlockedMessage");

	/** Who a session signed in as. */
	private record Login(String account) implements AuthenticationHandler {

		@Override
		public Optional<String> auth(String clientInput, MessageContext context) {
			throw new UnsupportedOperationException("AUTH is handled by the stand-in's own command");
		}

		@Override
		public Object getIdentity() {
			return account;
		}

	}

	private static void reply(Session session, String reply) throws IOException {
		session.sendResponse(reply);
	}

	final class Ehlo extends BaseCommand {

		Ehlo() {
			super("EHLO", "Introduce yourself.", "<hostname>");
		}

		@Override
		public void execute(String command, Session session) throws IOException {
			String[] args = getArgs(command);
			if (args.length < 2) {
				reply(session, "501-5.5.4 Empty HELO/EHLO argument not allowed, closing connection.\r\n501 5.5.4  "
						+ sessionTag() + " - gsmtp");
				return;
			}
			session.resetMailTransaction();
			session.setHelo(args[1]);
			String security = session.isTLSStarted() ? "250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH"
					: "250-STARTTLS";
			String address = session.getRemoteAddress().getAddress().getHostAddress();
			reply(session, String.join("\r\n", "250-smtp.gmail.com at your service, [" + address + "]",
					"250-SIZE 35882577", "250-8BITMIME", security, "250-ENHANCEDSTATUSCODES", "250-PIPELINING",
					"250-CHUNKING", "250 SMTPUTF8"));
		}

	}

	final class StartTls extends BaseCommand {

		StartTls() {
			super("STARTTLS", "Starts TLS.");
		}

		@Override
		public void execute(String command, Session session) throws IOException {
			if (session.isTLSStarted()) {
				reply(session, "503 5.5.1 TLS already active " + sessionTag() + " - gsmtp");
				return;
			}
			reply(session, "220 2.0.0 Ready to start TLS");
			try {
				SSLSocket tls = session.getServer().createSSLSocket(session.getSocket());
				tls.startHandshake();
				session.setSocket(tls);
				session.resetSmtpProtocol();
				session.setTlsStarted(true);
			}
			catch (IOException ex) {
				LOG.debug("STARTTLS handshake failed in session {}: {}", session.getSessionId(), ex.getMessage());
				session.quit();
			}
		}

	}

	final class Auth extends BaseCommand {

		Auth() {
			super("AUTH", "Authenticates.", "<mechanism> [initial-response]");
		}

		@Override
		public void execute(String command, Session session) throws IOException {
			if (!session.isTLSStarted()) {
				reply(session, gmail(530, "5.7.0", "Must issue a STARTTLS command first."));
				return;
			}
			if (session.isAuthenticated()) {
				reply(session, gmail(503, "5.5.1", "Already authenticated."));
				return;
			}
			String[] args = getArgs(command);
			String mechanism = args.length > 1 ? args[1].toUpperCase(Locale.ROOT) : "";
			String initial = args.length > 2 ? args[2] : null;
			if (mechanism.equals("LOGIN") || mechanism.equals("PLAIN")) {
				// INVENTED: which challenges come before the refusal; Gmail refuses account passwords either way
				if (initial == null && answer(session, "334 ") == null) {
					return;
				}
				if (mechanism.equals("LOGIN") && answer(session, "334 UGFzc3dvcmQ6") == null) {
					return;
				}
				reply(session, APP_PASSWORD_REQUIRED);
				return;
			}
			if (!mechanism.equals("XOAUTH2")) {
				reply(session, gmail(504, "5.7.4", "Unrecognized authentication type."));
				return;
			}
			String response = initial != null ? initial : answer(session, "334 ");
			if (response == null) {
				return;
			}
			String user = null;
			String token = null;
			try {
				for (String part : new String(Base64.getDecoder().decode(response.trim()), StandardCharsets.UTF_8)
					.split("\u0001")) {
					if (part.startsWith("user=")) {
						user = part.substring(5);
					}
					else if (part.regionMatches(true, 0, "auth=Bearer ", 0, 12)) {
						token = part.substring(12).trim();
					}
				}
			}
			catch (IllegalArgumentException ex) {
				reply(session, gmail(501, "5.5.2", "Cannot Decode response."));
				return;
			}
			if (user != null && GmailSmtp.this.workspace.tooManyLogins(user)) {
				reply(session, TOO_MANY_LOGINS);
				return;
			}
			if (user == null || !GmailSmtp.this.workspace.mayUseSmtp(token, user)) {
				GmailSmtp.this.workspace.authenticationRefused(user);
				String challenge = Base64.getEncoder().encodeToString(ERROR_CHALLENGE_JSON.getBytes(StandardCharsets.UTF_8));
				// the client must answer the challenge (an empty line) before Gmail gives its final reply
				if (answer(session, "334 " + challenge) != null) {
					reply(session, BAD_CREDENTIALS);
				}
				return;
			}
			session.setAuthenticationHandler(new Login(GoogleWorkspace.normalize(user)));
			reply(session, "235 2.7.0 Accepted");
		}

		private String answer(Session session, String challenge) throws IOException {
			reply(session, challenge);
			String answer = session.getReader().readLine();
			if (answer == null) {
				session.quit();
			}
			return answer;
		}

	}

	final class Mail extends BaseCommand {

		Mail() {
			super("MAIL", "Specifies the sender.", "FROM: <sender>");
		}

		@Override
		public void execute(String command, Session session) throws IOException, DropConnectionException {
			Login login = (Login) session.getAuthenticationHandler().orElse(null);
			if (login == null) {
				reply(session, AUTHENTICATION_REQUIRED);
				return;
			}
			if (session.isMailTransactionInProgress()) {
				reply(session, gmail(503, "5.5.1", "MAIL first."));
				return;
			}
			if (GmailSmtp.this.workspace.takeTryAgainLater()) {
				// INVENTED: where Gmail says it; the stand-in says it on MAIL FROM and closes
				throw new DropConnectionException(421, "4.7.0 Try again later, closing connection. (MAIL) "
						+ sessionTag() + " - gsmtp");
			}
			// INVENTED: Gmail's daily limit is answered on MAIL FROM here, before anything is handed over
			if (!GmailSmtp.this.workspace.underDailyLimit(login.account())) {
				reply(session, DAILY_LIMIT);
				return;
			}
			String address = EmailUtils.extractEmailAddress(getArgPredicate(command), 5);
			session.startMailTransaction();
			((Transaction) session.getMessageHandler()).from = address;
			reply(session, "250 2.1.0 OK " + sessionTag() + " - gsmtp");
		}

	}

	final class Rcpt extends BaseCommand {

		Rcpt() {
			super("RCPT", "Specifies a recipient.", "TO: <recipient>");
		}

		@Override
		public void execute(String command, Session session) throws IOException {
			if (!session.isMailTransactionInProgress()) {
				reply(session, gmail(503, "5.5.1", "MAIL first."));
				return;
			}
			String address = EmailUtils.extractEmailAddress(getArgPredicate(command), 3);
			// Gmail takes at most 100 recipients per message sent over SMTP
			if (session.getRecipientCount() >= 100) {
				reply(session, gmail(452, "4.5.3", "Your message has too many recipients."));
				return;
			}
			session.addRecipient(address);
			((Transaction) session.getMessageHandler()).recipients.add(address);
			reply(session, "250 2.1.5 OK " + sessionTag() + " - gsmtp");
		}

	}

	final class Data extends BaseCommand {

		Data() {
			super("DATA", "The message follows.");
		}

		@Override
		public void execute(String command, Session session) throws IOException {
			if (!session.isMailTransactionInProgress() || session.getRecipientCount() == 0) {
				reply(session, gmail(503, "5.5.1", "RCPT first."));
				return;
			}
			reply(session, "354 Go ahead " + sessionTag() + " - gsmtp");
			ByteArrayOutputStream content = new ByteArrayOutputStream();
			try (InputStream message = new DotUnstuffingInputStream(new DotTerminatedInputStream(session.getRawInput()))) {
				message.transferTo(content);
			}
			Transaction transaction = (Transaction) session.getMessageHandler();
			Login login = (Login) session.getAuthenticationHandler().orElseThrow();
			session.resetMailTransaction();
			String text = content.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
			if (text.matches("(?s).*filename=\"?[^\"\\r\\n]*\\.(exe|bat|scr|js)\"?.*")) {
				reply(session, CONTENT_BLOCKED);
				return;
			}
			GmailSmtp.this.workspace.sentOne(login.account());
			GmailSmtp.this.mailbox.add(new ReceivedMessage(sessionTag(), session.getSessionId(), login.account(),
					login.account(), transaction.from, transaction.recipients,
					GmailSmtp.this.mailbox.keepsContent() ? content.toByteArray() : new byte[0],
					GmailSmtp.this.workspace.now()));
			reply(session, "250 2.0.0 OK  " + GmailSmtp.this.workspace.now().getEpochSecond() + " " + sessionTag()
					+ " - gsmtp");
		}

	}

	final class Rset extends BaseCommand {

		Rset() {
			super("RSET", "Resets the transaction.");
		}

		@Override
		public void execute(String command, Session session) throws IOException {
			session.resetMailTransaction();
			reply(session, "250 2.1.5 Flushed " + sessionTag() + " - gsmtp");
		}

	}

	final class Noop extends BaseCommand {

		Noop() {
			super("NOOP", "Does nothing.");
		}

		@Override
		public void execute(String command, Session session) throws IOException {
			reply(session, "250 2.0.0 OK " + sessionTag() + " - gsmtp");
		}

	}

	final class Quit extends BaseCommand {

		Quit() {
			super("QUIT", "Ends the session.");
		}

		@Override
		public void execute(String command, Session session) throws IOException {
			reply(session, "221 2.0.0 closing connection " + sessionTag() + " - gsmtp");
			session.quit();
		}

	}

	/** One message's envelope. */
	static final class Transaction implements org.subethamail.smtp.MessageHandler {

		String from;

		final List<String> recipients = new ArrayList<>();

		@Override
		public void from(String from) {
			this.from = from;
		}

		@Override
		public void recipient(String recipient) {
			this.recipients.add(recipient);
		}

		@Override
		public String data(InputStream data) {
			return null;
		}

		@Override
		public void done() {
		}

	}

}
