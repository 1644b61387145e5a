package io.mailroom.worker.queue;

import java.time.Instant;
import java.util.UUID;

import io.mailroom.contracts.Priority;
import io.mailroom.contracts.SendRequest;

/**
 * A request claimed for sending.
 *
 * @param attempts delivery attempts made before this one
 */
public record QueuedMail(SendRequest request, int attempts, Instant enqueuedAt, Instant acceptedAt,
		String traceparent) {

	public UUID requestId() {
		return request.requestId();
	}

	public UUID serviceId() {
		return request.serviceId();
	}

	public Priority priority() {
		return request.priority();
	}

	public Instant expiresAt() {
		return request.expiresAt();
	}

	@Override
	public String toString() {
		return "QueuedMail[" + requestId() + ", service " + serviceId() + ", attempt " + (attempts + 1) + "]";
	}

}
