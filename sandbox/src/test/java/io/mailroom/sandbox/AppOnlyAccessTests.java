package io.mailroom.sandbox;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalServiceException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * App-only access as Exchange Online and the identity platform handle it: certificate credentials
 * ({@code private_key_jwt}) from MSAL4J, {@code roles} in client-credentials tokens, both Exchange permission
 * models, the usual mistakes and their real replies, and admin consent.
 */
class AppOnlyAccessTests {

	private static final String EXCHANGE = "https://outlook.office365.com";

	private static final ClientCertificate CERTIFICATE = ClientCertificate.create("mailroom-app", Duration.ofDays(365));

	private MicrosoftSandbox sandbox;

	private Tenant contoso;

	private AppRegistration app;

	@BeforeEach
	void startSandbox() {
		this.sandbox = MicrosoftSandbox.start();
		this.contoso = this.sandbox.directory().createTenant("contoso.com");
		this.app = this.sandbox.directory().registerApp(this.contoso, false, "https://mailroom.test/consent");
		this.sandbox.directory().createUser(this.contoso, "alice@contoso.com");
		this.sandbox.directory().createUser(this.contoso, "bob@contoso.com");
	}

	@AfterEach
	void stopSandbox() {
		this.sandbox.close();
	}

	@Test
	void msalCertificateAssertionGetsATokenWithRolesThatSendsAsTheMailbox() throws Exception {
		this.sandbox.directory().addCertificate(this.app, CERTIFICATE.certificate());
		this.sandbox.directory().grantAppMailboxAccess(this.app, "alice@contoso.com");

		IAuthenticationResult result = appToken(
				ClientCredentialFactory.createFromCertificate(CERTIFICATE.privateKey(), CERTIFICATE.certificate()));

		Map<String, Object> claims = Clients.claims(result.accessToken());
		assertThat(claims).containsEntry("aud", EXCHANGE).containsEntry("roles", List.of("SMTP.SendAsApp"))
			.containsEntry("tid", this.contoso.id()).containsEntry("appid", this.app.clientId())
			.containsEntry("idtyp", "app").doesNotContainKey("scp");
		try (SMTPTransport transport = Clients.connect(this.sandbox, "alice@contoso.com", result.accessToken())) {
			Clients.send(transport, Clients.message(transport, "alice@contoso.com", "x@example.org", "Certificate"));
		}
		assertThat(this.sandbox.mailbox().latest().orElseThrow().authenticatedBy()).isEqualTo(this.app.clientId());
	}

	@Test
	void assertionSignedWithAnUnregisteredCertificateIsRefusedWith700027() {
		ClientCertificate other = ClientCertificate.create("not-uploaded", Duration.ofDays(30));

		assertThatThrownBy(() -> appToken(
				ClientCredentialFactory.createFromCertificate(other.privateKey(), other.certificate())))
			.cause()
			.isInstanceOf(MsalServiceException.class)
			.hasMessageContaining("AADSTS700027")
			.hasMessageContaining("The key was not found");
	}

	@Test
	void assertionSignedWithAnExpiredCertificateIsRefused() {
		ClientCertificate expired = ClientCertificate.create("expired", Instant.now().minus(Duration.ofDays(400)),
				Instant.now().minus(Duration.ofDays(1)));
		this.sandbox.directory().addCertificate(this.app, expired.certificate());

		assertThatThrownBy(() -> appToken(
				ClientCredentialFactory.createFromCertificate(expired.privateKey(), expired.certificate())))
			.cause()
			.isInstanceOf(MsalServiceException.class)
			.hasMessageContaining("AADSTS700027")
			.hasMessageContaining("expired");
	}

	@Test
	void servicePrincipalMadeWithTheAppRegistrationsObjectIdFailsAuthenticationWith535_573() throws Exception {
		this.sandbox.directory().grantApplicationPermission(this.app, this.contoso, ApplicationPermission.SMTP_SEND_AS_APP);
		this.sandbox.directory().newServicePrincipal(this.app, this.contoso, this.app.objectId());
		this.sandbox.directory().addMailboxPermission("alice@contoso.com", this.app);
		String token = Clients.appToken(this.sandbox, this.contoso, this.app, EXCHANGE);

		assertThatThrownBy(() -> Clients.connect(this.sandbox, "alice@contoso.com", token).close())
			.hasMessageContaining("535 5.7.3 Authentication unsuccessful");

		this.sandbox.directory()
			.newServicePrincipal(this.app, this.contoso,
					this.sandbox.directory().enterpriseApplicationObjectId(this.app, this.contoso));
		Clients.connect(this.sandbox, "alice@contoso.com", token).close();
	}

