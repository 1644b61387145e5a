package io.mailroom.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import io.mailroom.contracts.Topics;
import io.mailroom.faults.FloodPlan.Planned;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes a plan on {@code mail.send-requests} as producers would, each record at its time after the
 * start (keyed as planned, the record timestamp the moment it is handed to the producer), and remembers
 * when each went out: where every latency, stall and answer time starts.
 */
final class Flood {

	private final FloodPlan plan;

	private final KafkaProducer<String, byte[]> producer;

	private final Map<Planned, Instant> publishedAt = new ConcurrentHashMap<>();

	private final CountDownLatch done = new CountDownLatch(1);

	private volatile Instant start;

	private volatile Instant end;

	Flood(FloodPlan plan, KafkaProducer<String, byte[]> producer) {
		this.plan = plan;
		this.producer = producer;
	}

	/** Starts publishing on a thread of its own; returns the start. */
	Instant start() {
		start = Instant.now();
		Thread.ofPlatform().name("flood").daemon(true).start(this::publish);
		return start;
	}

	private void publish() {
		try {
			for (Planned record : plan.records()) {
				Instant due = start.plus(record.at());
				Duration wait = Duration.between(Instant.now(), due);
				if (wait.isPositive()) {
					// a schedule, not a condition: the flood's pace is the point
					Thread.sleep(wait);
				}
				long now = System.currentTimeMillis();
				ProducerRecord<String, byte[]> out = new ProducerRecord<>(Topics.SEND_REQUESTS, null, now, record.key(),
						record.value());
				if (record.marker() != null) {
					out.headers().add(FloodPlan.HOSTILE_HEADER, record.marker().getBytes(StandardCharsets.UTF_8));
				}
				publishedAt.put(record, Instant.ofEpochMilli(now));
				producer.send(out, (metadata, failure) -> {
					if (failure != null) {
						System.err.println("Could not publish a request: " + failure);
					}
				});
			}
			producer.flush();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			end = Instant.now();
			done.countDown();
		}
	}

	/** Waits until every record is published and acknowledged; returns when that was. */
	Instant awaitEnd() {
		try {
			done.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while flooding", ex);
		}
		return end;
	}

	/** The moment the flood reaches {@code fraction} of its planned duration. */
	Instant at(double fraction) {
		return start.plusMillis(Math.round(plan.duration().toMillis() * fraction));
	}

	Instant startedAt() {
		return start;
	}

	/** When the record was published, or null if not (yet). */
	Instant publishedAt(Planned record) {
		return publishedAt.get(record);
	}

	FloodPlan plan() {
		return plan;
	}

}
