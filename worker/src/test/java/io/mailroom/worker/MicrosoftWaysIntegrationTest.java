package io.mailroom.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SendResult;
import io.mailroom.contracts.SendStatus;
import io.mailroom.core.sandbox.TestMicrosoft;
import io.mailroom.core.services.Access;
import io.mailroom.core.services.ClientCertificate;
import io.mailroom.core.services.MicrosoftOAuth2;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.Transport;
import io.mailroom.core.tokens.ClientCertificates;
import io.mailroom.sandbox.ApplicationPermission;
import io.mailroom.sandbox.ReceivedMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every Microsoft way to send, through Kafka and a worker to the stand-in: delegated or app-only access,
 * secret or certificate, SMTP, Graph, and SMTP falling back to Graph on {@code 535 5.7.139}.
 */
class MicrosoftWaysIntegrationTest extends WorkerIntegrationTest {

	private static final io.mailroom.sandbox.ClientCertificate CERTIFICATE = io.mailroom.sandbox.ClientCertificate
		.create("mailroom-tests", Duration.ofDays(365));

	@Test
	void appOnlyWithASecretSendsOverSmtp() {
		TestMicrosoft.Mailbox mailbox = TestMicrosoft.newMailbox();
		microsoft().directory().grantAppMailboxAccess(mailbox.app(), mailbox.upn());
		SmtpService service = store(mailbox, Access.APPLICATION, Transport.SMTP, false);

		SendResult result = sendAndAwait(service);

		assertThat(result.status()).isEqualTo(SendStatus.SENT);
		ReceivedMessage received = received(result);
		assertThat(received.authenticatedBy()).isEqualTo(mailbox.app().clientId());
		assertThat(received.sessionId()).isNotEqualTo("graph");
		assertThat(result.handover()).isNull();
		assertThat(result.smtpReply().code()).isEqualTo(250);
	}

	@Test
	void appOnlyWithACertificateSendsOverSmtp() {
		TestMicrosoft.Mailbox mailbox = TestMicrosoft.newMailbox();
		microsoft().directory().addCertificate(mailbox.app(), CERTIFICATE.certificate());
		microsoft().directory().grantAppMailboxAccess(mailbox.app(), mailbox.upn());
		SmtpService service = store(mailbox, Access.APPLICATION, Transport.SMTP, true);

		SendResult result = sendAndAwait(service);

		assertThat(result.status()).isEqualTo(SendStatus.SENT);
		assertThat(received(result).authenticatedBy()).isEqualTo(mailbox.app().clientId());
	}

	@Test
	void delegatedWithACertificateSendsOverSmtp() {
		TestMicrosoft.Mailbox mailbox = TestMicrosoft.newMailbox();
		microsoft().directory().addCertificate(mailbox.app(), CERTIFICATE.certificate());
		SmtpService service = store(mailbox, Access.DELEGATED, Transport.SMTP, true);
		TestMicrosoft.authorize(service, microsoftApps, tokenCaches, services);

		SendResult result = sendAndAwait(services.find(service.id()).orElseThrow());

		assertThat(result.status()).isEqualTo(SendStatus.SENT);
		assertThat(received(result).authenticatedBy()).isEqualTo(mailbox.upn());
	}

	@Test
	void appOnlyOverGraphSendsAndTheDeliveryRecordsGraphsAcceptance() {
		TestMicrosoft.Mailbox mailbox = TestMicrosoft.newMailbox();
		microsoft().directory().grantApplicationPermission(mailbox.app(), mailbox.tenant(), ApplicationPermission.MAIL_SEND);
		SmtpService service = store(mailbox, Access.APPLICATION, Transport.GRAPH, false);

		SendResult result = sendAndAwait(service);

		assertThat(result.status()).isEqualTo(SendStatus.SENT);
		assertThat(result.smtpReply()).isNull();
		assertThat(received(result).sessionId()).isEqualTo("graph");
		assertThat(transportOf(result.requestId())).isEqualTo("GRAPH 202 null");
		assertThat(result.handover().transport()).isEqualTo("GRAPH");
		assertThat(result.handover().httpStatus()).isEqualTo(202);
		assertThat(result.handover().fallbackFrom()).isNull();
		assertThat(result.handover().providerRequestId()).isNotBlank();
	}

	@Test
	void delegatedOverGraphSends() {
		TestMicrosoft.Mailbox mailbox = TestMicrosoft.newMailbox();
		SmtpService service = store(mailbox, Access.DELEGATED, Transport.GRAPH, false);
		TestMicrosoft.authorize(service, microsoftApps, tokenCaches, services);

		SendResult result = sendAndAwait(services.find(service.id()).orElseThrow());

		assertThat(result.status()).isEqualTo(SendStatus.SENT);
		ReceivedMessage received = received(result);
		assertThat(received.sessionId()).isEqualTo("graph");
		assertThat(received.authenticatedBy()).isEqualTo(mailbox.upn());
	}

