package io.mailroom.core.failures;

/**
 * Microsoft's pages for the codes in the catalogue. Short {@code aka.ms} links are the ones Exchange Online
 * itself puts in its replies; the others are the articles Microsoft links from its NDR overview.
 */
final class HelpUrls {

	/** Microsoft's NDR articles; older {@code /exchange/troubleshoot/...} paths redirect to the current ones. */
	private static final String NDR = "https://learn.microsoft.com/exchange/troubleshoot/email-delivery/ndr/";

	private static final String EXCHANGE_ONLINE_LIMITS = "https://learn.microsoft.com/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits";

	static final String NDR_OVERVIEW = NDR + "non-delivery-reports-in-exchange-online";

	static final String NDR_5_1_1 = NDR + "fix-error-code-550-5-1-1-through-5-1-20-in-exchange-online";

	static final String NDR_5_1_8 = NDR + "fix-error-code-5-1-8-in-exchange-online";

	static final String NDR_5_1_10 = NDR + "fix-error-code-550-5-1-10-in-exchange-online";

	static final String NDR_5_4_1 = NDR + "fix-error-code-550-5-4-1-in-exchange-online";

	static final String NDR_5_7_1 = NDR + "fix-error-code-550-5-7-1-in-exchange-online";

	static final String NDR_5_7_57 = NDR + "fix-error-code-5-7-57-in-exchange-online";

	static final String NDR_5_7_7XX = NDR + "fix-error-code-5-7-700-through-5-7-750";

	static final String NDR_ASXXX = NDR + "fix-error-code-451-4-7-500-699-asxxx-in-exchange-online";

	static final String SUBMISSION_QUOTA = NDR + "fix-error-for-submission-quota-exceeded-in-exchange-online";

	/** Concurrent connections, the mailbox-full replies and the daily recipient limit of SMTP AUTH. */
	static final String SMTP_SUBMISSION_LIMITS = "https://learn.microsoft.com/exchange/troubleshoot/send-emails/smtp-submission-improvements";

	static final String CONCURRENT_SENDING = "https://aka.ms/concurrent_sending";

	static final String CONTINUOUS_ERROR_THROTTLING = "https://learn.microsoft.com/exchange/mail-flow-best-practices/continuous-error-throttling-smtp-auth-submissions";

	static final String SMTP_AUTH_DISABLED = "https://aka.ms/smtp_auth_disabled";

	static final String SMTP_AUTH_TLS = "https://aka.ms/smtp_auth_tls";

	static final String SMTP_OAUTH = "https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth";

	/** Troubleshooting for applications that send through smtp.office365.com (5.7.60, 5.7.139 variants…). */
	static final String APPLICATIONS_SENDING_MAIL = "https://learn.microsoft.com/exchange/troubleshoot/email-delivery/fix-issues-with-printers-scanners-and-lob-applications-that-send-email-using-off";

	/** Host, port and TLS settings for SMTP client submission. */
	static final String SMTP_SETTINGS = "https://learn.microsoft.com/exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device-or-application-to-send-email-using-microsoft-365-or-office-365";

	static final String BASIC_AUTH_RETIREMENT = "https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/deprecation-of-basic-authentication-exchange-online";

	static final String SECURITY_DEFAULTS = "https://learn.microsoft.com/entra/fundamentals/security-defaults";

	static final String SEND_AS = "https://learn.microsoft.com/exchange/recipients-in-exchange-online/manage-permissions-for-recipients";

	static final String SENDING_LIMITS = EXCHANGE_ONLINE_LIMITS + "#sending-limits";

	static final String MESSAGE_LIMITS = EXCHANGE_ONLINE_LIMITS + "#message-limits";

	static final String SERVICE_HEALTH = "https://learn.microsoft.com/microsoft-365/enterprise/view-service-health";

	static final String IDENTITY_ERROR_CODES = "https://learn.microsoft.com/entra/identity-platform/reference-error-codes";

	/** Microsoft's lookup page for one AADSTS code; the code is appended. */
	static final String IDENTITY_ERROR_LOOKUP = "https://login.microsoftonline.com/error?code=";

	private HelpUrls() {
	}

	/** Gmail's SMTP replies, with what each means (Google Workspace Admin Help). */
	static final String GMAIL_SMTP_ERRORS = "https://support.google.com/a/answer/3726730";

	/** Gmail's sending limits: 2,000 messages a day per user, 500 for trial accounts, over a rolling 24 hours. */
	static final String GMAIL_SENDING_LIMITS = "https://support.google.com/a/answer/166852";

	/** The XOAUTH2 mechanism as Gmail speaks it, with its error challenge. */
	static final String GMAIL_XOAUTH2 = "https://developers.google.com/workspace/gmail/imap/xoauth2-protocol";

	/** Gmail's page for a refused sign-in ({@code 535-5.7.8}). */
	static final String GMAIL_BAD_CREDENTIALS = "https://support.google.com/mail/?p=BadCredentials";

	/** Gmail's page for an account that needs an app password ({@code 534-5.7.9}). */
	static final String GMAIL_APP_PASSWORD = "https://support.google.com/mail/?p=InvalidSecondFactor";

	/** Why Google refresh tokens stop working, the 7-day expiry of External apps in Testing among them. */
	static final String GOOGLE_REFRESH_TOKEN_EXPIRY = "https://developers.google.com/identity/protocols/oauth2#expiration";

	/** Domain-wide delegation in the Google Admin console. */
	static final String GOOGLE_DOMAIN_WIDE_DELEGATION = "https://support.google.com/a/answer/162106";

	/** Google's OAuth 2.0 documentation for web server apps (errors of the authorization and token endpoints). */
	static final String GOOGLE_OAUTH_WEB_SERVER = "https://developers.google.com/identity/protocols/oauth2/web-server";

	/** Which third-party apps may access Workspace data (Admin console > Security > API controls). */
	static final String GOOGLE_THIRD_PARTY_APPS = "https://support.google.com/a/answer/7281227";

	/** Google Workspace Status Dashboard. */
	static final String GOOGLE_STATUS = "https://www.google.com/appsstatus/dashboard/";

}
