package io.mailroom.worker.queue;

import java.time.Instant;

import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.SendStatus;
import io.mailroom.contracts.SmtpReply;

/**
 * What became of one claimed mail. Final outcomes ({@link #finalStatus()} not null) produce a
 * {@link io.mailroom.contracts.SendResult}; the others put the mail back in the queue or hold it.
 */
public sealed interface Outcome {

	QueuedMail mail();

	/** Whether an SMTP attempt was made (it counts in {@code attempts} and the attempt log). */
	boolean attempted();

	/** Whether the attempt timed out after the whole message was handed over, so the server may have it. */
	default boolean unconfirmed() {
		return false;
	}

	/** SENT, FAILED or EXPIRED; null while the mail stays in the queue. */
	SendStatus finalStatus();

	/** The server accepted the mail. */
	record Sent(QueuedMail mail, String messageId, SmtpReply reply, Instant startedAt, Instant finishedAt)
			implements Outcome {

		@Override
		public boolean attempted() {
			return true;
		}

		@Override
		public SendStatus finalStatus() {
			return SendStatus.SENT;
		}

	}

	/**
	 * It will not be sent: a permanent error, or transient ones past its deadline.
	 * @param unconfirmed the attempt timed out after the whole message was handed over: the server may have it
	 */
	record Failed(QueuedMail mail, String messageId, SmtpReply reply, ErrorDetails error, boolean attempted,
			boolean unconfirmed, Instant startedAt, Instant finishedAt) implements Outcome {

		@Override
		public SendStatus finalStatus() {
			return SendStatus.FAILED;
		}

	}

	/** Its {@code expiresAt} passed before it could be sent. */
	record Expired(QueuedMail mail, ErrorDetails error, Instant at) implements Outcome {

		@Override
		public boolean attempted() {
			return false;
		}

		@Override
		public SendStatus finalStatus() {
			return SendStatus.EXPIRED;
		}

	}

	/**
	 * A transient failure: try again at {@code nextAttemptAt}.
	 * @param unconfirmed the attempt timed out after the whole message was handed over: the server may have it
	 */
	record Retry(QueuedMail mail, String messageId, SmtpReply reply, ErrorDetails error, boolean attempted,
			boolean unconfirmed, Instant nextAttemptAt, Instant startedAt, Instant finishedAt) implements Outcome {

		@Override
		public SendStatus finalStatus() {
			return null;
		}

	}

	/** Back to the queue untried (circuit open, lease lost, shutting down, a claim its lane could not use). */
	record Requeued(QueuedMail mail, Instant nextAttemptAt) implements Outcome {

		@Override
		public boolean attempted() {
			return false;
		}

		@Override
		public SendStatus finalStatus() {
			return null;
		}

	}

	/** Held until the service is authorized again; {@code reply} is the SMTP reply that showed the problem, if any. */
	record Held(QueuedMail mail, SmtpReply reply, ErrorDetails error, Instant at) implements Outcome {

		@Override
		public boolean attempted() {
			return false;
		}

		@Override
		public SendStatus finalStatus() {
			return null;
		}

	}

	/**
	 * Held until a limit of its mailbox frees up at {@code until} (the day's sending limit is used up): not failed,
	 * and not counted as an attempt; housekeeping puts it back in the queue then (its deadline still applies).
	 */
	record Deferred(QueuedMail mail, SmtpReply reply, ErrorDetails error, Instant until) implements Outcome {

		@Override
		public boolean attempted() {
			return false;
		}

		@Override
		public SendStatus finalStatus() {
			return null;
		}

	}

}
