package io.mailroom.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.subethamail.smtp.AuthenticationHandler;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.internal.io.DotTerminatedInputStream;
import org.subethamail.smtp.internal.io.DotUnstuffingInputStream;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.util.EmailUtils;
import org.subethamail.smtp.server.Session;

/**
 * Gmail's SMTP submission (smtp.gmail.com:587, STARTTLS) on SubEthaSMTP, in Gmail's words: {@code AUTH XOAUTH2}
 * with a token of the user and the scope https://mail.google.com/, and on a bad token the error challenge
 * ({@code 334} + base64 JSON) followed by {@code 535-5.7.8} once the client answers; passwords get
 * {@code 534-5.7.9}; mail without a sign-in {@code 530-5.7.0}; the user's daily limit {@code 550-5.4.5}; the
 * scenarios {@code 454-4.7.0} and {@code 421-4.7.0}; executables {@code 552-5.7.0}. Every reply ends in
 * {@code gsmtp}, as Gmail's do.
 */
final class GmailSmtp extends SmtpEndpoint {

	/** The XOAUTH2 error challenge's JSON (Google's XOAUTH2 protocol page). */
	static final String ERROR_CHALLENGE_JSON = "{\"status\":\"400\",\"schemes\":\"Bearer\",\"scope\":\"https://mail.google.com/\"}";

	private final GoogleWorkspace workspace;

	private final Mailbox mailbox;

	GmailSmtp(String hostName, InetAddress bindAddress, int port, SandboxTls tls, GoogleWorkspace workspace,
			Mailbox mailbox) {
		super(SmtpEndpoint.builder(bindAddress, port, tls)
			.hostName(hostName)
			.softwareName(sessionTag() + " - gsmtp")
			.messageHandlerFactory((context) -> new Envelope())
			.maxConnections(1_000)
			.serverThreadName("sandbox-gmail"));
		this.workspace = workspace;
		this.mailbox = mailbox;
		answerWith(List.of(new Ehlo(), new StartTls(), new Auth(), new Mail(), new Rcpt(), new Data(),
				SimpleCommand.rset((session) -> reply(session, gmail(250, "2.1.5", "Flushed"))),
				SimpleCommand.noop((session) -> reply(session, gmail(250, "2.0.0", "OK"))),
				SimpleCommand.quit((session) -> reply(session, gmail(221, "2.0.0", "closing connection")))));
	}

	private static String sessionTag() {
		return Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50), 36);
	}

	/** Gmail ends its replies with a session tag and {@code gsmtp}. */
	private static String tagged(String reply) {
		return reply + " " + sessionTag() + " - gsmtp";
	}

	private static String gmail(int code, String enhanced, String... lines) {
		StringBuilder reply = new StringBuilder();
		for (int i = 0; i < lines.length - 1; i++) {
			reply.append(code).append('-').append(enhanced).append(' ').append(lines[i]).append("\r\n");
		}
		return reply + tagged(code + " " + enhanced + " " + lines[lines.length - 1]);
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
				// Gmail's last line here carries the session tag alone
				reply(session, gmail(501, "5.5.4", "Empty HELO/EHLO argument not allowed, closing connection.", ""));
				return;
			}
			session.resetMailTransaction();
			session.setHelo(args[1]);
			String security = session.isTLSStarted() ? "250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH"
					: "250-STARTTLS";
			String address = SmtpEndpoint.clientAddress(session);
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
				reply(session, gmail(503, "5.5.1", "TLS already active"));
				return;
			}
			reply(session, "220 2.0.0 Ready to start TLS");
			SmtpEndpoint.upgradeToTls(session);
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
			Xoauth2 xoauth2;
			try {
				xoauth2 = Xoauth2.parse(new String(Base64.getDecoder().decode(response.trim()), StandardCharsets.UTF_8));
			}
			catch (IllegalArgumentException ex) {
				reply(session, gmail(501, "5.5.2", "Cannot Decode response."));
				return;
			}
			String user = xoauth2.user();
			String token = xoauth2.token();
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
				throw new DropConnectionException(421, tagged("4.7.0 Try again later, closing connection. (MAIL)"));
			}
			// INVENTED: Gmail's daily limit is answered on MAIL FROM here, before anything is handed over
			if (!GmailSmtp.this.workspace.underDailyLimit(login.account())) {
				reply(session, DAILY_LIMIT);
				return;
			}
			String address = EmailUtils.extractEmailAddress(getArgPredicate(command), 5);
			session.startMailTransaction();
			((Envelope) session.getMessageHandler()).from(address);
			reply(session, gmail(250, "2.1.0", "OK"));
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
			((Envelope) session.getMessageHandler()).recipient(address);
			reply(session, gmail(250, "2.1.5", "OK"));
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
			reply(session, tagged("354 Go ahead"));
			ByteArrayOutputStream content = new ByteArrayOutputStream();
			try (InputStream message = new DotUnstuffingInputStream(new DotTerminatedInputStream(session.getRawInput()))) {
				message.transferTo(content);
			}
			Envelope envelope = (Envelope) session.getMessageHandler();
			Login login = (Login) session.getAuthenticationHandler().orElseThrow();
			session.resetMailTransaction();
			String text = content.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
			if (text.matches("(?s).*filename=\"?[^\"\\r\\n]*\\.(exe|bat|scr|js)\"?.*")) {
				reply(session, CONTENT_BLOCKED);
				return;
			}
			GmailSmtp.this.workspace.sentOne(login.account());
			GmailSmtp.this.mailbox.add(new ReceivedMessage(sessionTag(), session.getSessionId(), login.account(),
					login.account(), envelope.sender(), envelope.recipients(),
					GmailSmtp.this.mailbox.keepsContent() ? content.toByteArray() : new byte[0],
					GmailSmtp.this.workspace.now()));
			reply(session, gmail(250, "2.0.0", "OK  " + GmailSmtp.this.workspace.now().getEpochSecond()));
		}

	}

}
