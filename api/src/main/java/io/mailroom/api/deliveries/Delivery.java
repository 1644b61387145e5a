package io.mailroom.api.deliveries;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.SmtpReply;

/**
 * One request in the delivery log.
 *
 * @param recipient the first recipient
 * @param attempts how many delivery attempts were made
 * @param smtpReply the last SMTP reply, when there was one
 * @param error why it is not sent (yet), e.g. why it is held
 * @param attemptLog each attempt with its outcome; only when one request is read
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Delivery(UUID requestId, UUID serviceId, DeliveryStatus status, String subject, String recipient,
		int recipientCount, Map<String, String> tags, Instant enqueuedAt, Instant acceptedAt, Instant notBefore,
		Instant expiresAt, Instant nextAttemptAt, int attempts, String messageId, SmtpReply smtpReply,
		ErrorDetails error, Instant finishedAt, List<Attempt> attemptLog) {

	Delivery withAttemptLog(List<Attempt> log) {
		return new Delivery(requestId, serviceId, status, subject, recipient, recipientCount, tags, enqueuedAt,
				acceptedAt, notBefore, expiresAt, nextAttemptAt, attempts, messageId, smtpReply, error, finishedAt,
				log);
	}

	/**
	 * One delivery attempt.
	 *
	 * @param outcome SENT, RETRY, FAILED or HELD
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Attempt(int attempt, Instant startedAt, Instant finishedAt, String outcome, SmtpReply smtpReply,
			ErrorDetails error) {
	}

}
