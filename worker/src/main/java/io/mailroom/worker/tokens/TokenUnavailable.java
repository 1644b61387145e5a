package io.mailroom.worker.tokens;

import java.util.Objects;

import io.mailroom.core.failures.Failure;

/**
 * No access token could be had for a service. {@link #failure()} says why and what it means for the
 * service: retryable for outages and timeouts, a held service when the grant or the setup is broken.
 */
public class TokenUnavailable extends Exception {

	private final transient Failure failure;

	public TokenUnavailable(Failure failure, Throwable cause) {
		super(Objects.requireNonNull(failure, "failure").error().message(), cause);
		this.failure = failure;
	}

	public TokenUnavailable(Failure failure) {
		this(failure, null);
	}

	public Failure failure() {
		return failure;
	}

}
