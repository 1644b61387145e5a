package io.mailroom.core.services;

import java.util.List;
import java.util.OptionalInt;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.core.failures.AadstsCodes;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.ServiceImpact;

/**
 * What a Microsoft admin must do for a service, written out for that service: the exact PowerShell of both
 * app-only models, turning SMTP AUTH on, and the admin-consent URL when Microsoft asks for admin consent.
 * Plain functions; the api shows them on the service's page, the worker puts them in hints.
 */
public final class MicrosoftGuidance {

	/** AADSTS codes that an admin's tenant-wide consent settles. */
	private static final List<Integer> ADMIN_CONSENT_CODES = List.of(65001, 90094, 90008, 650051, 650052, 7000112);

	private static final String SMTP_AUTH_DOCS = "https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth";

	private MicrosoftGuidance() {
	}

	/**
	 * The Exchange Online PowerShell that gives the service's app access to its mailbox, for both models:
	 * A (application permission + service principal + FullAccess) and B (RBAC for Applications, no API
	 * permission), plus SMTP AUTH for the mailbox when the service sends over SMTP.
	 * @param fromAddress the service's From address: Send As is added when it differs from the mailbox
	 */
	public static String powerShell(MicrosoftOAuth2 oauth2, String fromAddress) {
		boolean smtp = oauth2.transport().usesSmtp();
		boolean graph = oauth2.transport().usesGraph();
		String tenant = oauth2.tenantId() == null ? "<Directory (tenant) ID>" : oauth2.tenantId();
		String mailbox = oauth2.loginEmail();
		String app = oauth2.clientId();
		StringBuilder script = new StringBuilder();
		script.append("# Exchange Online PowerShell, as an Exchange admin of ").append(tenant).append('\n');
		script.append("Connect-ExchangeOnline -Organization ").append(tenant).append('\n');
		script.append("# The service principal: -ObjectId is the Object ID shown under Entra ID > Enterprise applications > ")
			.append(app).append(",\n# NOT the Object ID on the App registrations page (that one fails with 535 5.7.3).\n");
		script.append("New-ServicePrincipal -AppId ").append(app)
			.append(" -ObjectId <Enterprise application Object ID> -DisplayName \"Mailroom\"\n\n");
		script.append("# Model A: an application permission and FullAccess on the mailbox.\n");
		if (smtp) {
			script.append("#   Entra ID > App registrations > the app > API permissions > Add a permission > APIs my organization uses >\n")
				.append("#   Office 365 Exchange Online > Application permissions > SMTP.SendAsApp, then Grant admin consent.\n");
		}
		if (graph) {
			script.append("#   Entra ID > App registrations > the app > API permissions > Microsoft Graph > Application permissions >\n")
				.append("#   Mail.Send, then Grant admin consent (Mail.Send alone reaches every mailbox: prefer model B to scope it).\n");
		}
		script.append("Add-MailboxPermission -Identity ").append(mailbox).append(" -User ").append(app)
			.append(" -AccessRights FullAccess\n");
		if (fromAddress != null && !fromAddress.equalsIgnoreCase(mailbox)) {
			script.append("Add-RecipientPermission ").append(fromAddress).append(" -AccessRights SendAs -Trustee ")
				.append(app).append('\n');
		}
		script.append("\n# Model B: RBAC for Applications, scoped to the mailbox (no API permission on the app).\n");
		script.append("New-DistributionGroup -Name \"Mailroom senders\" -Type Security -Members ").append(mailbox).append('\n');
		script.append("New-ManagementScope -Name \"Mailroom senders\" -RecipientRestrictionFilter \"MemberOfGroup -eq '")
			.append("<DistinguishedName of Mailroom senders>'\"\n");
		if (smtp) {
			script.append("New-ManagementRoleAssignment -App ").append(app)
				.append(" -Role 'Application SMTP.SendAsApp' -CustomResourceScope \"Mailroom senders\"\n");
		}
		if (graph) {
			script.append("New-ManagementRoleAssignment -App ").append(app)
				.append(" -Role 'Application Mail.Send' -CustomResourceScope \"Mailroom senders\"\n");
		}
		if (smtp) {
			script.append("\n# SMTP AUTH must be on for the mailbox (app-only tokens too):\n");
			script.append(enableSmtpAuth(mailbox)).append('\n');
		}
		return script.toString();
	}

	/** {@code Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false}. */
	public static String enableSmtpAuth(String mailbox) {
		return "Set-CASMailbox -Identity " + mailbox + " -SmtpClientAuthenticationDisabled $false";
	}

	/**
	 * Exchange refused an app-only token that was just issued ({@code 535 5.7.3} twice): the app has no
	 * access to the mailbox. Nobody can re-authorize an app; an Exchange admin must run the PowerShell.
	 */
	public static Failure appMailboxAccessMissing(Failure refused, MicrosoftOAuth2 oauth2, String fromAddress) {
		ErrorDetails error = refused.error();
		return new Failure(new ErrorDetails(ErrorCategory.CONFIGURATION, error.code(),
				"Exchange Online refused the app's token for " + oauth2.loginEmail()
						+ ": the app has no access to the mailbox in Exchange (service principal and mailbox permission, "
						+ "or an RBAC role assignment).",
				"Ask your Exchange admin to run, then click Verify setup:\n" + powerShell(oauth2, fromAddress),
				SMTP_AUTH_DOCS, false), refused.smtpReply(), ServiceImpact.CONFIGURATION_ERROR, null);
	}

	/**
	 * An identity platform failure of an app-only token call, for the admin of an app: there is no user to
	 * authorize again, so "re-authorize" becomes a configuration problem, and consent problems point at the
	 * admin-consent URL.
	 */
	public static Failure forAppOnly(Failure failure, MicrosoftOAuth2 oauth2, String adminConsentUrl) {
		Failure adjusted = failure.impact() == ServiceImpact.NEEDS_REAUTHORIZATION
				? failure.withImpact(ServiceImpact.CONFIGURATION_ERROR) : failure;
		return withAdminConsentHint(adjusted, adminConsentUrl);
	}

	/** The failure with the admin-consent URL in its hint when Microsoft answered that admin consent is needed. */
	public static Failure withAdminConsentHint(Failure failure, String adminConsentUrl) {
		if (!needsAdminConsent(failure.error())) {
			return failure;
		}
		ErrorDetails error = failure.error();
		return new Failure(new ErrorDetails(error.category(), error.code(), error.message(),
				"An admin of the organization must grant the app's permissions: open " + adminConsentUrl
						+ " signed in as a Global or Privileged Role Administrator, accept, then click Verify setup.",
				error.helpUrl(), error.retryable()), failure.smtpReply(), failure.impact(), failure.retryAfter());
	}

	/** Whether the error is one that an admin's consent settles (AADSTS65001, 90094, …). */
	public static boolean needsAdminConsent(ErrorDetails error) {
		if (error == null || error.code() == null) {
			return false;
		}
		OptionalInt code = AadstsCodes.find(error.code());
		return code.isPresent() && ADMIN_CONSENT_CODES.contains(code.getAsInt());
	}

}
