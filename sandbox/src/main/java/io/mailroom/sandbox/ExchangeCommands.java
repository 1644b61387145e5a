package io.mailroom.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.io.DotTerminatedInputStream;
import org.subethamail.smtp.internal.io.DotUnstuffingInputStream;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.util.EmailUtils;
import org.subethamail.smtp.server.Session;

/**
 * The SMTP commands in Exchange Online's dialect. SubEthaSMTP runs the sessions (sockets, line reading,
 * TLS upgrade, dot-stuffing, session state); these commands give Exchange's replies and checks: STARTTLS
 * before AUTH, {@code AUTH LOGIN XOAUTH2}, send-as rights, the per-mailbox limits and the scenarios.
 */
final class ExchangeCommands {

	private static final Logger LOG = LoggerFactory.getLogger(ExchangeCommands.class);

	private static final Pattern SIZE = Pattern.compile("(?i)(?:^|\\s)SIZE=(\\d+)");

	private final SmtpAuthentication authentication;

	private final SubmissionQuotas quotas;

	private final Scenarios scenarios;

	private final SandboxStats stats;

	private final Clock clock;

	ExchangeCommands(SmtpAuthentication authentication, SubmissionQuotas quotas, Scenarios scenarios,
			SandboxStats stats, Clock clock) {
		this.authentication = authentication;
		this.quotas = quotas;
		this.scenarios = scenarios;
		this.stats = stats;
		this.clock = clock;
	}

	List<Command> all() {
		return List.of(new Ehlo(), new Helo(), new StartTls(), new Auth(), new Mail(), new Rcpt(), new Data(),
				SimpleCommand.rset((session) -> reply(session, SmtpReplies.RESETTING)),
				SimpleCommand.noop((session) -> reply(session, SmtpReplies.OK)),
				SimpleCommand.quit((session) -> reply(session, SmtpReplies.CLOSING)));
	}

	/** Sends a reply after the latency scenario's delay. */
	private void reply(Session session, String reply) throws IOException {
		Latency.apply(this.scenarios.smtpLatency());
		session.sendResponse(reply);
	}

	/** EHLO and HELO: the client names itself, and any transaction starts over. */
	private boolean introduce(String command, Session session) throws IOException {
		String[] args = BaseCommand.getArgs(command);
		if (args.length < 2) {
			reply(session, "501 5.5.4 Invalid domain name");
			return false;
		}
		session.resetMailTransaction();
		session.setHelo(args[1]);
		return true;
	}

	final class Ehlo extends BaseCommand {

		Ehlo() {
			super("EHLO", "Introduce yourself.", "<hostname>");
		}

		@Override
		public void execute(String command, Session session) throws IOException {
			if (!introduce(command, session)) {
				return;
			}
			// Before TLS Exchange offers STARTTLS and no AUTH; after TLS, AUTH and no STARTTLS.
			String security = session.isTLSStarted() ? "AUTH LOGIN XOAUTH2" : "STARTTLS";
			reply(session, String.join("\r\n", "250-" + SmtpReplies.hello(SmtpEndpoint.clientAddress(session)),
					"250-SIZE " + SmtpReplies.ADVERTISED_SIZE, "250-PIPELINING", "250-DSN", "250-ENHANCEDSTATUSCODES",
					"250-" + security, "250-8BITMIME", "250-BINARYMIME", "250-CHUNKING", "250 SMTPUTF8"));
		}

	}

	final class Helo extends BaseCommand {

		Helo() {
			super("HELO", "Introduce yourself.", "<hostname>");
		}

		@Override
		public void execute(String command, Session session) throws IOException {
			if (introduce(command, session)) {
				reply(session, "250 " + SmtpReplies.hello(SmtpEndpoint.clientAddress(session)));
			}
		}

	}

	final class StartTls extends BaseCommand {

		StartTls() {
			super("STARTTLS", "Starts TLS.");
		}

