package io.mailroom.core.failures;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.mailroom.contracts.SmtpReply;

import static io.mailroom.contracts.ErrorCategory.AUTHORIZATION;
import static io.mailroom.contracts.ErrorCategory.CONFIGURATION;
import static io.mailroom.contracts.ErrorCategory.CONTENT;
import static io.mailroom.contracts.ErrorCategory.NETWORK;
import static io.mailroom.contracts.ErrorCategory.PROVIDER_OUTAGE;
import static io.mailroom.contracts.ErrorCategory.QUOTA;
import static io.mailroom.contracts.ErrorCategory.RECIPIENT;
import static io.mailroom.contracts.ErrorCategory.SENDER;
import static io.mailroom.contracts.ErrorCategory.THROTTLED;
import static io.mailroom.contracts.ErrorCategory.UNKNOWN;
import static io.mailroom.core.failures.Outcome.fails;
import static io.mailroom.core.failures.Outcome.holdsService;
import static io.mailroom.core.failures.Outcome.refreshTokenOnce;
import static io.mailroom.core.failures.Outcome.retries;
import static io.mailroom.core.failures.Outcome.retriesAfter;

/**
 * Exchange Online's SMTP submission replies (MICROSOFT-FACTS section 4) and what each means for Mailroom.
 *
 * <p>Rows are tried in order, first match wins: a reply text variant before its enhanced code's general
 * row, enhanced codes before bare reply codes. Unlisted codes fall back on their RFC 3463 class and
 * subject, or on the RFC 5321 reply code when the server sent no enhanced code.
 *
 * <p>{@link Outcome#holdsService} marks what will fail for every mail of the service until an admin acts
 * (SMTP AUTH off, no Send As permission, a blocked mailbox): holding the mail is kinder than failing
 * thousands of them, and for Microsoft's continuous error throttling, resending would only prolong the
 * block.
 */
final class SmtpCatalogue {

	private static final String SEND_AS_HINT = "Set the service's From address to the login email (saving checks the "
			+ "service again and sends the held mail), or ask your Exchange admin to give the login mailbox Send As "
			+ "permission on the From address (Exchange admin center > Recipients > Mailboxes > Delegation) and click "
			+ "Verify setup.";

	private static final String NOT_SIGNED_IN_HINT = "Make sure the service signs in (Microsoft OAuth2 for "
			+ "Microsoft 365) over port 587 with STARTTLS, and if it already does, authorize the service again.";

	private static final String BLOCK_ENDS = "; Exchange Online lifts the block after a period it decides, and "
			+ "only another mailbox can send sooner.";

	private static final String OUTAGE_HINT = "Nothing to do: Mailroom retries automatically, and if it lasts, "
			+ "Service health in the Microsoft 365 admin center shows whether Exchange Online has an incident.";

	private static final String TOO_LARGE_HINT = "Make the message smaller, for example by linking to large files "
			+ "instead of attaching them (attachments grow by about a third when encoded).";

	private static final String DAILY_LIMIT_HINT = "Mailroom sends again when the rolling 24-hour window frees up; "
			+ "if this mailbox did not send that much, ask your admin to check whether the account is compromised.";

	private static final String GMAIL_DAILY_LIMIT_HINT = "Nothing to do: Mailroom holds the mail and sends it when the "
			+ "rolling 24-hour window frees up; for more, spread the mail over several mailboxes, or lower the "
			+ "service's messages a day if the account is a trial (500) or consumer Gmail account.";

