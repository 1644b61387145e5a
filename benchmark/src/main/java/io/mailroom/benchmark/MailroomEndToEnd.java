package io.mailroom.benchmark;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.mailroom.contracts.SendRequest;

/**
 * (c): the mails published to Kafka in one burst, one worker process sending them, their results consumed.
 * The worker is warmed up with other mails first; its CPU, heap and threads are measured over the burst.
 */
final class MailroomEndToEnd {

	private final Infrastructure infrastructure;

	private final EndToEnd endToEnd;

	private final WorkerFactory workers;

	private final Path workDir;

	private final boolean profile;

	MailroomEndToEnd(Infrastructure infrastructure, EndToEnd endToEnd, WorkerFactory workers, Path workDir,
			boolean profile) {
		this.infrastructure = infrastructure;
		this.endToEnd = endToEnd;
		this.workers = workers;
		this.workDir = workDir;
		this.profile = profile;
	}

	Result run(List<SendRequest> mails, List<SendRequest> warmup) {
		Benchmark.progress("(c) starting a worker");
		try (WorkerProcess worker = workers.start("throughput")) {
			if (!warmup.isEmpty()) {
				Benchmark.progress("(c) warming the worker up with " + warmup.size() + " mails");
				endToEnd.burst(warmup, Benchmark.timeoutFor(warmup.size()));
			}
			Path recording = workDir.resolve("worker-throughput.jfr");
			if (profile) {
				worker.startRecording(recording);
			}
			Benchmark.progress("(c) " + mails.size() + " mails through Kafka, the worker and back");
			ThreadCpu threadsBefore = ThreadCpu.of(worker.pid());
			ThreadCpu ownThreadsBefore = ThreadCpu.of(ProcessHandle.current().pid());
			CpuSnapshot before = CpuSnapshot.take(worker::cpu, infrastructure);
			DatabaseActivity databaseBefore = DatabaseActivity.take(infrastructure.jdbc());
			WorkerProcess.HeapPeak heap = worker.watchHeap();
			EndToEnd.Run run = endToEnd.burst(mails, Benchmark.timeoutFor(mails.size()));
			long peakHeap = heap.peak();
			CpuSnapshot.Usage usage = CpuSnapshot.take(worker::cpu, infrastructure).since(before);
			DatabaseActivity database = DatabaseActivity.take(infrastructure.jdbc()).since(databaseBefore);
			Map<String, Double> threads = ThreadCpu.of(worker.pid()).secondsSince(threadsBefore);
			Map<String, Double> ownThreads = ThreadCpu.of(ProcessHandle.current().pid()).secondsSince(ownThreadsBefore);
			WorkerProfile.Summary summary = null;
			if (profile) {
				worker.stopRecording();
				summary = WorkerProfile.of(recording);
			}
			return new Result(run, usage, peakHeap, threads, ownThreads, database, summary);
		}
	}

	/**
	 * @param cpu CPU used by each part of the machine from the burst's start to its last result
	 * @param peakHeapBytes the most heap the worker had in use, from its GC log
	 * @param workerThreads the worker's CPU seconds by thread group
	 * @param benchmarkThreads the same for this JVM: the broker, the SMTP sink, producer and consumer
	 * @param database what PostgreSQL did for Mailroom's database over the burst
	 * @param profile where the worker's Java code spent its time, when recorded
	 */
	record Result(EndToEnd.Run run, CpuSnapshot.Usage cpu, long peakHeapBytes, Map<String, Double> workerThreads,
			Map<String, Double> benchmarkThreads, DatabaseActivity database, WorkerProfile.Summary profile) {
	}

}
