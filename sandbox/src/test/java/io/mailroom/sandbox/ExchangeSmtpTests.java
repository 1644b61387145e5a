package io.mailroom.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Angus Mail, set up as for smtp.office365.com:587 (STARTTLS, XOAUTH2, host name checked against the
 * sandbox's CA), against the sandbox's Exchange Online.
 */
class ExchangeSmtpTests {

	private static final String ALICE = "alice@contoso.com";

	private MicrosoftSandbox sandbox;

	private Tenant contoso;

	private AppRegistration app;

	@BeforeEach
	void startSandbox() {
		this.sandbox = MicrosoftSandbox.start();
		this.contoso = this.sandbox.directory().createTenant("contoso.com");
		this.app = this.sandbox.directory().registerApp(this.contoso, false, "https://mailroom.test/callback");
		this.sandbox.directory().createUser(this.contoso, ALICE);
	}

	@AfterEach
	void stopSandbox() {
		this.sandbox.close();
	}

	@Test
	void xoauth2OverStartTlsAuthenticatesAndTheMessageIsAccepted() throws Exception {
		try (SMTPTransport transport = Clients.connect(this.sandbox, ALICE, token(ALICE))) {
			assertThat(transport.getLastServerResponse()).startsWith("235 2.7.0 Authentication successful");
			MimeMessage message = Clients.message(transport, ALICE, "bob@example.org", "Grüße from Mailroom");
			Clients.send(transport, message);

			assertThat(transport.getLastServerResponse())
				.matches("250 2\\.0\\.0 OK <[0-9A-F]{32}@[A-Z0-9.]+> \\[Hostname=[A-Z0-9.]+\\]\\s*");
		}
		ReceivedMessage received = this.sandbox.mailbox().latest().orElseThrow();
		assertThat(received.mailbox()).isEqualTo(ALICE);
		assertThat(received.authenticatedBy()).isEqualTo(ALICE);
		assertThat(received.envelopeFrom()).isEqualTo(ALICE);
		assertThat(received.recipients()).containsExactly("bob@example.org");
		assertThat(received.subject()).contains("Grüße from Mailroom");
		assertThat(received.messageId()).isPresent();
		assertThat(received.contentAsString()).contains("Hello from Mailroom's tests.");
	}

	@Test
	void severalMessagesShareOneSession() throws Exception {
		try (SMTPTransport transport = Clients.connect(this.sandbox, ALICE, token(ALICE))) {
			for (int i = 1; i <= 5; i++) {
				Clients.send(transport, Clients.message(transport, ALICE, "reader" + i + "@example.org", "Digest " + i));
			}
		}
		assertThat(this.sandbox.stats().smtpSessions()).isOne();
		assertThat(this.sandbox.stats().successfulAuthentications()).isOne();
		assertThat(this.sandbox.stats().messagesAccepted()).isEqualTo(5);
		assertThat(this.sandbox.mailbox().messages()).extracting(ReceivedMessage::sessionId).containsOnly(
				this.sandbox.mailbox().messages().get(0).sessionId());
	}

	@Test
	void unknownTokenIsRefusedWith535_5_7_3() {
		assertThatThrownBy(() -> Clients.connect(this.sandbox, ALICE, "EwBnot-a-token"))
			.isInstanceOf(AuthenticationFailedException.class)
			.hasMessageStartingWith("535 5.7.3 Authentication unsuccessful [");
	}

	@Test
	void tokenOfAnotherUserIsRefusedWith535_5_7_3UnlessTheUserHasFullAccess() throws Exception {
		this.sandbox.directory().createUser(this.contoso, "shared@contoso.com");
		String alicesToken = token(ALICE);

		assertThatThrownBy(() -> Clients.connect(this.sandbox, "shared@contoso.com", alicesToken))
			.isInstanceOf(AuthenticationFailedException.class)
			.hasMessageStartingWith("535 5.7.3");
		this.sandbox.directory().grantFullAccess("shared@contoso.com", ALICE);
		try (SMTPTransport transport = Clients.connect(this.sandbox, "shared@contoso.com", alicesToken)) {
			Clients.send(transport, Clients.message(transport, "shared@contoso.com", "bob@example.org", "Shared"));
		}
		assertThat(this.sandbox.mailbox().latest().orElseThrow().authenticatedBy()).isEqualTo(ALICE);
	}

	@Test
	void fourthConcurrentConnectionOfOneMailboxIsRefusedWith432() throws Exception {
		String token = token(ALICE);
		List<SMTPTransport> open = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				open.add(Clients.connect(this.sandbox, ALICE, token));
			}
			assertThatThrownBy(() -> Clients.connect(this.sandbox, ALICE, token))
				.isInstanceOf(AuthenticationFailedException.class)
				.hasMessageStartingWith(
						"432 4.3.2 Concurrent connections limit exceeded. Visit https://aka.ms/concurrent_sending for more information.");

			open.remove(0).close();
			await().atMost(Duration.ofSeconds(5)).until(() -> this.sandbox.stats().openConnections(ALICE) == 2);
			open.add(Clients.connect(this.sandbox, ALICE, token));
		}
		finally {
			for (SMTPTransport transport : open) {
				transport.close();
			}
		}
		assertThat(this.sandbox.stats().peakConcurrentConnections(ALICE)).isEqualTo(3);
		assertThat(this.sandbox.stats().connectionLimitRefusals(ALICE)).isOne();
		assertThat(this.sandbox.stats().connectionLimitRefusals()).isOne();
	}

	@Test
	void messagesBeyondTheRateAreRefusedWith421AndTheConnectionIsClosed() throws Exception {
		this.sandbox.scenarios().smtpLimits(SmtpLimits.EXCHANGE_ONLINE.withMessageRate(3, Duration.ofMinutes(1)));
		try (SMTPTransport transport = Clients.connect(this.sandbox, ALICE, token(ALICE))) {
			for (int i = 1; i <= 3; i++) {
				Clients.send(transport, Clients.message(transport, ALICE, "bob@example.org", "Within the rate " + i));
			}
			MimeMessage fourth = Clients.message(transport, ALICE, "bob@example.org", "Beyond the rate");

			assertThatThrownBy(() -> Clients.send(transport, fourth)).isInstanceOf(MessagingException.class)
				.satisfies((failure) -> assertThat(Clients.chain(failure)).contains(
						"421 4.4.2 Message submission rate for this client has exceeded the configured limit"));
			await().atMost(Duration.ofSeconds(5)).until(() -> !transport.isConnected());
		}
		assertThat(this.sandbox.mailbox().count()).isEqualTo(3);
		assertThat(this.sandbox.stats().rateLimitRefusals(ALICE)).isOne();
		assertThat(this.sandbox.stats().rateLimitRefusals()).isOne();
		assertThat(this.sandbox.stats().messagesAccepted(ALICE)).isEqualTo(3);
		assertThat(this.sandbox.stats().peakMessagesPerMinute(ALICE)).isEqualTo(3);
	}

	@Test
	void smtpHangLeavesTheMailboxUnansweredUntilClearedWhileOtherMailboxesAreServed() throws Exception {
		this.sandbox.directory().createUser(this.contoso, "bob@contoso.com");
		String alicesToken = token(ALICE);
		String bobsToken = token("bob@contoso.com");
		try (SMTPTransport open = Clients.connect(this.sandbox, ALICE, alicesToken)) {
			Scenario hang = this.sandbox.scenarios().smtpHang(ALICE);
			CompletableFuture<Void> onOpenSession = CompletableFuture.runAsync(() -> sendQuietly(open, "Held on MAIL"));
			CompletableFuture<SMTPTransport> newSession = CompletableFuture.supplyAsync(() -> {
				try {
					return Clients.connect(this.sandbox, ALICE, alicesToken);
				}
				catch (MessagingException ex) {
					throw new IllegalStateException(ex);
				}
			});

			try (SMTPTransport bob = Clients.connect(this.sandbox, "bob@contoso.com", bobsToken)) {
				Clients.send(bob, Clients.message(bob, "bob@contoso.com", "carol@example.org", "Served"));
			}
			assertThat(onOpenSession).isNotDone();
			assertThat(newSession).isNotDone();
			assertThat(this.sandbox.stats().messagesAccepted(ALICE)).isZero();
			hang.clear();
			onOpenSession.get(10, TimeUnit.SECONDS);
			newSession.get(10, TimeUnit.SECONDS).close();
		}
		assertThat(this.sandbox.stats().messagesAccepted(ALICE)).isOne();
		assertThat(this.sandbox.stats().messagesAccepted("bob@contoso.com")).isOne();
	}

	@Test
	void disabledSmtpAuthOfTheMailboxIsRefusedWith535_5_7_139() throws Exception {
		String token = token(ALICE);
		this.sandbox.scenarios().disableSmtpAuth(ALICE);

		assertThatThrownBy(() -> Clients.connect(this.sandbox, ALICE, token))
			.isInstanceOf(AuthenticationFailedException.class)
			.hasMessageStartingWith(
					"535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.");
	}

	@Test
	void smtpAuthDisabledForTheTenantIsRefusedUnlessTheMailboxEnablesIt() throws Exception {
		String token = token(ALICE);
		this.sandbox.scenarios().disableSmtpAuthForTenant(this.contoso);

		assertThatThrownBy(() -> Clients.connect(this.sandbox, ALICE, token))
			.isInstanceOf(AuthenticationFailedException.class)
			.hasMessageContaining("SmtpClientAuthentication is disabled for the Tenant.");
		this.sandbox.scenarios().enableSmtpAuth(ALICE);
		try (SMTPTransport transport = Clients.connect(this.sandbox, ALICE, token)) {
			assertThat(transport.isConnected()).isTrue();
		}
	}

	@Test
	void sendingAsAnotherAddressIsRefusedWith550_5_7_60UntilSendAsIsGranted() throws Exception {
		try (SMTPTransport transport = Clients.connect(this.sandbox, ALICE, token(ALICE))) {
			MimeMessage message = Clients.message(transport, "ceo@contoso.com", "bob@example.org", "Spoofed");

			assertThatThrownBy(() -> Clients.send(transport, message))
				.satisfies((failure) -> assertThat(Clients.chain(failure))
					.contains("550 5.7.60 SMTP; Client does not have permissions to send as this sender"));

			this.sandbox.directory().grantSendAs(ALICE, "ceo@contoso.com");
			Clients.send(transport, message);
		}
		assertThat(this.sandbox.mailbox().count()).isOne();
	}

	@Test
	void transientFailureScenarioAnswers451AndTheNextMessageGoesThrough() throws Exception {
		this.sandbox.scenarios().transientFailures(1);
		try (SMTPTransport transport = Clients.connect(this.sandbox, ALICE, token(ALICE))) {
			MimeMessage message = Clients.message(transport, ALICE, "bob@example.org", "Retried");

			assertThatThrownBy(() -> Clients.send(transport, message))
				.satisfies((failure) -> assertThat(Clients.chain(failure))
					.contains("451 4.7.0 Temporary server error. Please try again later. PRX4"));
			Clients.send(transport, message);
		}
		assertThat(this.sandbox.mailbox().count()).isOne();
		assertThat(this.sandbox.stats().messagesRefused()).isOne();
		assertThat(this.sandbox.scenarios().active()).isEmpty();
	}

	@Test
	void messageOverTheSenderSizeLimitIsRefusedWith550_5_2_3() throws Exception {
		this.sandbox.scenarios().smtpLimits(SmtpLimits.EXCHANGE_ONLINE.withMaxMessageBytes(1024));
		try (SMTPTransport transport = Clients.connect(this.sandbox, ALICE, token(ALICE))) {
			MimeMessage message = Clients.message(transport, ALICE, "bob@example.org", "Large");
			message.setText("x".repeat(4096));
			message.saveChanges();

			assertThatThrownBy(() -> Clients.send(transport, message)).satisfies((failure) -> assertThat(
					Clients.chain(failure)).contains("550 5.2.3 RESOLVER.RST.SendSizeLimit.Sender; message too large for this sender"));
			Clients.send(transport, Clients.message(transport, ALICE, "bob@example.org", "Small"));
		}
		assertThat(this.sandbox.mailbox().count()).isOne();
	}

	@Test
	void rejectedRecipientGetsTheReplyOfTheScenario() throws Exception {
		this.sandbox.scenarios().rejectRecipient("nobody@example.org", 550, "5.1.10",
				"RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup");
		try (SMTPTransport transport = Clients.connect(this.sandbox, ALICE, token(ALICE))) {
			MimeMessage message = Clients.message(transport, ALICE, "nobody@example.org", "Bounce");

			assertThatThrownBy(() -> Clients.send(transport, message)).satisfies((failure) -> assertThat(
					Clients.chain(failure)).contains("550 5.1.10 RESOLVER.ADR.RecipientNotFound"));
		}
	}

	@Test
	void recipientsOutsideTheOrganizationOfASingleTenantAppAreRefusedWhileTheScenarioLasts() throws Exception {
		this.sandbox.directory().createUser(this.contoso, "it-admin@contoso.com");
		Scenario refused = this.sandbox.scenarios().refuseOutsideRecipients();
		try (SMTPTransport transport = Clients.connect(this.sandbox, ALICE, token(ALICE))) {
			MimeMessage outside = Clients.message(transport, ALICE, "reader@example.org", "Outside");

			assertThatThrownBy(() -> Clients.send(transport, outside)).satisfies((failure) -> assertThat(
					Clients.chain(failure)).contains("550 5.7.1 Recipient reader@example.org is outside the sender's "
							+ "organization", "[Microsoft stand-in's text: Microsoft documents no exact reply"));
			Clients.send(transport, Clients.message(transport, ALICE, "it-admin@contoso.com", "Inside"));
		}
		refused.clear();
		try (SMTPTransport transport = Clients.connect(this.sandbox, ALICE, token(ALICE))) {
			Clients.send(transport, Clients.message(transport, ALICE, "reader@example.org", "Outside, allowed again"));
		}
		assertThat(this.sandbox.mailbox().messages()).extracting(ReceivedMessage::recipients)
			.containsExactly(List.of("it-admin@contoso.com"), List.of("reader@example.org"));
	}

	@Test
	void aMultiTenantAppMaySendToAnyMicrosoftOrganization() throws Exception {
		Tenant fabrikam = this.sandbox.directory().createTenant("fabrikam.com");
		AppRegistration multiTenant = this.sandbox.directory().registerApp(this.contoso, true,
				"https://mailroom.test/callback");
		this.sandbox.scenarios().refuseOutsideRecipients(ALICE);
		String token = Clients.accessToken(this.sandbox, this.contoso, multiTenant, ALICE);
		try (SMTPTransport transport = Clients.connect(this.sandbox, ALICE, token)) {
			Clients.send(transport, Clients.message(transport, ALICE, "someone@" + fabrikam.domain(), "Partner"));

			MimeMessage consumer = Clients.message(transport, ALICE, "someone@example.org", "Not Microsoft");
			assertThatThrownBy(() -> Clients.send(transport, consumer))
				.satisfies((failure) -> assertThat(Clients.chain(failure)).contains("550 5.7.1"));
		}
	}

	@Test
	void connectionDroppedAtTheEndOfDataLeavesTheOutcomeUnknownAndNothingIsStored() throws Exception {
		this.sandbox.scenarios().dropConnection(SmtpStage.END_OF_DATA, 1);
		try (SMTPTransport transport = Clients.connect(this.sandbox, ALICE, token(ALICE))) {
			MimeMessage message = Clients.message(transport, ALICE, "bob@example.org", "Lost");

			assertThatThrownBy(() -> Clients.send(transport, message)).isInstanceOf(MessagingException.class);
		}
		try (SMTPTransport transport = Clients.connect(this.sandbox, ALICE, token(ALICE))) {
			Clients.send(transport, Clients.message(transport, ALICE, "bob@example.org", "Again"));
		}
		assertThat(this.sandbox.mailbox().messages()).extracting((message) -> message.subject().orElseThrow())
			.containsExactly("Again");
	}

	@Test
	void basicAuthenticationWorksOnlyWithAPasswordAndNotWhenTheTenantRetiredIt() throws Exception {
		jakarta.mail.Session session = Clients.mailSession(this.sandbox);
		session.getProperties().put("mail.smtp.auth.mechanisms", "LOGIN");
		try (SMTPTransport withoutPassword = (SMTPTransport) session.getTransport("smtp")) {
			assertThatThrownBy(() -> withoutPassword.connect(this.sandbox.smtpHost(), this.sandbox.smtpPort(), ALICE, "secret"))
				.hasMessageStartingWith("535 5.7.3");
		}
		this.sandbox.directory().setBasicPassword(ALICE, "secret");
		try (SMTPTransport transport = (SMTPTransport) session.getTransport("smtp")) {
			transport.connect(this.sandbox.smtpHost(), this.sandbox.smtpPort(), ALICE, "secret");
			assertThat(transport.getLastServerResponse()).startsWith("235 2.7.0");
		}
		this.sandbox.scenarios().disableBasicAuthForTenant(this.contoso);
		try (SMTPTransport retired = (SMTPTransport) session.getTransport("smtp")) {
			assertThatThrownBy(() -> retired.connect(this.sandbox.smtpHost(), this.sandbox.smtpPort(), ALICE, "secret"))
				.hasMessageStartingWith("550 5.7.30 Basic authentication is not supported for Client Submission.");
		}
	}

	@Test
	void recipientsBeyondTheLimitOfAMessageAreRefusedWith452() throws Exception {
		this.sandbox.scenarios().smtpLimits(SmtpLimits.EXCHANGE_ONLINE.withMaxRecipientsPerMessage(2));
		try (SMTPTransport transport = Clients.connect(this.sandbox, ALICE, token(ALICE))) {
			MimeMessage message = Clients.message(transport, ALICE, "one@example.org", "Three recipients");
			message.addRecipients(jakarta.mail.Message.RecipientType.CC, "two@example.org, three@example.org");

			assertThatThrownBy(() -> Clients.send(transport, message))
				.satisfies((failure) -> assertThat(Clients.chain(failure)).contains("452 4.5.3 Too many recipients"));
		}
	}

	@Test
	void recipientsBeyondTheDailyQuotaAreRefusedWith554_5_2_0() throws Exception {
		this.sandbox.scenarios().smtpLimits(SmtpLimits.EXCHANGE_ONLINE.withRecipientsPerDay(2));
		try (SMTPTransport transport = Clients.connect(this.sandbox, ALICE, token(ALICE))) {
			Clients.send(transport, Clients.message(transport, ALICE, "one@example.org", "First"));
			Clients.send(transport, Clients.message(transport, ALICE, "two@example.org", "Second"));
			MimeMessage third = Clients.message(transport, ALICE, "three@example.org", "Third");

			assertThatThrownBy(() -> Clients.send(transport, third)).satisfies((failure) -> assertThat(
					Clients.chain(failure)).contains("554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException"));
		}
		assertThat(this.sandbox.mailbox().count()).isEqualTo(2);
	}

	@Test
	void fromHeaderOfAnotherAddressIsRefusedAfterDataWith554_5_2_252() throws Exception {
		try (SMTPTransport transport = Clients.connect(this.sandbox, ALICE, token(ALICE))) {
			SMTPMessage message = new SMTPMessage(Clients.message(transport, "ceo@contoso.com", "bob@example.org", "Spoof"));
			message.setEnvelopeFrom(ALICE);

			assertThatThrownBy(() -> Clients.send(transport, message)).satisfies((failure) -> assertThat(Clients.chain(failure))
				.contains("554 5.2.252 SendAsDenied; alice@contoso.com not allowed to send as ceo@contoso.com"));
		}
		assertThat(this.sandbox.mailbox().count()).isZero();
		assertThat(this.sandbox.stats().messagesRefused()).isOne();
	}

	@Test
	void countsOnlyWhenContentIsNotKept() throws Exception {
		this.sandbox.mailbox().keepContent(false);
		try (SMTPTransport transport = Clients.connect(this.sandbox, ALICE, token(ALICE))) {
			Clients.send(transport, Clients.message(transport, ALICE, "bob@example.org", "Counted"));
		}
		assertThat(this.sandbox.mailbox().count()).isOne();
		assertThat(this.sandbox.mailbox().messages()).isEmpty();
	}

	@Test
	void smtpLatencyDelaysEveryReply() throws Exception {
		String token = token(ALICE);
		this.sandbox.scenarios().smtpLatency(Duration.ofMillis(100));
		long started = System.nanoTime();
		try (SMTPTransport transport = Clients.connect(this.sandbox, ALICE, token)) {
			assertThat(transport.isConnected()).isTrue();
		}
		// Greeting, EHLO, STARTTLS, EHLO, AUTH and NOOP at least.
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
	}

	private static void sendQuietly(SMTPTransport transport, String subject) {
		try {
			Clients.send(transport, Clients.message(transport, ALICE, "bob@example.org", subject));
		}
		catch (MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String token(String upn) {
		return Clients.accessToken(this.sandbox, this.contoso, this.app, upn);
	}

}
