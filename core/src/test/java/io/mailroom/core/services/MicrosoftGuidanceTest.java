package io.mailroom.core.services;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.core.failures.ServiceImpact;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin's fixes, written out for the service. */
class MicrosoftGuidanceTest {

	private static final String APP = "2f1c7a52-9a53-4d52-8b0f-3e1f3c1d2a77";

	private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

	@Test
	void powerShellOfAnSmtpServiceCoversBothModelsSendAsAndSmtpAuth() {
		String script = MicrosoftGuidance.powerShell(appOnly(Transport.SMTP), "billing@contoso.com");

		assertThat(script).contains("Connect-ExchangeOnline -Organization " + TENANT,
				"New-ServicePrincipal -AppId " + APP + " -ObjectId <Enterprise application Object ID>",
				"NOT the Object ID on the App registrations page",
				"Add-MailboxPermission -Identity support@contoso.com -User " + APP + " -AccessRights FullAccess",
				"Add-RecipientPermission billing@contoso.com -AccessRights SendAs -Trustee " + APP,
				"New-ManagementScope", "-Role 'Application SMTP.SendAsApp'",
				"Set-CASMailbox -Identity support@contoso.com -SmtpClientAuthenticationDisabled $false")
			.doesNotContain("Application Mail.Send");
	}

	@Test
	void powerShellOfAGraphServiceAssignsMailSendAndLeavesSmtpAuthAlone() {
		String script = MicrosoftGuidance.powerShell(appOnly(Transport.GRAPH), "support@contoso.com");

		assertThat(script).contains("-Role 'Application Mail.Send'", "Microsoft Graph > Application permissions")
			.doesNotContain("Set-CASMailbox", "Add-RecipientPermission");
	}

	@Test
	void anAppOnlyConsentFailureHoldsTheServiceAndPointsAtTheAdminConsentUrl() {
		Failure consent = Failures.identity("invalid_grant", 65001, "AADSTS65001: consent", 400);

		Failure forApp = MicrosoftGuidance.forAppOnly(consent, appOnly(Transport.SMTP), "https://login.test/consent");

		assertThat(consent.impact()).isEqualTo(ServiceImpact.NEEDS_REAUTHORIZATION);
		assertThat(forApp.impact()).isEqualTo(ServiceImpact.CONFIGURATION_ERROR);
		assertThat(forApp.error().hint()).contains("https://login.test/consent", "Verify setup");
		assertThat(MicrosoftGuidance.needsAdminConsent(new ErrorDetails(ErrorCategory.AUTHORIZATION, "AADSTS90094",
				"", "", null, false))).isTrue();
		assertThat(MicrosoftGuidance.needsAdminConsent(new ErrorDetails(ErrorCategory.AUTHORIZATION, "AADSTS70008",
				"", "", null, false))).isFalse();
	}

	private static MicrosoftOAuth2 appOnly(Transport transport) {
		return new MicrosoftOAuth2("support@contoso.com", APP, null, TENANT, null, Access.APPLICATION, transport, null);
	}

}
