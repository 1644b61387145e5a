package io.mailroom.worker.queue;

import java.time.Instant;
import java.util.UUID;

import io.mailroom.contracts.Priority;
import io.mailroom.contracts.SendRequest;

/**
 * A request claimed for sending.
 *
 * @param attempts delivery attempts made before this one
 * @param unconfirmedAttempts earlier attempts that timed out after the whole message was handed over
 * @param deadline when the mail must have been sent by: the request's {@code expiresAt}, or Mailroom's
 *     limit for mail of its priority, whichever is earlier
 * @param traceparent the trace context of the request's intake span: its later spans are children of it
 * @param claim the lease generation the claim was made under; settling it proves that claim
 * @param dueAt since when it waited to be claimed: when it was stored, its notBefore, or its retry time
 */
public record QueuedMail(SendRequest request, int attempts, int unconfirmedAttempts, Instant enqueuedAt,
		Instant acceptedAt, Instant deadline, String traceparent, long claim, Instant dueAt) {

	public UUID requestId() {
		return request.requestId();
	}

	public UUID serviceId() {
		return request.serviceId();
	}

	public Priority priority() {
		return request.priority();
	}

	@Override
	public String toString() {
		return "QueuedMail[" + requestId() + ", service " + serviceId() + ", attempt " + (attempts + 1) + "]";
	}

}
