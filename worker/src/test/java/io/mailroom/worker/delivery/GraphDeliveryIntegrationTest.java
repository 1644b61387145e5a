package io.mailroom.worker.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import io.mailroom.contracts.Attachment;
import io.mailroom.contracts.ErrorCategory;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.ServiceImpact;
import io.mailroom.core.services.Access;
import io.mailroom.core.services.MicrosoftOAuth2;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.Transport;
import io.mailroom.sandbox.ApplicationPermission;
import io.mailroom.sandbox.MicrosoftSandbox;
import io.mailroom.sandbox.ReceivedMessage;
import io.mailroom.sandbox.Scenario;
import io.mailroom.worker.tokens.SandboxIntegrationTest;
import io.mailroom.worker.tokens.TestSandboxes;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Microsoft Graph as a transport, against the stand-in's Graph: 202 is acceptance, large mail goes through a
 * draft and an upload session, 429 waits as Graph asks, a 504 is looked up in Sent Items instead of resent, and
 * Graph's refusals are classified with the admin's fix.
 */
class GraphDeliveryIntegrationTest extends SandboxIntegrationTest {

	private final MicrosoftSandbox microsoft = TestSandboxes.microsoft();

	@Autowired
	GraphDelivery graph;

	@Test
	void aMailIsAcceptedWith202AndTheOutcomeSaysSo() {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = appOnlyGraphService(mailbox, mailbox.upn(), ApplicationPermission.MAIL_SEND);

		DeliveryOutcome.Sent sent = sent(graph.send(service, OutgoingMail.of(mail(service).build()), Fence.OPEN));

		assertThat(sent.reply()).isNull();
		assertThat(sent.graph().httpStatus()).isEqualTo(202);
		assertThat(sent.graph().providerRequest()).isNotBlank();
		ReceivedMessage received = received(sent.messageId());
		assertThat(received.sessionId()).isEqualTo("graph");
		assertThat(received.authenticatedBy()).isEqualTo(mailbox.app().clientId());
	}

	@Test
	void aMailOverGraphsRequestLimitGoesThroughADraftAndAnUploadSession() {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = appOnlyGraphService(mailbox, mailbox.upn(), ApplicationPermission.MAIL_SEND,
				ApplicationPermission.MAIL_READ_WRITE);
		byte[] report = new byte[5 * 1024 * 1024];
		Arrays.fill(report, (byte) 'r');

		DeliveryOutcome.Sent sent = sent(graph.send(service, OutgoingMail.of(mail(service)
			.attachment(Attachment.of("report.bin", "application/octet-stream", report))
			.build()), Fence.OPEN));

		ReceivedMessage received = received(sent.messageId());
		assertThat(received.size()).isGreaterThan(report.length);
		assertThat(received.contentAsString()).contains("filename=\"report.bin\"");
	}

	@Test
	void throttlingIsRetriedAfterTheWaitGraphAsksFor() {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = appOnlyGraphService(mailbox, mailbox.upn(), ApplicationPermission.MAIL_SEND);
		Scenario throttled = microsoft.scenarios()
			.graphFailures(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", 1);
		try {
			Failure failure = failed(graph.send(service, OutgoingMail.of(mail(service).build()), Fence.OPEN));

			assertThat(failure.error().category()).isEqualTo(ErrorCategory.THROTTLED);
			assertThat(failure.retryable()).isTrue();
			assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(1));
			assertThat(failure.error().message()).contains("4 requests");
		}
		finally {
			throttled.clear();
		}
	}

	@Test
	void a504IsLookedUpInSentItemsAndCountsAsSentWhenFound() {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = appOnlyGraphService(mailbox, mailbox.upn(), ApplicationPermission.MAIL_SEND,
				ApplicationPermission.MAIL_READ_BASIC_ALL);
		Scenario timeout = microsoft.scenarios().graphTimeoutAfterSending(1);
		try {
			DeliveryOutcome.Sent sent = sent(graph.send(service, OutgoingMail.of(mail(service).build()), Fence.OPEN));

			assertThat(sent.graph().httpStatus()).isEqualTo(504);
			assertThat(microsoft.mailbox().messages().stream().filter(m -> m.messageId().orElse("").equals(sent.messageId())))
				.hasSize(1);
		}
		finally {
			timeout.clear();
		}
	}

