package io.mailroom.worker.tokens;

import java.time.Duration;

import io.mailroom.sandbox.MicrosoftSandbox;
import io.mailroom.sandbox.SandboxSettings;

/**
 * The Microsoft sandboxes of these tests, one of each per test JVM. Both use the same certificate
 * authority (the sandbox issues one per JVM and host name), so one SSL bundle trusts both.
 */
public final class TestSandboxes {

	/** Moves the clock of {@link #microsoft()} only: our side keeps the real time, as a drifting server would. */
	public static final MovableClock MICROSOFT_CLOCK = new MovableClock();

	private static MicrosoftSandbox microsoft;

	private static MicrosoftSandbox shortLived;

	private TestSandboxes() {
	}

	/** Microsoft as it is, with tokens of a fixed hour and a clock that tests may move. */
	public static synchronized MicrosoftSandbox microsoft() {
		if (microsoft == null) {
			microsoft = started(SandboxSettings.defaults()
				.withAccessTokenLifetime(Duration.ofHours(1))
				.withClock(MICROSOFT_CLOCK));
		}
		return microsoft;
	}

	/**
	 * A Microsoft whose access tokens live four minutes: less than MSAL's own five-minute refresh
	 * threshold, so every MSAL call that is not served from our memory goes to the token endpoint.
	 */
	public static synchronized MicrosoftSandbox shortLived() {
		if (shortLived == null) {
			shortLived = started(SandboxSettings.defaults().withAccessTokenLifetime(Duration.ofMinutes(4)));
		}
		return shortLived;
	}

	private static MicrosoftSandbox started(SandboxSettings settings) {
		MicrosoftSandbox sandbox = MicrosoftSandbox.start(settings);
		Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "test-sandbox-stop"));
		return sandbox;
	}

}
