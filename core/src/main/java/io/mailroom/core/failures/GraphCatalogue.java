package io.mailroom.core.failures;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.mailroom.contracts.ErrorCategory;

import static io.mailroom.contracts.ErrorCategory.AUTHORIZATION;
import static io.mailroom.contracts.ErrorCategory.CONFIGURATION;
import static io.mailroom.contracts.ErrorCategory.CONTENT;
import static io.mailroom.contracts.ErrorCategory.PROVIDER_OUTAGE;
import static io.mailroom.contracts.ErrorCategory.QUOTA;
import static io.mailroom.contracts.ErrorCategory.RECIPIENT;
import static io.mailroom.contracts.ErrorCategory.THROTTLED;
import static io.mailroom.core.failures.Outcome.fails;
import static io.mailroom.core.failures.Outcome.holdsService;
import static io.mailroom.core.failures.Outcome.refreshTokenOnce;
import static io.mailroom.core.failures.Outcome.retries;

/**
 * Microsoft Graph's answers to {@code sendMail} and its draft and upload calls (PROVIDERS.md, "Microsoft
 * Graph sendMail"), by HTTP status and {@code error.code}. Rows are tried in order, first match wins;
 * unlisted answers fall back on their status: 4xx fails the mail, 5xx is retried.
 */
final class GraphCatalogue {

	private static final String SEND_MAIL = "https://learn.microsoft.com/graph/api/user-sendmail";

	private static final String THROTTLING = "https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits";

	private static final String LARGE_ATTACHMENTS = "https://learn.microsoft.com/graph/outlook-large-attachments";

	private static final String RBAC = "https://learn.microsoft.com/exchange/permissions-exo/application-rbac";

	private record Row(Integer status, String code, String text, Outcome outcome, String message, String hint,
			String helpUrl) {

		boolean matches(int httpStatus, String errorCode, String errorMessage) {
			return (status == null || status == httpStatus)
					&& (code == null || code.equalsIgnoreCase(errorCode))
					&& (text == null || errorMessage.toLowerCase(Locale.ROOT).contains(text));
		}

	}

	private static final List<Row> ROWS = List.of(
			new Row(429, null, "mailboxconcurrency", retries(THROTTLED),
					"Microsoft Graph refused a request because this app already had 4 requests running for the mailbox.",
					"Nothing to do: Mailroom keeps to 4 at a time per app and mailbox and retries after the wait Graph asks for.",
					THROTTLING),
			new Row(429, null, null, retries(THROTTLED),
					"Microsoft Graph is throttling this app for the mailbox (10,000 requests per 10 minutes, 150 MB of "
							+ "uploads per 5 minutes).",
					"Nothing to do: Mailroom waits as long as Graph's Retry-After asks and sends again.", THROTTLING),
			new Row(null, "InvalidAuthenticationToken", null, refreshTokenOnce(),
					"Microsoft Graph did not accept Mailroom's access token.",
					"Click Verify setup: it shows whether the token is for Microsoft Graph and carries Mail.Send.", SEND_MAIL),
			new Row(403, "ErrorSendAsDenied", null, holdsService(CONFIGURATION),
					"Microsoft Graph refused to send with this From address: the mailbox may not send as it.",
					"Set the service's From address to the login email, or ask your Exchange admin for Send As: "
							+ "Add-RecipientPermission <From address> -AccessRights SendAs -Trustee <login email>; "
							+ "then click Verify setup.",
					SEND_MAIL),
			new Row(403, null, null, holdsService(CONFIGURATION),
					"Microsoft Graph denied the app access to the mailbox.",
					"Give the app Mail.Send for this mailbox (delegated: the signed-in user's own mailbox or "
							+ "Mail.Send.Shared; application: Mail.Send with admin consent, or RBAC for Applications "
							+ "'Application Mail.Send' scoped to the mailbox), then click Verify setup.",
					RBAC),
			new Row(null, "MailboxNotEnabledForRESTAPI", null, holdsService(CONFIGURATION),
					"Microsoft Graph cannot send from this mailbox: it is inactive, soft-deleted, on-premises or a guest.",
					"Use a licensed Exchange Online mailbox as the login email (or send over SMTP), then click Verify setup.",
					SEND_MAIL),
			new Row(null, "ErrorMailboxNotEnabledForRESTAPI", null, holdsService(CONFIGURATION),
					"Microsoft Graph cannot send from this mailbox: it is inactive, soft-deleted, on-premises or a guest.",
					"Use a licensed Exchange Online mailbox as the login email (or send over SMTP), then click Verify setup.",
					SEND_MAIL),
			new Row(404, "ErrorInvalidUser", null, holdsService(CONFIGURATION),
					"Microsoft Graph knows no mailbox by the service's login email.",
					"Check the login email: it must be a mailbox of the app's tenant; then click Verify setup.", SEND_MAIL),
			new Row(413, null, null, fails(CONTENT), "The message is too large for one Microsoft Graph request.",
					"Nothing to do for this mail if it is under 150 MB: Mailroom sends large mail through an upload "
							+ "session; otherwise make it smaller.",
					LARGE_ATTACHMENTS),
			new Row(null, "ErrorMessageSizeExceeded", null, fails(CONTENT),
					"The message is larger than the mailbox may send.",
					"Make the message smaller, for example by linking to large files instead of attaching them.",
					LARGE_ATTACHMENTS),
			new Row(null, "ErrorInvalidRecipients", null, fails(RECIPIENT),
					"Microsoft Graph found no valid recipient in the message.",
					"Check the recipients' addresses in the request.", SEND_MAIL),
			new Row(null, "ErrorMimeContentInvalidBase64String", null, fails(CONTENT),
					"Microsoft Graph could not read the message Mailroom sent.",
					"Nothing to fix on your side: report it to Mailroom's operators with the request ID.", SEND_MAIL),
			new Row(null, "ErrorQuotaExceeded", null, fails(QUOTA), "The mailbox is over its storage quota.",
					"Ask your Exchange admin to free space in the mailbox (Sent Items keeps a copy of every mail).",
					SEND_MAIL),
			new Row(503, null, null, retries(PROVIDER_OUTAGE),
					"Microsoft Graph is temporarily unavailable for this mailbox.",
					"Nothing to do: Mailroom retries automatically, and if it lasts, Service health in the Microsoft 365 "
							+ "admin center shows whether there is an incident.",
					THROTTLING));

	private GraphCatalogue() {
	}

	static Failure classify(int status, String code, String message, Duration retryAfter) {
		String errorCode = code == null ? "" : code;
		String text = message == null ? "" : message;
		String reported = errorCode.isEmpty() ? "HTTP_" + status : errorCode;
		for (Row row : ROWS) {
			if (row.matches(status, errorCode, text)) {
				Outcome outcome = row.outcome();
				if (retryAfter != null && outcome.retryable()) {
					outcome = Outcome.retriesAfter(outcome.category(), retryAfter);
				}
				return outcome.failure(reported, row.message(), row.hint(), row.helpUrl(), null);
			}
		}
		ErrorCategory category = status >= 500 ? PROVIDER_OUTAGE : status == 401 ? AUTHORIZATION : CONTENT;
		Outcome outcome = status >= 500 ? retries(category) : fails(category);
		return outcome.failure(reported, "Microsoft Graph answered " + status + (errorCode.isEmpty() ? "" : " " + errorCode) + ".",
				status >= 500 ? "Nothing to do: Mailroom retries automatically."
						: "Check the message and the service's setup; Verify setup shows what Graph accepts.",
				SEND_MAIL, null);
	}

}
