package io.mailroom.core.failures;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.SmtpReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static io.mailroom.contracts.ErrorCategory.AUTHORIZATION;
import static io.mailroom.contracts.ErrorCategory.CONFIGURATION;
import static io.mailroom.contracts.ErrorCategory.CONTENT;
import static io.mailroom.contracts.ErrorCategory.PROVIDER_OUTAGE;
import static io.mailroom.contracts.ErrorCategory.QUOTA;
import static io.mailroom.contracts.ErrorCategory.RECIPIENT;
import static io.mailroom.contracts.ErrorCategory.SENDER;
import static io.mailroom.contracts.ErrorCategory.THROTTLED;
import static io.mailroom.core.failures.ServiceImpact.CONFIGURATION_ERROR;
import static io.mailroom.core.failures.ServiceImpact.NEEDS_REAUTHORIZATION;
import static io.mailroom.core.failures.ServiceImpact.NONE;
import static io.mailroom.core.failures.ServiceImpact.REFRESH_TOKEN_ONCE;
import static org.assertj.core.api.Assertions.assertThat;

/** Every reply of MICROSOFT-FACTS section 4, as Exchange Online words it, plus the neighbours it is confused with. */
class SmtpFailuresTest {

	private static final String NDR = "https://learn.microsoft.com/exchange/troubleshoot/email-delivery/ndr/";

	private static final String THROTTLING = "https://learn.microsoft.com/exchange/mail-flow-best-practices/continuous-error-throttling-smtp-auth-submissions";

	private static final String SEND_AS = "https://learn.microsoft.com/exchange/recipients-in-exchange-online/manage-permissions-for-recipients";

	private static final String LIMITS = "https://learn.microsoft.com/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits";

