package io.mailroom.worker.queue;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.Priority;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SendStatus;

/**
 * A request as intake stores it: queued to be sent, or already final (rejected or expired on arrival).
 *
 * @param json the request as received, for queued ones; null for final ones (nothing will read it)
 * @param error why it is final, or null when queued
 */
public record NewDelivery(UUID requestId, UUID serviceId, String accountId, Priority priority, byte[] json,
		String subject, String recipient, int recipientCount, Map<String, String> tags, String traceparent,
		Instant enqueuedAt, Instant notBefore, Instant expiresAt, FinalStatus finalStatus, ErrorDetails error) {

	public enum FinalStatus {

		REJECTED, EXPIRED

	}

	public static NewDelivery queued(SendRequest request, byte[] json, String traceparent, Instant enqueuedAt) {
		return new NewDelivery(request.requestId(), request.serviceId(), request.accountId(), request.priority(), json,
				request.subject(), firstRecipient(request), request.allRecipients().size(), request.tags(),
				traceparent, enqueuedAt, request.notBefore(), request.expiresAt(), null, null);
	}

	public static NewDelivery finished(FinalStatus status, UUID requestId, UUID serviceId, String accountId,
			SendRequest requestIfReadable, ErrorDetails error, String traceparent, Instant enqueuedAt) {
		SendRequest r = requestIfReadable;
		return new NewDelivery(requestId, serviceId, accountId,
				r == null ? Priority.TRANSACTIONAL : r.priority(), null, r == null ? null : r.subject(),
				r == null ? null : firstRecipient(r), r == null ? 0 : r.allRecipients().size(),
				r == null ? Map.of() : r.tags(), traceparent, enqueuedAt, null, r == null ? null : r.expiresAt(), status,
				error);
	}

	/** The final delivery of a request that was rejected or expired on arrival. */
	public FinishedDelivery toFinished(Instant acceptedAt) {
		return new FinishedDelivery(requestId, accountId, serviceId,
				finalStatus == FinalStatus.REJECTED ? SendStatus.REJECTED : SendStatus.EXPIRED, 0, 0, null, null, error,
				priority, enqueuedAt, acceptedAt, acceptedAt, tags, traceparent, null);
	}

	private static String firstRecipient(SendRequest request) {
		return request.allRecipients().isEmpty() ? null : request.allRecipients().getFirst().address();
	}

}
