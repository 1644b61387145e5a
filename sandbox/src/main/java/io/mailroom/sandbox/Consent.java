package io.mailroom.sandbox;

/** What the person does on the consent page. */
public enum Consent {

	/** Clicks Accept. */
	ACCEPT,

	/** Clicks Cancel: the app gets {@code error=access_denied} with AADSTS65004. */
	DECLINE

}