	static List<Expected> exchangeOnlineReplies() {
		return List.of(
				expect("535 5.7.3 Authentication unsuccessful [SN4PR0501CA0054.namprd05.prod.outlook.com]",
						AUTHORIZATION, "5.7.3", false, REFRESH_TOKEN_ONCE, null,
						"https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth",
						"SMTP.Send"),
				expect("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. "
						+ "Visit https://aka.ms/smtp_auth_disabled for more information. [BN9PR03CA0335.namprd03.prod.outlook.com]",
						CONFIGURATION, "5.7.139", false, CONFIGURATION_ERROR, null, "https://aka.ms/smtp_auth_disabled",
						"Set-TransportConfig -SmtpClientAuthenticationDisabled $false"),
				expect("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. "
						+ "Visit https://aka.ms/smtp_auth_disabled for more information. [BN9PR03CA0335.namprd03.prod.outlook.com]",
						CONFIGURATION, "5.7.139", false, CONFIGURATION_ERROR, null, "https://aka.ms/smtp_auth_disabled",
						"Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false"),
				expect("535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults "
						+ "policy. Contact your administrator. [DM6PR02CA0123.namprd02.prod.outlook.com]",
						CONFIGURATION, "5.7.139", false, CONFIGURATION_ERROR, null,
						"https://learn.microsoft.com/entra/fundamentals/security-defaults", "security defaults"),
				expect("535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated "
						+ "successfully. Contact your administrator. [DM6PR02CA0123.namprd02.prod.outlook.com]",
						CONFIGURATION, "5.7.139", false, CONFIGURATION_ERROR, null,
						"https://learn.microsoft.com/exchange/troubleshoot/email-delivery/fix-issues-with-printers-scanners-and-lob-applications-that-send-email-using-off",
						"Sign-in logs"),
				expect("530 5.7.57 Client not authenticated to send mail. [BN1P110CA0052.NAMP110.PROD.OUTLOOK.COM 2023-11-29T14:52:57.126Z 08DBE7319275F6BA]",
						CONFIGURATION, "5.7.57", false, CONFIGURATION_ERROR, null,
						NDR + "fix-error-code-5-7-57-in-exchange-online", "port 587 with STARTTLS"),
				expect("550 5.7.30 Basic authentication is not supported for Client Submission.", CONFIGURATION, "5.7.30",
						false, CONFIGURATION_ERROR, null,
						"https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/deprecation-of-basic-authentication-exchange-online",
						"Microsoft OAuth2"),
				expect("550 5.7.60 SMTP; Client does not have permissions to send as this sender [BY2PR1001MB1094.namprd10.prod.outlook.com]",
						SENDER, "5.7.60", false, CONFIGURATION_ERROR, null, SEND_AS, "Send As permission"),
				expect("554 5.2.252 SendAsDenied; sender@contoso.com not allowed to send as from@contoso.com; "
						+ "STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process "
						+ "message due to a permanent exception with message [BeginDiagnosticData]",
						SENDER, "5.2.252", false, CONFIGURATION_ERROR, null, SEND_AS, "Send As permission"),
				expect("550 5.2.251 Sender throttled due to continuous mailbox full errors.", THROTTLED, "5.2.251", false,
						CONFIGURATION_ERROR, null, THROTTLING, "Free space in the login mailbox"),
				expect("550 5.2.252 Sender throttled due to continuous send as denied errors.", THROTTLED, "5.2.252", false,
						CONFIGURATION_ERROR, null, THROTTLING, "Send As permission"),
				expect("550 5.2.253 Sender throttled due to continuous invalid license errors.", THROTTLED, "5.2.253",
						false, CONFIGURATION_ERROR, null, THROTTLING, "license that includes Exchange Online"),
				expect("550 5.2.254 Sender throttled due to continuous too many recipients errors.", THROTTLED, "5.2.254",
						false, CONFIGURATION_ERROR, null, THROTTLING, "under 500 recipients"),
				expect("550 5.2.255 Sender throttled due to continuous invalid recipients errors.", THROTTLED, "5.2.255",
						false, CONFIGURATION_ERROR, null, THROTTLING, "no longer exist"),
				expect("554 5.2.2 mailbox full; STOREDRV.Submission.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded; "
						+ "Failed to process message due to a permanent exception with message [BeginDiagnosticData]",
						QUOTA, "5.2.2", false, CONFIGURATION_ERROR, null,
						"https://learn.microsoft.com/exchange/troubleshoot/send-emails/smtp-submission-improvements",
						"empties Sent Items"),
				expect("432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded [Hostname=BY5PR12MB3953.namprd12.prod.outlook.com]",
						THROTTLED, "4.3.2", true, NONE, Duration.ofSeconds(15), "https://aka.ms/concurrent_sending",
						"three connections per mailbox"),
				expect("432 4.3.2 Concurrent connections limit exceeded. Visit https://aka.ms/concurrent_sending for more "
						+ "information. [Hostname=DM4PR18MB4126.namprd18.prod.outlook.com]",
						THROTTLED, "4.3.2", true, NONE, Duration.ofSeconds(15), "https://aka.ms/concurrent_sending",
						"three connections per mailbox"),
				expect("554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message "
						+ "due to a permanent exception with message [BeginDiagnosticData]",
						QUOTA, "5.2.0", true, NONE, Duration.ofHours(24),
						NDR + "fix-error-for-submission-quota-exceeded-in-exchange-online", "rolling 24-hour window"),
				expect("421 4.4.2 Message submission rate for this client has exceeded the configured limit", THROTTLED,
						"4.4.2", true, NONE, Duration.ofMinutes(1), LIMITS + "#sending-limits", "after a minute"),
				expect("451 4.7.0 Temporary server error. Please try again later. PRX4 [AM0PR10MB2433.EURPRD10.PROD.OUTLOOK.COM]",
						PROVIDER_OUTAGE, "4.7.0", true, NONE, null,
						"https://learn.microsoft.com/microsoft-365/enterprise/view-service-health", "Service health"),
				expect("451 4.4.3 Temporary server error. Please try again later. [AM0PR10MB2433.EURPRD10.PROD.OUTLOOK.COM]",
						PROVIDER_OUTAGE, "4.4.3", true, NONE, null,
						"https://learn.microsoft.com/microsoft-365/enterprise/view-service-health", "Service health"),
				expect("421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2. "
						+ "Visit https://aka.ms/smtp_auth_tls. [HE1EUR01FT044.eop-EUR01.prod.protection.outlook.com]",
						CONFIGURATION, "4.7.66", false, NONE, null, "https://aka.ms/smtp_auth_tls", "TLS 1.2"),
				expect("550 5.7.705 Access denied, tenant has exceeded threshold", CONFIGURATION, "5.7.705", false,
						CONFIGURATION_ERROR, null, NDR + "fix-error-code-5-7-700-through-5-7-750",
						"ask Microsoft support to remove the block"),
				expect("550 5.7.708 Access denied, traffic not accepted from this IP", CONFIGURATION, "5.7.708", false,
						CONFIGURATION_ERROR, null, NDR + "fix-error-code-5-7-700-through-5-7-750",
						"contact Microsoft support"),
				expect("550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains",
						CONFIGURATION, "5.7.750", false, CONFIGURATION_ERROR, null,
						NDR + "fix-error-code-5-7-700-through-5-7-750", "added and verified"),
				expect("550 5.1.8 Access denied, bad outbound sender AS(42004)", SENDER, "5.1.8", false,
						CONFIGURATION_ERROR, null, NDR + "fix-error-code-5-1-8-in-exchange-online", "Restricted entities"),
				expect("550 5.2.3 RESOLVER.RST.SendSizeLimit.Sender; message too large for this sender", CONTENT, "5.2.3",
						false, NONE, null, LIMITS + "#message-limits", "MaxSendSize"),
				// Recipients and size, named in the brief beside section 4.
				expect("550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", RECIPIENT, "5.1.1", false, NONE, null,
						NDR + "fix-error-code-550-5-1-1-through-5-1-20-in-exchange-online", "typos"),
				expect("550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", RECIPIENT,
						"5.1.10", false, NONE, null, NDR + "fix-error-code-550-5-1-10-in-exchange-online", "spelled right"),
				expect("550 5.7.1 Unable to relay", RECIPIENT, "5.7.1", false, NONE, null,
						NDR + "fix-error-code-550-5-7-1-in-exchange-online",
						"inside your own Microsoft 365 organization"),
				expect("552 5.3.4 Message size exceeds fixed maximum message size", CONTENT, "5.3.4", false, NONE, null,
						LIMITS + "#message-limits", "linking to large files"),
				expect("552 Message size exceeds maximum permitted", CONTENT, "552", false, NONE, null,
						LIMITS + "#message-limits", "linking to large files"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("exchangeOnlineReplies")
	void everyExchangeOnlineReplyIsClassifiedWithASpecificHintAndHelpPage(Expected expected) {
		Failure failure = Failures.smtp(SmtpReplies.parse(expected.reply()));

		assertThat(failure.error().category()).isEqualTo(expected.category());
		assertThat(failure.error().code()).isEqualTo(expected.code());
		assertThat(failure.retryable()).isEqualTo(expected.retryable());
		assertThat(failure.impact()).isEqualTo(expected.impact());
		assertThat(failure.retryAfter()).isEqualTo(expected.retryAfter());
		assertThat(failure.error().helpUrl()).isEqualTo(expected.helpUrl());
		assertThat(failure.error().hint()).contains(expected.hintSays());
		assertThat(failure.error().message()).isNotBlank();
		assertThat(failure.smtpReply().code()).isEqualTo(Integer.parseInt(expected.reply().substring(0, 3)));
	}

	@Test
	void tenantWideSmtpAuthDisabledTellsTheAdminWhichSettingToChange() {
		Failure failure = Failures.smtp(new SmtpReply(535, "5.7.139",
				"Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information."));

		assertThat(failure.error().message()).contains("whole Microsoft 365 organization");
		assertThat(failure.error().hint()).contains("Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false")
			.contains("Set-TransportConfig -SmtpClientAuthenticationDisabled $false")
			.contains("mailbox setting overrides");
	}

	@Test
	void mailboxSmtpAuthDisabledGivesTheExchangeAdminTheCommandToRun() {
		Failure failure = Failures.smtp(new SmtpReply(535, "5.7.139",
				"Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information."));

		assertThat(failure.error().hint()).isEqualTo("SMTP AUTH is disabled for this mailbox: ask your Exchange admin to run "
				+ "Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false, then click Verify setup to send the "
				+ "held mail.");
		assertThat(failure.error().helpUrl()).isEqualTo("https://aka.ms/smtp_auth_disabled");
	}

	@Test
	void eachReasonBehind5_7_139GetsItsOwnHint() {
		Set<String> hints = Stream
			.of("SmtpClientAuthentication is disabled for the Tenant.", "SmtpClientAuthentication is disabled for the Mailbox.",
					"user is locked by your organization's security defaults policy.",
					"the request did not meet the criteria to be authenticated successfully.",
					"basic authentication is disabled.", "the user credentials were incorrect.",
					"federated STS service was unreachable.", "something Microsoft adds next year.")
			.map((reason) -> Failures.smtp(new SmtpReply(535, "5.7.139", "Authentication unsuccessful, " + reason)))
			.map((failure) -> failure.error().hint())
			.collect(Collectors.toSet());

		assertThat(hints).hasSize(8);
	}

	@Test
	void aRefusedTokenAsksForOneRefreshAndThenForReauthorization() {
		Failure first = Failures.smtp(SmtpReplies.parse("535 5.7.3 Authentication unsuccessful [HOST]\n"));

		assertThat(first.impact()).isEqualTo(REFRESH_TOKEN_ONCE);
		assertThat(first.retryable()).isFalse();
		assertThat(first.error().hint()).contains("login email's own user")
			.contains("SMTP.Send")
			.contains("service principal with FullAccess");

		Failure again = first.withImpact(NEEDS_REAUTHORIZATION);
		assertThat(again.impact()).isEqualTo(NEEDS_REAUTHORIZATION);
		assertThat(again.error()).isEqualTo(first.error());
		assertThat(again.smtpReply()).isEqualTo(first.smtpReply());
	}

	@Test
	void continuousErrorThrottlingHoldsTheServiceRatherThanProlongingTheBlock() {
		Failure failure = Failures.smtp(new SmtpReply(550, "5.2.254", "Sender throttled due to continuous too many recipients errors."));

		assertThat(failure.error().category()).isEqualTo(THROTTLED);
		assertThat(failure.retryable()).isFalse();
		assertThat(failure.impact()).isEqualTo(CONFIGURATION_ERROR);
		assertThat(failure.error().hint()).contains("only another mailbox can send sooner");
	}

	@Test
	void sendAsDeniedAfterDataIsASenderProblemWhileTheSameCodeAfterRepeatedDenialsIsThrottling() {
		Failure denied = Failures.smtp(new SmtpReply(554, "5.2.252", "SendAsDenied; a@contoso.com not allowed to send as b@contoso.com"));
		Failure blocked = Failures.smtp(new SmtpReply(550, "5.2.252", "Sender throttled due to continuous send as denied errors."));

		assertThat(denied.error().category()).isEqualTo(SENDER);
		assertThat(blocked.error().category()).isEqualTo(THROTTLED);
		assertThat(blocked.error().hint()).isNotEqualTo(denied.error().hint());
	}

	@Test
	void sendAsDeniedUnder5_2_0IsNotMistakenForTheDailyQuota() {
		Failure failure = Failures.smtp(new SmtpReply(554, "5.2.0",
				"STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message"));

		assertThat(failure.error().category()).isEqualTo(SENDER);
		assertThat(failure.retryAfter()).isNull();
	}

	@Test
	void aSubmissionQuotaUnder5_2_2IsTheDailyLimitNotAFullMailbox() {
		Failure failure = Failures.smtp(new SmtpReply(554, "5.2.2",
				"STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message"));

		assertThat(failure.error().category()).isEqualTo(QUOTA);
		assertThat(failure.retryable()).isTrue();
		assertThat(failure.retryAfter()).isEqualTo(Duration.ofHours(24));
	}

	@Test
	void aFullRecipientMailboxElsewhereIsNotTheLoginMailboxBeingFull() {
		Failure failure = Failures.smtp(new SmtpReply(552, "5.2.2", "Mailbox full"));

		assertThat(failure.error().category()).isEqualTo(RECIPIENT);
		assertThat(failure.impact()).isEqualTo(NONE);
	}

	@Test
	void aDroppedConnectionUnder4_4_2IsNotTheRateLimit() {
		Failure failure = Failures.smtp(new SmtpReply(421, "4.4.2", "Connection dropped due to SocketError"));

		assertThat(failure.error().category()).isEqualTo(ErrorCategory.NETWORK);
		assertThat(failure.retryable()).isTrue();
		assertThat(failure.retryAfter()).isNull();
	}

	@Test
	void sendAsRefusedUnder5_7_1IsASenderProblem() {
		Failure failure = Failures.smtp(SmtpReplies.parse("550 5.7.1 Client does not have permissions to send as this sender"));

		assertThat(failure.error().category()).isEqualTo(SENDER);
		assertThat(failure.impact()).isEqualTo(CONFIGURATION_ERROR);
	}

	@Test
	void otherPasswordRefusalsAlsoGetOneTokenRefresh() {
		Failure failure = Failures.smtp(SmtpReplies.parse("535 5.7.8 Username and Password not accepted"));

		assertThat(failure.error().category()).isEqualTo(AUTHORIZATION);
		assertThat(failure.error().code()).isEqualTo("5.7.8");
		assertThat(failure.impact()).isEqualTo(REFRESH_TOKEN_ONCE);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			450 4.2.1 Mailbox busy, try again later          | RECIPIENT       | 4.2.1 | true
			451 4.3.0 Mail server temporarily rejected        | PROVIDER_OUTAGE | 4.3.0 | true
			451 4.4.0 DNS resolution failed                   | NETWORK         | 4.4.0 | true
			450 4.7.999 Try again later                       | THROTTLED       | 4.7.999 | true
			421 Service not available, closing channel        | PROVIDER_OUTAGE | 421   | true
			550 5.7.999 Rejected by a rule                    | CONFIGURATION   | 5.7.999 | false
			550 5.6.0 Content rejected                        | CONTENT         | 5.6.0 | false
			503 5.5.2 Send hello first                        | UNKNOWN         | 5.5.2 | false
			550 Requested action not taken: mailbox unavailable | RECIPIENT     | 550   | false
			554 Transaction failed                            | UNKNOWN         | 554   | false
			250 2.0.0 OK                                      | UNKNOWN         | 2.0.0 | false
			""")
	void unlistedCodesFallBackOnTheirClassAndA4xxIsRetryableWhileA5xxIsNot(String reply, ErrorCategory category,
			String code, boolean retryable) {
		Failure failure = Failures.smtp(SmtpReplies.parse(reply));

		assertThat(failure.error().category()).isEqualTo(category);
		assertThat(failure.error().code()).isEqualTo(code);
		assertThat(failure.retryable()).isEqualTo(retryable);
		assertThat(failure.impact()).isEqualTo(NONE);
		assertThat(failure.error().hint()).isNotBlank();
		assertThat(failure.error().helpUrl()).isEqualTo(NDR + "non-delivery-reports-in-exchange-online");
	}

	private static Expected expect(String reply, ErrorCategory category, String code, boolean retryable,
			ServiceImpact impact, Duration retryAfter, String helpUrl, String hintSays) {
		return new Expected(reply, category, code, retryable, impact, retryAfter, helpUrl, hintSays);
	}

	record Expected(String reply, ErrorCategory category, String code, boolean retryable, ServiceImpact impact,
			Duration retryAfter, String helpUrl, String hintSays) {

		@Override
		public String toString() {
			return (reply.length() > 90) ? reply.substring(0, 90) + "…" : reply;
		}

	}

}
