package io.mailroom.sandbox;

import java.io.IOException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.mailroom.sandbox.SmtpConversation.xoauth2;
import static org.assertj.core.api.Assertions.assertThat;

/** The SMTP conversation line by line, to pin Exchange Online's replies that clients do not surface. */
class ExchangeSmtpDialectTests {

	private static final String ALICE = "alice@contoso.com";

	private MicrosoftSandbox sandbox;

	private String token;

	@BeforeEach
	void startSandbox() {
		this.sandbox = MicrosoftSandbox.start();
		Tenant contoso = this.sandbox.directory().createTenant("contoso.com");
		AppRegistration app = this.sandbox.directory().registerApp(contoso, false, "https://mailroom.test/callback");
		this.sandbox.directory().createUser(contoso, ALICE);
		this.token = Clients.accessToken(this.sandbox, contoso, app, ALICE);
	}

	@AfterEach
	void stopSandbox() {
		this.sandbox.close();
	}

	@Test
	void sessionSpeaksExchangeOnlinesDialect() throws IOException {
		try (SmtpConversation smtp = new SmtpConversation(this.sandbox.smtpHost(), this.sandbox.smtpPort())) {
			assertThat(smtp.read()).matches("220 \\S+ Microsoft ESMTP MAIL Service ready at \\w{3}, \\d{1,2} \\w{3} \\d{4} .+");
			assertThat(smtp.send("EHLO client.test")).contains("250-STARTTLS", "250-SIZE 157286400", "250-ENHANCEDSTATUSCODES")
				.noneMatch((line) -> line.contains("AUTH"));
			assertThat(smtp.send("AUTH LOGIN")).containsExactly("504 5.7.4 Unrecognized authentication type ["
					+ SmtpReplies.FRONT_END + "]");
			assertThat(smtp.send("MAIL FROM:<" + ALICE + ">"))
				.containsExactly("530 5.7.57 Client not authenticated to send mail.");
			assertThat(smtp.send("STARTTLS")).containsExactly("220 2.0.0 SMTP server ready");
			smtp.startTls(this.sandbox.tls());
			assertThat(smtp.send("MAIL FROM:<" + ALICE + ">")).containsExactly("503 5.5.2 Send hello first");
			assertThat(smtp.send("EHLO client.test")).contains("250-AUTH LOGIN XOAUTH2").noneMatch((line) -> line.contains("STARTTLS"));
			assertThat(smtp.send("AUTH XOAUTH2")).containsExactly("334 ");
			assertThat(smtp.send(xoauth2(ALICE, this.token))).containsExactly("235 2.7.0 Authentication successful");
			for (int i = 0; i < 2; i++) {
				assertThat(smtp.send("MAIL FROM:<" + ALICE + "> SIZE=300")).containsExactly("250 2.1.0 Sender OK");
				assertThat(smtp.send("RCPT TO:<bob@example.org>")).containsExactly("250 2.1.5 Recipient OK");
				assertThat(smtp.send("DATA")).containsExactly("354 Start mail input; end with <CRLF>.<CRLF>");
				assertThat(smtp.send("Subject: Plain\r\n\r\n..leading dot\r\n.")).singleElement()
					.asString()
					.startsWith("250 2.0.0 OK <");
			}
			assertThat(smtp.send("QUIT")).containsExactly("221 2.0.0 Service closing transmission channel");
		}
		assertThat(this.sandbox.mailbox().messages()).hasSize(2)
			.allSatisfy((message) -> assertThat(message.contentAsString()).contains("\r\n.leading dot"));
	}

	@Test
	void xoauth2WithInitialResponseForAnotherUserIsRefusedWith535_5_7_3() throws IOException {
		this.sandbox.directory().createUser(this.sandbox.directory().tenant("contoso.com").orElseThrow(), "carol@contoso.com");
		try (SmtpConversation smtp = new SmtpConversation(this.sandbox.smtpHost(), this.sandbox.smtpPort())) {
			smtp.read();
			smtp.send("EHLO client.test");
			smtp.send("STARTTLS");
			smtp.startTls(this.sandbox.tls());
			smtp.send("EHLO client.test");

			assertThat(smtp.send("AUTH XOAUTH2 " + xoauth2("carol@contoso.com", this.token)))
				.containsExactly("535 5.7.3 Authentication unsuccessful [" + SmtpReplies.FRONT_END + "]");
			assertThat(smtp.send("AUTH XOAUTH2 " + xoauth2(ALICE, this.token)))
				.containsExactly("235 2.7.0 Authentication successful");
		}
		assertThat(this.sandbox.stats().failedAuthentications()).isOne();
	}

}
