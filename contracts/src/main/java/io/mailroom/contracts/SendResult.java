package io.mailroom.contracts;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The final outcome of one {@link SendRequest}, published once on {@link Topics#SEND_RESULTS} with the
 * requestId as key. Delivery on the bus is at-least-once: deduplicate by {@code requestId}.
 *
 * @param schemaVersion the contract version; {@value #SCHEMA_VERSION} for this one
 * @param requestId the request's id
 * @param accountId the request's account
 * @param serviceId the request's service
 * @param status SENT, FAILED, EXPIRED or REJECTED
 * @param attempts how many delivery attempts were made (0 when rejected or expired unsent)
 * @param messageId the Message-ID header of the sent mail (also present on failures once assigned)
 * @param smtpReply the last SMTP reply, when there was one
 * @param error why it was not sent; absent when SENT
 * @param acceptedAt when Mailroom took the request in
 * @param occurredAt when the outcome was reached
 * @param tags the request's tags, echoed back
 * @param unconfirmedAttempts attempts that timed out after the whole message was handed to the server, which
 *     may have accepted it then; null when there were none. A SENT result with unconfirmed attempts may have
 *     reached its recipients twice (with the same Message-ID)
 * @param handover how the mail was handed over when it was not plain SMTP (Microsoft Graph, an SMTP-to-Graph
 *     fallback); absent for SMTP
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SendResult(int schemaVersion, UUID requestId, String accountId, UUID serviceId, SendStatus status,
		int attempts, String messageId, SmtpReply smtpReply, ErrorDetails error, Instant acceptedAt,
		Instant occurredAt, Map<String, String> tags, Integer unconfirmedAttempts, Handover handover) {

	public static final int SCHEMA_VERSION = 1;

	public SendResult {
		tags = tags == null ? Map.of() : Map.copyOf(tags);
		unconfirmedAttempts = unconfirmedAttempts == null || unconfirmedAttempts == 0 ? null : unconfirmedAttempts;
	}

	/** A result of a mail handed over by SMTP (or not sent), without unconfirmed attempts. */
	public SendResult(int schemaVersion, UUID requestId, String accountId, UUID serviceId, SendStatus status,
			int attempts, String messageId, SmtpReply smtpReply, ErrorDetails error, Instant acceptedAt,
			Instant occurredAt, Map<String, String> tags) {
		this(schemaVersion, requestId, accountId, serviceId, status, attempts, messageId, smtpReply, error, acceptedAt,
				occurredAt, tags, null, null);
	}

	/** This result with how the mail was handed over. */
	public SendResult withHandover(Handover handover) {
		return new SendResult(schemaVersion, requestId, accountId, serviceId, status, attempts, messageId, smtpReply,
				error, acceptedAt, occurredAt, tags, unconfirmedAttempts, handover);
	}

}
