package io.mailroom.worker.delivery;

/**
 * Whether the caller may still hand a mail over: the scheduler's proof that it still owns the mailbox
 * (its lease) and the mail (its claim). Delivery asks before it starts an SMTP transaction and again
 * right before the final dot of DATA, the moment the server takes the mail; a fence that says no stops
 * the mail there, so a worker that lost its lease (paused, cut off from the database) never sends what
 * another worker may send now.
 */
public interface Fence {

	/** A fence that never says no, for callers outside the scheduler (tests, tools). */
	Fence OPEN = new Fence() {

		@Override
		public boolean mayStart() {
			return true;
		}

		@Override
		public boolean mayComplete() {
			return true;
		}

	};

	/** Whether a new SMTP transaction may start (MAIL FROM). */
	boolean mayStart();

	/** Whether the mail may be completed (the final dot of DATA). */
	boolean mayComplete();

}