	private static final List<Row> ROWS = List.of(
			// Gmail (smtp.gmail.com). Its texts are distinct from Exchange's, so its rows come first.
			// XOAUTH2 error challenge: base64 of {"status":"400"|"401","schemes":"Bearer","scope":"https://mail.google.com/"}
			row(reply(334), refreshTokenOnce(),
					"Gmail did not accept Mailroom's access token for the login email.",
					"Authorize the service again signed in as the login email; for a service account, check that the "
							+ "Workspace admin allowed its client ID for https://mail.google.com/ under domain-wide "
							+ "delegation.",
					HelpUrls.GMAIL_XOAUTH2),
			row(code("5.7.8"), refreshTokenOnce(), "Gmail did not accept the sign-in of the login email.",
					"Authorize the service again signed in as the login email (for a password service, use Google "
							+ "OAuth2 instead: Google no longer accepts account passwords over SMTP).",
					HelpUrls.GMAIL_BAD_CREDENTIALS),
			row(code("5.7.9"), holdsService(CONFIGURATION),
					"Gmail refuses the account's password because the account uses 2-Step Verification.",
					"Switch the service to OAuth2 with provider Google and authorize it, which needs no password.",
					HelpUrls.GMAIL_APP_PASSWORD),
			row(code("5.7.14"), holdsService(CONFIGURATION),
					"Google blocked the sign-in of the login email and wants its user to sign in with a browser.",
					"Have the login email's user sign in at mail.google.com once, then click Verify setup.",
					HelpUrls.GMAIL_SMTP_ERRORS),
			row(code("5.7.0").text("Authentication Required"), holdsService(CONFIGURATION),
					"Gmail requires a sign-in before it takes mail.",
					"Use OAuth2 with provider Google on smtp.gmail.com port 587 (STARTTLS) or 465, and authorize the "
							+ "service.",
					HelpUrls.GMAIL_SMTP_ERRORS),
			row(code("4.7.0").text("Too many login attempts"), retriesAfter(THROTTLED, Duration.ofMinutes(5)),
					"Gmail refused new sign-ins of the login email for a while: there were too many.",
					"Nothing to do: Mailroom keeps its sessions open and signs in again after a pause; if another "
							+ "program signs in as this mailbox in a loop, stop it.",
					HelpUrls.GMAIL_SMTP_ERRORS),
			row(code("4.7.0").text("Try again later, closing connection"), retriesAfter(THROTTLED, Duration.ofMinutes(1)),
					"Gmail asked Mailroom to try again later and closed the connection.",
					"Nothing to do: Mailroom retries after a pause; if it lasts, the Google Workspace Status Dashboard "
							+ "shows whether Gmail has an incident.",
					HelpUrls.GMAIL_SMTP_ERRORS),
			row(code("5.4.5"), retriesAfter(QUOTA, Duration.ofHours(24)),
					"The mailbox reached Gmail's daily sending limit (2,000 messages in a rolling 24 hours for "
							+ "Google Workspace, fewer for trial and consumer accounts).",
					GMAIL_DAILY_LIMIT_HINT, HelpUrls.GMAIL_SENDING_LIMITS),
			row(code("5.7.0").text("blocked because its content", "security issue"), fails(CONTENT),
					"Gmail blocked the message because of its content (a possible security issue, such as an "
							+ "attachment type it refuses).",
					"Change the message: Gmail refuses executables and some archives as attachments; link to such "
							+ "files instead.",
					HelpUrls.GMAIL_SMTP_ERRORS),
			// Authentication (AUTH XOAUTH2). 5.7.3 is what a stale token gets, so one forced refresh comes first.
			row(code("5.7.3"), refreshTokenOnce(),
					"Exchange Online did not accept Mailroom's access token for the login email.",
					"Authorize the service again, signed in as the login email's own user (not an admin signing in "
							+ "for it) and check that the app registration has the delegated permission SMTP.Send; "
							+ "for app-only access the app also needs an Exchange service principal with FullAccess "
							+ "on the mailbox.",
					HelpUrls.SMTP_OAUTH),
			// 5.7.139 carries the real reason in its text; the mailbox setting wins over the tenant's (S13).
			row(code("5.7.139").text("disabled for the tenant"), holdsService(CONFIGURATION),
					"SMTP AUTH is turned off for your whole Microsoft 365 organization, so Exchange Online refused "
							+ "the sign-in.",
					"Ask your Exchange admin to turn SMTP AUTH on for this mailbox with Set-CASMailbox -Identity "
							+ "<mailbox> -SmtpClientAuthenticationDisabled $false (a mailbox setting overrides the "
							+ "organization's) or for everyone with Set-TransportConfig "
							+ "-SmtpClientAuthenticationDisabled $false, then click Verify setup.",
					HelpUrls.SMTP_AUTH_DISABLED),
			row(code("5.7.139").text("disabled for the mailbox"), holdsService(CONFIGURATION),
					"SMTP AUTH is turned off for this mailbox, so Exchange Online refused the sign-in.",
					"SMTP AUTH is disabled for this mailbox: ask your Exchange admin to run Set-CASMailbox "
							+ "-Identity <mailbox> -SmtpClientAuthenticationDisabled $false, then click Verify setup to "
							+ "send the held mail.",
					HelpUrls.SMTP_AUTH_DISABLED),
			row(code("5.7.139").text("security defaults"), holdsService(CONFIGURATION),
					"Microsoft Entra security defaults blocked this mailbox's sign-in to SMTP.",
					"Ask your Entra admin to look up the blocked sign-in under Entra ID > Sign-in logs; security "
							+ "defaults allow no exceptions, so allowing it means replacing them with Conditional "
							+ "Access policies.",
					HelpUrls.SECURITY_DEFAULTS),
			row(code("5.7.139").text("did not meet the criteria"), holdsService(CONFIGURATION),
					"A sign-in policy of your organization refused this mailbox's SMTP sign-in.",
					"Ask your Entra admin to find the failed sign-in of the login email under Entra ID > Sign-in "
							+ "logs and allow it in the policy that blocked it (Conditional Access, MFA, or a "
							+ "disabled or locked account).",
					HelpUrls.APPLICATIONS_SENDING_MAIL),
			row(code("5.7.139").text("basic authentication is disabled"), holdsService(CONFIGURATION),
					"Exchange Online no longer accepts a password for this mailbox.",
					"Switch the service's authentication to Microsoft OAuth2 and authorize it, because Microsoft has "
							+ "turned off password (basic) sign-in to SMTP.",
					HelpUrls.BASIC_AUTH_RETIREMENT),
			row(code("5.7.139").text("credentials were incorrect"), holdsService(CONFIGURATION),
					"Exchange Online refused the service's username or password.",
					"Check the username and password, or better switch the service to Microsoft OAuth2, which keeps "
							+ "working where Microsoft refuses passwords (MFA, basic authentication turned off).",
					HelpUrls.BASIC_AUTH_RETIREMENT),
			row(code("5.7.139").text("federated STS"), holdsService(CONFIGURATION),
					"Exchange Online could not reach your organization's own sign-in server (AD FS) to check this "
							+ "mailbox.",
					"Ask your IT admin to check that the federation server (AD FS) is online, reachable from the "
							+ "internet and offers TLS 1.2.",
					HelpUrls.APPLICATIONS_SENDING_MAIL),
			row(code("5.7.139"), holdsService(CONFIGURATION),
					"Exchange Online refused this mailbox's SMTP sign-in because of a setting or policy in your "
							+ "organization.",
					"Ask your Exchange admin to check that SMTP AUTH is enabled for the mailbox (Get-CASMailbox "
							+ "-Identity <mailbox> | Format-List SmtpClientAuthenticationDisabled) and that no "
							+ "sign-in policy blocks the login email, then click Verify setup.",
					HelpUrls.SMTP_AUTH_DISABLED),
			row(code("5.7.57"), holdsService(CONFIGURATION),
					"Exchange Online refused the mail because the connection had not signed in to a mailbox.",
					NOT_SIGNED_IN_HINT, HelpUrls.NDR_5_7_57),
			row(code("5.7.30"), holdsService(CONFIGURATION),
					"Exchange Online does not accept password (basic) sign-in for sending mail.",
					"Switch the service's authentication to Microsoft OAuth2 and authorize it.",
					HelpUrls.BASIC_AUTH_RETIREMENT),
			row(code("5.7.4"), holdsService(CONFIGURATION),
					"The mail server did not offer the sign-in method the service uses.",
					"Use port 587 with STARTTLS (smtp.office365.com for Microsoft 365) and ask your Exchange admin "
							+ "to check that SMTP AUTH is enabled for the mailbox.",
					HelpUrls.SMTP_SETTINGS),

			// Sender: the From address comes from the service, so a refusal here repeats for every mail.
			row(code("5.7.60"), holdsService(SENDER),
					"The login mailbox is not allowed to send as the service's From address.", SEND_AS_HINT,
					HelpUrls.SEND_AS),
			// Continuous error throttling (S16) reuses 5.2.252 for the block that follows SendAsDenied.
			row(code("5.2.251"), holdsService(THROTTLED),
					"Exchange Online stopped this mailbox from sending for a while because the mailbox was full "
							+ "again and again.",
					"Free space in the login mailbox and add a retention policy that empties Sent Items"
							+ BLOCK_ENDS,
					HelpUrls.CONTINUOUS_ERROR_THROTTLING),
			row(code("5.2.252").text("throttled"), holdsService(THROTTLED),
					"Exchange Online stopped this mailbox from sending for a while because sending as the From "
							+ "address was denied again and again.",
					"Give the login mailbox Send As permission on the From address, or make the From address the "
							+ "login email" + BLOCK_ENDS,
					HelpUrls.CONTINUOUS_ERROR_THROTTLING),
			row(code("5.2.253"), holdsService(THROTTLED),
					"Exchange Online stopped this mailbox from sending for a while because its license was found "
							+ "invalid again and again.",
					"Ask your Microsoft 365 admin to assign the login user a license that includes Exchange Online"
							+ BLOCK_ENDS,
					HelpUrls.CONTINUOUS_ERROR_THROTTLING),
			row(code("5.2.254"), holdsService(THROTTLED),
					"Exchange Online stopped this mailbox from sending for a while because mails had too many "
							+ "recipients again and again.",
					"Keep each mail under 500 recipients (to, cc and bcc together)" + BLOCK_ENDS,
					HelpUrls.CONTINUOUS_ERROR_THROTTLING),
			row(code("5.2.255"), holdsService(THROTTLED),
					"Exchange Online stopped this mailbox from sending for a while because mails went to invalid "
							+ "recipients again and again.",
					"Remove addresses that no longer exist from the lists this service sends to" + BLOCK_ENDS,
					HelpUrls.CONTINUOUS_ERROR_THROTTLING),
			row(code("5.2.252"), holdsService(SENDER),
					"Exchange Online refused the mail because the login mailbox may not send as the From address.",
					SEND_AS_HINT, HelpUrls.SEND_AS),
			row(code("5.2.0").text("SendAsDenied"), holdsService(SENDER),
					"Exchange Online refused the mail because the login mailbox may not send as the From address.",
					SEND_AS_HINT, HelpUrls.SEND_AS),
			row(code("5.7.1").text("send as"), holdsService(SENDER),
					"The login mailbox is not allowed to send as the service's From address.", SEND_AS_HINT,
					HelpUrls.SEND_AS),
			row(code("5.7.1").text("not authenticated"), holdsService(CONFIGURATION),
					"The mail server refused the mail because the connection had not signed in.", NOT_SIGNED_IN_HINT,
					HelpUrls.NDR_5_7_1),
			row(code("5.1.8"), holdsService(SENDER),
					"Exchange Online has blocked the login mailbox from sending, usually because it sent what "
							+ "looked like spam.",
					"Your admin must secure the account (it may be compromised) and then release it under "
							+ "Restricted entities in the Microsoft Defender portal.",
					HelpUrls.NDR_5_1_8),
			row(code("5.7.501-503"), holdsService(SENDER),
					"Exchange Online banned the login mailbox from sending after detecting spam.",
					"Your admin must secure the account (reset its password, check it for compromise) and then ask "
							+ "Microsoft support to restore its sending.",
					HelpUrls.NDR_ASXXX),
			row(code("5.1.7"), holdsService(SENDER), "The mail server refused the From address as malformed.",
					"Correct the service's From address so that it reads like name@example.com.",
					HelpUrls.NDR_OVERVIEW),

			// Limits. Exchange Online: 3 connections, 30 messages a minute, 10,000 recipients a day per mailbox.
			row(code("4.3.2"), retriesAfter(THROTTLED, Duration.ofSeconds(15)),
					"Exchange Online refused another connection because the mailbox already has too many open.",
					"Nothing to do if this is rare, as Mailroom retries shortly; if it keeps happening, another "
							+ "application sends through the same mailbox at the same time (Exchange Online allows "
							+ "three connections per mailbox), so give one of them its own mailbox.",
					HelpUrls.CONCURRENT_SENDING),
			row(code("4.4.2").text("submission rate", "configured limit"),
					retriesAfter(THROTTLED, Duration.ofMinutes(1)),
					"The mailbox sent more than Exchange Online's limit of about 30 messages a minute.",
					"Nothing to do: Mailroom slows down and retries after a minute, and if the delays matter, "
							+ "send bulk mail through a separate mailbox and service.",
					HelpUrls.SENDING_LIMITS),
			row(code("4.4.2"), retries(NETWORK), "The mail server dropped the connection.",
					"Nothing to do unless it keeps happening: Mailroom reconnects and retries automatically.",
					HelpUrls.NDR_OVERVIEW),
			row(code("5.2.0").text("SubmissionQuotaExceeded"), retriesAfter(QUOTA, Duration.ofHours(24)),
					"The mailbox reached Exchange Online's limit of 10,000 recipients a day.",
					"Mailroom sends again when the rolling 24-hour window frees up; to send more, give bulk mail "
							+ "its own mailbox and service, or use a bulk email provider for it.",
					HelpUrls.SUBMISSION_QUOTA),
			row(code("5.2.2").text("submission quota", "SubmissionQuotaExceeded"), retriesAfter(QUOTA, Duration.ofHours(24)),
					"The mailbox exceeded Exchange Online's sending limits for today.", DAILY_LIMIT_HINT,
					HelpUrls.SENDING_LIMITS),
			row(code("5.1.90"), retriesAfter(QUOTA, Duration.ofHours(24)),
					"The mailbox reached its daily limit of message recipients.", DAILY_LIMIT_HINT,
					HelpUrls.SENDING_LIMITS),
			// Every mail sent through SMTP AUTH is saved in Sent Items, so a busy mailbox fills up (S17).
			row(code("5.2.2").text("STOREDRV.Submission", "QuotaExceededException"), holdsService(QUOTA),
					"The login mailbox is full, so Exchange Online cannot send from it.",
					"Free space in the login mailbox and add a retention policy that empties Sent Items, where "
							+ "every mail sent through SMTP is saved.",
					HelpUrls.SMTP_SUBMISSION_LIMITS),
			row(code("4.7.500-699"), retriesAfter(THROTTLED, Duration.ofMinutes(15)),
					"Exchange Online temporarily restricted sending from this mailbox after detecting unusual "
							+ "activity.",
					"Nothing to do if the mail is legitimate, as Microsoft lifts the restriction shortly and "
							+ "Mailroom retries; if it persists, your admin should check the account for compromise.",
					HelpUrls.NDR_ASXXX),

			// Microsoft's side or the way there.
			row(code("4.7.0"), retries(PROVIDER_OUTAGE), "The mail server reported a temporary error on its side.",
					OUTAGE_HINT, HelpUrls.SERVICE_HEALTH),
			row(code("4.4.3"), retries(PROVIDER_OUTAGE),
					"The mail server could not look up where to route the mail for a moment.", OUTAGE_HINT,
					HelpUrls.SERVICE_HEALTH),
			row(code("4.7.66"), fails(CONFIGURATION),
					"Exchange Online refused the connection because it did not use TLS 1.2 or later.",
					"Contact Mailroom support, because connections to Exchange Online must use TLS 1.2 or later and "
							+ "this one did not.",
					HelpUrls.SMTP_AUTH_TLS),

			// The whole organization is blocked from sending (S20).
			row(code("5.7.705"), holdsService(CONFIGURATION),
					"Exchange Online blocked all outgoing mail of your organization because too much of it looked "
							+ "like spam.",
					"Your Microsoft 365 admin must find and stop the source (often a compromised account or "
							+ "connector) and then ask Microsoft support to remove the block.",
					HelpUrls.NDR_5_7_7XX),
			row(code("5.7.708"), holdsService(CONFIGURATION),
					"Exchange Online does not accept outgoing mail from your organization yet.",
					"Your Microsoft 365 admin must contact Microsoft support (or finish buying licenses), as "
							+ "Exchange Online restricts sending from new organizations it does not trust yet.",
					HelpUrls.NDR_5_7_7XX),
			row(code("5.7.750"), holdsService(CONFIGURATION),
					"Exchange Online blocked sending because the From address uses a domain that is not registered "
							+ "in your Microsoft 365 organization.",
					"Use a From address on a domain your organization has added and verified (Microsoft 365 admin "
							+ "center > Settings > Domains), or add and verify this domain there.",
					HelpUrls.NDR_5_7_7XX),

			// Recipients.
			row(code("5.7.703"), fails(RECIPIENT),
					"Your organization's Tenant Allow/Block List blocks a recipient of this mail.",
					"Ask your Exchange admin to remove the recipient's address or domain from the Tenant Allow/Block "
							+ "List if the mail should go through.",
					HelpUrls.NDR_5_7_7XX),
			// The seed's advice: test recipients must be inside the Microsoft organization.
			row(code("5.7.1"), fails(RECIPIENT),
					"Exchange Online is not allowed to deliver this mail to the recipient.",
					"Send test emails to an address inside your own Microsoft 365 organization, because Exchange "
							+ "Online refuses outside recipients for some app setups, and for other recipients ask "
							+ "your Exchange admin which rule or restriction refused them.",
					HelpUrls.NDR_5_7_1),
			row(code("5.1.1"), fails(RECIPIENT), "A recipient address does not exist.",
					"Check the recipient's address for typos, and if it belongs to your organization, that the "
							+ "mailbox still exists.",
					HelpUrls.NDR_5_1_1),
			row(code("5.1.10"), fails(RECIPIENT), "No mailbox was found for a recipient's address.",
					"Check that the recipient's address is spelled right and still in use.", HelpUrls.NDR_5_1_10),
			row(code("5.4.1"), fails(RECIPIENT),
					"The recipient's mail system does not accept mail for this address.",
					"Check the recipient's address and domain, and if the domain is yours, ask your admin to check "
							+ "its accepted domains and MX record.",
					HelpUrls.NDR_5_4_1),
			row(code("5.5.3"), fails(RECIPIENT), "The mail server refused the mail because it has too many recipients.",
					"Send to fewer recipients per mail, at most 500 for Exchange Online.", HelpUrls.MESSAGE_LIMITS),
			row(code("5.2.2"), fails(RECIPIENT), "A recipient's mailbox is full.",
					"Ask the recipient to free space in their mailbox, then send again.", HelpUrls.NDR_OVERVIEW),

			// Content.
			row(code("5.2.3").text("RecipSizeLimit"), fails(CONTENT),
					"The message is larger than a recipient may receive.", TOO_LARGE_HINT, HelpUrls.MESSAGE_LIMITS),
			row(code("5.2.3"), fails(CONTENT), "The message is larger than the login mailbox may send.",
					"Make the message smaller, or ask your Exchange admin to raise the mailbox's MaxSendSize (up to "
							+ "150 MB; attachments grow by about a third when encoded).",
					HelpUrls.MESSAGE_LIMITS),
			row(code("5.3.4"), fails(CONTENT), "The message is larger than the mail server accepts.", TOO_LARGE_HINT,
					HelpUrls.MESSAGE_LIMITS),

			// Bare reply codes whose meaning does not depend on the enhanced code.
			row(reply(535), refreshTokenOnce(), "The mail server refused the service's sign-in.",
					"Authorize the service again (for a password service, check the username and password) and make "
							+ "sure the login email's mailbox may use SMTP AUTH.",
					HelpUrls.SMTP_OAUTH),
			row(reply(530), holdsService(CONFIGURATION),
					"The mail server requires a sign-in over an encrypted connection before it accepts mail.",
					NOT_SIGNED_IN_HINT, HelpUrls.SMTP_SETTINGS),
			row(reply(552), fails(CONTENT), "The message is larger than the mail server accepts.", TOO_LARGE_HINT,
					HelpUrls.MESSAGE_LIMITS));

