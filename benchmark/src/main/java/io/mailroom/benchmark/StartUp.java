package io.mailroom.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

	private final Path workDir;

	StartUp(EndToEnd endToEnd, LeanSinkProcess sink, Path workDir) {
		this.endToEnd = endToEnd;
		this.sink = sink;
		this.workDir = workDir;
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
						.add(new Trial(Duration.ofMillis(first.firstAt() - started), Duration.ofMillis(ready - started),
								cacheError(workDir.resolve("worker-startup.log"))));
				}
			}
		}
		return new Result(results);
	}

	/** The JVM's first complaint about its AOT cache in a worker's log (it then starts without it), or null. */
	private static String cacheError(Path log) {
		try (var lines = Files.lines(log)) {
			return lines.limit(20).filter(line -> line.contains("[error][aot]")).findFirst().orElse(null);
		}
		catch (IOException | java.io.UncheckedIOException ex) {
			return null;
		}
	}

	/**
	 * @param firstMail process start to the first mail at the sink
	 * @param ready process start to its readiness probe answering (polled every 200 ms)
	 * @param cacheError why the JVM did not use its AOT cache, or null
	 */
	record Trial(Duration firstMail, Duration ready, String cacheError) {
	}

	record Result(Map<WorkerLaunch, List<Trial>> trials) {

		/** The median start-to-first-mail of a launch (the lower middle of an even count). */
		static Duration median(List<Trial> trials) {
			List<Duration> sorted = trials.stream().map(Trial::firstMail).sorted().toList();
			return sorted.get((sorted.size() - 1) / 2);
		}

	}

}
