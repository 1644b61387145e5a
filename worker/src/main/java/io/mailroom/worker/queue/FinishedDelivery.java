package io.mailroom.worker.queue;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.Handover;
import io.mailroom.contracts.Priority;
import io.mailroom.contracts.SendResult;
import io.mailroom.contracts.SendStatus;
import io.mailroom.contracts.SmtpReply;

/**
 * A delivery that reached a final status, with what its result event needs.
 *
 * @param unconfirmedAttempts attempts that timed out after the whole message was handed over
 * @param handover how a sent mail was handed over when that was not plain SMTP (Graph, a fallback), else null
 */
public record FinishedDelivery(UUID requestId, String accountId, UUID serviceId, SendStatus status, int attempts,
		int unconfirmedAttempts, String messageId, SmtpReply smtpReply, ErrorDetails error, Priority priority,
		Instant enqueuedAt, Instant acceptedAt, Instant finishedAt, Map<String, String> tags, String traceparent,
		Handover handover) {

	public SendResult toResult() {
		return new SendResult(SendResult.SCHEMA_VERSION, requestId, accountId, serviceId, status, attempts, messageId,
				smtpReply, error, acceptedAt, finishedAt, tags, unconfirmedAttempts, handover);
	}

}