	/** RFC 3463 subjects (x.SUBJECT.x) of temporary (4.x.x) codes the rows above do not name. */
	private static final Map<Integer, Row> TEMPORARY_BY_SUBJECT = Map.of(
			1, fallback(retries(RECIPIENT), "The mail server temporarily refused a recipient address.",
					"Nothing to do: Mailroom retries automatically, and if it keeps failing, check the recipient's "
							+ "address."),
			2, fallback(retries(RECIPIENT), "A recipient's mailbox temporarily could not take the mail.",
					"Nothing to do: Mailroom retries automatically."),
			3, fallback(retries(PROVIDER_OUTAGE), "The mail server is temporarily unable to take mail.", OUTAGE_HINT),
			4, fallback(retries(NETWORK), "The mail server had a temporary network or routing problem.",
					"Nothing to do: Mailroom retries automatically."),
			5, fallback(retries(PROVIDER_OUTAGE), "The mail server temporarily refused a command.",
					"Nothing to do: Mailroom retries automatically."),
			6, fallback(retries(CONTENT), "The mail server temporarily could not process the message content.",
					"Nothing to do: Mailroom retries automatically."),
			7, fallback(retries(THROTTLED),
					"A security or policy rule of the mail server temporarily refused the mail.",
					"Nothing to do if it is rare, as Mailroom retries automatically; if it persists, pass the server "
							+ "reply to your Exchange admin."));

