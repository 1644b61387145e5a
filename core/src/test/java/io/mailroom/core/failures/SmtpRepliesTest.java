package io.mailroom.core.failures;

import io.mailroom.contracts.SmtpReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SmtpRepliesTest {

	@Test
	void readsAngusMailsRawReplyLine() {
		assertThat(SmtpReplies.parse("535 5.7.3 Authentication unsuccessful [SN4PR0501CA0054.namprd05.prod.outlook.com]\n"))
			.isEqualTo(new SmtpReply(535, "5.7.3", "Authentication unsuccessful [SN4PR0501CA0054.namprd05.prod.outlook.com]"));
	}

	@Test
	void readsAReplyWithoutEnhancedCode() {
		assertThat(SmtpReplies.parse("354 Start mail input; end with <CRLF>.<CRLF>"))
			.isEqualTo(new SmtpReply(354, null, "Start mail input; end with <CRLF>.<CRLF>"));
	}

	@Test
	void readsABareReplyCode() {
		assertThat(SmtpReplies.parse("221\r\n")).isEqualTo(new SmtpReply(221, null, ""));
	}

	@Test
	void joinsTheLinesOfAMultiLineReply() {
		String ehlo = "250-BN9PR03CA0335.outlook.office365.com Hello [203.0.113.7]\r\n250-SIZE 157286400\r\n"
				+ "250-PIPELINING\r\n250 SMTPUTF8\r\n";

		assertThat(SmtpReplies.parse(ehlo)).isEqualTo(new SmtpReply(250, null,
				"BN9PR03CA0335.outlook.office365.com Hello [203.0.113.7] SIZE 157286400 PIPELINING SMTPUTF8"));
	}

	@Test
	void dropsTheRepeatedEnhancedCodeOfContinuationLines() {
		String reply = "421-4.7.66 TLS 1.0 and 1.1 are not supported.\n421 4.7.66 Visit https://aka.ms/smtp_auth_tls.";

		assertThat(SmtpReplies.parse(reply))
			.isEqualTo(new SmtpReply(421, "4.7.66", "TLS 1.0 and 1.1 are not supported. Visit https://aka.ms/smtp_auth_tls."));
	}

	@Test
	void stopsAtTheLastLineOfTheReply() {
		assertThat(SmtpReplies.parse("550 5.1.1 User unknown\n250 2.0.0 OK")).isEqualTo(new SmtpReply(550, "5.1.1", "User unknown"));
	}

	@Test
	void findsTheReplyBehindAnExceptionMessagePrefix() {
		String message = "Authentication failed; nested exception is jakarta.mail.AuthenticationFailedException: "
				+ "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.\n";

		assertThat(SmtpReplies.parse(message)).isEqualTo(new SmtpReply(535, "5.7.139",
				"Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant."));
	}

	@Test
	void findsTheReplyInAMailServerLogLine() {
		String line = "host smtp.office365.com[52.96.0.1] said: 530 5.7.57 Client not authenticated to send mail. "
				+ "[BN1P110CA0052.NAMP110.PROD.OUTLOOK.COM] (in reply to MAIL FROM command)";

		SmtpReply reply = SmtpReplies.parse(line);

		assertThat(reply.code()).isEqualTo(530);
		assertThat(reply.enhancedCode()).isEqualTo("5.7.57");
		assertThat(reply.text()).startsWith("Client not authenticated to send mail.");
	}

	@Test
	void findsAReplyWithoutEnhancedCodeAfterAColon() {
		assertThat(SmtpReplies.parse("Invalid login: 535 Authentication failed"))
			.isEqualTo(new SmtpReply(535, null, "Authentication failed"));
	}

	@Test
	void findsTheReplyOnALaterLine() {
		assertThat(SmtpReplies.parse("Could not send the message\n554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException"))
			.isEqualTo(new SmtpReply(554, "5.2.0", "STOREDRV.Submission.Exception:SubmissionQuotaExceededException"));
	}

	@Test
	void doesNotReadAnAddressOrVersionAsAnEnhancedCode() {
		assertThat(SmtpReplies.parse("250 2.1.0.5 accepted")).isEqualTo(new SmtpReply(250, null, "2.1.0.5 accepted"));
		assertThat(SmtpReplies.parse("550 5.7.1394 odd")).isEqualTo(new SmtpReply(550, null, "5.7.1394 odd"));
	}

	@Test
	void keepsAnEnhancedCodeOfAnotherClassInTheText() {
		assertThat(SmtpReplies.parse("550 4.7.1 odd")).isEqualTo(new SmtpReply(550, null, "4.7.1 odd"));
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "   ", "Exception reading response", "[EOF]",
			"Couldn't connect to host, port: smtp.office365.com, 587; timeout 30000",
			"Could not connect to SMTP host: smtp.office365.com, port: 465, response: -1",
			"Read timed out after 30000 ms", "AADSTS50173: The provided grant has expired" })
	void findsNothingWhereThereIsNoReply(String text) {
		assertThat(SmtpReplies.parse(text)).isNull();
	}

}
