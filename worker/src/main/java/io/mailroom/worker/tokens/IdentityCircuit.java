package io.mailroom.worker.tokens;

import io.mailroom.core.failures.Failure;

/**
 * Guards calls to the identity platform per authority (one tenant's login endpoint), so that one
 * tenant's outage pauses only that tenant's token refreshes and never counts against anything else.
 * Implemented by the scheduler, which owns every circuit; without one every call is allowed.
 */
public interface IdentityCircuit {

	/** Allows every call and records nothing. */
	IdentityCircuit NONE = authority -> new Call() {

		@Override
		public void succeeded() {
		}

		@Override
		public void failed(Failure failure) {
		}

		@Override
		public void notMade() {
		}

	};

	/** Permission to call the identity platform for {@code authority}, or null while its circuit is open. */
	Call tryCall(String authority);

	/** One permitted call; report exactly one outcome. */
	interface Call {

		void succeeded();

		void failed(Failure failure);

		/** The call was not needed after all (a cached token was still good). */
		void notMade();

	}

}
