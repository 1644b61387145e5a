package io.mailroom.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * CPU time used so far by the parts of a run: the worker process (or the Spring peer's), PostgreSQL (server
 * and backends), this JVM (the Kafka broker, the Microsoft stand-in, the producer and the result consumer),
 * the lean SMTP sink's JVM, and the whole machine, from
 * {@code /proc}. Two snapshots give who used how much of the machine in between; what none of them
 * used is the rest of the machine (other work on a shared box).
 */
record CpuSnapshot(Duration worker, Duration postgres, Duration benchmark, Duration sink, Duration machineBusy,
		Duration steal, long takenNanos) {

	/** Linux reports /proc/stat in USER_HZ ticks, 100 a second on every mainstream kernel. */
	private static final double TICKS_PER_SECOND = 100;

	static CpuSnapshot take(Supplier<Duration> worker, Infrastructure infrastructure) {
		return take(worker, infrastructure, null);
	}

	/** @param sink the lean SMTP sink's process, or null where it plays no part */
	static CpuSnapshot take(Supplier<Duration> worker, Infrastructure infrastructure, LeanSinkProcess sink) {
		Duration postgres = infrastructure.postgresProcesses()
			.map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
			.reduce(Duration.ZERO, Duration::plus);
		Duration self = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
		long[] machine = readMachineTicks();
		return new CpuSnapshot(worker.get(), postgres, self, sink == null ? Duration.ZERO : sink.cpu(),
				ticks(machine, 0, 1, 2, 5, 6), ticks(machine, 7), System.nanoTime());
	}

	/** What each part used between {@code before} and this snapshot. */
	Usage since(CpuSnapshot before) {
		return new Usage(worker.minus(before.worker), postgres.minus(before.postgres),
				benchmark.minus(before.benchmark), sink.minus(before.sink), machineBusy.minus(before.machineBusy),
				steal.minus(before.steal), Duration.ofNanos(takenNanos - before.takenNanos));
	}

	/**
	 * The machine's CPU ticks from /proc/stat: user nice system idle iowait irq softirq steal. Busy is
	 * everything but idle, I/O wait and steal; steal is time the host gave to other machines while this one
	 * wanted to run (on a shared host it slows every part of a run alike, and makes runs differ).
	 */
	private static long[] readMachineTicks() {
		try {
			String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
			return Arrays.stream(fields, 1, fields.length).mapToLong(Long::parseLong).toArray();
		}
		catch (IOException | RuntimeException ex) {
			return new long[0]; // not Linux: the machine's share is then not reported
		}
	}

	private static Duration ticks(long[] machine, int... fields) {
		long sum = 0;
		for (int field : fields) {
			sum += field < machine.length ? machine[field] : 0;
		}
		return Duration.ofMillis(Math.round(sum / TICKS_PER_SECOND * 1000));
	}

	/** CPU used by each part over {@code wall} time. */
	record Usage(Duration worker, Duration postgres, Duration benchmark, Duration sink, Duration machineBusy,
			Duration steal, Duration wall) {

		Duration rest() {
			Duration rest = machineBusy.minus(worker).minus(postgres).minus(benchmark).minus(sink);
			return rest.isNegative() ? Duration.ZERO : rest;
		}

	}

}
