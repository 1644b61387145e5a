package io.mailroom.benchmark;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatenciesTest {

	@Test
	void percentilesAreValuesSeenByNearestRank() {
		double[] millis = new double[100];
		for (int i = 0; i < millis.length; i++) {
			millis[i] = 100 - i; // 100 down to 1
		}
		Latencies latencies = Latencies.ofMillis(millis);

		assertThat(latencies.p50()).isEqualTo(50);
		assertThat(latencies.p99()).isEqualTo(99);
		assertThat(latencies.max()).isEqualTo(100);
	}

	@Test
	void withFewValuesP99IsTheLargest() {
		assertThat(Latencies.ofMillis(new double[] { 3, 1, 2 }).p99()).isEqualTo(3);
	}

}
