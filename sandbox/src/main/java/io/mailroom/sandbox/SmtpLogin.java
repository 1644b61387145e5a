package io.mailroom.sandbox;

import java.util.Optional;

import org.subethamail.smtp.AuthenticationHandler;
import org.subethamail.smtp.MessageContext;

import io.mailroom.sandbox.Directory.Account;

/**
 * Who a session authenticated as. Kept as the session's SubEthaSMTP authentication handler, so the session
 * itself knows it is authenticated; the SASL exchange happens in {@link ExchangeCommands.Auth}.
 *
 * @param account the mailbox the session acts as
 * @param authenticatedBy the user principal name of the token's user, or the client ID of an app
 * @param mechanism {@code XOAUTH2}, {@code LOGIN} or {@code PLAIN}
 * @param multiTenantApp whether the token is of a multi-tenant app, which may send to any Microsoft
 *     organization (the seed's "valid Microsoft email") and not only its own
 */
record SmtpLogin(Account account, String authenticatedBy, String mechanism, boolean multiTenantApp)
		implements AuthenticationHandler {

	@Override
	public Optional<String> auth(String clientInput, MessageContext context) {
		throw new UnsupportedOperationException("The AUTH command of the sandbox runs the SASL exchange itself");
	}

	@Override
	public Object getIdentity() {
		return this.account.address();
	}

	String mailbox() {
		return this.account.address();
	}

}
