package io.mailroom.worker.delivery;

import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;

import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

import jakarta.mail.Session;

/**
 * The Angus Mail sessions delivery connects with: one for XOAUTH2, one for LOGIN/PLAIN. Host, port and
 * credentials are given per connection, so two sessions serve every service. Every connection is opened by
 * the guard's socket factory, which refuses internal addresses and other ports before connecting.
 */
final class SmtpSessions {

	/** TLS versions Mailroom accepts; Exchange Online requires 1.2 or later too. */
	static final String TLS_PROTOCOLS = "TLSv1.3 TLSv1.2";

	private final Session oauth2;

	private final Session basic;

	/** @param connections opens every connection: {@code SmtpDestinations.socketFactory()} */
	SmtpSessions(DeliveryProperties properties, SSLSocketFactory trust, ScheduledExecutorService writeTimeouts,
			SocketFactory connections) {
		this.oauth2 = MailSessions.create(guarded(properties(properties, trust, writeTimeouts, "XOAUTH2"), connections));
		this.basic = MailSessions.create(guarded(properties(properties, trust, writeTimeouts, "LOGIN PLAIN"), connections));
	}

	Session oauth2() {
		return oauth2;
	}

	Session basic() {
		return basic;
	}

	/**
	 * The session properties.
	 * @param trust verifies servers' certificates; null for the JVM's trust store
	 * @param writeTimeouts runs write-timeout checks for every connection; without it Angus Mail starts a
	 *     thread per connection
	 * @param mechanisms the SASL mechanisms to offer, in order
	 */
	static Properties properties(DeliveryProperties properties, SSLSocketFactory trust,
			ScheduledExecutorService writeTimeouts, String mechanisms) {
		Properties props = new Properties();
		props.put("mail.transport.protocol", "smtp");
		props.put("mail.smtp.auth", "true");
		props.put("mail.smtp.auth.mechanisms", mechanisms);
		// STARTTLS or nothing: never AUTH over plaintext, even if a server stops offering STARTTLS
		props.put("mail.smtp.starttls.enable", "true");
		props.put("mail.smtp.starttls.required", "true");
		props.put("mail.smtp.ssl.protocols", TLS_PROTOCOLS);
		props.put("mail.smtp.ssl.checkserveridentity", "true");
		if (trust != null) {
			props.put("mail.smtp.ssl.socketFactory", trust);
		}
		props.put("mail.smtp.connectiontimeout", String.valueOf(properties.connectTimeout().toMillis()));
		props.put("mail.smtp.timeout", String.valueOf(properties.readTimeout().toMillis()));
		props.put("mail.smtp.writetimeout", String.valueOf(properties.writeTimeout().toMillis()));
		if (writeTimeouts != null) {
			props.put("mail.smtp.executor.writetimeout", writeTimeouts);
		}
		if (properties.ehloName() != null && !properties.ehloName().isBlank()) {
			props.put("mail.smtp.localhost", properties.ehloName());
		}
		// A refused recipient fails the whole mail: one request, one outcome
		props.put("mail.smtp.sendpartial", "false");
		// Closing does not wait for the reply to QUIT: nothing depends on it
		props.put("mail.smtp.quitwait", "false");
		return props;
	}

	/**
	 * Connections through {@code connections} only. STARTTLS layers TLS over the socket it made; without
	 * fallback off, Angus Mail would connect with a plain socket after the factory refused.
	 */
	static Properties guarded(Properties props, SocketFactory connections) {
		props.put("mail.smtp.socketFactory", Objects.requireNonNull(connections, "connections"));
		props.put("mail.smtp.socketFactory.fallback", "false");
		return props;
	}

}