	/** The same for permanent (5.x.x) codes. */
	private static final Map<Integer, Row> PERMANENT_BY_SUBJECT = Map.of(
			1, fallback(fails(RECIPIENT), "The mail server refused a recipient address.",
					"Check the recipient addresses; the server's reply says which one and why."),
			2, fallback(fails(RECIPIENT), "A recipient's mailbox cannot take the mail.",
					"Check the recipient; the server's reply says what is wrong with the mailbox."),
			3, fallback(fails(UNKNOWN), "The mail server's system refused the mail.",
					"Pass the server's reply to your IT admin, who can look up what it means for this server."),
			4, fallback(fails(NETWORK), "The mail server could not route the mail.",
					"Check the recipient's domain; the server's reply says where routing failed."),
			5, fallback(fails(UNKNOWN), "The mail server refused a command it did not expect.",
					"Contact Mailroom support with the server's reply, because this points to a protocol problem."),
			6, fallback(fails(CONTENT), "The mail server refused the message content.",
					"Check the message's format and attachments; the server's reply says what it refused."),
			7, fallback(fails(CONFIGURATION), "A security or policy rule of the mail server refused the mail.",
					"Pass the server's reply to your Exchange admin, who can look up which rule refused it."));

	private static final Row TEMPORARY = fallback(retries(PROVIDER_OUTAGE),
			"The mail server temporarily refused the mail.", "Nothing to do: Mailroom retries automatically.");