		@Override
		public void execute(String command, Session session) throws IOException {
			if (!command.trim().equalsIgnoreCase("STARTTLS")) {
				reply(session, SmtpReplies.INVALID_ARGUMENTS);
				return;
			}
			if (session.getHelo().isEmpty()) {
				reply(session, SmtpReplies.SEND_HELLO_FIRST);
				return;
			}
			if (session.isTLSStarted()) {
				// INVENTED text.
				reply(session, "503 5.5.1 TLS already active");
				return;
			}
			reply(session, SmtpReplies.STARTTLS_READY);
			// Anything but EHLO after it gets 503 5.5.2 Send hello first, as Exchange answers.
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
				reply(session, SmtpReplies.UNRECOGNIZED_AUTHENTICATION_TYPE);
				return;
			}
			if (session.getHelo().isEmpty()) {
				reply(session, SmtpReplies.SEND_HELLO_FIRST);
				return;
			}
			if (session.isAuthenticated()) {
				reply(session, SmtpReplies.ALREADY_AUTHENTICATED);
				return;
			}
			String[] args = getArgs(command);
			if (args.length < 2) {
				reply(session, SmtpReplies.INVALID_ARGUMENTS);
				return;
			}
			if (ExchangeCommands.this.scenarios.dropConnection(SmtpStage.AUTH)) {
				LOG.debug("Dropping session {} on AUTH", session.getSessionId());
				session.quit();
				return;
			}
			String mechanism = args[1].toUpperCase(Locale.ROOT);
			String initial = (args.length > 2) ? args[2] : null;
			try {
				SmtpAuthentication.Outcome outcome = switch (mechanism) {
					case "XOAUTH2" -> xoauth2(session, initial);
					case "LOGIN" -> login(session, initial);
					// Exchange only advertises LOGIN and XOAUTH2; PLAIN is accepted for clients that insist.
					case "PLAIN" -> plain(session, initial);
					default -> SmtpAuthentication.Outcome.refused(SmtpReplies.UNRECOGNIZED_AUTHENTICATION_TYPE);
				};
				if (outcome == null) {
					return;
				}
				if (outcome.login() == null) {
					ExchangeCommands.this.stats.authenticationFailed();
					reply(session, outcome.refusal());
					return;
				}
				SmtpLogin login = outcome.login();
				ExchangeCommands.this.scenarios.holdSmtpReply(login.account());
				int limit = ExchangeCommands.this.scenarios.limits().concurrentConnectionsPerMailbox();
				if (!ExchangeCommands.this.stats.authenticated(login.mailbox(), limit)) {
					ExchangeCommands.this.stats.authenticationFailed();
					ExchangeCommands.this.stats.connectionLimitReached(login.mailbox());
					reply(session, SmtpReplies.CONCURRENT_CONNECTIONS);
					return;
				}
				session.setAuthenticationHandler(login);
				LOG.debug("Session {} authenticated as {} with {}", session.getSessionId(), login.mailbox(), mechanism);
				reply(session, SmtpReplies.AUTHENTICATED);
			}
			catch (RejectException ex) {
				ExchangeCommands.this.stats.authenticationFailed();
				reply(session, ex.getErrorResponse());
			}
		}

		/** The XOAUTH2 response, inline or after {@code 334}. */
		private SmtpAuthentication.Outcome xoauth2(Session session, String initial) throws IOException, RejectException {
			String response = (initial != null) ? initial : challenge(session, "334 ");
			if (response == null) {
				return null;
			}
			Xoauth2 xoauth2 = Xoauth2.parse(decode(response));
			if (xoauth2.user() == null || xoauth2.token() == null) {
				return SmtpAuthentication.Outcome.refused(SmtpReplies.AUTHENTICATION_UNSUCCESSFUL);
			}
			return ExchangeCommands.this.authentication.oauth(xoauth2.user(), xoauth2.token());
		}

		private SmtpAuthentication.Outcome login(Session session, String initial) throws IOException, RejectException {
			String user = (initial != null) ? initial : challenge(session, "334 VXNlcm5hbWU6");
			if (user == null) {
				return null;
			}
			String password = challenge(session, "334 UGFzc3dvcmQ6");
			if (password == null) {
				return null;
			}
			return ExchangeCommands.this.authentication.basic(decode(user), decode(password), "LOGIN");
		}

		private SmtpAuthentication.Outcome plain(Session session, String initial) throws IOException, RejectException {
			String response = (initial != null) ? initial : challenge(session, "334 ");
			if (response == null) {
				return null;
			}
			String[] parts = decode(response).split("\u0000", -1);
			if (parts.length != 3) {
				return SmtpAuthentication.Outcome.refused(SmtpReplies.AUTHENTICATION_UNSUCCESSFUL);
			}
			return ExchangeCommands.this.authentication.basic(parts[1], parts[2], "PLAIN");
		}

		/** Sends a challenge and returns the client's answer; null if the client cancelled or left. */
		private String challenge(Session session, String challenge) throws IOException {
			reply(session, challenge);
			String answer = session.getReader().readLine();
			if (answer == null) {
				session.quit();
				return null;
			}
			if (answer.trim().equals("*")) {
				reply(session, SmtpReplies.AUTHENTICATION_CANCELLED);
				return null;
			}
			return answer.trim();
		}

