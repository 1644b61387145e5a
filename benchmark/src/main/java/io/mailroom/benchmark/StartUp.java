package io.mailroom.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mailroom.contracts.SendRequest;
import io.mailroom.core.services.SmtpService;

/**
 * Start-to-first-mail of a worker started each way ({@link WorkerLaunch}): a few mails are queued in Kafka,
 * the worker's process is started, and the time to the first mail the lean sink receives is taken; the ways
 * take turns, so a burst of load on the machine does not favour one of them.
 */
final class StartUp {

	private static final int MAILS = 20;

	private final EndToEnd endToEnd;

	private final LeanSinkProcess sink;

	StartUp(EndToEnd endToEnd, LeanSinkProcess sink) {
		this.endToEnd = endToEnd;
		this.sink = sink;
	}

	Result run(SmtpService service, Map<WorkerLaunch, WorkerFactory> launches, int trials) {
		Map<WorkerLaunch, List<Trial>> results = new LinkedHashMap<>();
		launches.keySet().forEach(launch -> results.put(launch, new ArrayList<>()));
		for (int trial = 0; trial < trials; trial++) {
			for (var launch : launches.entrySet()) {
				Benchmark.progress("start-up: trial " + (trial + 1) + " of " + trials + ", " + launch.getKey().name());
				List<SendRequest> mails = Mails.digests(service, MAILS, io.mailroom.contracts.Priority.BULK, 100 + trial);
				long published = endToEnd.publish(mails);
				sink.reset();
				long started = System.currentTimeMillis();
				try (WorkerProcess worker = launch.getValue().start("startup")) {
					long ready = System.currentTimeMillis();
					LeanSinkProcess.Stats first = sink.awaitMails(1, Duration.ofMinutes(3));
					endToEnd.await(mails, published, Duration.ofMinutes(2));
					results.get(launch.getKey())
						.add(new Trial(Duration.ofMillis(first.firstAt() - started), Duration.ofMillis(ready - started)));
				}
			}
		}
		return new Result(results);
	}

	/**
	 * @param firstMail process start to the first mail at the sink
	 * @param ready process start to its readiness probe answering (polled every 200 ms)
	 */
	record Trial(Duration firstMail, Duration ready) {
	}

	record Result(Map<WorkerLaunch, List<Trial>> trials) {

		/** The median start-to-first-mail of a launch (the lower middle of an even count). */
		static Duration median(List<Trial> trials) {
			List<Duration> sorted = trials.stream().map(Trial::firstMail).sorted().toList();
			return sorted.get((sorted.size() - 1) / 2);
		}

	}

}
