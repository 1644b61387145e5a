package io.mailroom.sandbox;

/**
 * The sign-in ended on the identity platform's own error page instead of going back to the app, as
 * Microsoft does for an unknown tenant or app, a redirect URI mismatch (AADSTS50011), an account of another
 * tenant (AADSTS50020) or a Conditional Access block (AADSTS53003).
 */
public final class SignInFailed extends RuntimeException {

	private final int aadsts;

	SignInFailed(int aadsts, String message) {
		super(message);
		this.aadsts = aadsts;
	}

	/** The AADSTS code the page shows. */
	public int aadsts() {
		return this.aadsts;
	}

}
