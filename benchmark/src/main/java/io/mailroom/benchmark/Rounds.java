package io.mailroom.benchmark;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * (a) and (c) to the lean sink, measured in turns: (a), (c), (a), (c)… Identical runs minutes apart differ by
 * ±15 % on this kind of machine (docs/benchmark.md, "how to tell a cut from the spread"), more than the gaps the
 * targets decide, so each target is the median of its per-round figures, and each round's ratio is taken
 * between an (a) and a (c) measured one after the other.
 */
record Rounds(List<Round> all) {

	Rounds {
		if (all.isEmpty()) {
			throw new IllegalArgumentException("At least one round");
		}
		all = List.copyOf(all);
	}

	/**
	 * One turn of each.
	 * @param a (a) to the lean sink, or null if not run
	 * @param c (c) to the lean sink, or null if not run
	 */
	record Round(Ceiling a, MailroomEndToEnd.Result c) {

		double coldOverA() {
			return c.cold().throughput() / a.warm().throughput();
		}

		double warmOverA() {
			return c.warm().run().throughput() / a.warm().throughput();
		}

		double workerMicrosPerMail() {
			return Report.microsPerMail(c.warm().cpu().worker(), c.warm().run().messages());
		}

		/** The worker's CPU per mail over (a)'s process's: JIT compiler and collector on both sides. */
		double workerCpuOverLoopProcess() {
			return workerMicrosPerMail() / Report.microsPerMail(a.warmProcessCpu(), a.warm().messages());
		}

		/** The same over (a)'s sending thread alone: the stricter view. */
		double workerCpuOverLoopThread() {
			return workerMicrosPerMail() / Report.microsPerMail(a.warm().cpu(), a.warm().messages());
		}

		double postgresMillisPerMail() {
			return Report.microsPerMail(c.warm().cpu().postgres(), c.warm().run().messages()) / 1000;
		}

		double startToFirstMailSeconds() {
			return c.cold().startToFirstMail().toMillis() / 1000.0;
		}

	}

	boolean hasA() {
		return all.getFirst().a() != null;
	}

	boolean hasC() {
		return all.getFirst().c() != null;
	}

	/** A figure of every round, in round order. */
	List<Double> each(ToDoubleFunction<Round> figure) {
		return all.stream().map(round -> figure.applyAsDouble(round)).toList();
	}

	/** The median of a figure over the rounds (the lower middle of an even count). */
	double median(ToDoubleFunction<Round> figure) {
		return median(each(figure));
	}

	static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		return sorted.get((sorted.size() - 1) / 2);
	}

	/**
	 * The round whose tables are printed in full: the one with the median worker CPU ratio when (a) and (c)
	 * both ran, else the one with the median of what did run, so the details shown are a typical round's.
	 */
	Round shown() {
		ToDoubleFunction<Round> key = hasA() && hasC() ? Round::workerCpuOverLoopProcess
				: hasC() ? Round::workerMicrosPerMail : round -> round.a().warm().throughput();
		double median = median(key);
		return all.stream().filter(round -> key.applyAsDouble(round) == median).findFirst().orElseThrow();
	}

	/** 1-based position of a round. */
	int numberOf(Round round) {
		return all.indexOf(round) + 1;
	}

}
