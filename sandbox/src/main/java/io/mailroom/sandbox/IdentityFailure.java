package io.mailroom.sandbox;

/** Ends handling of an identity platform request with the given error. */
final class IdentityFailure extends Exception {

	private final IdentityError error;

	IdentityFailure(IdentityError error) {
		super("AADSTS" + error.code() + " " + error.error(), null, false, false);
		this.error = error;
	}

	IdentityError error() {
		return this.error;
	}

}
