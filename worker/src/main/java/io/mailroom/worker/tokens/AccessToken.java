package io.mailroom.worker.tokens;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An access token for SMTP XOAUTH2.
 *
 * @param value the bearer token itself: a credential, never logged ({@link #toString()} leaves it out)
 * @param expiresOn when Microsoft stops accepting it
 * @param cacheVersion the version of the stored token cache it came from; a failure with this token names
 *     that version so that it never marks a service an admin has re-authorized since
 * @param source where this call got it from
 */
public record AccessToken(String value, Instant expiresOn, Long cacheVersion, Source source) {

	/** The cache version of an app-only token: there is no stored grant, so a failure never depends on one. */
	public static final Long NO_CACHE = null;

	public AccessToken {
		Objects.requireNonNull(value, "value");
		Objects.requireNonNull(expiresOn, "expiresOn");
		Objects.requireNonNull(source, "source");
	}

	/** Where a token was found. */
	public enum Source {

		/** This worker's memory: no MSAL call at all. */
		MEMORY,

		/** The stored MSAL cache (another worker, or an earlier run, refreshed it): no identity platform call. */
		MSAL_CACHE,

		/** A refresh at the identity platform's token endpoint. */
		REFRESH

	}

	/** Whether the token still has more than {@code margin} to live at {@code now}. */
	public boolean validFor(Duration margin, Instant now) {
		return expiresOn.isAfter(now.plus(margin));
	}

	/** Whether this is the same credential as {@code other}, wherever either was found. */
	public boolean sameValueAs(AccessToken other) {
		return other != null && value.equals(other.value);
	}

	AccessToken from(Source source) {
		return this.source == source ? this : new AccessToken(value, expiresOn, cacheVersion, source);
	}

	@Override
	public String toString() {
		return "AccessToken[expiresOn=" + expiresOn + ", cacheVersion=" + cacheVersion + ", source=" + source + "]";
	}

}
