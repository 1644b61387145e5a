package io.mailroom.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * Exchange Online's sending limits as the sandbox enforces them, per mailbox.
 *
 * <p>{@link #EXCHANGE_ONLINE} holds Microsoft's documented defaults; tests shrink them (a 3-message
 * window instead of 30 keeps a throttling test fast) and benchmarks switch them {@link #NONE off}.
 *
 * @param concurrentConnectionsPerMailbox authenticated connections one mailbox may hold at once (3); the
 * next AUTH is answered {@code 432 4.3.2}
 * @param messagesPerWindow messages one mailbox may submit within {@code window} (30 a minute); the next
 * MAIL FROM is answered {@code 421 4.4.2} and the connection is closed
 * @param window the sliding window of {@code messagesPerWindow} (60 s)
 * @param maxMessageBytes the per-sender size limit (35 MB, Exchange's default MaxSendSize); larger
 * messages get {@code 550 5.2.3} after DATA
 * @param maxRecipientsPerMessage recipients of one message (500); the next RCPT gets {@code 452 4.5.3}
 * @param recipientsPerDay recipients one mailbox may send to in a rolling 24 hours (10,000); beyond,
 * messages get {@code 554 5.2.0} after DATA
 */
public record SmtpLimits(int concurrentConnectionsPerMailbox, int messagesPerWindow, Duration window,
		long maxMessageBytes, int maxRecipientsPerMessage, int recipientsPerDay) {

	/** Exchange Online's documented limits. */
	public static final SmtpLimits EXCHANGE_ONLINE = new SmtpLimits(3, 30, Duration.ofMinutes(1), 35L * 1024 * 1024,
			500, 10_000);

	/** No limits at all, for benchmarks that measure Mailroom rather than Exchange's throttling. */
	public static final SmtpLimits NONE = new SmtpLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ofMinutes(1),
			Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

	public SmtpLimits {
		Objects.requireNonNull(window, "window");
		if (concurrentConnectionsPerMailbox < 1 || messagesPerWindow < 1 || maxRecipientsPerMessage < 1
				|| recipientsPerDay < 1 || maxMessageBytes < 1 || window.isNegative() || window.isZero()) {
			throw new IllegalArgumentException("Limits must be positive: " + this);
		}
	}

	public SmtpLimits withConcurrentConnectionsPerMailbox(int connections) {
		return new SmtpLimits(connections, this.messagesPerWindow, this.window, this.maxMessageBytes,
				this.maxRecipientsPerMessage, this.recipientsPerDay);
	}

	public SmtpLimits withMessageRate(int messages, Duration window) {
		return new SmtpLimits(this.concurrentConnectionsPerMailbox, messages, window, this.maxMessageBytes,
				this.maxRecipientsPerMessage, this.recipientsPerDay);
	}

	public SmtpLimits withMaxMessageBytes(long bytes) {
		return new SmtpLimits(this.concurrentConnectionsPerMailbox, this.messagesPerWindow, this.window, bytes,
				this.maxRecipientsPerMessage, this.recipientsPerDay);
	}

	public SmtpLimits withMaxRecipientsPerMessage(int recipients) {
		return new SmtpLimits(this.concurrentConnectionsPerMailbox, this.messagesPerWindow, this.window,
				this.maxMessageBytes, recipients, this.recipientsPerDay);
	}

	public SmtpLimits withRecipientsPerDay(int recipients) {
		return new SmtpLimits(this.concurrentConnectionsPerMailbox, this.messagesPerWindow, this.window,
				this.maxMessageBytes, this.maxRecipientsPerMessage, recipients);
	}

}