	@Test
	void smtpAuthDisabledFallsBackToGraphAndTheStatusShowsIt() {
		TestMicrosoft.Mailbox mailbox = TestMicrosoft.newMailbox();
		SmtpService service = store(mailbox, Access.DELEGATED, Transport.SMTP_WITH_GRAPH_FALLBACK, false);
		TestMicrosoft.authorize(service, microsoftApps, tokenCaches, services);
		var disabled = microsoft().scenarios().disableSmtpAuth(mailbox.upn());
		try {
			SendResult result = sendAndAwait(services.find(service.id()).orElseThrow());

			assertThat(result.status()).isEqualTo(SendStatus.SENT);
			assertThat(received(result).sessionId()).isEqualTo("graph");
			assertThat(transportOf(result.requestId())).isEqualTo("GRAPH 202 535 5.7.139");
			assertThat(result.handover().fallbackFrom()).isEqualTo("535 5.7.139");
			SmtpService after = services.find(service.id()).orElseThrow();
			assertThat(after.status()).isEqualTo(ServiceStatus.AUTHORIZED);
			assertThat(services.lastFallback(service.id())).get()
				.satisfies(fallback -> assertThat(fallback.reason().code()).isEqualTo("5.7.139"));
		}
		finally {
			disabled.clear();
		}
	}

	@Test
	void appOnlyWithoutMailboxPermissionEndsConfigurationErrorWithThePowerShellInTheHint() {
		TestMicrosoft.Mailbox mailbox = TestMicrosoft.newMailbox();
		microsoft().directory().grantApplicationPermission(mailbox.app(), mailbox.tenant(),
				ApplicationPermission.SMTP_SEND_AS_APP);
		SmtpService service = store(mailbox, Access.APPLICATION, Transport.SMTP, false);
		SendRequest request = mail(service).build();

		publish(request);

		await().atMost(Duration.ofSeconds(30)).until(() -> "HELD".equals(statusOf(request.requestId())));
		SmtpService held = services.find(service.id()).orElseThrow();
		assertThat(held.status()).isEqualTo(ServiceStatus.CONFIGURATION_ERROR);
		assertThat(held.statusReason().code()).isEqualTo("5.7.3");
		assertThat(held.statusReason().hint()).contains("New-ServicePrincipal -AppId " + mailbox.app().clientId(),
				"Enterprise application", "Add-MailboxPermission -Identity " + mailbox.upn(),
				"New-ManagementRoleAssignment -App " + mailbox.app().clientId() + " -Role 'Application SMTP.SendAsApp'",
				"Set-CASMailbox -Identity " + mailbox.upn() + " -SmtpClientAuthenticationDisabled $false");
	}

	/** A service of the mailbox with the given access, transport and credential, AUTHORIZED for app-only. */
	private SmtpService store(TestMicrosoft.Mailbox mailbox, Access access, Transport transport, boolean certificate) {
		UUID id = UUID.randomUUID();
		ClientCertificate stored = null;
		if (certificate) {
			try {
				stored = ClientCertificates.seal(ClientCertificates.fromPem(CERTIFICATE.pem()), id, secrets);
			}
			catch (ClientCertificates.Unusable ex) {
				throw new IllegalStateException(ex);
			}
		}
		MicrosoftOAuth2 oauth2 = new MicrosoftOAuth2(mailbox.upn(), mailbox.app().clientId(),
				certificate ? null : secrets.sealFor(mailbox.app().clientSecret(), SmtpService.secretContext(id, "client_secret")),
				mailbox.tenant().id(), null, access, transport, stored);
		Instant now = Instant.now();
		SmtpService service = new SmtpService(id, "acct-" + UUID.randomUUID(), "Ways", microsoft().smtpHost(),
				microsoft().smtpPort(), mailbox.upn(), null, null, oauth2,
				access == Access.APPLICATION ? ServiceStatus.AUTHORIZED : ServiceStatus.NOT_AUTHORIZED, null, now, null,
				null, null, null, null, null, null, null, now, now, now, 0);
		services.insert(service);
		return services.find(id).orElseThrow();
	}

	private SendResult sendAndAwait(SmtpService service) {
		SendRequest request = mail(service).build();
		publish(request);
		return awaitResult(request.requestId(), Duration.ofSeconds(30));
	}

	private static ReceivedMessage received(SendResult result) {
		return microsoft().mailbox()
			.messages()
			.stream()
			.filter(message -> message.messageId().orElse("").equals(result.messageId()))
			.findFirst()
			.orElseThrow();
	}

	private String transportOf(UUID requestId) {
		return jdbc.sql("select transport || ' ' || http_status || ' ' || coalesce(fallback_reason, 'null') "
				+ "from delivery_transport where request_id = ?").param(requestId).query(String.class).single();
	}

}
