package io.mailroom.core.services;

import io.mailroom.core.secrets.SealedSecret;

/** SMTP AUTH LOGIN/PLAIN with a username and password (for hosts that still allow it). */
public record BasicAuthentication(String username, SealedSecret password) implements Authentication {

	@Override
	public String login() {
		return username;
	}

}
