package io.mailroom.worker;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.SendResult;
import io.mailroom.contracts.SendStatus;
import io.mailroom.contracts.Topics;
import io.mailroom.core.services.SmtpService;
import io.mailroom.testing.HostileRecords;
import io.mailroom.testing.HostileRecords.Answer;
import io.mailroom.testing.HostileRecords.Kind;
import io.mailroom.testing.HostileRecords.Sample;
import io.mailroom.testing.HostileRecords.Targets;
import io.mailroom.testing.TopicRecorder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Thousands of generated records, about half of them hostile, interleaved and published at once over the
 * real broker to a worker on the real database: every hostile record gets exactly one answer (a REJECTED
 * result naming what to fix, or a dead-letter copy when nothing in it can be answered), every valid one is
 * stored, and intake never stalls.
 *
 * <p>Each run draws a new seed and prints it; {@code -Dmailroom.hostile.seed=<seed>} replays a run and
 * {@code -Dmailroom.hostile.records=<n>} sets its size.
 */
class HostileRecordsIntegrationTest extends WorkerIntegrationTest {

	private static final Logger LOG = LoggerFactory.getLogger(HostileRecordsIntegrationTest.class);

	private static final int RECORDS = Integer.getInteger("mailroom.hostile.records", 3000);

	private static final int TEN_MEGABYTE_RECORDS = 3;

	@Test
	void everyHostileRecordIsAnsweredOnceAndEveryValidOneIsStoredWithoutAStall() {
		SmtpService service = authorizedService();
		SmtpService deleted = authorizedService();
		services.markDeleted(deleted.accountId(), deleted.id(), Instant.now());
		SmtpService foreign = authorizedService();
		long seed = Long.getLong("mailroom.hostile.seed", new SecureRandom().nextLong());
		LOG.info("Hostile records with seed {} (-Dmailroom.hostile.seed={} replays this run)", seed, seed);
		// valid mail is due tomorrow: stored and queued, not sent, so the run measures intake alone
		HostileRecords generator = new HostileRecords(seed,
				new Targets(service.accountId(), service.id(), deleted.id(), foreign.id()),
				Instant.now().plus(Duration.ofDays(1)));
		List<Sample> samples = new ArrayList<>(generator.mix(RECORDS, 0.5));
		Random positions = new Random(seed);
		for (int i = 0; i < TEN_MEGABYTE_RECORDS; i++) {
			samples.add(positions.nextInt(samples.size()), generator.of(Kind.TEN_MEGABYTES));
		}

		try (TopicRecorder deadLetters = TopicRecorder.fromNow(Topics.SEND_REQUESTS_DLT)) {
			Instant start = Instant.now();
			publish(samples);
			Instant published = Instant.now();
			try {
				await().atMost(Duration.ofSeconds(60))
					.pollInterval(Duration.ofMillis(250))
					.until(() -> ledger(samples, deadLetters, service).unanswered() == 0);
			}
			catch (ConditionTimeoutException ex) {
				// the ledger below says which records are missing their answer
			}
			Instant answered = Instant.now();
			Ledger ledger = ledger(samples, deadLetters, service);
			LOG.info("{} records ({} hostile, {} MB) published in {} ms, all answered {} ms after the last was "
					+ "published; by kind: {}", samples.size(), samples.stream().filter(s -> s.answer() != Answer.STORED).count(),
					samples.stream().mapToLong(s -> s.value() == null ? 0 : s.value().length).sum() / 1_048_576,
					Duration.between(start, published).toMillis(), Duration.between(published, answered).toMillis(),
					samples.stream().collect(Collectors.groupingBy(Sample::kind, Collectors.counting())));

			assertThat(ledger.problems()).as("seed %d: records without the answer they are owed", seed).isEmpty();
		}
		Sample afterwards = generator.valid();
		publish(List.of(afterwards));
		await().atMost(Duration.ofSeconds(10)).until(() -> "QUEUED".equals(statusOf(afterwards.requestId())));
	}

	private void publish(List<Sample> samples) {
		List<CompletableFuture<?>> sends = samples.stream().<CompletableFuture<?>>map(s -> kafka.send(s.record())).toList();
		CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
	}

	private Ledger ledger(List<Sample> samples, TopicRecorder deadLetters, SmtpService service) {
		Map<UUID, List<SendResult>> results = WorkerIntegrationTest.results.records()
			.stream()
			.map(r -> MailroomJson.mapper().readValue(r.value(), SendResult.class))
			.collect(Collectors.groupingBy(SendResult::requestId));
		Map<Integer, List<ConsumerRecord<String, byte[]>>> copies = deadLetters.records()
			.stream()
			.filter(r -> r.headers().lastHeader(HostileRecords.SAMPLE_HEADER) != null)
			.collect(Collectors.groupingBy(r -> Integer.parseInt(header(r, HostileRecords.SAMPLE_HEADER))));
		Map<UUID, String> stored = jdbc.sql("select request_id, status from delivery where service_id = ?")
			.param(service.id())
			.query((rs, n) -> Map.entry(rs.getObject("request_id", UUID.class), rs.getString("status")))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
		return new Ledger(samples.stream()
			.map(s -> problem(s, s.requestId() == null ? List.of() : results.getOrDefault(s.requestId(), List.of()),
					copies.getOrDefault(s.index(), List.of()), s.requestId() == null ? null : stored.get(s.requestId())))
			.filter(p -> p != null)
			.toList());
	}

	/** What is wrong with the answers a sample got, or null when they are the one it is owed. */
	private static Problem problem(Sample sample, List<SendResult> results, List<ConsumerRecord<String, byte[]>> copies,
			String status) {
		boolean answered = !results.isEmpty() || !copies.isEmpty() || (sample.answer() == Answer.STORED && status != null);
		String wrong = switch (sample.answer()) {
			case STORED -> !"QUEUED".equals(status) ? "not stored (status " + status + ")"
					: !results.isEmpty() ? "stored, but also answered " + results.getFirst().status()
							: !copies.isEmpty() ? "stored, but also dead-lettered: " + reason(copies.getFirst()) : null;
			case REJECTED -> results.isEmpty() ? "no result"
					: results.size() > 1 ? results.size() + " results"
							: results.getFirst().status() != SendStatus.REJECTED ? "answered " + results.getFirst().status()
									: !sample.code().equals(results.getFirst().error().code())
											? "code " + results.getFirst().error().code() + " ("
													+ results.getFirst().error().message() + ")"
											: !results.getFirst().error().message().contains(sample.mentions())
													? "message '" + results.getFirst().error().message()
															+ "' does not mention '" + sample.mentions() + "'"
													: !copies.isEmpty() ? "rejected, but also dead-lettered: "
															+ reason(copies.getFirst()) : null;
			case DEAD_LETTER -> copies.isEmpty() ? "not dead-lettered"
					: copies.getFirst().headers().lastHeader("mailroom-dlt-answered") != null
							? "dead-lettered as answered: " + reason(copies.getFirst()) : null;
		};
		return wrong == null ? null : new Problem(sample.describe() + ": " + wrong, answered);
	}

	private static String reason(ConsumerRecord<String, byte[]> copy) {
		return header(copy, Topics.DLT_REASON_HEADER);
	}

	private static String header(ConsumerRecord<String, byte[]> record, String name) {
		Header header = record.headers().lastHeader(name);
		return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
	}

	private record Problem(String description, boolean answered) {
	}

	private record Ledger(List<Problem> found) {

		long unanswered() {
			return found.stream().filter(p -> !p.answered()).count();
		}

		List<String> problems() {
			return found.stream().map(Problem::description).toList();
		}

	}

}