	private static final Row PERMANENT = fallback(fails(UNKNOWN), "The mail server refused the mail.",
			"Pass the server's reply to your IT admin: it says why the server refused the mail.");

	/** Without an enhanced code, RFC 5321 says 550, 551 and 553 concern the mailbox named (a recipient). */
	private static final Row RECIPIENT_REFUSED = fallback(fails(RECIPIENT), "The mail server refused a recipient.",
			"Check the recipient addresses; the server's reply says which one and why.");

	private static final Row UNEXPECTED = fallback(fails(UNKNOWN),
			"The mail server gave a reply Mailroom did not expect.",
			"Contact Mailroom support with the server's reply.");

	private SmtpCatalogue() {
	}

	/** The row for {@code reply}: a listed code, else its class and subject, else its reply code. */
	static Row lookup(SmtpReply reply) {
		for (Row row : ROWS) {
			if (row.match().matches(reply)) {
				return row;
			}
		}
		if (reply.code() < 400) {
			return UNEXPECTED;
		}
		boolean temporary = reply.code() < 500;
		if (reply.enhancedCode() != null) {
			int subject = Integer.parseInt(reply.enhancedCode().split("\\.")[1]);
			Row bySubject = (temporary ? TEMPORARY_BY_SUBJECT : PERMANENT_BY_SUBJECT).get(subject);
			if (bySubject != null) {
				return bySubject;
			}
		}
		else if (reply.code() == 550 || reply.code() == 551 || reply.code() == 553) {
			return RECIPIENT_REFUSED;
		}
		return temporary ? TEMPORARY : PERMANENT;
	}

