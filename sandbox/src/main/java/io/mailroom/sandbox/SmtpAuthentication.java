package io.mailroom.sandbox;

import java.time.Clock;
import java.util.Optional;

import io.mailroom.sandbox.Directory.Account;

/**
 * Decides SMTP AUTH as Exchange Online does: whose token or password, for which mailbox, and whether the
 * mailbox (or else its tenant) allows SMTP AUTH at all.
 */
final class SmtpAuthentication {

	/** A login, or the reply that refuses it. */
	record Outcome(SmtpLogin login, String refusal) {

		static Outcome refused(String reply) {
			return new Outcome(null, reply);
		}

	}

	private final Directory directory;

	private final Grants grants;

	private final Scenarios scenarios;

	private final Clock clock;

	SmtpAuthentication(Directory directory, Grants grants, Scenarios scenarios, Clock clock) {
		this.directory = directory;
		this.grants = grants;
		this.scenarios = scenarios;
		this.clock = clock;
	}

	/** XOAUTH2: {@code user=<mailbox>} with a bearer token of the mailbox's user, a delegate, or an app. */
	Outcome oauth(String mailbox, String accessToken) {
		Account account = this.directory.account(mailbox).orElse(null);
		Optional<Grants.AccessToken> token = this.grants.validAccessToken(accessToken, this.clock.instant());
		if (account == null || token.isEmpty() || !Scopes.allowsSmtpSend(token.get().scopes())) {
			return Outcome.refused(SmtpReplies.AUTHENTICATION_UNSUCCESSFUL);
		}
		String authenticatedBy;
		boolean multiTenant = this.directory.registeredApp(token.get().clientId()).map((app) -> app.multiTenant)
			.orElse(false);
		if (token.get().delegated()) {
			Account user = this.directory.accountById(token.get().userId()).orElse(null);
			if (user == null || !account.mayBeOpenedBy(user.address())) {
				return Outcome.refused(SmtpReplies.AUTHENTICATION_UNSUCCESSFUL);
			}
			authenticatedBy = user.address();
		}
		else {
			// App-only, in either of Exchange's models. A: the SMTP.SendAsApp role, a service principal made with
			// the Enterprise application's object ID, and FullAccess on the mailbox. B: RBAC for Applications,
			// the 'Application SMTP.SendAsApp' role over a scope holding the mailbox. Whatever is missing, Exchange
			// says no more than 535 5.7.3.
			// UNCONFIRMED: with the role in the token, Microsoft says the mailbox permission is checked "unnecessarily";
			// a scope assignment is taken here to suffice either way.
			Grants.AccessToken app = token.get();
			String tenantId = account.user.tenantId();
			boolean mayAccess = app.tenantId().equals(tenantId) && this.directory.registeredApp(app.clientId())
				.map((registered) -> (app.roles().contains(ApplicationPermission.SMTP_SEND_AS_APP.value())
						&& registered.exchangeServicePrincipal(tenantId)
						&& account.appFullAccess.contains(registered.clientId))
						|| registered.assigned(ApplicationRole.SMTP_SEND_AS_APP, tenantId, account.address()))
				.orElse(false);
			if (!mayAccess) {
				return Outcome.refused(SmtpReplies.AUTHENTICATION_UNSUCCESSFUL);
			}
			authenticatedBy = token.get().clientId();
		}
		return allowed(account, new SmtpLogin(account, authenticatedBy, "XOAUTH2", multiTenant));
	}

	/** LOGIN or PLAIN with the mailbox's basic password. */
	Outcome basic(String mailbox, String password, String mechanism) {
		Account account = this.directory.account(mailbox).orElse(null);
		if (account == null) {
			return Outcome.refused(SmtpReplies.AUTHENTICATION_UNSUCCESSFUL);
		}
		if (this.scenarios.basicAuthDisabled(account.user.tenantId())) {
			return Outcome.refused(SmtpReplies.BASIC_AUTH_NOT_SUPPORTED);
		}
		String expected = account.basicPassword;
		if (expected == null || !expected.equals(password)) {
			return Outcome.refused(SmtpReplies.AUTHENTICATION_UNSUCCESSFUL);
		}
		return allowed(account, new SmtpLogin(account, account.address(), mechanism, false));
	}

	private Outcome allowed(Account account, SmtpLogin login) {
		return switch (this.scenarios.smtpAuth(account)) {
			case DISABLED_FOR_MAILBOX -> Outcome.refused(SmtpReplies.SMTP_AUTH_DISABLED_FOR_MAILBOX);
			case DISABLED_FOR_TENANT -> Outcome.refused(SmtpReplies.SMTP_AUTH_DISABLED_FOR_TENANT);
			case ENABLED -> new Outcome(login, null);
		};
	}

}