		private static String decode(String base64) throws RejectException {
			try {
				return new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				throw new RejectException(501, SmtpReplies.CANNOT_DECODE.substring(4));
			}
		}

	}

	final class Mail extends BaseCommand {

		Mail() {
			super("MAIL", "Specifies the sender.", "FROM: <sender> [ <parameters> ]");
		}

		@Override
		public void execute(String command, Session session) throws IOException, DropConnectionException {
			if (session.getHelo().isEmpty()) {
				reply(session, SmtpReplies.SEND_HELLO_FIRST);
				return;
			}
			SmtpLogin login = (SmtpLogin) session.getAuthenticationHandler().orElse(null);
			if (login == null) {
				reply(session, SmtpReplies.NOT_AUTHENTICATED);
				return;
			}
			if (session.isMailTransactionInProgress()) {
				reply(session, SmtpReplies.SENDER_ALREADY_SPECIFIED);
				return;
			}
			ExchangeCommands.this.scenarios.holdSmtpReply(login.account());
			String args = getArgPredicate(command);
			if (!args.toUpperCase(Locale.ROOT).startsWith("FROM:")) {
				reply(session, SmtpReplies.INVALID_ARGUMENTS);
				return;
			}
			String address = EmailUtils.extractEmailAddress(args, 5);
			Matcher size = SIZE.matcher(args);
			if (size.find() && Long.parseLong(size.group(1)) > SmtpReplies.ADVERTISED_SIZE) {
				reply(session, SmtpReplies.MESSAGE_SIZE_EXCEEDS_MAXIMUM);
				return;
			}
			if (ExchangeCommands.this.scenarios.dropConnection(SmtpStage.MAIL)) {
				LOG.debug("Dropping session {} on MAIL", session.getSessionId());
				session.quit();
				return;
			}
			SmtpLimits limits = ExchangeCommands.this.scenarios.limits();
			if (!ExchangeCommands.this.quotas.mayStartMessage(login.mailbox(), limits, ExchangeCommands.this.clock.instant())) {
				LOG.debug("Mailbox {} exceeded {} messages per {}", login.mailbox(), limits.messagesPerWindow(),
						limits.window());
				ExchangeCommands.this.stats.rateLimitReached(login.mailbox());
				Latency.apply(ExchangeCommands.this.scenarios.smtpLatency());
				throw new DropConnectionException(421, SmtpReplies.SUBMISSION_RATE.substring(4));
			}
			if (address.isEmpty() || !login.account().maySendAs(address)) {
				reply(session, SmtpReplies.SEND_AS_DENIED);
				return;
			}
			session.startMailTransaction();
			try {
				session.getMessageHandler().from(address);
			}
			catch (RejectException ex) {
				session.resetMailTransaction();
				reply(session, ex.getErrorResponse());
				return;
			}
			reply(session, SmtpReplies.SENDER_OK);
		}

	}

	final class Rcpt extends BaseCommand {

		Rcpt() {
			super("RCPT", "Specifies a recipient.", "TO: <recipient> [ <parameters> ]");
		}

		@Override
		public void execute(String command, Session session) throws IOException, DropConnectionException {
			if (!session.isMailTransactionInProgress()) {
				reply(session, SmtpReplies.NEED_MAIL);
				return;
			}
			String args = getArgPredicate(command);
			if (!args.toUpperCase(Locale.ROOT).startsWith("TO:")) {
				reply(session, SmtpReplies.INVALID_ARGUMENTS);
				return;
			}
			String address = EmailUtils.extractEmailAddress(args, 3);
			if (address.isEmpty()) {
				reply(session, SmtpReplies.INVALID_ARGUMENTS);
				return;
			}
			if (session.getRecipientCount() >= ExchangeCommands.this.scenarios.limits().maxRecipientsPerMessage()) {
				reply(session, SmtpReplies.TOO_MANY_RECIPIENTS);
				return;
			}
			if (ExchangeCommands.this.scenarios.dropConnection(SmtpStage.RCPT)) {
				LOG.debug("Dropping session {} on RCPT", session.getSessionId());
				session.quit();
				return;
			}
			var rejection = ExchangeCommands.this.scenarios.recipientRejection(address);
			if (rejection.isPresent()) {
				reply(session, rejection.get().code() + " " + rejection.get().enhancedCode() + " " + rejection.get().text());
				return;
			}
			SmtpLogin login = (SmtpLogin) session.getAuthenticationHandler().orElse(null);
			if (login != null && ExchangeCommands.this.scenarios.refusesAsOutsideOrganization(login, address)) {
				reply(session, SmtpReplies.outsideOrganization(address));
				return;
			}
			try {
				session.getMessageHandler().recipient(address);
			}
			catch (RejectException ex) {
				reply(session, ex.getErrorResponse());
				return;
			}
			session.addRecipient(address);
			reply(session, SmtpReplies.RECIPIENT_OK);
		}

	}

	final class Data extends BaseCommand {

		Data() {
			super("DATA", "The message follows, ended by <CRLF>.<CRLF>.");
		}

		@Override
		public void execute(String command, Session session) throws IOException, DropConnectionException {
			if (!session.isMailTransactionInProgress()) {
				reply(session, SmtpReplies.NEED_MAIL);
				return;
			}
			if (session.getRecipientCount() == 0) {
				reply(session, SmtpReplies.NEED_RCPT);
				return;
			}
			reply(session, SmtpReplies.START_MAIL_INPUT);
			InputStream message = new DotUnstuffingInputStream(new DotTerminatedInputStream(session.getRawInput()));
			String reply;
			try {
				reply = "250 " + session.getMessageHandler().data(message);
			}
			catch (RejectException ex) {
				reply = ex.getErrorResponse();
			}
			finally {
				// Whatever the handler left unread must not be taken for commands.
				while (message.read() != -1) {
					// drain
				}
			}
			session.resetMailTransaction();
			reply(session, reply);
		}

	}

}
