package io.mailroom.core.services;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import io.mailroom.core.secrets.SecretBox;

/** Services as tests need them; other modules reuse these through core's test jar. */
public final class SmtpServiceFixtures {

	private SmtpServiceFixtures() {
	}

	/** A Microsoft OAuth2 service, not yet authorized. */
	public static SmtpService microsoftService(SecretBox secrets, String accountId, String host, int port,
			String loginEmail, String clientId, String clientSecret, String tenantId) {
		UUID id = UUID.randomUUID();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		var auth = new MicrosoftOAuth2(loginEmail, clientId,
				secrets.sealFor(clientSecret, SmtpService.secretContext(id, "client_secret")), tenantId, null);
		return new SmtpService(id, accountId, "Support mailbox", host, port, loginEmail, "Support", null, auth,
				ServiceStatus.NOT_AUTHORIZED, null, now, null, null, null, null, null, null, null, null, now, now, now,
				0);
	}

	/** A basic-auth service, ready to send. */
	public static SmtpService basicService(SecretBox secrets, String accountId, String host, int port, String username,
			String password) {
		UUID id = UUID.randomUUID();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		var auth = new BasicAuthentication(username,
				secrets.sealFor(password, SmtpService.secretContext(id, "password")));
		return new SmtpService(id, accountId, "Basic relay", host, port, username, null, null, auth,
				ServiceStatus.AUTHORIZED, null, now, null, null, null, null, null, null, null, null, now, now, now, 0);
	}

}
