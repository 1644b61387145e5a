package io.mailroom.api.testemail;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.SmtpReply;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * How a test email went.
 *
 * @param outcome SENT (the SMTP server accepted it), FAILED, EXPIRED or REJECTED (final), HELD (the worker keeps
 *     it because the service needs attention: see error), or PENDING (no outcome within the wait: poll the
 *     delivery by requestId)
 * @param messageId the Message-ID of the sent mail
 * @param smtpReply the SMTP server's last reply, e.g. 535 5.7.139
 * @param error why it was not sent, with Microsoft's code, a link and what to do
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TestEmailResult(UUID requestId, @Schema(allowableValues = { "SENT", "FAILED", "EXPIRED", "REJECTED", "HELD",
		"PENDING" }) String outcome, String recipient, Integer attempts, String messageId, SmtpReply smtpReply,
		ErrorDetails error) {
}
