package io.mailroom.sandbox;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.mailroom.sandbox.SmtpConversation.xoauth2;
import static org.assertj.core.api.Assertions.assertThat;

/** The SMTP conversation line by line, to pin Gmail's replies that clients do not surface. */
class GmailSmtpDialectTests {

	/** Gmail ends a reply with a session tag and {@code gsmtp}. */
	private static final String TAG = " [0-9a-z]+ - gsmtp";

	private static GoogleSandbox google;

	@BeforeAll
	static void start() {
		google = GoogleSandbox.start(SandboxTls.forHosts(List.of("localhost")));
	}

	@AfterAll
	static void stop() {
		google.close();
	}

	@Test
	void sessionSpeaksGmailsDialect() throws IOException {
		String ada = user("ada@fabrikam.example");
		try (SmtpConversation smtp = new SmtpConversation(google.smtpHost(), google.smtpPort())) {
			assertThat(smtp.read()).matches("220 localhost ESMTP" + TAG);
			assertThat(smtp.send("EHLO")).satisfiesExactly(
					(line) -> assertThat(line).isEqualTo("501-5.5.4 Empty HELO/EHLO argument not allowed, closing connection."),
					(line) -> assertThat(line).matches("501 5.5.4 " + TAG));
			assertThat(smtp.send("EHLO client.test")).containsExactly("250-smtp.gmail.com at your service, [127.0.0.1]",
					"250-SIZE 35882577", "250-8BITMIME", "250-STARTTLS", "250-ENHANCEDSTATUSCODES", "250-PIPELINING",
					"250-CHUNKING", "250 SMTPUTF8");
			assertThat(smtp.send("AUTH XOAUTH2")).singleElement()
				.asString()
				.matches("530 5.7.0 Must issue a STARTTLS command first\\." + TAG);
			assertThat(smtp.send("MAIL FROM:<" + ada + ">")).satisfiesExactly(
					(line) -> assertThat(line).isEqualTo("530-5.7.0 Authentication Required. For more information, go to"),
					(line) -> assertThat(line).matches("530 5.7.0  https://support.google.com/mail/\\?p=WantAuthError" + TAG));
			assertThat(smtp.send("STARTTLS")).containsExactly("220 2.0.0 Ready to start TLS");
			smtp.startTls(google.tls());
			assertThat(smtp.send("STARTTLS")).singleElement().asString().matches("503 5.5.1 TLS already active" + TAG);
			assertThat(smtp.send("EHLO client.test")).contains(
					"250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH")
				.doesNotContain("250-STARTTLS");
			assertThat(smtp.send("AUTH CRAM-MD5")).singleElement()
				.asString()
				.matches("504 5.7.4 Unrecognized authentication type\\." + TAG);
			assertThat(smtp.send("AUTH XOAUTH2 !!!")).singleElement()
				.asString()
				.matches("501 5.5.2 Cannot Decode response\\." + TAG);
			assertThat(smtp.send("AUTH XOAUTH2 " + xoauth2(ada, "ya29.not-a-token"))).containsExactly(
					"334 eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==");
			assertThat(smtp.send("")).satisfiesExactly(
					(line) -> assertThat(line).isEqualTo("535-5.7.8 Username and Password not accepted. For more information, go to"),
					(line) -> assertThat(line).matches("535 5.7.8  https://support.google.com/mail/\\?p=BadCredentials" + TAG));
			assertThat(smtp.send("AUTH PLAIN AGFkYQBodW50ZXIy")).first()
				.isEqualTo("534-5.7.9 Application-specific password required. For more information, go to");
			assertThat(smtp.send("AUTH LOGIN")).containsExactly("334 ");
			assertThat(smtp.send("YWRh")).containsExactly("334 UGFzc3dvcmQ6");
			assertThat(smtp.send("aHVudGVyMg==")).last()
				.asString()
				.matches("534 5.7.9  https://support.google.com/mail/\\?p=InvalidSecondFactor" + TAG);
			assertThat(smtp.send("AUTH XOAUTH2")).containsExactly("334 ");
			assertThat(smtp.send(xoauth2(ada, token(ada)))).containsExactly("235 2.7.0 Accepted");
			assertThat(smtp.send("AUTH XOAUTH2")).singleElement().asString().matches("503 5.5.1 Already authenticated\\." + TAG);
			assertThat(smtp.send("RCPT TO:<reader@example.org>")).singleElement()
				.asString()
				.matches("503 5.5.1 MAIL first\\." + TAG);
			assertThat(smtp.send("DATA")).singleElement().asString().matches("503 5.5.1 RCPT first\\." + TAG);
			assertThat(smtp.send("MAIL FROM:<" + ada + ">")).singleElement().asString().matches("250 2.1.0 OK" + TAG);
			assertThat(smtp.send("MAIL FROM:<" + ada + ">")).singleElement()
				.asString()
				.matches("503 5.5.1 MAIL first\\." + TAG);
			assertThat(smtp.send("RCPT TO:<reader@example.org>")).singleElement().asString().matches("250 2.1.5 OK" + TAG);
			assertThat(smtp.send("DATA")).singleElement().asString().matches("354 Go ahead" + TAG);
			assertThat(smtp.send("Subject: Plain\r\n\r\n..leading dot\r\n.")).singleElement()
				.asString()
				.matches("250 2\\.0\\.0 OK  \\d+" + TAG);
			assertThat(smtp.send("NOOP")).singleElement().asString().matches("250 2.0.0 OK" + TAG);
			assertThat(smtp.send("MAIL FROM:<" + ada + ">")).singleElement().asString().matches("250 2.1.0 OK" + TAG);
			assertThat(smtp.send("RSET")).singleElement().asString().matches("250 2.1.5 Flushed" + TAG);
			assertThat(smtp.send("QUIT")).singleElement().asString().matches("221 2.0.0 closing connection" + TAG);
		}
		assertThat(google.mailbox().messagesTo("reader@example.org")).singleElement()
			.satisfies((message) -> assertThat(message.contentAsString()).contains("\r\n.leading dot"));
	}

