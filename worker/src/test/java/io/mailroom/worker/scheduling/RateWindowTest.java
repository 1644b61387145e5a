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

	@Test
	void aDailyWindowFreesEachPermitADayAfterItsSendAndRestoresFromWhatWasSent() {
		RateWindow day = new RateWindow(2, Duration.ofDays(1));
		assertThat(day.tryAcquire(T0)).isTrue();
		day.completed(T0.plusSeconds(1));
		assertThat(day.tryAcquire(T0.plusSeconds(2))).isTrue();
		day.completed(T0.plusSeconds(3));

		assertThat(day.available(T0.plusSeconds(3600))).isZero();
		assertThat(day.nextPermitAt()).isEqualTo(T0.plusSeconds(1).plus(Duration.ofDays(1)));

		// a next owner starts from the sends of the last day, as the delivery log has them
		RateWindow restored = RateWindow.restore(2, Duration.ofDays(1), day.snapshot(T0.plusSeconds(10), Duration.ZERO, 0),
				T0.plusSeconds(10));
		assertThat(restored.available(T0.plusSeconds(10))).isZero();
		assertThat(restored.withLimit(3, T0.plusSeconds(10)).available(T0.plusSeconds(10))).isEqualTo(1);
		assertThat(restored.available(T0.plus(Duration.ofDays(1)).plusSeconds(2))).isEqualTo(1);
	}

}
