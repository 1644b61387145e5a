package io.mailroom.worker.intake;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.mailroom.contracts.Topics;
import io.mailroom.core.text.SafeText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * Copies records to {@code mail.send-requests.dlt}, unchanged, with the reason in a header. A batch is
 * committed only once its copies are acknowledged: otherwise they would be lost.
 */
final class DeadLetters {

	/** Present on the copy of a record whose producer also got a REJECTED result: the copy is for operators. */
	static final String ANSWERED_HEADER = "mailroom-dlt-answered";

	static final String ORIGIN_HEADER = "mailroom-dlt-origin";

	private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

	private static final int MAX_REASON = 500;

	private final KafkaTemplate<String, byte[]> kafka;

	private final Counter counter;

	DeadLetters(KafkaTemplate<String, byte[]> kafka, MeterRegistry meters) {
		this.kafka = kafka;
		this.counter = Counter.builder("mailroom.intake.dead.lettered")
			.description("Records copied to the dead-letter topic: unanswerable ones, and operators' copies of "
					+ "requests intake failed on")
			.register(meters);
	}

	/** A copy of a record nobody can be answered for. */
	static ProducerRecord<String, byte[]> unanswered(ConsumerRecord<String, byte[]> record, String reason) {
		return copy(record, reason, null);
	}

	/** A copy, for operators, of a record whose producer got a REJECTED result for it. */
	static ProducerRecord<String, byte[]> answered(ConsumerRecord<String, byte[]> record, String reason) {
		return copy(record, reason, "REJECTED");
	}

	/**
	 * Sends the copies and waits for the broker to acknowledge them. A copy the topic refuses as too large
	 * (the original filled the broker's limit, the headers tipped it over) is sent without its value.
	 * @throws IllegalStateException when the broker does not acknowledge them: the batch must be retried
	 */
	void send(List<ProducerRecord<String, byte[]>> copies) {
		if (copies.isEmpty()) {
			return;
		}
		List<ProducerRecord<String, byte[]>> tooLarge = new ArrayList<>();
		List<CompletableFuture<?>> sends = copies.stream().<CompletableFuture<?>>map(kafka::send).toList();
		for (int i = 0; i < sends.size(); i++) {
			if (failedAsTooLarge(sends.get(i), copies.size())) {
				tooLarge.add(withoutValue(copies.get(i)));
			}
		}
		if (!tooLarge.isEmpty()) {
			tooLarge.stream().<CompletableFuture<?>>map(kafka::send).forEach(send -> failedAsTooLarge(send, 1));
		}
		counter.increment(copies.size());
		copies.forEach(copy -> LOG.warn("Dead-lettered a record of {} ({}): {}", Topics.SEND_REQUESTS,
				header(copy, ORIGIN_HEADER), header(copy, Topics.DLT_REASON_HEADER)));
	}

	private static boolean failedAsTooLarge(CompletableFuture<?> send, int count) {
		try {
			send.get(30, TimeUnit.SECONDS);
			return false;
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RecordTooLargeException) {
				return true;
			}
			throw new IllegalStateException("Could not dead-letter " + count + " records", ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Could not dead-letter " + count + " records in time", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while dead-lettering " + count + " records", ex);
		}
	}

	private static ProducerRecord<String, byte[]> copy(ConsumerRecord<String, byte[]> record, String reason,
			String answered) {
		ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.SEND_REQUESTS_DLT, null, record.key(),
				record.value(), record.headers());
		dead.headers().add(Topics.DLT_REASON_HEADER, utf8(SafeText.clean(reason, MAX_REASON)));
		dead.headers().add(ORIGIN_HEADER, utf8(record.topic() + "-" + record.partition() + "@" + record.offset()));
		if (answered != null) {
			dead.headers().add(ANSWERED_HEADER, utf8(answered));
		}
		return dead;
	}

	private static ProducerRecord<String, byte[]> withoutValue(ProducerRecord<String, byte[]> copy) {
		int size = copy.value() == null ? 0 : copy.value().length;
		ProducerRecord<String, byte[]> stripped = new ProducerRecord<>(copy.topic(), null, copy.key(), null,
				copy.headers());
		stripped.headers()
			.remove(Topics.DLT_REASON_HEADER)
			.add(Topics.DLT_REASON_HEADER,
					utf8(SafeText.clean(header(copy, Topics.DLT_REASON_HEADER) + " (the value of " + size
							+ " bytes is left out: the copy was too large for the topic)", MAX_REASON * 2)));
		return stripped;
	}

	private static String header(ProducerRecord<String, byte[]> record, String name) {
		var header = record.headers().lastHeader(name);
		return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
	}

	private static byte[] utf8(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