	/** Every listed row, for tests that hold the whole catalogue to the house rules. */
	static List<Row> rows() {
		return ROWS;
	}

	private static Row row(Match match, Outcome outcome, String message, String hint, String helpUrl) {
		return new Row(match, outcome, message, hint, helpUrl);
	}

	private static Row fallback(Outcome outcome, String message, String hint) {
		return new Row(null, outcome, message, hint, HelpUrls.NDR_OVERVIEW);
	}

	/** An enhanced status code ({@code "5.7.139"}) or a range of details ({@code "5.2.251-255"}). */
	private static Match code(String enhancedCode) {
		int lastDot = enhancedCode.lastIndexOf('.');
		String[] details = enhancedCode.substring(lastDot + 1).split("-");
		int from = Integer.parseInt(details[0]);
		int to = (details.length > 1) ? Integer.parseInt(details[1]) : from;
		return new Match(null, enhancedCode.substring(0, lastDot + 1), from, to, List.of());
	}

	private static Match reply(int replyCode) {
		return new Match(replyCode, null, 0, 0, List.of());
	}

	/** A catalogue row: which replies it covers and what they mean. */
	record Row(Match match, Outcome outcome, String message, String hint, String helpUrl) {

		Failure failure(SmtpReply reply) {
			String code = (reply.enhancedCode() != null) ? reply.enhancedCode() : String.valueOf(reply.code());
			return outcome.failure(code, message, hint, helpUrl, reply);
		}

	}

