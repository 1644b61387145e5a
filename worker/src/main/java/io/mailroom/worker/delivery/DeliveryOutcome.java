package io.mailroom.worker.delivery;

import java.util.Objects;

import io.mailroom.contracts.SmtpReply;
import io.mailroom.core.failures.Failure;

/** What became of one {@link SmtpDelivery#send} attempt. */
public sealed interface DeliveryOutcome {

	/** The Message-ID the mail carried (or would have carried); null only if none could be made. */
	String messageId();

	/**
	 * The server accepted the mail.
	 * @param reply the server's reply to the end of DATA, e.g. {@code 250 2.0.0 OK <id> [Hostname=…]}; null
	 *     when the mail went through Graph
	 * @param graph how Graph took it ({@code 202 Accepted}, after an SMTP fallback…), or null for SMTP
	 */
	record Sent(String messageId, SmtpReply reply, GraphAcceptance graph) implements DeliveryOutcome {

		public Sent(String messageId, SmtpReply reply) {
			this(messageId, reply, null);
		}

	}

	/**
	 * The mail was not accepted; {@link Failure#retryable()} and {@link Failure#impact()} say what to do.
	 */
	record Failed(Failure failure, String messageId) implements DeliveryOutcome {

		public Failed {
			Objects.requireNonNull(failure, "failure");
		}

	}

}
