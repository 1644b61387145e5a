package io.mailroom.benchmark;

import java.util.Arrays;

/** A set of latencies in milliseconds and its percentiles (nearest rank: a percentile is a value seen). */
record Latencies(double[] sortedMillis) {

	static Latencies ofMillis(double[] millis) {
		double[] sorted = millis.clone();
		Arrays.sort(sorted);
		return new Latencies(sorted);
	}

	static Latencies ofNanos(long[] nanos) {
		return ofMillis(Arrays.stream(nanos).mapToDouble(n -> n / 1e6).toArray());
	}

	int count() {
		return sortedMillis.length;
	}

	/** The smallest value that at least {@code percent} % of the values do not exceed. */
	double percentile(double percent) {
		if (sortedMillis.length == 0) {
			return Double.NaN;
		}
		int rank = (int) Math.ceil(percent / 100 * sortedMillis.length);
		return sortedMillis[Math.clamp(rank - 1, 0, sortedMillis.length - 1)];
	}

	double p50() {
		return percentile(50);
	}

	double p99() {
		return percentile(99);
	}

	double max() {
		return sortedMillis.length == 0 ? Double.NaN : sortedMillis[sortedMillis.length - 1];
	}

}
