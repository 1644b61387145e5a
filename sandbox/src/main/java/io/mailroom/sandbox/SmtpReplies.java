package io.mailroom.sandbox;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Exchange Online's SMTP replies, as documented or observed (MICROSOFT-FACTS section 4); the few the
 * sandbox had to make up are marked.
 */
final class SmtpReplies {

	// INVENTED: server names shaped like Exchange Online's (BN9PR03CA0123.namprd03.prod.outlook.com), with a
	// domain that cannot be mistaken for Microsoft's.
	static final String FRONT_END = "SB1PR01CA0001.sandbox.prod.outlook.localhost";

	static final String MAILBOX_SERVER = "SB1PR01MB0001.sandbox.prod.outlook.localhost";

	static final String SEND_HELLO_FIRST = "503 5.5.2 Send hello first";

	static final String STARTTLS_READY = "220 2.0.0 SMTP server ready";

	static final String AUTHENTICATED = "235 2.7.0 Authentication successful";

	static final String AUTHENTICATION_UNSUCCESSFUL = "535 5.7.3 Authentication unsuccessful [" + FRONT_END + "]";

	static final String SMTP_AUTH_DISABLED_FOR_MAILBOX = "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.";

	static final String SMTP_AUTH_DISABLED_FOR_TENANT = "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.";

	static final String BASIC_AUTH_NOT_SUPPORTED = "550 5.7.30 Basic authentication is not supported for Client Submission.";

	static final String CONCURRENT_CONNECTIONS = "432 4.3.2 Concurrent connections limit exceeded. Visit https://aka.ms/concurrent_sending for more information.";

	// Exchange does not offer AUTH before STARTTLS, so it does not recognize the mechanism either.
	static final String UNRECOGNIZED_AUTHENTICATION_TYPE = "504 5.7.4 Unrecognized authentication type [" + FRONT_END + "]";

	// INVENTED: the texts of a second AUTH and of a cancelled AUTH.
	static final String ALREADY_AUTHENTICATED = "503 5.5.2 Already authenticated";

	static final String AUTHENTICATION_CANCELLED = "501 5.0.0 Authentication cancelled";

	static final String CANNOT_DECODE = "501 5.5.2 Cannot Base64-decode Client responses";

	static final String INVALID_ARGUMENTS = "501 5.5.4 Invalid arguments";

	static final String NOT_AUTHENTICATED = "530 5.7.57 Client not authenticated to send mail.";

	static final String SENDER_ALREADY_SPECIFIED = "503 5.5.2 Sender already specified";

	static final String SENDER_OK = "250 2.1.0 Sender OK";

	static final String MESSAGE_SIZE_EXCEEDS_MAXIMUM = "552 5.3.4 Message size exceeds fixed maximum message size";

	static final String SEND_AS_DENIED = "550 5.7.60 SMTP; Client does not have permissions to send as this sender";

	static final String SUBMISSION_RATE = "421 4.4.2 Message submission rate for this client has exceeded the configured limit";

	static final String NEED_MAIL = "503 5.5.2 Need mail command";

	static final String NEED_RCPT = "503 5.5.2 Need rcpt command";

	static final String TOO_MANY_RECIPIENTS = "452 4.5.3 Too many recipients";

	static final String RECIPIENT_OK = "250 2.1.5 Recipient OK";

	static final String START_MAIL_INPUT = "354 Start mail input; end with <CRLF>.<CRLF>";

	static final String TEMPORARY_SERVER_ERROR = "451 4.7.0 Temporary server error. Please try again later. PRX4 [" + FRONT_END + "]";

	static final String SEND_SIZE_LIMIT = "550 5.2.3 RESOLVER.RST.SendSizeLimit.Sender; message too large for this sender";

	static final String OK = "250 2.0.0 OK";

	static final String RESETTING = "250 2.0.0 Resetting";

	static final String CLOSING = "221 2.0.0 Service closing transmission channel";

	/** Exchange advertises 150 MB (the most any mailbox may be allowed to send), not the per-sender limit. */
	static final long ADVERTISED_SIZE = 157_286_400;

	private static final DateTimeFormatter GREETING_DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z",
			Locale.ENGLISH);

	private SmtpReplies() {
	}

	/** The end of the greeting, after "220 <host> Microsoft ESMTP ": "MAIL Service ready at <date>". */
	static String greetingTail(ZonedDateTime at) {
		return "MAIL Service ready at " + GREETING_DATE.format(at.withZoneSameInstant(ZoneOffset.UTC));
	}

	static String accepted(String messageId) {
		return "2.0.0 OK " + messageId + " [Hostname=" + MAILBOX_SERVER.toUpperCase(Locale.ROOT) + "]";
	}

	// The tail after the exception name is shortened from what Exchange writes (a diagnostic dump).
	static String sendAsDeniedAfterData(String mailbox, String from) {
		return "554 5.2.252 SendAsDenied; " + mailbox + " not allowed to send as " + from
				+ "; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message Cannot submit message. [Hostname="
				+ MAILBOX_SERVER.toUpperCase(Locale.ROOT) + "]";
	}

	static String submissionQuotaExceeded() {
		return "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception with message Cannot submit message. [Hostname="
				+ MAILBOX_SERVER.toUpperCase(Locale.ROOT) + "]";
	}

	// INVENTED: Microsoft documents no reply for a recipient outside the organization of a single-tenant app
	// (the seed only says such tests fail); the code is Exchange's for a delivery restriction, the text is ours
	// and says so.
	static String outsideOrganization(String recipient) {
		return "550 5.7.1 Recipient " + recipient + " is outside the sender's organization, and this app may send "
				+ "only inside it [Microsoft stand-in's text: Microsoft documents no exact reply for this refusal]";
	}

	static String hello(String clientAddress) {
		return FRONT_END + " Hello [" + clientAddress + "]";
	}

}