	@Test
	void executablesAreBlockedWith552AndTheHundredAndFirstRecipientWith452() throws IOException {
		String bob = user("bob@fabrikam.example");
		try (SmtpConversation smtp = signedIn(bob)) {
			smtp.send("MAIL FROM:<" + bob + ">");
			for (int i = 0; i < 100; i++) {
				assertThat(smtp.send("RCPT TO:<r" + i + "@example.org>")).singleElement().asString().startsWith("250 ");
			}
			assertThat(smtp.send("RCPT TO:<r100@example.org>")).singleElement()
				.asString()
				.matches("452 4.5.3 Your message has too many recipients\\." + TAG);
			smtp.send("DATA");
			assertThat(smtp.send("Content-Disposition: attachment; filename=\"setup.exe\"\r\n\r\nMZ\r\n.")).satisfiesExactly(
					(line) -> assertThat(line).isEqualTo(
							"552-5.7.0 This message was blocked because its content presents a potential"),
					(line) -> assertThat(line).isEqualTo("552-5.7.0 security issue. To review our message content and"
							+ " attachment content guidelines, go to"),
					(line) -> assertThat(line).matches("552 5.7.0  https://support.google.com/mail/\\?p=BlockedMessage" + TAG));
		}
	}

	@Test
	void tooManyLoginsGets454AndTryAgainLaterCloses421() throws IOException {
		String carol = user("carol@fabrikam.example");
		google.workspace().tooManyLogins(carol, true);
		try (SmtpConversation smtp = tls()) {
			assertThat(smtp.send("AUTH XOAUTH2 " + xoauth2(carol, token(carol)))).last()
				.asString()
				.matches("454 4.7.0  https://support.google.com/mail/answer/7126229" + TAG);
		}
		google.workspace().tooManyLogins(carol, false);
		google.workspace().tryAgainLater(1);
		try (SmtpConversation smtp = signedIn(carol)) {
			assertThat(smtp.send("MAIL FROM:<" + carol + ">")).singleElement()
				.asString()
				.matches("421 4.7.0 Try again later, closing connection\\. \\(MAIL\\)" + TAG);
			assertThat(smtp.read()).isNull();
		}
	}

	private static String user(String address) {
		google.workspace().createUser(address);
		return address;
	}

	private static String token(String account) {
		return google.workspace().issue(account, Set.of(GoogleWorkspace.MAIL_SCOPE), false).value();
	}

	private static SmtpConversation tls() throws IOException {
		SmtpConversation smtp = new SmtpConversation(google.smtpHost(), google.smtpPort());
		smtp.read();
		smtp.send("EHLO client.test");
		smtp.send("STARTTLS");
		smtp.startTls(google.tls());
		smtp.send("EHLO client.test");
		return smtp;
	}

	private static SmtpConversation signedIn(String account) throws IOException {
		SmtpConversation smtp = tls();
		assertThat(smtp.send("AUTH XOAUTH2 " + xoauth2(account, token(account)))).containsExactly("235 2.7.0 Accepted");
		return smtp;
	}

}
