package io.mailroom.api.deliveries;

/** Where a request is in the worker's queue, or how it ended. */
public enum DeliveryStatus {

	/** Waiting for its turn (or its retry time). */
	QUEUED,

	/** A worker is sending it now. */
	SENDING,

	/** Kept until the service is authorized again or fixed; see the error for why. */
	HELD,

	/** The SMTP server accepted it. */
	SENT,

	/** It could not be sent. */
	FAILED,

	/** Its expiresAt passed before it could be sent. */
	EXPIRED,

	/** The request was invalid and never queued. */
	REJECTED;

	/** Whether the request has reached its final outcome. */
	public boolean isFinal() {
		return this == SENT || this == FAILED || this == EXPIRED || this == REJECTED;
	}

}
