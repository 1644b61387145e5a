package io.mailroom.worker.tokens;

import java.util.Objects;

import io.mailroom.core.failures.Failure;

/**
 * No access token could be had for a service. {@link #failure()} says why and what it means for the
 * service: retryable for outages and timeouts, a held service when the grant or the setup is broken.
 * {@link #authorizationVersion()} is the token cache version that failed, so whoever decides about the
 * service can tell whether that authorization is still the current one.
 */
public class TokenUnavailable extends Exception {

	private final transient Failure failure;

	private final Long authorizationVersion;

	public TokenUnavailable(Failure failure, Long authorizationVersion, Throwable cause) {
		super(Objects.requireNonNull(failure, "failure").error().message(), cause);
		this.failure = failure;
		this.authorizationVersion = authorizationVersion;
	}

	public Failure failure() {
		return failure;
	}

	/**
	 * The token cache version the failed request used ({@link io.mailroom.core.tokens.TokenCaches#NONE} when
	 * there was none), or null when the failure happened before any cache was read.
	 */
	public Long authorizationVersion() {
		return authorizationVersion;
	}

}
