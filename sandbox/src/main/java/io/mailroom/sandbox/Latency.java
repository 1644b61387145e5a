package io.mailroom.sandbox;

import java.time.Duration;

/** Holds a reply back for a latency scenario. */
final class Latency {

	private Latency() {
	}

	static void apply(Duration delay) {
		if (delay.isZero() || delay.isNegative()) {
			return;
		}
		try {
			Thread.sleep(delay);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
