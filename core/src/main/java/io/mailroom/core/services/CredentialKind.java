package io.mailroom.core.services;

/** How the app proves who it is to the identity platform. */
public enum CredentialKind {

	/** A client secret value. */
	SECRET,

	/** A certificate whose private key signs a client assertion ({@code private_key_jwt}). */
	CERTIFICATE

}
