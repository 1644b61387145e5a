package io.mailroom.worker.delivery;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import io.mailroom.contracts.EmailAddress;
import io.mailroom.contracts.ErrorCategory;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.ServiceImpact;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.tokens.MicrosoftApps;
import io.mailroom.sandbox.GrantType;
import io.mailroom.sandbox.MicrosoftSandbox;
import io.mailroom.sandbox.ReceivedMessage;
import io.mailroom.sandbox.SmtpLimits;
import io.mailroom.sandbox.SmtpStage;
import io.mailroom.worker.tokens.AccessTokens;
import io.mailroom.worker.tokens.SandboxIntegrationTest;
import io.mailroom.worker.tokens.TestSandboxes;
import io.mailroom.worker.tokens.TokenProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SmtpDeliveryIntegrationTest extends SandboxIntegrationTest {

	private final MicrosoftSandbox microsoft = TestSandboxes.microsoft();

	private final MicrosoftSandbox shortLived = TestSandboxes.shortLived();

	private Sending sending;

	@org.junit.jupiter.api.BeforeEach
	void sendThroughTheSharedDelivery() {
		sending = new Sending(delivery);
	}

	@org.junit.jupiter.api.AfterEach
	void closeSessions() {
		sending.close();
	}

	@Test
	void deliversWithXoauth2AsTheServicesAddressWithBccInTheEnvelopeOnly() {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = storedService(mailbox, mailbox.upn(), mailbox.upn(), "help@customer-care.example");
		authorize(service, mailbox, microsoftApps, mailbox.upn());
		service = current(service);

		DeliveryOutcome outcome = sending.send(service, OutgoingMail.of(mail(service)
			.cc(EmailAddress.of("team@customer.example"))
			.bcc(EmailAddress.of("audit@customer.example"))
			.build()));

		DeliveryOutcome.Sent sent = sent(outcome);
		assertThat(sent.reply().code()).isEqualTo(250);
		ReceivedMessage received = received(sent.messageId());
		assertThat(received.authenticatedBy()).isEqualTo(mailbox.upn());
		assertThat(received.envelopeFrom()).isEqualTo(mailbox.upn());
		assertThat(received.recipients()).containsExactlyInAnyOrder("reader@customer.example", "team@customer.example",
				"audit@customer.example");
		assertThat(received.from()).hasValueSatisfying(from -> assertThat(from).contains("Support", mailbox.upn()));
		assertThat(received.header("Reply-To")).hasValue("help@customer-care.example");
		assertThat(received.header("Cc")).hasValue("team@customer.example");
		assertThat(received.contentAsString()).doesNotContain("audit@customer.example");
		assertThat(received.messageId()).hasValue(sent.messageId());
	}

	@Test
	void deliversWithBasicAuthentication() {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = basicService(mailbox);

		DeliveryOutcome.Sent sent = sent(sending.send(service, OutgoingMail.of(mail(service).build())));

		assertThat(received(sent.messageId()).authenticatedBy()).isEqualTo(mailbox.upn());
	}

	@Test
	void theEncodedMailArrivesWholeWithLinesThatStartWithADot() throws Exception {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = basicService(mailbox);
		String text = "Three new articles.\n.\n..two dots\n.one dot\r\nGrüße, the team\n";
		String html = "<p>Three new articles.</p>\n.<p>Grüße</p>";

		DeliveryOutcome.Sent sent = sent(sending.send(service, OutgoingMail.of(mail(service).text(text).html(html)
			.build())));

		MimeMessage received = new MimeMessage(Session.getInstance(new Properties()),
				new ByteArrayInputStream(received(sent.messageId()).content()));
		MimeMultipart alternative = (MimeMultipart) received.getContent();
		assertThat(lines(alternative.getBodyPart(0).getContent())).isEqualTo(lines(text));
		assertThat(lines(alternative.getBodyPart(1).getContent())).isEqualTo(lines(html));
		assertThat(received.getMessageID()).isEqualTo(sent.messageId());
	}

	/** Text as lines: SMTP carries every line end as CRLF. */
	private static List<String> lines(Object text) {
		return List.of(((String) text).split("\r\n|\n", -1));
	}

	@Test
	void twentyMailsShareOneAuthenticatedConnection() {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = authorizedService(mailbox, microsoftApps);

		for (int i = 0; i < 20; i++) {
			sent(sending.send(service, OutgoingMail.of(mail(service).build())));
		}

		assertThat(microsoft.mailbox().messages().stream().filter(m -> m.mailbox().equals(mailbox.upn())))
			.hasSize(20);
		assertThat(microsoft.stats().authenticatedSessions(mailbox.upn())).isEqualTo(1);
	}

	@Test
	void aPooledConnectionThatBrokeBeforeTheMailIsReplacedTransparently() {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = authorizedService(mailbox, microsoftApps);
		sent(sending.send(service, OutgoingMail.of(mail(service).build())));
		microsoft.scenarios().dropConnection(SmtpStage.MAIL, 1);

		DeliveryOutcome.Sent sent = sent(sending.send(service, OutgoingMail.of(mail(service).build())));

		assertThat(received(sent.messageId()).mailbox()).isEqualTo(mailbox.upn());
		assertThat(microsoft.stats().authenticatedSessions(mailbox.upn())).isEqualTo(2);
	}

	@Test
	void idleConnectionsAreClosedAndTheNextMailConnectsAgain() {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = authorizedService(mailbox, microsoftApps);
		try (Sending quicklyIdle = new Sending(delivery(tokens,
				sandboxDelivery().withPoolTimings(Duration.ofSeconds(10), Duration.ofMillis(300))))) {
			sent(quicklyIdle.send(service, OutgoingMail.of(mail(service).build())));

			await().atMost(Duration.ofSeconds(10)).until(() -> {
				quicklyIdle.closeIdle(service);
				return quicklyIdle.sessions(service) == 0 && microsoft.stats().openConnections(mailbox.upn()) == 0;
			});
			sent(quicklyIdle.send(service, OutgoingMail.of(mail(service).build())));

			assertThat(microsoft.stats().authenticatedSessions(mailbox.upn())).isEqualTo(2);
		}
	}

	@Test
	void aTokenRefusedWith535_5_7_3IsRefreshedOnceAndTheMailSent() {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = authorizedService(mailbox, microsoftApps);
		sent(sending.send(service, OutgoingMail.of(mail(service).build())));
		sending.closeConnections(service);
		// two hours later for Microsoft: the token we still hold has expired there
		TestSandboxes.MICROSOFT_CLOCK.advance(Duration.ofHours(2));
		long refused = microsoft.stats().failedAuthentications();
		long refreshes = microsoft.stats().tokenRequests(GrantType.REFRESH_TOKEN);

		DeliveryOutcome.Sent sent = sent(sending.send(service, OutgoingMail.of(mail(service).build())));

		assertThat(received(sent.messageId()).mailbox()).isEqualTo(mailbox.upn());
		assertThat(microsoft.stats().failedAuthentications()).isEqualTo(refused + 1);
		assertThat(microsoft.stats().tokenRequests(GrantType.REFRESH_TOKEN)).isEqualTo(refreshes + 1);
	}

	@Test
	void aTokenRefusedAgainAfterItsRefreshNeedsReauthorization() {
		Mailbox mailbox = newMailbox(microsoft);
		String shared = "shared@" + mailbox.tenant().domain();
		microsoft.directory().createUser(mailbox.tenant(), shared);
		// the admin authorized with their own account, which may not open the service's mailbox
		SmtpService service = storedService(mailbox, shared, shared, null);
		authorize(service, mailbox, microsoftApps, mailbox.upn());
		service = current(service);

		DeliveryOutcome.Failed failed = failedOutcome(sending.send(service, OutgoingMail.of(mail(service).build())));
		Failure failure = failed.failure();

		assertThat(failure.smtpReply().code()).isEqualTo(535);
		assertThat(failure.smtpReply().enhancedCode()).isEqualTo("5.7.3");
		assertThat(failure.impact()).isEqualTo(ServiceImpact.NEEDS_REAUTHORIZATION);
		assertThat(failed.authorizationVersion()).isEqualTo(caches.load(service.id()).orElseThrow().version());
		assertThat(marks(service, failed)).isEqualTo(ServiceStatus.NEEDS_REAUTHORIZATION);
	}

	@Test
	void aRevokedGrantFailsTheMailForReauthorizationAndMarksTheService() {
		Mailbox mailbox = newMailbox(shortLived);
		MicrosoftApps apps = shortLivedApps();
		SmtpService service = authorizedService(mailbox, apps);
		shortLived.scenarios().revokeGrants(mailbox.upn());

		DeliveryOutcome.Failed failed = failedOutcome(sendThroughShortLived(apps, service));
		Failure failure = failed.failure();

		assertThat(failure.impact()).isEqualTo(ServiceImpact.NEEDS_REAUTHORIZATION);
		assertThat(failure.error().code()).isEqualTo("AADSTS50173");
		assertThat(failed.stage()).isEqualTo(DeliveryOutcome.Stage.IDENTITY);
		assertThat(marks(service, failed)).isEqualTo(ServiceStatus.NEEDS_REAUTHORIZATION);
	}

	@Test
	void anExpiredClientSecretFailsTheMailAsAConfigurationError() {
		Mailbox mailbox = newMailbox(shortLived);
		MicrosoftApps apps = shortLivedApps();
		SmtpService service = authorizedService(mailbox, apps);
		shortLived.scenarios().expireClientSecret(mailbox.app());

		DeliveryOutcome.Failed failed = failedOutcome(sendThroughShortLived(apps, service));
		Failure failure = failed.failure();

		assertThat(failure.impact()).isEqualTo(ServiceImpact.CONFIGURATION_ERROR);
		assertThat(failure.error().code()).isEqualTo("AADSTS7000222");
		assertThat(marks(service, failed)).isEqualTo(ServiceStatus.CONFIGURATION_ERROR);
	}

	@Test
	void anIdentityOutageIsRetryableAndTheServiceStaysAuthorized() {
		Mailbox mailbox = newMailbox(shortLived);
		MicrosoftApps apps = shortLivedApps();
		SmtpService service = authorizedService(mailbox, apps);
		shortLived.scenarios().identityOutage();

		Failure failure = failed(sendThroughShortLived(apps, service));

		assertThat(failure.retryable()).isTrue();
		assertThat(failure.impact()).isEqualTo(ServiceImpact.NONE);
		assertThat(statusChanges.attemptFailed(service, failure, null, java.time.Instant.now())).isFalse();
		assertThat(statusOf(service)).isEqualTo(ServiceStatus.AUTHORIZED);
	}

	@Test
	void smtpAuthDisabledForTheMailboxIsAConfigurationError() {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = authorizedService(mailbox, microsoftApps);
		microsoft.scenarios().disableSmtpAuth(mailbox.upn());

		Failure failure = failed(sending.send(service, OutgoingMail.of(mail(service).build())));

		assertThat(failure.smtpReply().code()).isEqualTo(535);
		assertThat(failure.error().code()).isEqualTo("5.7.139");
		assertThat(failure.error().category()).isEqualTo(ErrorCategory.CONFIGURATION);
		assertThat(failure.impact()).isEqualTo(ServiceImpact.CONFIGURATION_ERROR);
	}

	@Test
	void sendingAsAnAddressTheMailboxMayNotUseIsASenderError() {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = storedService(mailbox, mailbox.upn(), "news@" + mailbox.tenant().domain(), null);
		authorize(service, mailbox, microsoftApps, mailbox.upn());
		service = current(service);

		Failure failure = failed(sending.send(service, OutgoingMail.of(mail(service).build())));

		assertThat(failure.smtpReply().code()).isEqualTo(550);
		assertThat(failure.error().code()).isEqualTo("5.7.60");
		assertThat(failure.error().category()).isEqualTo(ErrorCategory.SENDER);
	}

	@Test
	void aTransientServerErrorIsRetryableAndKeepsTheConnection() {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = authorizedService(mailbox, microsoftApps);
		microsoft.scenarios().transientFailures(1);

		Failure failure = failed(sending.send(service, OutgoingMail.of(mail(service).build())));
		sent(sending.send(service, OutgoingMail.of(mail(service).build())));

		assertThat(failure.smtpReply().code()).isEqualTo(451);
		assertThat(failure.smtpReply().enhancedCode()).isEqualTo("4.7.0");
		assertThat(failure.retryable()).isTrue();
		assertThat(microsoft.stats().authenticatedSessions(mailbox.upn())).isEqualTo(1);
	}

	@Test
	void exceedingTheSubmissionRateIsThrottling() {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = authorizedService(mailbox, microsoftApps);
		microsoft.scenarios().smtpLimits(SmtpLimits.EXCHANGE_ONLINE.withMessageRate(1, Duration.ofMinutes(1)));
		sent(sending.send(service, OutgoingMail.of(mail(service).build())));

		Failure failure = failed(sending.send(service, OutgoingMail.of(mail(service).build())));

		assertThat(failure.smtpReply().code()).isEqualTo(421);
		assertThat(failure.smtpReply().enhancedCode()).isEqualTo("4.4.2");
		assertThat(failure.error().category()).isEqualTo(ErrorCategory.THROTTLED);
		assertThat(failure.retryable()).isTrue();
	}

	@Test
	void tooManyConnectionsToTheMailboxIsThrottling() {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = authorizedService(mailbox, microsoftApps);
		microsoft.scenarios().smtpLimits(SmtpLimits.EXCHANGE_ONLINE.withConcurrentConnectionsPerMailbox(1));
		try (Sending otherWorker = new Sending(delivery(tokens, sandboxDelivery()))) {
			sent(otherWorker.send(service, OutgoingMail.of(mail(service).build())));

			Failure failure = failed(sending.send(service, OutgoingMail.of(mail(service).build())));

			assertThat(failure.smtpReply().code()).isEqualTo(432);
			assertThat(failure.smtpReply().enhancedCode()).isEqualTo("4.3.2");
			assertThat(failure.error().category()).isEqualTo(ErrorCategory.THROTTLED);
			assertThat(failure.retryable()).isTrue();
		}
	}

	@Test
	void aRefusedRecipientFailsOnlyThatMail() {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = authorizedService(mailbox, microsoftApps);
		microsoft.scenarios().rejectRecipient("gone@customer.example", 550, "5.1.10",
				"RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup");

		Failure failure = failed(sending.send(service, OutgoingMail.of(mail(service).to("gone@customer.example").build())));
		sent(sending.send(service, OutgoingMail.of(mail(service).build())));

		assertThat(failure.error().category()).isEqualTo(ErrorCategory.RECIPIENT);
		assertThat(failure.error().code()).isEqualTo("5.1.10");
		assertThat(failure.retryable()).isFalse();
		assertThat(microsoft.stats().authenticatedSessions(mailbox.upn())).isEqualTo(1);
	}

	private DeliveryOutcome sendThroughShortLived(MicrosoftApps apps, SmtpService service) {
		AccessTokens shortLivedTokens = accessTokens(apps, TokenProperties.defaults());
		try (Sending shortLivedDelivery = new Sending(delivery(shortLivedTokens, sandboxDelivery()))) {
			return shortLivedDelivery.send(service, OutgoingMail.of(mail(service).build()));
		}
	}

	private ReceivedMessage received(String messageId) {
		List<ReceivedMessage> messages = List.copyOf(microsoft.mailbox().messages());
		return messages.stream()
			.filter(m -> m.messageId().filter(messageId::equals).isPresent())
			.findFirst()
			.orElseThrow(() -> new AssertionError("No message " + messageId + " in the sandbox"));
	}

	private static DeliveryOutcome.Sent sent(DeliveryOutcome outcome) {
		assertThat(outcome).as("%s", outcome).isInstanceOf(DeliveryOutcome.Sent.class);
		return (DeliveryOutcome.Sent) outcome;
	}

	private static Failure failed(DeliveryOutcome outcome) {
		return failedOutcome(outcome).failure();
	}

	private static DeliveryOutcome.Failed failedOutcome(DeliveryOutcome outcome) {
		assertThat(outcome).as("%s", outcome).isInstanceOf(DeliveryOutcome.Failed.class);
		return (DeliveryOutcome.Failed) outcome;
	}

	/** What the scheduler does with such a failure: the service's status after it. */
	private ServiceStatus marks(SmtpService service, DeliveryOutcome.Failed failed) {
		statusChanges.attemptFailed(service, failed.failure(), failed.authorizationVersion(), java.time.Instant.now());
		return statusOf(service);
	}

}
