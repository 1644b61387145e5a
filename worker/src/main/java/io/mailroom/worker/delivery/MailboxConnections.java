package io.mailroom.worker.delivery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The SMTP sessions of one mailbox in this worker: idle ones, most recently used first (so the others
 * idle out when traffic drops), and a count of all of them, idle, in use, being opened or being closed.
 * Exchange Online counts concurrent sessions per mailbox, so every service that sends as the mailbox
 * shares this pool, and its owner (the scheduler's runtime of the mailbox) never asks for more than the
 * mailbox allows. The lock guards only this bookkeeping: nothing blocks on the network while holding it.
 */
public final class MailboxConnections {

	private final String mailbox;

	private final ReentrantLock lock = new ReentrantLock();

	private final Deque<SmtpConnection> idle = new ArrayDeque<>();

	/** Closes a connection's session, blocking until it is closed. */
	private final Consumer<SmtpConnection> closer;

	/** Sessions counted against the mailbox: idle, in use, or being opened. */
	private int open;

	/** Sessions being closed in the background: the server may count them until they are. */
	private int closing;

	private boolean closed;

	MailboxConnections(String mailbox, Consumer<SmtpConnection> closer) {
		this.mailbox = mailbox;
		this.closer = closer;
	}

	/** A pool for a transport whose sends hold no sessions between mails: it only counts them. */
	public MailboxConnections(String mailbox) {
		this(mailbox, connection -> {
			throw new IllegalStateException("a pool without sessions was given one to close");
		});
	}

	public String mailbox() {
		return mailbox;
	}

	/**
	 * A place to send from: an idle connection, or the right to open one.
	 * @param max sessions the mailbox may have open at once here
	 * @return null if all {@code max} are busy (the caller never asks for more sends than it may run)
	 */
	Lease borrow(int max) {
		lock.lock();
		try {
			SmtpConnection connection = closed ? null : idle.pollFirst();
			if (connection != null) {
				return new Lease(connection);
			}
			if (open + closing < max && !closed) {
				open++;
				return new Lease(null);
			}
			return null;
		}
		finally {
			lock.unlock();
		}
	}

	/** Takes back a connection that is still good, or closes it if the pool was closed meanwhile. */
	void giveBack(SmtpConnection connection) {
		boolean close;
		lock.lock();
		try {
			close = closed;
			if (!close) {
				idle.addFirst(connection);
			}
		}
		finally {
			lock.unlock();
		}
		if (close) {
			discard(connection);
		}
	}

	/** Frees the place of a connection that was never opened. */
	void free() {
		lock.lock();
		try {
			open--;
		}
		finally {
			lock.unlock();
		}
	}

	/**
	 * Closes a connection (broken, or no longer wanted) in the background, since QUIT may wait on a slow
	 * server and no send should; its place frees once it is closed.
	 */
	void discard(SmtpConnection connection) {
		lock.lock();
		try {
			open--;
			closing++;
		}
		finally {
			lock.unlock();
		}
		Thread.ofVirtual().name("smtp-close").start(() -> {
			try {
				closer.accept(connection);
			}
			finally {
				lock.lock();
				try {
					closing--;
				}
				finally {
					lock.unlock();
				}
			}
		});
	}

	/** Closes a borrowed connection now, keeping its place for the caller to open a new one in. */
	void replace(SmtpConnection connection) {
		closer.accept(connection);
	}

	/** Closes the idle connections that were idle longer than {@code limit}. */
	public void closeIdleLongerThan(Duration limit) {
		long now = now();
		for (SmtpConnection connection : take(c -> c.idleNanos(now) > limit.toNanos())) {
			discard(connection);
		}
	}

	/** Closes the idle connections of a service (its settings or authorization changed); busy ones close when they are checked next. */
	public void closeIdleOf(UUID serviceId) {
		for (SmtpConnection connection : take(c -> c.serviceId.equals(serviceId))) {
			discard(connection);
		}
	}

	/** Closes the pool: idle connections now, connections in use when they are given back. */
	public void close() {
		List<SmtpConnection> all;
		lock.lock();
		try {
			closed = true;
			all = new ArrayList<>(idle);
			idle.clear();
		}
		finally {
			lock.unlock();
		}
		all.forEach(this::discard);
	}

	/** Sessions the mailbox may count against its limit right now: open, in use, opening or still closing. */
	public int sessions() {
		lock.lock();
		try {
			return open + closing;
		}
		finally {
			lock.unlock();
		}
	}

	/** Sessions sitting idle in the pool. */
	public int idle() {
		lock.lock();
		try {
			return idle.size();
		}
		finally {
			lock.unlock();
		}
	}

	private List<SmtpConnection> take(java.util.function.Predicate<SmtpConnection> which) {
		List<SmtpConnection> taken = new ArrayList<>();
		lock.lock();
		try {
			for (Iterator<SmtpConnection> it = idle.iterator(); it.hasNext();) {
				SmtpConnection connection = it.next();
				if (which.test(connection)) {
					it.remove();
					taken.add(connection);
				}
			}
		}
		finally {
			lock.unlock();
		}
		return taken;
	}

	/** An idle connection to use, or (connection null) the right to open one. */
	record Lease(SmtpConnection connection) {
	}

	static long now() {
		return System.nanoTime();
	}

	@Override
	public String toString() {
		return "MailboxConnections[" + mailbox + "]";
	}

}