	@Test
	void missingMailboxPermissionFailsWith535_573AndOnlyTheGrantedMailboxOpens() throws Exception {
		this.sandbox.directory().grantAppMailboxAccess(this.app, "alice@contoso.com");
		String token = Clients.appToken(this.sandbox, this.contoso, this.app, EXCHANGE);

		assertThatThrownBy(() -> Clients.connect(this.sandbox, "bob@contoso.com", token).close())
			.hasMessageContaining("535 5.7.3");
		this.sandbox.directory().removeMailboxPermission("alice@contoso.com", this.app);
		assertThatThrownBy(() -> Clients.connect(this.sandbox, "alice@contoso.com", token).close())
			.hasMessageContaining("535 5.7.3");
	}

	@Test
	void rbacForApplicationsSendsWithoutAnyApiPermissionForTheScopedMailboxesOnly() throws Exception {
		this.sandbox.directory()
			.newServicePrincipal(this.app, this.contoso,
					this.sandbox.directory().enterpriseApplicationObjectId(this.app, this.contoso));
		this.sandbox.directory().assignApplicationRole(this.app, ApplicationRole.SMTP_SEND_AS_APP, "alice@contoso.com");
		String token = Clients.appToken(this.sandbox, this.contoso, this.app, EXCHANGE);

		assertThat(Clients.claims(token)).doesNotContainKey("roles");
		Clients.connect(this.sandbox, "alice@contoso.com", token).close();
		assertThatThrownBy(() -> Clients.connect(this.sandbox, "bob@contoso.com", token).close())
			.hasMessageContaining("535 5.7.3");
	}

	@Test
	void smtpAuthDisabledForTheMailboxStillAnswers5_7_139ToAnAppOnlyToken() {
		this.sandbox.directory().grantAppMailboxAccess(this.app, "alice@contoso.com");
		this.sandbox.scenarios().disableSmtpAuth("alice@contoso.com");
		String token = Clients.appToken(this.sandbox, this.contoso, this.app, EXCHANGE);

		assertThatThrownBy(() -> Clients.connect(this.sandbox, "alice@contoso.com", token).close())
			.hasMessageContaining("535 5.7.139");
	}

	@Test
	void adminConsentGrantsTheListedApplicationPermissionsAndReturnsToTheApp() {
		this.sandbox.directory().requestApplicationPermission(this.app, ApplicationPermission.SMTP_SEND_AS_APP);
		this.sandbox.directory().createUser(this.contoso, "admin@contoso.com");
		this.sandbox.directory().makeAdmin("admin@contoso.com");
		assertThat(Clients.claims(Clients.appToken(this.sandbox, this.contoso, this.app, EXCHANGE))).doesNotContainKey("roles");

		URI back = this.sandbox.adminConsent(adminConsentUrl(), "admin@contoso.com", Consent.ACCEPT);

		assertThat(back.toString()).startsWith("https://mailroom.test/consent?")
			.contains("admin_consent=True", "tenant=" + this.contoso.id(), "state=s1");
		assertThat(Clients.claims(Clients.appToken(this.sandbox, this.contoso, this.app, EXCHANGE)))
			.containsEntry("roles", List.of("SMTP.SendAsApp"));
	}

	@Test
	void adminConsentByAUserWhoIsNotAnAdminEndsOnTheAdminConsentRequiredPage() {
		this.sandbox.directory().requestApplicationPermission(this.app, ApplicationPermission.SMTP_SEND_AS_APP);

		assertThatThrownBy(() -> this.sandbox.adminConsent(adminConsentUrl(), "alice@contoso.com", Consent.ACCEPT))
			.isInstanceOfSatisfying(SignInFailed.class, (failed) -> assertThat(failed.aadsts()).isEqualTo(90094));
		URI declined = this.sandbox.adminConsent(adminConsentUrl(), "alice@contoso.com", Consent.DECLINE);
		assertThat(declined.toString()).contains("error=access_denied", "AADSTS65004");
	}

	private URI adminConsentUrl() {
		Map<String, String> query = new LinkedHashMap<>();
		query.put("client_id", this.app.clientId());
		query.put("redirect_uri", "https://mailroom.test/consent");
		query.put("scope", EXCHANGE + "/.default");
		query.put("state", "s1");
		return URI.create(this.sandbox.authority(this.contoso) + "v2.0/adminconsent?" + Http.encode(query));
	}

	private IAuthenticationResult appToken(IClientCredential credential) throws Exception {
		ConfidentialClientApplication msal = ConfidentialClientApplication.builder(this.app.clientId(), credential)
			.authority(this.sandbox.authority(this.contoso))
			.instanceDiscovery(false)
			.sslSocketFactory(this.sandbox.tls().sslSocketFactory())
			.build();
		return msal.acquireToken(ClientCredentialParameters.builder(Set.of(EXCHANGE + "/.default")).build()).get();
	}

}