	/**
	 * Which replies a row covers: a reply code, or an enhanced code's class and subject with a range of
	 * details, and optionally words of the reply text (any of them, ignoring case).
	 */
	record Match(Integer replyCode, String enhancedPrefix, int detailFrom, int detailTo, List<String> texts) {

		/** This match, narrowed to replies whose text contains one of {@code fragments}. */
		Match text(String... fragments) {
			return new Match(replyCode, enhancedPrefix, detailFrom, detailTo,
					List.of(fragments).stream().map((f) -> f.toLowerCase(Locale.ROOT)).toList());
		}

		boolean matches(SmtpReply reply) {
			if (replyCode != null && replyCode != reply.code()) {
				return false;
			}
			if (enhancedPrefix != null && !enhancedMatches(reply.enhancedCode())) {
				return false;
			}
			if (texts.isEmpty()) {
				return true;
			}
			String text = (reply.text() != null) ? reply.text().toLowerCase(Locale.ROOT) : "";
			return texts.stream().anyMatch(text::contains);
		}

		private boolean enhancedMatches(String enhancedCode) {
			if (enhancedCode == null || !enhancedCode.startsWith(enhancedPrefix)) {
				return false;
			}
			String detail = enhancedCode.substring(enhancedPrefix.length());
			if (detail.isEmpty() || detail.contains(".")) {
				return false;
			}
			int value = Integer.parseInt(detail);
			return value >= detailFrom && value <= detailTo;
		}

	}

}
