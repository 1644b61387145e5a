package io.mailroom.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.mailroom.contracts.Priority;
import io.mailroom.contracts.SendRequest;
import io.mailroom.core.services.SmtpService;

/**
 * The worker's heap with a large backlog: {@code count} short bulk mails published in one burst for a service
 * limited to Exchange Online's 30 mails a minute, so they stay queued; the heap is watched from the burst until
 * all are stored and for a few seconds of the backlog's lane after that.
 */
final class QueuedHeap {

	private final Infrastructure infrastructure;

	private final RequestPublisher requests;

	private final WorkerFactory workers;

	QueuedHeap(Infrastructure infrastructure, RequestPublisher requests, WorkerFactory workers) {
		this.infrastructure = infrastructure;
		this.requests = requests;
		this.workers = workers;
	}

	Result run(SmtpService service, int count) {
		SmtpService limited = infrastructure.limitRate(service, IsolationScenario.BULK_RATE_PER_MINUTE);
		List<SendRequest> mails = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			mails.add(Mails.passwordReset(limited, i, Priority.BULK));
		}
		try (WorkerProcess worker = workers.start("queued")) {
			Benchmark.progress("heap: " + count + " mails queued for a service limited to "
					+ IsolationScenario.BULK_RATE_PER_MINUTE + " a minute");
			WorkerProcess.HeapPeak heap = worker.watchHeap();
			long started = System.nanoTime();
			requests.publish(mails);
			long deadline = started + Duration.ofMinutes(10).toNanos();
			long stored = 0;
			while (stored < count && System.nanoTime() < deadline) {
				Benchmark.sleep(1000);
				stored = infrastructure.jdbc()
					.sql("select count(*) from delivery where service_id = ?")
					.param(limited.id())
					.query(Long.class)
					.single();
			}
			Duration intake = Duration.ofNanos(System.nanoTime() - started);
			Benchmark.sleep(5000);
			return new Result(count, stored, intake, heap.peak(), worker.cpu());
		}
	}

	/**
	 * @param stored how many were stored within 10 minutes
	 * @param intake from the burst to all stored
	 * @param peakHeapBytes the most heap in use from the burst to 5 s after all were stored
	 */
	record Result(int published, long stored, Duration intake, long peakHeapBytes, Duration workerCpu) {
	}

}
