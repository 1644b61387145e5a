package io.mailroom.worker.delivery;

import java.util.Objects;

import io.mailroom.contracts.SmtpReply;
import io.mailroom.core.failures.Failure;

/** What became of one {@link SmtpDelivery#send} attempt. */
public sealed interface DeliveryOutcome {

	/** The Message-ID the mail carried (or would have carried); null only if none could be made. */
	String messageId();

	/** Where an attempt failed: what a failure there says about the far side. */
	enum Stage {

		/** Building the message from the request: nothing was contacted. */
		COMPOSE,

		/** Getting an access token: the identity platform (or the service's grant) failed. */
		IDENTITY,

		/**
		 * Connecting, authenticating or handing the mail over: the SMTP server (or Graph), the mailbox or the
		 * network failed.
		 */
		TRANSPORT

	}

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
	 *
	 * @param stage where it failed
	 * @param authorizationVersion the token cache version the attempt's token came from, if it used one: a
	 *     failure that holds the service holds it only if that authorization is still the current one
	 * @param unconfirmed the connection failed after the whole mail was handed over, so the server may have
	 *     accepted it
	 */
	record Failed(Failure failure, String messageId, Stage stage, Long authorizationVersion, boolean unconfirmed)
			implements DeliveryOutcome {

		public Failed {
			Objects.requireNonNull(failure, "failure");
			Objects.requireNonNull(stage, "stage");
		}

		/** A failure that is certain not to have handed over the mail. */
		public static Failed of(Failure failure, String messageId, Stage stage, Long authorizationVersion) {
			return new Failed(failure, messageId, stage, authorizationVersion, false);
		}

		Failed withMessageId(String messageId) {
			return new Failed(failure, messageId, stage, authorizationVersion, unconfirmed);
		}

	}

	/**
	 * The sender's {@link Fence} stopped the mail before the server could take it (its lease or claim ran
	 * out): not an attempt; the mail goes back to the queue for whoever owns the mailbox now.
	 */
	record Fenced(String messageId) implements DeliveryOutcome {
	}

}
