package io.mailroom.worker.delivery;

import java.util.Properties;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class SmtpSessionsTest {

	@Test
	void timeoutsDefaultToTenSecondsToConnectAndAMinuteToReadOrWrite() {
		Properties session = SmtpSessions.properties(DeliveryProperties.defaults(), null, null, "XOAUTH2");

		assertThat(session.getProperty("mail.smtp.connectiontimeout")).isEqualTo("10000");
		assertThat(session.getProperty("mail.smtp.timeout")).isEqualTo("60000");
		assertThat(session.getProperty("mail.smtp.writetimeout")).isEqualTo("60000");
	}

	@Test
	void settingsDefaultAsDocumented() {
		DeliveryProperties bound = new Binder(new MapConfigurationPropertySource()).bindOrCreate("mailroom.delivery",
				DeliveryProperties.class);

		assertThat(bound).isEqualTo(DeliveryProperties.defaults());
	}

	@Test
	void requiresStartTlsWithTls12OrLaterAndChecksTheServersIdentity() {
		Properties session = SmtpSessions.properties(DeliveryProperties.defaults(), null, null, "XOAUTH2");

		assertThat(session.getProperty("mail.smtp.starttls.enable")).isEqualTo("true");
		assertThat(session.getProperty("mail.smtp.starttls.required")).isEqualTo("true");
		assertThat(session.getProperty("mail.smtp.ssl.protocols")).isEqualTo("TLSv1.3 TLSv1.2");
		assertThat(session.getProperty("mail.smtp.ssl.checkserveridentity")).isEqualTo("true");
		assertThat(session.getProperty("mail.smtp.ssl.trust")).isNull();
	}

	@Test
	void offersOnlyTheMechanismsOfTheServicesAuthentication() {
		assertThat(SmtpSessions.properties(DeliveryProperties.defaults(), null, null, "XOAUTH2")
			.getProperty("mail.smtp.auth.mechanisms")).isEqualTo("XOAUTH2");
		assertThat(SmtpSessions.properties(DeliveryProperties.defaults(), null, null, "LOGIN PLAIN")
			.getProperty("mail.smtp.auth.mechanisms")).isEqualTo("LOGIN PLAIN");
	}

}