	@Test
	void a504ThatCannotBeLookedUpIsReportedUnknownAndNotRetried() {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = appOnlyGraphService(mailbox, mailbox.upn(), ApplicationPermission.MAIL_SEND);
		Scenario timeout = microsoft.scenarios().graphTimeoutAfterSending(1);
		try {
			DeliveryOutcome outcome = graph.send(service, OutgoingMail.of(mail(service).build()), Fence.OPEN);

			Failure failure = failed(outcome);
			assertThat(failure.error().code()).isEqualTo("GRAPH_OUTCOME_UNKNOWN");
			assertThat(failure.retryable()).isFalse();
			assertThat(failure.error().hint()).contains("Sent Items", "Mail.ReadBasic.All");
			assertThat(microsoft.mailbox().messages().stream()
				.filter(m -> m.messageId().orElse("").equals(outcome.messageId()))).hasSize(1);
		}
		finally {
			timeout.clear();
		}
	}

	@Test
	void aFromAddressTheMailboxMayNotSendAsHoldsTheServiceWithSendAsDenied() {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = appOnlyGraphService(mailbox, "billing@" + mailbox.tenant().domain(),
				ApplicationPermission.MAIL_SEND);

		Failure failure = failed(graph.send(service, OutgoingMail.of(mail(service).build()), Fence.OPEN));

		assertThat(failure.error().code()).isEqualTo("ErrorSendAsDenied");
		assertThat(failure.impact()).isEqualTo(ServiceImpact.CONFIGURATION_ERROR);
		assertThat(failure.error().hint()).contains("Add-RecipientPermission", "Verify setup");
	}

	@Test
	void anAppWithoutMailSendGetsThePowerShellOfBothModelsInTheHint() {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = appOnlyGraphService(mailbox, mailbox.upn());

		Failure failure = failed(graph.send(service, OutgoingMail.of(mail(service).build()), Fence.OPEN));

		assertThat(failure.impact()).isEqualTo(ServiceImpact.CONFIGURATION_ERROR);
		assertThat(failure.error().hint()).contains("Mail.Send", "'Application Mail.Send'", mailbox.app().clientId());
	}

	@Test
	void anUnavailableMailboxIsRetriedAndAMailboxWithoutRestApiHoldsTheService() {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = appOnlyGraphService(mailbox, mailbox.upn(), ApplicationPermission.MAIL_SEND);
		Scenario unhealthy = microsoft.scenarios().graphFailures(503, "ResourceUnhealthy", "Service unavailable.", 1);
		Scenario disabled = null;
		try {
			Failure unavailable = failed(graph.send(service, OutgoingMail.of(mail(service).build()), Fence.OPEN));
			disabled = microsoft.scenarios().disableRestApi(mailbox.upn());
			Failure notEnabled = failed(graph.send(service, OutgoingMail.of(mail(service).build()), Fence.OPEN));

			assertThat(unavailable.retryable()).isTrue();
			assertThat(unavailable.error().category()).isEqualTo(ErrorCategory.PROVIDER_OUTAGE);
			assertThat(notEnabled.error().code()).isEqualTo("MailboxNotEnabledForRESTAPI");
			assertThat(notEnabled.impact()).isEqualTo(ServiceImpact.CONFIGURATION_ERROR);
		}
		finally {
			unhealthy.clear();
			if (disabled != null) {
				disabled.clear();
			}
		}
	}

	/** An AUTHORIZED app-only Graph service of the mailbox whose app has these application permissions. */
	private SmtpService appOnlyGraphService(Mailbox mailbox, String fromAddress, ApplicationPermission... permissions) {
		for (ApplicationPermission permission : permissions) {
			microsoft.directory().grantApplicationPermission(mailbox.app(), mailbox.tenant(), permission);
		}
		SmtpService stored = storedService(mailbox, mailbox.upn(), fromAddress, null);
		MicrosoftOAuth2 delegated = stored.microsoft();
		MicrosoftOAuth2 appOnly = new MicrosoftOAuth2(delegated.loginEmail(), delegated.clientId(),
				delegated.clientSecret(), delegated.tenantId(), null, Access.APPLICATION, Transport.GRAPH, null);
		SmtpService service = new SmtpService(stored.id(), stored.accountId(), stored.name(), stored.host(),
				stored.port(), stored.fromAddress(), stored.fromName(), stored.replyTo(), appOnly,
				ServiceStatus.AUTHORIZED, null, Instant.now(), Instant.now(), "app:" + delegated.clientId(), null,
				null, null, null, null, null, stored.secretChangedAt(), stored.createdAt(), Instant.now(),
				stored.version());
		services.update(service);
		return current(service);
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
		assertThat(outcome).as("%s", outcome).isInstanceOf(DeliveryOutcome.Failed.class);
		return ((DeliveryOutcome.Failed) outcome).failure();
	}

}
