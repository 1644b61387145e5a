package io.mailroom.worker.delivery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool of one service: idle connections, most recently used first (so the others idle out when
 * traffic drops), and a count of all its connections, idle, in use or being opened. The lock guards only
 * this bookkeeping: nothing blocks on the network while holding it, and no other service uses it.
 */
final class ServiceConnections {

	final UUID serviceId;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition released = lock.newCondition();

	private final Deque<SmtpConnection> idle = new ArrayDeque<>();

	private int open;

	private boolean closed;

	ServiceConnections(UUID serviceId) {
		this.serviceId = serviceId;
	}

	/**
	 * A place to send from: an idle connection, or the right to open one.
	 * @param max connections the service may have at once
	 * @return null if all {@code max} stayed busy for {@code wait}
	 */
	Lease borrow(int max, Duration wait) throws InterruptedException {
		long remaining = wait.toNanos();
		lock.lock();
		try {
			while (true) {
				SmtpConnection connection = closed ? null : idle.pollFirst();
				if (connection != null) {
					return new Lease(connection);
				}
				if (open < max) {
					open++;
					return new Lease(null);
				}
				if (remaining <= 0) {
					return null;
				}
				remaining = released.awaitNanos(remaining);
			}
		}
		finally {
			lock.unlock();
		}
	}

	/**
	 * Takes back a connection that is still good.
	 * @return false if the pool was closed meanwhile: the caller closes the connection
	 */
	boolean giveBack(SmtpConnection connection) {
		lock.lock();
		try {
			if (closed) {
				open--;
				released.signal();
				return false;
			}
			idle.addFirst(connection);
			released.signal();
			return true;
		}
		finally {
			lock.unlock();
		}
	}

	/** Frees the place of a connection that was closed, broken or never opened. */
	void free() {
		lock.lock();
		try {
			open--;
			released.signal();
		}
		finally {
			lock.unlock();
		}
	}

	/** Removes the idle connections that were idle longer than {@code limit}; the caller closes them. */
	List<SmtpConnection> takeIdleLongerThan(Duration limit, long now) {
		List<SmtpConnection> expired = new ArrayList<>();
		lock.lock();
		try {
			for (Iterator<SmtpConnection> it = idle.iterator(); it.hasNext();) {
				SmtpConnection connection = it.next();
				if (connection.idleNanos(now) > limit.toNanos()) {
					it.remove();
					expired.add(connection);
				}
			}
			open -= expired.size();
			if (!expired.isEmpty()) {
				released.signalAll();
			}
			return expired;
		}
		finally {
			lock.unlock();
		}
	}

	/** Closes the pool: returns its idle connections to close; connections in use are closed when given back. */
	List<SmtpConnection> close() {
		lock.lock();
		try {
			closed = true;
			List<SmtpConnection> all = new ArrayList<>(idle);
			idle.clear();
			open -= all.size();
			released.signalAll();
			return all;
		}
		finally {
			lock.unlock();
		}
	}

	int open() {
		lock.lock();
		try {
			return open;
		}
		finally {
			lock.unlock();
		}
	}

	/** An idle connection to use, or (connection null) the right to open one. */
	record Lease(SmtpConnection connection) {
	}

	static long now() {
		return System.nanoTime();
	}

}
