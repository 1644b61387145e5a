package io.mailroom.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-mailbox submission counts over sliding windows: messages per minute (the 30/min limit) and
 * recipients per rolling 24 hours (the 10,000/day limit).
 */
final class SubmissionQuotas {

	private static final Duration DAY = Duration.ofHours(24);

	private record Submission(Instant at, int recipients) {
	}

	/** One mailbox's submissions of the last day, newest last, and their recipients added up. */
	private static final class Sent {

		private final Deque<Submission> submissions = new ArrayDeque<>();

		private long recipients;

		void prune(Instant now) {
			Instant dayStart = now.minus(DAY);
			while (!this.submissions.isEmpty() && !this.submissions.peekFirst().at().isAfter(dayStart)) {
				this.recipients -= this.submissions.removeFirst().recipients();
			}
		}

	}

	private final Map<String, Sent> sent = new ConcurrentHashMap<>();

	/** Whether the mailbox may start another message now without exceeding its rate. */
	boolean mayStartMessage(String mailbox, SmtpLimits limits, Instant now) {
		if (limits.messagesPerWindow() == Integer.MAX_VALUE) {
			return true;
		}
		Sent mailboxSent = sent(mailbox);
		synchronized (mailboxSent) {
			Instant windowStart = now.minus(limits.window());
			int inWindow = 0;
			for (Iterator<Submission> newestFirst = mailboxSent.submissions.descendingIterator(); newestFirst.hasNext()
					&& newestFirst.next().at().isAfter(windowStart);) {
				inWindow++;
			}
			return inWindow < limits.messagesPerWindow();
		}
	}

	/** Whether the mailbox may send to {@code recipients} more within its rolling day. */
	boolean mayReach(String mailbox, int recipients, SmtpLimits limits, Instant now) {
		Sent mailboxSent = sent(mailbox);
		synchronized (mailboxSent) {
			mailboxSent.prune(now);
			return mailboxSent.recipients + recipients <= limits.recipientsPerDay();
		}
	}

	void accepted(String mailbox, int recipients, Instant now) {
		Sent mailboxSent = sent(mailbox);
		synchronized (mailboxSent) {
			mailboxSent.prune(now);
			mailboxSent.submissions.addLast(new Submission(now, recipients));
			mailboxSent.recipients += recipients;
		}
	}

	private Sent sent(String mailbox) {
		return this.sent.computeIfAbsent(mailbox, (key) -> new Sent());
	}

}
