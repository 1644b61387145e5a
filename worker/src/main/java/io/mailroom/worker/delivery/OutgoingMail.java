package io.mailroom.worker.delivery;

import java.util.Objects;
import java.util.UUID;

import io.mailroom.contracts.SendRequest;

/**
 * A mail to send.
 *
 * @param requestId the request's idempotency key; the mail's Message-ID is made from it
 * @param request what to send
 */
public record OutgoingMail(UUID requestId, SendRequest request) {

	public OutgoingMail {
		Objects.requireNonNull(requestId, "requestId");
		Objects.requireNonNull(request, "request");
	}

	public static OutgoingMail of(SendRequest request) {
		return new OutgoingMail(request.requestId(), request);
	}

	@Override
	public String toString() {
		return "OutgoingMail[" + requestId + "]";
	}

}
