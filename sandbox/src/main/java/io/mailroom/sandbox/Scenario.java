package io.mailroom.sandbox;

/**
 * A failure (or limit) injected into the sandbox, active until cleared. Use it in try-with-resources or
 * clear it in the test; {@link Scenarios#clearAll()} clears every one.
 */
public interface Scenario extends AutoCloseable {

	/** A short text for people, e.g. "grants of alice@contoso.com revoked". */
	String description();

	/** Ends the scenario; clearing twice is harmless. */
	void clear();

	/** Whether the scenario still applies (one that was cleared, or used up its count, does not). */
	boolean active();

	@Override
	default void close() {
		clear();
	}

}
