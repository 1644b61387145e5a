package io.mailroom.worker.delivery;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.SmtpReply;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.core.failures.ServiceImpact;
import io.mailroom.core.failures.SmtpReplies;
import io.mailroom.core.outbound.DestinationRefused;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Reads what Angus Mail throws: the server's reply where there is one (a refused recipient, sender or
 * DATA, a refused AUTH), else the network problem underneath.
 */
final class SmtpFailures {

	private SmtpFailures() {
	}

	/**
	 * The classified failure of a connect or send; {@code operation} is a verb phrase for the admin. A
	 * destination the guard refused is a CONFIGURATION failure of its own: nothing was sent, nothing answered.
	 */
	static Failure classify(Throwable thrown, String operation) {
		var refused = DestinationRefused.in(thrown);
		if (refused.isPresent()) {
			return refused.get().failure();
		}
		SmtpReply reply = reply(thrown);
		return reply != null ? Failures.smtp(reply) : Failures.network(operation, thrown);
	}

	/**
	 * The server's reply inside {@code thrown}: a refused recipient first (Angus reports it inside a
	 * generic "Invalid Addresses" exception), then a refused sender or DATA, then AUTH, whose exception
	 * carries only the raw reply line. Null when the failure is not a reply (I/O, TLS, a closed session).
	 */
	static SmtpReply reply(Throwable thrown) {
		List<Throwable> chain = chain(thrown);
		for (Throwable t : chain) {
			if (t instanceof SMTPAddressFailedException refused) {
				return reply(refused.getMessage(), refused.getReturnCode());
			}
		}
		for (Throwable t : chain) {
			if (t instanceof SMTPSenderFailedException refused) {
				return reply(refused.getMessage(), refused.getReturnCode());
			}
			if (t instanceof SMTPSendFailedException refused) {
				return reply(refused.getMessage(), refused.getReturnCode());
			}
		}
		for (Throwable t : chain) {
			if (t instanceof AuthenticationFailedException refused) {
				return SmtpReplies.parse(refused.getMessage());
			}
		}
		if (chain.stream().anyMatch(t -> t instanceof IOException || t instanceof IllegalStateException)) {
			return null;
		}
		// e.g. "Could not convert socket to TLS" has a cause; a bare server reply in a message has none
		return thrown instanceof MessagingException ? SmtpReplies.parse(thrown.getMessage()) : null;
	}

	/**
	 * Whether the session is unusable after {@code thrown}: the socket broke or timed out, Angus closed it,
	 * or the server said 421 (it closes the session after that reply).
	 */
	static boolean breaksConnection(Throwable thrown) {
		List<Throwable> chain = chain(thrown);
		if (chain.stream().anyMatch(t -> t instanceof IOException || t instanceof IllegalStateException)) {
			return true;
		}
		SmtpReply reply = reply(thrown);
		return reply == null || reply.code() == 421;
	}

	/**
	 * A connection that failed after the final dot of DATA went out, before the server's reply came back:
	 * the server may have accepted the mail. Retried (with the same Message-ID), since losing the mail is
	 * worse; the result then says the recipients may have it twice.
	 */
	static Failure unconfirmed(Failure cause, String hostAndPort) {
		return new Failure(new ErrorDetails(ErrorCategory.NETWORK, "UNCONFIRMED",
				"The connection to " + hostAndPort + " failed after the whole mail was handed over ("
						+ cause.error().code() + "): the server may have accepted it.",
				"Nothing to do: Mailroom sends it again with the same Message-ID; if the first attempt did arrive, "
						+ "recipients see it twice.",
				null, true), null, ServiceImpact.NONE, null);
	}

	private static SmtpReply reply(String message, int returnCode) {
		SmtpReply parsed = SmtpReplies.parse(message);
		if (parsed != null) {
			return parsed;
		}
		return returnCode >= 200 && returnCode < 600 ? new SmtpReply(returnCode, null, message == null ? "" : message.strip())
				: null;
	}

	/** The exception, its causes and Jakarta Mail's "next exceptions", each once. */
	private static List<Throwable> chain(Throwable thrown) {
		List<Throwable> chain = new ArrayList<>();
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		List<Throwable> pending = new ArrayList<>();
		pending.add(thrown);
		while (!pending.isEmpty() && chain.size() < 32) {
			Throwable t = pending.removeFirst();
			if (t == null || !seen.add(t)) {
				continue;
			}
			chain.add(t);
			if (t instanceof MessagingException messaging && messaging.getNextException() != null) {
				pending.add(messaging.getNextException());
			}
			pending.add(t.getCause());
		}
		return chain;
	}

}
