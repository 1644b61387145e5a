package io.mailroom.worker.scheduling;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateWindowTest {

	private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

	@Test
	void allowsTheLimitAtOnceThenWaitsAMinuteAfterTheFirstCompletion() {
		RateWindow window = new RateWindow(3);
		for (int i = 0; i < 3; i++) {
			assertThat(window.tryAcquire(T0)).isTrue();
		}
		assertThat(window.tryAcquire(T0)).isFalse();

		window.completed(T0.plusSeconds(2));
		window.completed(T0.plusSeconds(5));
		window.completed(T0.plusSeconds(9));

		assertThat(window.nextPermitAt()).isEqualTo(T0.plusSeconds(62));
		assertThat(window.tryAcquire(T0.plusSeconds(61))).isFalse();
		assertThat(window.tryAcquire(T0.plusSeconds(62))).isTrue();
		assertThat(window.available(T0.plusSeconds(62))).isZero();
		assertThat(window.available(T0.plusSeconds(69))).isEqualTo(2);
	}

	@Test
	void aSlowSendKeepsItsPermitUntilAMinuteAfterItCompletes() {
		RateWindow window = new RateWindow(1);
		assertThat(window.tryAcquire(T0)).isTrue();

		// the server may count it at any moment until it completes 20 s later
		window.completed(T0.plusSeconds(20));

		assertThat(window.available(T0.plusSeconds(60))).isZero();
		assertThat(window.available(T0.plusSeconds(80))).isEqualTo(1);
	}

	@Test
	void whenTheServerSaysWeAreOverItsLimitNothingIsSentUntilItsMinuteIsOver() {
		RateWindow window = new RateWindow(1000);
		window.tryAcquire(T0);
		window.completed(T0.plusMillis(10));

		window.exhaustUntil(T0.plus(Duration.ofSeconds(3)));

		assertThat(window.available(T0.plusSeconds(2))).isZero();
		assertThat(window.nextPermitAt()).isEqualTo(T0.plusSeconds(3));
		assertThat(window.available(T0.plusSeconds(3))).isEqualTo(999);
	}

	@Test
	void aPermitNotUsedIsGivenBack() {
		RateWindow window = new RateWindow(1);
		window.tryAcquire(T0);

		window.release();

		assertThat(window.available(T0)).isEqualTo(1);
		assertThat(window.nextPermitAt()).isNull();
	}

}
