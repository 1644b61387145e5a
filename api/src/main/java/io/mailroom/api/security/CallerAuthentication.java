package io.mailroom.api.security;

import java.util.List;

import io.mailroom.api.web.Caller;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/** An authenticated request: its principal is the {@link Caller}; no credentials are kept. */
final class CallerAuthentication extends AbstractAuthenticationToken {

	private final Caller caller;

	CallerAuthentication(Caller caller) {
		super(List.of());
		this.caller = caller;
		setAuthenticated(true);
	}

	@Override
	public Caller getPrincipal() {
		return caller;
	}

	@Override
	public Object getCredentials() {
		return null;
	}

	@Override
	public String getName() {
		return caller.actor();
	}

}
