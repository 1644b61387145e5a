package io.mailroom.sandbox;

/** Why refresh tokens stopped working, as the identity platform tells it. */
public enum RefreshTokenExpiry {

	/** {@code invalid_grant} AADSTS70008: "…expired due to inactivity. Send a new interactive authorization request…". */
	EXPIRED(70008),

	/** {@code invalid_grant} AADSTS700082: the refresh token was not used for 90 days. */
	INACTIVE(700082);

	private final int aadsts;

	RefreshTokenExpiry(int aadsts) {
		this.aadsts = aadsts;
	}

	/** The AADSTS code the token endpoint answers with. */
	public int aadsts() {
		return this.aadsts;
	}

}
