package io.mailroom.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.mailroom.contracts.SendRequest;

/**
 * (c): mails published to Kafka, one worker process sending them, their results consumed. Cold first: the
 * cold mails are published before a fresh worker starts, so its start-to-first-mail and its first mails are
 * measured as a deployment meets them after a restart with a backlog. Then, with the same worker, now warm,
 * one burst to the lean sink (CPU, heap, database activity and the optional profile measured over it) and
 * one to the Microsoft stand-in.
 */
final class MailroomEndToEnd {

	private final Infrastructure infrastructure;

	private final EndToEnd endToEnd;

	private final WorkerFactory workers;

	private final LeanSinkProcess sink;

	private final Path workDir;

	private final boolean profile;

	MailroomEndToEnd(Infrastructure infrastructure, EndToEnd endToEnd, WorkerFactory workers, LeanSinkProcess sink,
			Path workDir, boolean profile) {
		this.infrastructure = infrastructure;
		this.endToEnd = endToEnd;
		this.workers = workers;
		this.sink = sink;
		this.workDir = workDir;
		this.profile = profile;
	}

	/**
	 * @param cold mails to the lean sink, queued before the worker starts
	 * @param lean mails to the lean sink, in one burst to the warm worker
	 * @param standIn mails to the Microsoft stand-in, in one burst to the warm worker (none: not run)
	 */
	Result run(List<SendRequest> cold, List<SendRequest> lean, List<SendRequest> standIn) {
		Benchmark.progress("(c) " + cold.size() + " mails queued in Kafka, then a fresh worker started");
		long published = endToEnd.publish(cold);
		sink.reset();
		long started = System.currentTimeMillis();
		try (WorkerProcess worker = workers.start("throughput")) {
			LeanSinkProcess.Stats first = sink.awaitMails(1, Duration.ofMinutes(3));
			Duration startToFirstMail = Duration.ofMillis(first.firstAt() - started);
			CpuSnapshot coldBefore = CpuSnapshot.take(worker::cpu, infrastructure, sink);
			WorkerProcess.HeapPeak coldHeap = worker.watchHeap();
			EndToEnd.Run coldRun = endToEnd.await(cold, published, Benchmark.timeoutFor(cold.size()));
			CpuSnapshot.Usage coldCpu = CpuSnapshot.take(worker::cpu, infrastructure, sink).since(coldBefore);
			Duration sending = Duration.ofMillis(coldRun.lastResultAt() - first.firstAt());
			Cold coldResult = new Cold(coldRun, startToFirstMail, sending, coldCpu, coldHeap.peak());

			Path recording = workDir.resolve("worker-throughput.jfr");
			if (profile) {
				if (Runtime.version().feature() >= 25) {
					worker.startRecording(recording, WorkerProfile.METHOD_TIMING);
				}
				else {
					worker.startRecording(recording);
				}
			}
			Benchmark.progress("(c) " + lean.size() + " mails to the lean sink through Kafka, the warm worker and back");
			ThreadCpu threadsBefore = ThreadCpu.of(worker.pid());
			ThreadCpu ownThreadsBefore = ThreadCpu.of(ProcessHandle.current().pid());
			CpuSnapshot before = CpuSnapshot.take(worker::cpu, infrastructure, sink);
			DatabaseActivity databaseBefore = DatabaseActivity.take(infrastructure.jdbc());
			WorkerProcess.HeapPeak heap = worker.watchHeap();
			EndToEnd.Run run = endToEnd.burst(lean, Benchmark.timeoutFor(lean.size()));
			long peakHeap = heap.peak();
			CpuSnapshot.Usage usage = CpuSnapshot.take(worker::cpu, infrastructure, sink).since(before);
			DatabaseActivity database = DatabaseActivity.take(infrastructure.jdbc()).since(databaseBefore);
			Map<String, Double> threads = ThreadCpu.of(worker.pid()).secondsSince(threadsBefore);
			Map<String, Double> ownThreads = ThreadCpu.of(ProcessHandle.current().pid()).secondsSince(ownThreadsBefore);
			WorkerProfile.Summary summary = null;
			if (profile) {
				worker.stopRecording();
				summary = WorkerProfile.of(recording);
			}
			Warm warm = new Warm(run, usage, peakHeap, threads, ownThreads, database, summary);

			Warm warmStandIn = null;
			if (!standIn.isEmpty()) {
				Benchmark.progress("(c) " + standIn.size() + " mails to the Microsoft stand-in through the warm worker");
				CpuSnapshot standInBefore = CpuSnapshot.take(worker::cpu, infrastructure, sink);
				WorkerProcess.HeapPeak standInHeap = worker.watchHeap();
				EndToEnd.Run standInRun = endToEnd.burst(standIn, Benchmark.timeoutFor(standIn.size()));
				warmStandIn = new Warm(standInRun,
						CpuSnapshot.take(worker::cpu, infrastructure, sink).since(standInBefore), standInHeap.peak(),
						Map.of(), Map.of(), null, null);
			}
			return new Result(coldResult, warm, warmStandIn);
		}
	}

	/**
	 * The first mails of a fresh worker, queued before it started.
	 * @param startToFirstMail from starting the worker's process to the first mail the sink received
	 * @param sending from that first mail to the last result
	 * @param cpu CPU used over {@code sending}
	 */
	record Cold(EndToEnd.Run run, Duration startToFirstMail, Duration sending, CpuSnapshot.Usage cpu, long peakHeapBytes) {

		double throughput() {
			return run.messages() / (sending.toNanos() / 1e9);
		}

	}

	/**
	 * A burst through the warm worker.
	 * @param cpu CPU used by each part of the machine from the burst's start to its last result
	 * @param peakHeapBytes the most heap the worker had in use, from its GC log
	 * @param workerThreads the worker's CPU seconds by thread group
	 * @param benchmarkThreads the same for this JVM: the broker, the stand-in, producer and consumer
	 * @param database what PostgreSQL did for Mailroom's database over the burst
	 * @param profile where the worker's Java code spent its time, when recorded
	 */
	record Warm(EndToEnd.Run run, CpuSnapshot.Usage cpu, long peakHeapBytes, Map<String, Double> workerThreads,
			Map<String, Double> benchmarkThreads, DatabaseActivity database, WorkerProfile.Summary profile) {
	}

	/** @param standIn the burst to the Microsoft stand-in, or null if not run */
	record Result(Cold cold, Warm warm, Warm standIn) {
	}

}
