package io.mailroom.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What Exchange Online accepted: every message the sandbox answered {@code 250} after DATA, in order.
 * Benchmarks that send tens of thousands of messages switch content off and only count.
 */
public final class Mailbox {

	private final List<ReceivedMessage> messages = new ArrayList<>();

	private final AtomicLong count = new AtomicLong();

	private volatile boolean keepContent;

	Mailbox(boolean keepContent) {
		this.keepContent = keepContent;
	}

	/** The messages kept, oldest first (a copy). */
	public List<ReceivedMessage> messages() {
		synchronized (this.messages) {
			return List.copyOf(this.messages);
		}
	}

	/** The kept messages that had this address among their recipients. */
	public List<ReceivedMessage> messagesTo(String recipient) {
		String address = Directory.normalize(recipient);
		return messages().stream()
			.filter((message) -> message.recipients().stream().anyMatch((to) -> Directory.normalize(to).equals(address)))
			.toList();
	}

	/** The newest kept message. */
	public Optional<ReceivedMessage> latest() {
		synchronized (this.messages) {
			return this.messages.isEmpty() ? Optional.empty() : Optional.of(this.messages.get(this.messages.size() - 1));
		}
	}

	/** How many messages were accepted since start or {@link #clear()}, kept or not. */
	public long count() {
		return this.count.get();
	}

	/** Forgets the messages and resets the count. */
	public void clear() {
		synchronized (this.messages) {
			this.messages.clear();
			this.count.set(0);
		}
	}

	/** Whether to keep message content (true) or only count messages (false, for benchmarks). */
	public void keepContent(boolean keep) {
		this.keepContent = keep;
	}

	void add(ReceivedMessage message) {
		synchronized (this.messages) {
			this.count.incrementAndGet();
			if (this.keepContent) {
				this.messages.add(message);
			}
		}
	}

	boolean keepsContent() {
		return this.keepContent;
	}

}
